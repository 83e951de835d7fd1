import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.lib.address import (
    Address,
    AddressFields,
    CoordinateSource,
    PlacedMixin,
    latitude_field,
    longitude_field,
)
from backend.lib.bounds import check_order, date_range, date_validators, ordered
from backend.offers.models import GroupOffer, Sector, Session
from backend.organisations.models import Organisation, TenantQuerySet

LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("fa", "فارسی"),
]


class ReferralKind(models.TextChoices):
    """How a family came to the provider (its referral path, Zugangsweg).

    The coordination office sees only anonymous counts per kind and quarter
    (backend/district/referrals.py), never which family came how.
    """

    YOUTH_OFFICE = "youth_office", _("Jugendamt/ASD")
    SCHOOL = "school", _("Schule/Schulsozialarbeit")
    NURSERY = "nursery", _("Kita")
    COUNSELLING = "counselling", _("Beratungsstelle")
    ADDICTION_COUNSELLING = "addiction_counselling", _("Suchtberatung")
    CLINIC = "clinic", _("Klinik/Psychiatrie")
    DOCTOR = "doctor", _("Arzt/Ärztin")
    PSAG = "psag", _("PSAG")
    SELF = "self", _("Selbstmeldung")
    OTHER = "other", _("Sonstige")
    UNKNOWN = "unknown", _("unbekannt")


class Family(Address):
    """A household. Its `reference` is a pseudonym used wherever a name is not needed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="families"
    )
    reference = models.CharField(
        _("Kennung"), max_length=40, help_text=_("Pseudonym, z. B. F-017. Kein Klarname.")
    )
    contact_name = models.CharField(_("Kontaktperson"), max_length=200)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    preferred_language = models.CharField(
        _("Bevorzugte Sprache"), max_length=5, choices=LANGUAGES, default="de"
    )
    show_first_names_in_calendar = models.BooleanField(
        _("Vornamen im Kalender zeigen"),
        default=False,
        help_text=_("Nur mit Einverständnis der Familie. Sonst neutrale Formulierung."),
    )
    referral_kind = models.CharField(
        _("Wie kam die Familie zu uns?"),
        max_length=30,
        choices=ReferralKind.choices,
        default=ReferralKind.UNKNOWN,
        help_text=_("Der Zugangsweg. Die Koordinierungsstelle sieht davon nur anonyme Zahlen."),
    )
    referral_note = models.CharField(
        _("Zugangsweg: Notiz"),
        max_length=120,
        blank=True,
        help_text=_(
            "Zum Beispiel „Schulsozialarbeit Grundschule Prüm“. Keine Namen von Personen; "
            "bleibt beim Träger."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the retention rule removed everything personal (backend/privacy/retention.py).
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="family_ref_unique"),
        ]
        verbose_name = _("Familie")
        verbose_name_plural = _("Familien")

    def __str__(self) -> str:
        return self.reference

    def has_consent(self, purpose: str, on: dt.date) -> bool:
        return any(c.is_active_on(on) for c in self.consents.all() if c.purpose == purpose)

    def phone_to_call(self, *days: dt.date) -> str:
        """The phone number, if the family agreed to be called on each of `days`; else ""."""
        if all(self.has_consent(ConsentPurpose.PHONE, day) for day in days):
            return self.phone
        return ""


class ConsentPurpose(models.TextChoices):
    TRANSPORT = "transport", _("Fahrdienst")
    CALENDAR = "calendar", _("Kalender-Abo")
    PHONE = "phone", _("Kontakt per Telefon")
    BUNDLE = "bundle", _("Hilfeplan (Hilfegebinde)")


class ConsentRecord(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("erteilt am"), validators=date_validators())
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    withdrawn_on = models.DateField(
        _("widerrufen am"), null=True, blank=True, validators=date_validators()
    )

    tenant_path = "family__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            *date_range("consent", "given_on", "withdrawn_on"),
            ordered(
                "consent_withdrawn_after_given",
                "given_on",
                "withdrawn_on",
                unless_null=("withdrawn_on",),
            ),
        ]
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")

    def __str__(self) -> str:
        return f"{self.family} {self.purpose}"

    def is_active_on(self, day: dt.date) -> bool:
        # A withdrawal takes effect at once: from the day it was recorded.
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    def clean(self) -> None:
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": _("Der Widerruf liegt vor der Einwilligung.")})


class Participant(models.Model):
    class Kind(models.TextChoices):
        CHILD = "child", _("Kind")
        ADULT = "adult", _("Erwachsene*r")

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.CHILD)
    first_name = models.CharField(_("Vorname oder Alias"), max_length=80)
    birth_year = models.PositiveSmallIntegerField(
        _("Geburtsjahr"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    birth_month = models.PositiveSmallIntegerField(
        _("Geburtsmonat"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    needs_child_seat = models.BooleanField(_("Kindersitz"), default=False)
    needs_booster = models.BooleanField(_("Sitzerhöhung"), default=False)
    needs_wheelchair = models.BooleanField(_("Rollstuhlplatz"), default=False)
    needs_escort = models.BooleanField(_("Begleitperson"), default=False)
    max_ride_minutes = models.PositiveSmallIntegerField(
        _("Max. Fahrzeit (Minuten)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
        help_text=_("Leer: nach Alter (unter 8 Jahren 45, sonst 60 Minuten)."),
    )
    driver_note = models.CharField(_("Hinweis für Fahrer*in"), max_length=200, blank=True)

    tenant_path = "family__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["family", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="adult") | Q(birth_year__isnull=False, birth_month__isnull=False),
                name="child_has_birth_month",
            ),
        ]
        verbose_name = _("Teilnehmer*in")
        verbose_name_plural = _("Teilnehmer*innen")

    def __str__(self) -> str:
        return self.first_name

    def clean(self) -> None:
        if self.kind == self.Kind.CHILD and (self.birth_year is None or self.birth_month is None):
            raise ValidationError(
                {"birth_year": _("Für Kinder sind Geburtsjahr und -monat nötig.")}
            )

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_year is None:
            return None
        months = (day.year - self.birth_year) * 12 + day.month - (self.birth_month or 1)
        return months // 12


class Transport(models.TextChoices):
    NONE = "none", _("kein Fahrdienst")
    THERE = "there", _("nur hin")
    BACK = "back", _("nur zurück")
    BOTH = "both", _("hin und zurück")


PICKUP = AddressFields(
    "pickup_street",
    "pickup_postcode",
    "pickup_town",
    "pickup_latitude",
    "pickup_longitude",
    "pickup_coordinates_source",
)


class Enrolment(PlacedMixin):
    """A participant in a group offer from `joined_on` (any date: join anytime)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrolments"
    )
    offer = models.ForeignKey(GroupOffer, on_delete=models.CASCADE, related_name="enrolments")
    joined_on = models.DateField(_("dabei seit"), validators=date_validators())
    left_on = models.DateField(_("dabei bis"), null=True, blank=True, validators=date_validators())
    transport = models.CharField(
        _("Fahrdienst"), max_length=10, choices=Transport.choices, default=Transport.NONE
    )
    # Optional pickup address instead of home, e.g. a school.
    pickup_street = models.CharField(_("Abholadresse: Straße"), max_length=200, blank=True)
    pickup_postcode = models.CharField(_("Abholadresse: PLZ"), max_length=10, blank=True)
    pickup_town = models.CharField(_("Abholadresse: Ort"), max_length=120, blank=True)
    pickup_latitude = latitude_field(null=True, blank=True)
    pickup_longitude = longitude_field(null=True, blank=True)
    pickup_coordinates_source = models.CharField(
        _("Abholadresse: Herkunft der Koordinaten"),
        max_length=20,
        choices=CoordinateSource.choices,
        default=CoordinateSource.MANUAL,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "offer__organisation"
    objects = TenantQuerySet.as_manager()
    placed_addresses = (PICKUP,)

    class Meta:
        ordering = ["joined_on"]
        constraints = [
            *date_range("enrolment", "joined_on", "left_on"),
            ordered(
                "enrolment_left_after_joined", "joined_on", "left_on", unless_null=("left_on",)
            ),
        ]
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")

    def __str__(self) -> str:
        return f"{self.participant} → {self.offer}"

    def clean(self) -> None:
        check_order(self.joined_on, self.left_on, "left_on")
        super().clean()  # places a new or changed pickup address

    def is_active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    @property
    def has_pickup_override(self) -> bool:
        return self.pickup_latitude is not None and self.pickup_longitude is not None

    @property
    def pickup_is_approximate(self) -> bool:
        return (
            self.has_pickup_override
            and self.pickup_coordinates_source == CoordinateSource.APPROXIMATE
        )

    @property
    def wants_there(self) -> bool:
        return self.transport in (Transport.THERE, Transport.BOTH)

    @property
    def wants_back(self) -> bool:
        return self.transport in (Transport.BACK, Transport.BOTH)


class Absence(models.Model):
    """This participant will not come to this session."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Fachkraft")
        FAMILY = "family", _("Familie")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="absences")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="absences")
    source = models.CharField(
        _("gemeldet von"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "session__offer__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="one_absence_per_session"
            ),
        ]
        verbose_name = _("Abmeldung")
        verbose_name_plural = _("Abmeldungen")

    def __str__(self) -> str:
        return f"{self.participant} / {self.session}"


class Presence(models.Model):
    """This enrolled participant came to this session (ticked off after the session).

    Together with the session's anonymous `Attendance` (head counts, walk-ins included),
    which counts these participants too; `services.record_attendance` writes both.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="presences")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presences")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "session__offer__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["session", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="one_presence_per_session"
            ),
        ]
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")

    def __str__(self) -> str:
        return f"{self.participant} / {self.session}"


