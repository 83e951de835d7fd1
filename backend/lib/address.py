"""An abstract postal address with coordinates, shared by venues, families and drivers.

Addresses are placed when they are saved: a new address, or one whose street, postcode
or town changed, gets coordinates from the configured geocoder (registered by the geo
app through `set_locator`, so that this module imports no app). Coordinates entered by
hand win over the geocoder. An address that cannot be placed is a ValidationError on
its postcode field, raised by `clean()` (admin, API) and by `save()` (everything
else), so nothing is stored half-way and nothing is planned at (0, 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from django.core.exceptions import ValidationError
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


# --- the locator (registered by backend.geo) ------------------------------------------


class NotLocated(Exception):
    """This address cannot be placed; the message says why (German, shown to people)."""


class Point(NamedTuple):
    latitude: float
    longitude: float
    source: str  # a CoordinateSource value


Locator = Callable[[str, str, str], Point]  # (street, postcode, town) → Point
_locator: Locator | None = None


def set_locator(locator: Locator | None) -> None:
    """The geo app registers the configured geocoder here when Django starts."""
    global _locator
    _locator = locator


def locate(street: str, postcode: str, town: str) -> Point:
    if _locator is None:
        raise NotLocated(str(_("Es ist kein Geocoder eingerichtet.")))
    return _locator(street, postcode, town)


# --- placing addresses on save -----------------------------------------------------------


@dataclass(frozen=True)
class AddressFields:
    """The names of one address's fields on a model (a model may have several)."""

    street: str
    postcode: str
    town: str
    latitude: str
    longitude: str
    source: str

    def values(self, obj: models.Model) -> tuple[Any, ...]:
        return tuple(getattr(obj, name) for name in self.names)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.street, self.postcode, self.town, self.latitude, self.longitude, self.source)


HOME = AddressFields("street", "postcode", "town", "latitude", "longitude", "coordinates_source")


class PlacedMixin(models.Model):
    """Geocodes the model's addresses (`placed_addresses`) when they are new or changed.

    Which values were last saved is remembered when a row is loaded, so that a change
    of address is told apart from coordinates entered by hand.
    """

    placed_addresses: ClassVar[tuple[AddressFields, ...]] = (HOME,)
    # Venues and drivers: routes start and end there, so they must be on the map.
    coordinates_required: ClassVar[bool] = False

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        touched = [
            a
            for a in self.placed_addresses
            if update_fields is None or set(a.names) & set(update_fields)
        ]
        if touched:
            self.place_addresses()
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {n for a in touched for n in a.names}
        super().save(*args, **kwargs)
        self._remember_saved()

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._remember_saved()  # what is in the database now counts as saved

    def clean(self) -> None:
        super().clean()
        self.place_addresses()

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._remember_saved()
        return instance

    def _remember_saved(self) -> None:
        # A row loaded with .only()/.defer() without its address: reading the fields here
        # would load them one query each, so such an address is left as it is on save.
        deferred = self.get_deferred_fields()
        loaded = [a for a in self.placed_addresses if not deferred & set(a.names)]
        self._saved_places = {a: a.values(self) for a in loaded}
        self._done_places = dict(self._saved_places)
        self._unknown_places = set(self.placed_addresses) - set(loaded)

    def place_addresses(self) -> None:
        """Give new or changed addresses coordinates; ValidationError on the postcode."""
        errors = {}
        for fields in self.placed_addresses:
            try:
                self._place(fields)
            except NotLocated as exc:
                errors[fields.postcode] = str(exc)
                continue
            if self.coordinates_required and None in fields.values(self)[3:5]:
                errors[fields.postcode] = str(
                    _("Bitte eine Adresse mit Postleitzahl oder die Koordinaten angeben.")
                )
        if errors:
            raise ValidationError(errors)

    def _place(self, fields: AddressFields) -> None:
        if fields in getattr(self, "_unknown_places", ()):
            return
        done = getattr(self, "_done_places", {})
        current = fields.values(self)
        if done.get(fields) == current:
            return  # placed (or loaded) and unchanged since
        saved = getattr(self, "_saved_places", {}).get(fields)
        street, postcode, town, lat, lon, source = current
        address = tuple(str(v or "").strip() for v in (street, postcode, town))
        old_address = tuple(str(v or "").strip() for v in saved[:3]) if saved else ("", "", "")
        old_point = saved[3:5] if saved else (None, None)
        old_source = saved[5] if saved else CoordinateSource.MANUAL
        if (lat, lon) != old_point and lat is not None and lon is not None:
            # Coordinates entered by hand win (unless the caller also set their source).
            if source == old_source:
                setattr(self, fields.source, CoordinateSource.MANUAL)
        elif any(address) and (address != old_address or lat is None or lon is None):
            self.set_point(fields, locate(*address))
            return
        self._done_places = {**done, fields: fields.values(self)}

    def set_point(self, fields: AddressFields, point: Point) -> None:
        """Coordinates found by a geocoder for this address (not entered by hand)."""
        setattr(self, fields.latitude, point.latitude)
        setattr(self, fields.longitude, point.longitude)
        setattr(self, fields.source, point.source)
        self._done_places = {**getattr(self, "_done_places", {}), fields: fields.values(self)}


class Address(PlacedMixin):
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    town = models.CharField(_("Ort"), max_length=120, blank=True)
    latitude = latitude_field(
        null=True,
        blank=True,
        help_text=_("Leer lassen: wird aus der Adresse bestimmt. Eingetragen: genaue Lage."),
    )
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
    def is_approximate(self) -> bool:
        """Only the centre of the postal code area: people should check the address."""
        return self.has_coordinates and self.coordinates_source == CoordinateSource.APPROXIMATE

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, place) if part)
