"""The district's municipalities (Ortsgemeinden), kept by the coordination office.

A municipality is a place of the district with its approximate centre and, where the
office has them (e.g. from the state statistics office), the number of children living
there per age band. These are public statistics, not personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.lib.address import latitude_field, longitude_field
from backend.organisations.models import Organisation, TenantQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ags_format = RegexValidator(
    r"^\d{8}$", _("Der Gemeindeschlüssel (AGS) hat 8 Ziffern, z. B. 07232201.")
)

# Age bands of the gap analysis and the population figures: (key, first, last year of age).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("3-5", 3, 5),
    ("6-9", 6, 9),
    ("10-13", 10, 13),
    ("14-17", 14, 17),
)


def _count(label: StrOrPromise) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class Municipality(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="municipalities"
    )
    name = models.CharField(_("Gemeinde"), max_length=120)
    ags = models.CharField(
        _("Gemeindeschlüssel (AGS)"), max_length=8, blank=True, validators=[ags_format]
    )
    latitude = latitude_field()
    longitude = longitude_field()
    children_3_5 = _count(_("Kinder 3–5 Jahre"))
    children_6_9 = _count(_("Kinder 6–9 Jahre"))
    children_10_13 = _count(_("Kinder 10–13 Jahre"))
    children_14_17 = _count(_("Kinder 14–17 Jahre"))
    children_0_17 = _count(_("Kinder 0–17 Jahre"))
    figures_source = models.CharField(_("Quelle der Zahlen"), max_length=200, blank=True)
    figures_date = models.DateField(_("Stand der Zahlen"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="municipality_name_unique"
            ),
        ]
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")

    def __str__(self) -> str:
        return self.name

    def children_in(self, band: str) -> int | None:
        """Children of the age band, if the office entered the figure."""
        value: int | None = getattr(self, f"children_{band.replace('-', '_')}")
        return value
