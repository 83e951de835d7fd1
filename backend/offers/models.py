from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.lib import clock
from backend.lib.address import Address, latitude_field, longitude_field
from backend.lib.bounds import (
    MAX_HEADCOUNT,
    at_most,
    check_order,
    count_range,
    date_range,
    date_validators,
    moment_range,
    moment_validators,
    ordered,
    out_of_order,
)
from backend.lib.schedule import ScheduleError, german_summary, parse_weekly_rrule
from backend.organisations.models import Organisation, TenantQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# German states as used by the `holidays` package (subdiv codes).
HOLIDAY_REGIONS = [
    ("BW", "Baden-Württemberg"),
    ("BY", "Bayern"),
    ("BE", "Berlin"),
    ("BB", "Brandenburg"),
    ("HB", "Bremen"),
    ("HH", "Hamburg"),
    ("HE", "Hessen"),
    ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"),
    ("RP", "Rheinland-Pfalz"),
    ("SL", "Saarland"),
    ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"),
    ("SH", "Schleswig-Holstein"),
    ("TH", "Thüringen"),
]


class Sector(models.TextChoices):
    YOUTH_WELFARE = "youth_welfare", _("Kinder- und Jugendhilfe")
    HEALTH = "health", _("Gesundheit")
    ADDICTION = "addiction", _("Suchthilfe")
    EARLY_HELP = "early_help", _("Frühe Hilfen")
    SCHOOL = "school", _("Schule")
    NURSERY = "nursery", _("Kita")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Kinder")
    PARENTS = "parents", _("Eltern")
    FAMILIES = "families", _("Familien")


def validate_rrule(value: str) -> None:
    try:
        parse_weekly_rrule(value)
    except ScheduleError as exc:
        raise ValidationError(
            _("Ungültige Regel (RRULE): %(error)s"), params={"error": exc}
        ) from None


def validate_sectors(value: list) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Muss eine Liste sein."))
    unknown = [v for v in value if v not in Sector.values]
    if unknown:
        raise ValidationError(
            _("Unbekannte Bereiche: %(v)s"), params={"v": ", ".join(map(str, unknown))}
        )


