"""An abstract postal address with coordinates, shared by venues, families and drivers."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinateSource(models.TextChoices):
    MANUAL = "manual", _("von Hand eingetragen")
    GEOCODED = "geocoded", _("Geocoder")
    APPROXIMATE = "approximate", _("ungefähr (Ortsmitte/PLZ)")


def latitude_field(**kwargs: Any) -> models.FloatField[Any, Any]:
    return models.FloatField(
        _("Breitengrad"), validators=[MinValueValidator(-90), MaxValueValidator(90)], **kwargs
    )


def longitude_field(**kwargs: Any) -> models.FloatField[Any, Any]:
    return models.FloatField(
        _("Längengrad"), validators=[MinValueValidator(-180), MaxValueValidator(180)], **kwargs
    )


class Address(models.Model):
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    town = models.CharField(_("Ort"), max_length=120, blank=True)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    coordinates_source = models.CharField(
        _("Herkunft der Koordinaten"),
        max_length=20,
        choices=CoordinateSource.choices,
        default=CoordinateSource.MANUAL,
    )

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, place) if part)
