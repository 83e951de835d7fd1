"""The gap analysis's inputs from the database, and one matrix call for all of them.

Offers: the listed and approved groups (`GroupOffer.objects.public()`) of providers that
share with the coordination office. A shuttle's reach comes from the pickup places of
children enrolled with transport in those groups; only whether a place is served leaves
this module, never a pickup point, a town of a family or a count.
The office's own register of other services (`backend/district`, `RegisterOffer`) adds
its entries with a place; they have no shuttle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from backend.district import sharing
from backend.district.models import RegisterOffer
from backend.families.models import Enrolment, Transport
from backend.gaps.analysis import AUDIENCES, Analysis, Band, OfferPoint, Place, analyse
from backend.gaps.models import AGE_BANDS, Municipality
from backend.geo.matrix import travel_table
from backend.offers.models import GroupOffer
from backend.organisations.models import Organisation

BANDS: tuple[Band, ...] = tuple(Band(key, first, last) for key, first, last in AGE_BANDS)


def band_for(key: str) -> Band:
    return next((b for b in BANDS if b.key == key), BANDS[1])


def audience_for(key: str) -> str:
    return key if key in AUDIENCES else AUDIENCES[0]


@dataclass(frozen=True)
class DistrictGaps:
    analysis: Analysis
    municipalities: dict[int, Municipality]
    offers: tuple[OfferPoint, ...]
    source: str  # which matrix answered ("geodesic", "osrm", …)

    def fitting(self) -> list[OfferPoint]:
        return [o for o in self.offers if o.fits(self.analysis.band, self.analysis.audience)]


def shared_offers() -> list[GroupOffer]:
    return list(sharing.shared_offers().select_related("venue").order_by("pk"))


def _shuttle_reach(
    offers: list[GroupOffer], today: dt.date
) -> dict[int, tuple[set[str], set[tuple[float, float]]]]:
    """Per shuttle offer: the towns and points where enrolled children are picked up."""
    reach: dict[int, tuple[set[str], set[tuple[float, float]]]] = {}
    enrolments = (
        Enrolment.objects.filter(offer__in=[o for o in offers if o.shuttle_offered])
        .exclude(transport=Transport.NONE)
        .filter(joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .filter(participant__family__anonymised_at__isnull=True)
        .values_list(
            "offer_id",
            "pickup_town",
            "pickup_latitude",
            "pickup_longitude",
            "participant__family__town",
            "participant__family__latitude",
            "participant__family__longitude",
        )
    )
    for offer_id, p_town, p_lat, p_lon, f_town, f_lat, f_lon in enrolments:
        towns, points = reach.setdefault(offer_id, (set(), set()))
        override = p_lat is not None and p_lon is not None
        town = p_town if override and p_town else f_town
        if town:
            towns.add(town.casefold())
        lat, lon = (p_lat, p_lon) if override else (f_lat, f_lon)
        if lat is not None and lon is not None:
            points.add((lat, lon))
    return reach


def offer_points(office: Organisation, today: dt.date) -> list[OfferPoint]:
    """The shared Lotse groups, then the office's own register of other services."""
    return _group_points(today) + _register_points(office)


def _register_points(office: Organisation) -> list[OfferPoint]:
    entries = RegisterOffer.objects.for_org(office)
    return [
        OfferPoint(
            entry.latitude,
            entry.longitude,
            entry.min_age,
            entry.max_age,
            entry.audience,
            label=f"{entry.name} ({entry.town})",
        )
        for entry in entries.order_by("pk")
        if entry.latitude is not None and entry.longitude is not None
    ]


def _group_points(today: dt.date) -> list[OfferPoint]:
    offers = shared_offers()
    reach = _shuttle_reach(offers, today)
    points = []
    for offer in offers:
        towns, spots = reach.get(offer.pk, (set(), set()))
        points.append(
            OfferPoint(
                offer.venue.latitude,
                offer.venue.longitude,
                offer.min_age,
                offer.max_age,
                offer.audience,
                label=f"{offer.calendar_title or offer.title} ({offer.venue.town})",
                shuttle_towns=frozenset(towns),
                shuttle_points=tuple(sorted(spots)),
            )
        )
    return points


def travel_seconds(
    office: Organisation, places: list[Place], offers: list[OfferPoint]
) -> tuple[list[list[int]], str]:
    """One matrix call: places × the distinct venues; offers at one venue share a column."""
    venues = sorted({(o.lat, o.lon) for o in offers})
    column = {point: j for j, point in enumerate(venues)}
    table = travel_table(office, [(p.lat, p.lon) for p in places], venues)
    rows = [[row[column[(o.lat, o.lon)]] for o in offers] for row in table.durations]
    return rows, table.source


def district_gaps(office: Organisation, band: Band, audience: str, today: dt.date) -> DistrictGaps:
    municipalities = {m.pk: m for m in Municipality.objects.for_org(office)}
    places = [Place(m.pk, m.name, m.latitude, m.longitude) for m in municipalities.values()]
    offers = offer_points(office, today)
    seconds, source = (
        travel_seconds(office, places, offers) if offers else ([[] for _ in places], "–")
    )
    analysis = analyse(places, offers, seconds, band, audience)
    return DistrictGaps(analysis, municipalities, tuple(offers), source)
