"""The coordination office's register (Bestandsaufnahme): offers and network partners.

The office enters what does not run on Lotse itself (a counselling centre's group, a
clinic's consultation hours) and the partners that send families or work with offers.
Both belong to the office's organisation and are reached through `for_org(org)`, like
every other tenant's data. Nothing here is about a person: a partner is an institution,
and its contact is the institution's public one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.lib.address import Address
from backend.lib.bounds import ordered, out_of_order
from backend.offers.models import Audience, GroupOffer, Sector
from backend.organisations.models import Organisation, TenantQuerySet, phone_number

MAX_AGE = 27  # youth welfare ends at 27 (§ 7 SGB VIII)


def _town_field() -> models.CharField:
    # The municipality is what the overview groups by: required here (blank on Address).
    return models.CharField(_("Ort"), max_length=120)


def _postcode_field() -> models.CharField:
    # The offline gazetteer places an address by its postal code: required for the map.
    return models.CharField(_("PLZ"), max_length=10)


def place(entry: Address) -> None:
    """Place the address (an unknown postcode is an error on it); a missing postcode
    is already the required field's error, so it is not reported twice."""
    if entry.postcode.strip():
        Address.clean(entry)


class RegisterOffer(Address):
    """An offer in the district, entered by the office (on Lotse or not)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_offers"
    )
    name = models.CharField(_("Name des Angebots"), max_length=200)
    sector = models.CharField(_("Bereich"), max_length=20, choices=Sector.choices)
    audience = models.CharField(
        _("Für wen"), max_length=20, choices=Audience.choices, default=Audience.CHILDREN
    )
    target_group = models.CharField(
        _("Zielgruppe"),
        max_length=200,
        blank=True,
        help_text=_("Zum Beispiel „Kinder psychisch erkrankter Eltern“."),
    )
    min_age = models.PositiveSmallIntegerField(_("Alter von"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("Alter bis"), null=True, blank=True)
    provider_name = models.CharField(_("Träger"), max_length=200)
    contact_phone = models.CharField(
        _("Telefon"), max_length=40, blank=True, validators=[phone_number]
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    note = models.TextField(_("Notiz"), max_length=2000, blank=True)
    town = _town_field()
    postcode = _postcode_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    coordinates_required = True  # every entry is on the overview's map
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            ordered(
                "register_offer_age_range", "min_age", "max_age", unless_null=("min_age", "max_age")
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__lte=MAX_AGE),
                name="register_offer_max_age",
            ),
        ]
        verbose_name = _("Angebot im Register")
        verbose_name_plural = _("Angebote im Register")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and value > MAX_AGE:
                errors[name] = [
                    str(_("Bitte ein Alter bis %(max)s Jahre angeben.") % {"max": MAX_AGE})
                ]
        if out_of_order(self.min_age, self.max_age) and "max_age" not in errors:
            errors["max_age"] = [str(_("Das Höchstalter liegt unter dem Mindestalter."))]
        try:
            place(self)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)


class Partner(Address):
    """A network partner: an institution that sends families or works with offers."""

    class Kind(models.TextChoices):
        YOUTH_OFFICE = "youth_office", _("Jugendamt (ASD)")
        SCHOOL = "school", _("Schule / Schulsozialarbeit")
        NURSERY = "nursery", _("Kita")
        COUNSELLING = "counselling", _("Beratungsstelle")
        CLINIC = "clinic", _("Klinik / Psychiatrie")
        DOCTOR = "doctor", _("Arztpraxis")
        PSAG = "psag", _("PSAG (Psychosoziale Arbeitsgemeinschaft)")
        OTHER = "other", _("Sonstige")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art des Partners"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("Bereich"), max_length=20, choices=Sector.choices)
    contact_name = models.CharField(
        _("Ansprechstelle"),
        max_length=200,
        blank=True,
        help_text=_("Funktion oder Stelle, z. B. „Schulsozialarbeit“."),
    )
    contact_phone = models.CharField(
        _("Telefon"), max_length=40, blank=True, validators=[phone_number]
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    register_offers = models.ManyToManyField(
        RegisterOffer,
        blank=True,
        related_name="partners",
        verbose_name=_("Arbeitet mit diesen Angeboten aus dem Register"),
    )
    lotse_offers = models.ManyToManyField(
        GroupOffer,
        blank=True,
        related_name="+",
        verbose_name=_("Arbeitet mit diesen Gruppen der Träger"),
    )
    note = models.TextField(_("Notiz"), max_length=2000, blank=True)
    town = _town_field()
    postcode = _postcode_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    coordinates_required = True
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Netzwerkpartner")
        verbose_name_plural = _("Netzwerkpartner")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        place(self)
