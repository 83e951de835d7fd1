from typing import Self, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)

# A number a phone can dial from a tel: link: digits, spaces and + ( ) / - only.
phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ()/-]{3,38}$",
    _("Bitte eine Telefonnummer angeben, z. B. 06561 123 456 oder +49 6561 123456."),
)

MAX_TIME_LIMIT = 600  # seconds of planner time per planned day, at most


def default_planning_time_limit() -> int:
    """New organisations start with the deployment's default (PLANNING_TIME_LIMIT)."""
    return settings.PLANNING_TIME_LIMIT


class TenantQuerySet(models.QuerySet[_M, _M]):
    """A queryset of tenant data: `for_org(org)` keeps the organisation's own rows.

    The model names its way to the organisation in `tenant_path` (a lookup such as
    `"offer__organisation"`); the default is a direct `organisation` foreign key.
    """

    def for_org(self, org: "Organisation") -> Self:
        path = getattr(self.model, "tenant_path", "organisation")
        return self.filter(**{path: org})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def sharing_with_office(self) -> Self:
        """The providers whose listed offers and anonymous figures the office may see."""
        return self.filter(kind=Organisation.Kind.PROVIDER, shares_with_office=True)


class Organisation(models.Model):
    """A tenant: a provider that runs groups, or the district's coordination office."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Träger")
        COORDINATION = "coordination", _("Koordinierungsstelle")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.PROVIDER)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    # On every route sheet: whom drivers call on the road (a stop cannot be found,
    # nobody opens the door, a breakdown).
    dispatch_phone = models.CharField(
        _("Telefon der Fahrdienst-Leitstelle"),
        max_length=40,
        blank=True,
        validators=[phone_number],
        help_text=_("Steht auf jedem Tourenblatt; Fahrer*innen rufen diese Nummer unterwegs an."),
    )
    website = models.URLField(_("Webseite"), blank=True)
    town = models.CharField(_("Ort"), max_length=120, blank=True)
    # Travel-time model for the offline matrix provider (see backend/geo/matrix.py).
    detour_factor = models.FloatField(
        _("Umwegfaktor"),
        default=1.3,
        validators=[MinValueValidator(1.0), MaxValueValidator(3.0)],
    )
    average_speed_kmh = models.PositiveSmallIntegerField(
        _("Durchschnittsgeschwindigkeit (km/h)"),
        default=50,
        validators=[MinValueValidator(10), MaxValueValidator(130)],
    )
    auto_replan_on_absence = models.BooleanField(
        _("Bei Abmeldung automatisch neu planen"),
        default=True,
        help_text=_("Aus: Die Neuplanung wird mit einem Klick angestoßen."),
    )
    planning_time_limit = models.PositiveSmallIntegerField(
        _("Rechenzeit der Planung je Tag (Sekunden)"),
        default=default_planning_time_limit,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIME_LIMIT)],
        help_text=_(
            "Wie lange die Planung je Tag nach besseren Touren sucht. Mehr Zeit kann "
            "bessere Touren finden; 30 Sekunden reichen meist."
        ),
    )
    # Cost model of the shuttle (reports): vehicles have their own cost per km.
    driver_cost_per_hour = models.DecimalField(
        _("Fahrer*innen: Kosten je Stunde (€)"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Für angestellte Fahrer*innen; 0, wenn niemand nach Stunden bezahlt wird."),
    )
    driver_allowance_per_trip = models.DecimalField(
        _("Ehrenamtliche: Aufwandsentschädigung je Tour (€)"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    fixed_costs_per_month = models.DecimalField(
        _("Feste Kosten des Fahrdienstes je Monat (€)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Zum Beispiel Versicherung oder Leasing, unabhängig von den Kilometern."),
    )
    shares_with_office = models.BooleanField(
        _("Mit der Koordinierungsstelle teilen"),
        default=True,
        help_text=_(
            "Die Koordinierungsstelle sieht gelistete Angebote und anonyme Zahlen, "
            "nie personenbezogene Daten."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.name

    @property
    def is_office(self) -> bool:
        """The district's coordination office: it sees the district's pages, never a
        provider's (no families, drivers or routes of its own, none of others')."""
        return self.kind == self.Kind.COORDINATION


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Koordination")
    STAFF = "staff", _("Fachkraft")
    DRIVER = "driver", _("Fahrer*in")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org"),
        ]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
