import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.lib.address import Address
from backend.lib.bounds import (
    MAX_VEHICLE_PLACES,
    at_most,
    check_order,
    count_range,
    date_range,
    date_validators,
    ordered,
)
from backend.organisations.models import Organisation, TenantQuerySet

# §72a SGB VIII: an extended certificate of good conduct, renewed at least every 5 years.
CERTIFICATE_VALID_YEARS = 5
# A certificate that runs out within this many months is flagged for renewal.
CERTIFICATE_WARN_MONTHS = 3


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Vehicle(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vehicles"
    )
    label = models.CharField(_("Bezeichnung"), max_length=80)
    seats = models.PositiveSmallIntegerField(
        _("Sitzplätze (Fahrgäste)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    child_seats = models.PositiveSmallIntegerField(
        _("Kindersitze"), default=0, validators=at_most(MAX_VEHICLE_PLACES)
    )
    boosters = models.PositiveSmallIntegerField(
        _("Sitzerhöhungen"), default=0, validators=at_most(MAX_VEHICLE_PLACES)
    )
    wheelchair_places = models.PositiveSmallIntegerField(
        _("Rollstuhlplätze"), default=0, validators=at_most(MAX_VEHICLE_PLACES)
    )
    cost_per_km = models.DecimalField(
        _("Kosten je km (€)"),
        max_digits=6,
        decimal_places=2,
        default=0.30,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        constraints = count_range(
            "vehicle", MAX_VEHICLE_PLACES, "seats", "child_seats", "boosters", "wheelchair_places"
        )
        verbose_name = _("Fahrzeug")
        verbose_name_plural = _("Fahrzeuge")

    def __str__(self) -> str:
        return self.label


class Driver(Address):
    """A driver's home is their base: routes start and end there."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="drivers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="driver_profiles",
    )
    name = models.CharField(_("Name"), max_length=120)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    vehicle = models.ForeignKey(
        Vehicle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drivers",
        verbose_name=_("Fahrzeug"),
    )
    provides_escort = models.BooleanField(
        _("Begleitperson fährt mit"),
        default=False,
        help_text=_("Eine zweite erwachsene Person ist an Bord."),
    )
    certificate_date = models.DateField(
        _("Erweitertes Führungszeugnis vom"),
        null=True,
        blank=True,
        validators=date_validators(),
    )
    volunteer = models.BooleanField(
        _("ehrenamtlich"),
        default=False,
        help_text=_("Erhält die Aufwandsentschädigung je Tour statt eines Stundenlohns."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The invitation that creates this driver's login; accepting it links the account.
    invitation = models.ForeignKey(
        "accounts.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drivers",
        editable=False,
    )

    objects = TenantQuerySet.as_manager()
    coordinates_required = True  # routes start and end at home

    class Meta:
        ordering = ["name"]
        constraints = [
            *date_range("driver", "certificate_date"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_driver_per_user_and_org",
                condition=Q(user__isnull=False),
            ),
        ]
        verbose_name = _("Fahrer*in")
        verbose_name_plural = _("Fahrer*innen")

    def __str__(self) -> str:
        return self.name

    @property
    def certificate_expires_on(self) -> dt.date | None:
        """The first day on which the certificate is no longer valid."""
        if self.certificate_date is None:
            return None
        return _years_later(self.certificate_date, CERTIFICATE_VALID_YEARS)

    def certificate_valid_on(self, day: dt.date) -> bool:
        expiry = self.certificate_expires_on
        if expiry is None or self.certificate_date is None or self.certificate_date > day:
            return False
        return day < expiry

    def certificate_state(self, day: dt.date) -> str:
        """Like `certificate_status`, with 'expiring' for a valid certificate that runs
        out within CERTIFICATE_WARN_MONTHS (time to ask for a new one)."""
        status = self.certificate_status(day)
        expiry = self.certificate_expires_on
        if status == "valid" and expiry and expiry <= _months_later(day, CERTIFICATE_WARN_MONTHS):
            return "expiring"
        return status

    def certificate_status(self, day: dt.date) -> str:
        """'missing', 'expired' or 'valid'. Only 'valid' drivers are planned."""
        if self.certificate_date is None:
            return "missing"
        return "valid" if self.certificate_valid_on(day) else "expired"


class Availability(models.Model):
    """A weekly time window in which the driver can drive."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(
        _("Wochentag"), validators=[MaxValueValidator(6)], help_text=_("0 = Montag … 6 = Sonntag")
    )
    start_time = models.TimeField(_("von"))
    end_time = models.TimeField(_("bis"))

    tenant_path = "driver__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            ordered("availability_end_after_start", "start_time", "end_time", strict=True),
        ]
        verbose_name = _("Verfügbarkeit")
        verbose_name_plural = _("Verfügbarkeiten")

    def __str__(self) -> str:
        return f"{self.weekday}: {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def clean(self) -> None:
        check_order(self.start_time, self.end_time, "end_time", strict=True)