class Involvement(models.Model):
    """One entry of a family's plan of help (*Hilfegebinde*): another offer or partner
    that supports the family, e.g. the parent's addiction counselling or the child's
    school social work. Recorded only with the family's consent for this purpose
    (`ConsentPurpose.BUNDLE`) and never visible outside the provider; the coordination
    office sees only anonymous counts of sectors per family (backend/gaps/bundles.py)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="involvements")
    offer = models.ForeignKey(
        GroupOffer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Lotse-Gruppe"),
    )
    name = models.CharField(
        _("Angebot oder Partner"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Suchtberatung der Mutter, Schulsozialarbeit"),
    )
    sector = models.CharField(_("Bereich"), max_length=20, choices=Sector.choices)
    contact = models.CharField(_("Kontakt"), max_length=200, blank=True)
    since = models.DateField(_("dabei seit"), null=True, blank=True, validators=date_validators())
    note = models.TextField(_("Notiz"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "family__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["sector", "name", "pk"]
        verbose_name = _("Beteiligte Hilfe")
        verbose_name_plural = _("Beteiligte Hilfen")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or (self.offer.title if self.offer else "")

    def clean(self) -> None:
        if not self.name.strip() and self.offer_id is None:
            raise ValidationError(
                {"name": _("Bitte ein Angebot oder einen Partner nennen oder eine Gruppe wählen.")}
            )
