"""Where offers are missing: travel time from each municipality to the nearest offer.

`analyse` is a pure function over plain data: the places, the offers (`OfferPoint`, from
any source: Lotse's listed groups, later the office's register of other services) and
one table of driving times places × offers. It answers, per place, the minutes to the
nearest offer that fits an age band and an audience, which offer that is, and whether a
provider's shuttle serves the place. `backend/gaps/sources.py` gathers the inputs from
the database and asks the matrix provider once.

The shuttle rule: an offer whose provider runs a shuttle serves a place when a child
enrolled in it with transport is picked up in that place (the pickup town has the
place's name) or within `shuttle_radius_km` of the place's centre (straight line).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

AUDIENCES = ("children", "parents", "families")
EARTH_RADIUS_KM = 6371.0
DEFAULT_SHUTTLE_RADIUS_KM = 5.0


@dataclass(frozen=True)
class Band:
    key: str  # "6-9"
    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 0 or self.last < self.first:
            raise ValueError(f"invalid age band {self.first}–{self.last}")


@dataclass(frozen=True)
class Place:
    key: int | str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class OfferPoint:
    """An offer where it meets. Ages `None` mean open-ended; `shuttle_*` are empty when
    the provider runs no shuttle to it."""

    lat: float
    lon: float
    min_age: int | None
    max_age: int | None
    audience: str
    label: str = ""
    shuttle_towns: frozenset[str] = frozenset()
    shuttle_points: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")

    def fits(self, band: Band, audience: str) -> bool:
        low = 0 if self.min_age is None else self.min_age
        high = 200 if self.max_age is None else self.max_age
        return self.audience == audience and low <= band.last and band.first <= high

    def shuttle_serves(self, place: Place, radius_km: float) -> bool:
        if place.name.casefold() in self.shuttle_towns:
            return True
        return any(
            km_between((place.lat, place.lon), point) <= radius_km for point in self.shuttle_points
        )


@dataclass(frozen=True)
class Reach:
    place: Place
    seconds: int | None  # None: no fitting offer at all
    nearest: str
    shuttle: bool

    @property
    def minutes(self) -> int | None:
        return None if self.seconds is None else round(self.seconds / 60)

    def beyond(self, threshold_minutes: int) -> bool:
        return self.seconds is None or self.seconds > threshold_minutes * 60


@dataclass(frozen=True)
class Analysis:
    band: Band
    audience: str
    reaches: tuple[Reach, ...] = field(default=())

    def beyond(self, threshold_minutes: int) -> list[Reach]:
        return [r for r in self.reaches if r.beyond(threshold_minutes)]


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine); plenty for a radius of a few kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def analyse(
    places: Sequence[Place],
    offers: Sequence[OfferPoint],
    seconds: Sequence[Sequence[int]],
    band: Band,
    audience: str,
    shuttle_radius_km: float = DEFAULT_SHUTTLE_RADIUS_KM,
) -> Analysis:
    """For every place, the nearest offer that fits `band` and `audience`.

    `seconds[i][j]` is the driving time from `places[i]` to `offers[j]`.
    """
    if len(seconds) != len(places) or any(len(row) != len(offers) for row in seconds):
        raise ValueError("the travel table must have one row per place, one column per offer")
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    fitting = [j for j, offer in enumerate(offers) if offer.fits(band, audience)]
    shuttles = [offers[j] for j in fitting if offers[j].shuttle_towns or offers[j].shuttle_points]
    reaches = []
    for place, row in zip(places, seconds, strict=True):
        best = min(fitting, key=lambda j: (row[j], j), default=None)
        reaches.append(
            Reach(
                place,
                None if best is None else row[best],
                "" if best is None else offers[best].label,
                any(o.shuttle_serves(place, shuttle_radius_km) for o in shuttles),
            )
        )
    return Analysis(band, audience, tuple(reaches))


def analyse_all(
    places: Sequence[Place],
    offers: Sequence[OfferPoint],
    seconds: Sequence[Sequence[int]],
    bands: Sequence[Band],
    shuttle_radius_km: float = DEFAULT_SHUTTLE_RADIUS_KM,
) -> dict[tuple[str, str], Analysis]:
    """Every band × audience from the same table."""
    return {
        (band.key, audience): analyse(places, offers, seconds, band, audience, shuttle_radius_km)
        for band in bands
        for audience in AUDIENCES
    }