class Venue(Address):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("Name"), max_length=200)
    # A venue must be placeable on a map: planning starts and ends here. Left empty,
    # the coordinates come from the address (`PlacedMixin`).
    latitude = latitude_field(blank=True)
    longitude = longitude_field(blank=True)
    coordinates_required = True
    accessibility_notes = models.TextField(_("Barrierefreiheit"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name


class ClosurePeriod(models.Model):
    """Days on which none of the organisation's groups meet (school holidays, summer break)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="closures"
    )
    name = models.CharField(_("Bezeichnung"), max_length=120)
    start_date = models.DateField(_("von"), validators=date_validators())
    end_date = models.DateField(_("bis einschließlich"), validators=date_validators())

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            *date_range("closure", "start_date", "end_date"),
            ordered("closure_end_after_start", "start_date", "end_date"),
        ]
        verbose_name = _("Schließzeit")
        verbose_name_plural = _("Schließzeiten")

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y})"

    def clean(self) -> None:
        check_order(self.start_date, self.end_date, "end_date")


class GroupOfferQuerySet(TenantQuerySet["GroupOffer"]):
    def public(self) -> GroupOfferQuerySet:
        """Offers shown to the public (guide, catalogue, brochure and group feeds): listed
        by the provider, approved by a coordinator, and not ended before today."""
        return self.filter(listed=True, listing_approved=True).exclude(last_date__lt=clock.today())


class GroupOffer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="group_offers"
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="group_offers")
    # Titles are neutral by default: calendars and brochures are seen by others.
    title = models.CharField(_("Titel"), max_length=200, default="Gruppenangebot")
    calendar_title = models.CharField(
        _("Titel im Kalender"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen, um den Titel zu verwenden. Bitte neutral formulieren."),
    )
    public_description = models.TextField(_("Öffentliche Beschreibung"), blank=True)
    audience = models.CharField(
        _("Zielgruppe"), max_length=20, choices=Audience.choices, default=Audience.CHILDREN
    )
    min_age = models.PositiveSmallIntegerField(
        _("Mindestalter"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("Höchstalter"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    rrule = models.CharField(
        _("Rhythmus (RRULE)"),
        max_length=120,
        default="FREQ=WEEKLY;BYDAY=MO",
        validators=[validate_rrule],
        help_text=_("z. B. FREQ=WEEKLY;BYDAY=TU oder FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    )
    start_time = models.TimeField(_("Beginn"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer (Minuten)"), default=90, validators=[MinValueValidator(15), MaxValueValidator(720)]
    )
    first_date = models.DateField(_("Erster Termin"), validators=date_validators())
    last_date = models.DateField(
        _("Letzter Termin"), null=True, blank=True, validators=date_validators()
    )
    capacity = models.PositiveSmallIntegerField(
        _("Plätze"), null=True, blank=True, validators=at_most(MAX_HEADCOUNT)
    )
    join_anytime = models.BooleanField(_("Einstieg jederzeit"), default=True)
    registration_required = models.BooleanField(_("Anmeldung nötig"), default=False)
    paired_offer = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paired_with",
        verbose_name=_("Parallele Elterngruppe"),
    )
    holiday_region = models.CharField(
        _("Bundesland (Feiertage)"), max_length=2, choices=HOLIDAY_REGIONS, default="RP"
    )
    sectors = models.JSONField(
        _("Bereiche"), default=list, blank=True, validators=[validate_sectors]
    )
    free_of_charge = models.BooleanField(_("kostenfrei"), default=True)
    # The public offer guide: the provider lists an offer, a coordinator approves it.
    listed = models.BooleanField(
        _("Im Angebotswegweiser zeigen"),
        default=True,
        help_text=_("Erscheint erst, wenn die Koordination das Angebot freigegeben hat."),
    )
    listing_approved = models.BooleanField(
        _("Für den Wegweiser freigegeben"),
        default=False,
        help_text=_("Nur die Koordination gibt ein Angebot frei."),
    )
    show_address = models.BooleanField(
        _("Adresse öffentlich zeigen"),
        default=False,
        help_text=_("Sonst nennt der Wegweiser nur den Ort."),
    )
    shuttle_offered = models.BooleanField(
        _("Fahrdienst angeboten"),
        default=False,
        help_text=_("Kinder können zur Gruppe gebracht und abgeholt werden."),
    )
    easy_language = models.TextField(
        _("In Leichter Sprache"),
        blank=True,
        help_text=_("Kurze Beschreibung in Leichter Sprache für den Wegweiser."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupOfferQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            *date_range("offer", "first_date", "last_date"),
            *count_range("offer", MAX_HEADCOUNT, "capacity"),
            ordered(
                "offer_last_after_first", "first_date", "last_date", unless_null=("last_date",)
            ),
            ordered("offer_age_range", "min_age", "max_age", unless_null=("min_age", "max_age")),
        ]
        verbose_name = _("Gruppenangebot")
        verbose_name_plural = _("Gruppenangebote")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if out_of_order(self.first_date, self.last_date):
            errors["last_date"] = _("Der letzte Termin liegt vor dem ersten.")
        if out_of_order(self.min_age, self.max_age):
            errors["max_age"] = _("Das Höchstalter liegt unter dem Mindestalter.")
        if self.paired_offer_id:
            paired_error = self._paired_offer_error()
            if paired_error:
                errors["paired_offer"] = paired_error
        if errors:
            raise ValidationError(errors)

    def _paired_offer_error(self) -> StrOrPromise | None:
        """The paired offer is another offer of the same organisation, for parents."""
        paired = self.paired_offer
        assert paired is not None
        if paired.pk == self.pk:
            return _("Ein Angebot kann nicht mit sich selbst gekoppelt sein.")
        if paired.audience != Audience.PARENTS:
            return _("Gekoppelt werden kann nur ein Angebot für Eltern.")
        if self.organisation_id and paired.organisation_id != self.organisation_id:
            return _("Das Angebot gehört zu einer anderen Organisation.")
        return None

    @property
    def display_calendar_title(self) -> str:
        return self.calendar_title or self.title

    @property
    def schedule_summary(self) -> str:
        return german_summary(self.rrule, self.start_time, self.duration_minutes)

    @property
    def weekday(self) -> int:
        return parse_weekly_rrule(self.rrule)[0]

    def planned_times(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start = clock.at(day, self.start_time)
        return start, start + dt.timedelta(minutes=self.duration_minutes)


class Session(models.Model):
    """One occurrence of a group offer. Its id and `occurrence_date` never change.

    Moving or cancelling keeps the identity and raises `sequence`, which calendar
    feeds publish as SEQUENCE.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    offer = models.ForeignKey(GroupOffer, on_delete=models.CASCADE, related_name="sessions")
    occurrence_date = models.DateField(_("Regeltermin"), validators=date_validators())
    starts_at = models.DateTimeField(_("Beginn"), validators=moment_validators())
    ends_at = models.DateTimeField(_("Ende"), validators=moment_validators())
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="sessions")
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.CharField(_("Grund der Absage"), max_length=200, blank=True)
    sequence = models.PositiveIntegerField(_("Änderungszähler"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "offer__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            *date_range("session", "occurrence_date"),
            *moment_range("session", "starts_at", "ends_at"),
            models.UniqueConstraint(
                fields=["offer", "occurrence_date"], name="one_session_per_date"
            ),
            ordered("session_ends_after_start", "starts_at", "ends_at", strict=True),
        ]
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")

    def __str__(self) -> str:
        return f"{self.offer} {clock.local(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def local_date(self) -> dt.date:
        return clock.local(self.starts_at).date()

    def clean(self) -> None:
        check_order(self.starts_at, self.ends_at, "ends_at", strict=True)

    def cancel(self, reason: str) -> None:
        self.status = self.Status.CANCELLED
        self.cancel_reason = reason
        self.sequence += 1
        self.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])

    def reinstate(self) -> None:
        self.status = self.Status.SCHEDULED
        self.cancel_reason = ""
        self.sequence += 1
        self.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])

    def move(self, starts_at: dt.datetime, ends_at: dt.datetime, venue: Venue) -> None:
        self.starts_at, self.ends_at, self.venue = starts_at, ends_at, venue
        self.sequence += 1
        self.save(update_fields=["starts_at", "ends_at", "venue", "sequence", "updated_at"])


class Attendance(models.Model):
    """Anonymous head counts per session, walk-ins included."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="attendance")
    children = models.PositiveSmallIntegerField(
        _("Kinder"), default=0, validators=at_most(MAX_HEADCOUNT)
    )
    adults = models.PositiveSmallIntegerField(
        _("Erwachsene"), default=0, validators=at_most(MAX_HEADCOUNT)
    )
    walk_ins = models.PositiveSmallIntegerField(
        _("davon ohne Anmeldung"),
        default=0,
        validators=at_most(2 * MAX_HEADCOUNT),
        help_text=_("Kinder und Erwachsene ohne Anmeldung"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "session__offer__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnahmezahlen")
        verbose_name_plural = _("Teilnahmezahlen")
        constraints = [
            *count_range("attendance", MAX_HEADCOUNT, "children", "adults"),
            models.CheckConstraint(
                condition=Q(walk_ins__lte=F("children") + F("adults")), name="walk_ins_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.children} + {self.adults}"

    def clean(self) -> None:
        if self.walk_ins > self.children + self.adults:
            raise ValidationError({"walk_ins": _("Mehr ohne Anmeldung als insgesamt gezählt.")})
