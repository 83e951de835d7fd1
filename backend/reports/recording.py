"""Writing a published day's figures (`TransportDay`) from its routes.

`record_day(org, day)` replaces the day's rows with what the plan in force says now;
publishing tells us when that changes (publish; riders taken out from today on: past
days keep the figures of the rides that took place) (`backend.publishing.signals.days_changed`, see
`receivers.py`), and `lotse record_transport` fills a range of past days.

The cost rule (the demo history scales `group_figures` of a planned day, so it follows the same):
- vehicle cost = the route's km × its vehicle's `cost_per_km`;
- driver cost = a volunteer's route costs the organisation's `driver_allowance_per_trip`,
  any other driver's the route's duration (start to end) × `driver_cost_per_hour`;
- fixed monthly costs are added by the report, never stored per day.

A route that carries children of several groups is split between the groups by their
share of its rides (boardings): distance, driving time and both costs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from backend.families.models import Participant
from backend.organisations.models import Organisation
from backend.planning.models import Route, StopPassenger, Unserved
from backend.planning.reasons import reason_kind
from backend.reports.models import TransportDay

CENT = Decimal("0.01")


@dataclass
class GroupDay:
    """The figures of one group on one day while they are being added up."""

    rides: int = 0
    riders: set[int] = field(default_factory=set)  # planned for: served or not
    children: set[int] = field(default_factory=set)
    unserved: set[int] = field(default_factory=set)
    reasons: Counter[str] = field(default_factory=Counter)
    vehicles: set[int] = field(default_factory=set)
    distance_m: float = 0.0
    driving_s: float = 0.0
    vehicle_cost: Decimal = Decimal(0)
    driver_cost: Decimal = Decimal(0)


def route_costs(org: Organisation, route: Route) -> tuple[Decimal, Decimal]:
    """(vehicle cost, driver cost) of one route, by the cost rule above."""
    vehicle = Decimal(route.distance_m) / 1000 * route.vehicle.cost_per_km
    if route.driver.volunteer:
        driver = org.driver_allowance_per_trip
    else:
        hours = Decimal((route.ends_at - route.starts_at).total_seconds()) / 3600
        driver = hours * org.driver_cost_per_hour
    return vehicle, driver


def _boardings(routes: list[Route]) -> dict[int, list[tuple[int | None, int, bool]]]:
    """Per route: (group, participant, is a child) of every boarding."""
    rows = StopPassenger.objects.filter(
        stop__route__in=routes, action=StopPassenger.Action.BOARD
    ).values_list("stop__route_id", "session__offer_id", "participant_id", "participant__kind")
    result: dict[int, list[tuple[int | None, int, bool]]] = defaultdict(list)
    for route_id, offer_id, participant_id, kind in rows:
        result[route_id].append((offer_id, participant_id, kind == Participant.Kind.CHILD))
    return result


def group_figures(org: Organisation, day: dt.date, run_id: int) -> dict[int | None, GroupDay]:
    """Per group: the shuttle of `org`'s run `run_id` on `day` (routes split by ride share)."""
    routes = list(
        Route.objects.for_org(org)
        .filter(run_id=run_id, date=day)
        .select_related("driver", "vehicle")
    )
    groups: dict[int | None, GroupDay] = defaultdict(GroupDay)
    _add_routes(org, routes, groups)
    _add_unserved(org, day, run_id, groups)
    for group in groups.values():
        group.unserved -= group.children
    return dict(groups)


def _add_routes(org: Organisation, routes: list[Route], groups: dict) -> None:
    boardings = _boardings(routes)
    for route in routes:
        riders = boardings.get(route.pk, [])
        if not riders:
            continue
        vehicle_cost, driver_cost = route_costs(org, route)
        shares = Counter(offer_id for offer_id, _p, _c in riders)
        for offer_id, count in shares.items():
            share = Decimal(count) / len(riders)
            group = groups[offer_id]
            group.rides += count
            group.vehicles.add(route.vehicle_id)
            group.distance_m += route.distance_m * float(share)
            group.driving_s += route.duration_s * float(share)
            group.vehicle_cost += vehicle_cost * share
            group.driver_cost += driver_cost * share
        for offer_id, participant_id, is_child in riders:
            groups[offer_id].riders.add(participant_id)
            if is_child:
                groups[offer_id].children.add(participant_id)


def _add_unserved(org: Organisation, day: dt.date, run_id: int, groups: dict) -> None:
    """Every unserved rider counts for the reasons; only children for `unserved`."""
    rows = Unserved.objects.filter(run_id=run_id, date=day, run__organisation=org).values_list(
        "session__offer_id", "participant_id", "participant__kind", "reason"
    )
    for offer_id, participant_id, kind, reason in rows:
        group = groups[offer_id]
        group.riders.add(participant_id)
        group.reasons[reason_kind(reason)] += 1
        if kind == Participant.Kind.CHILD:
            group.unserved.add(participant_id)


def _row(org: Organisation, day: dt.date, offer_id: int | None, g: GroupDay) -> TransportDay:
    return TransportDay(
        organisation=org,
        date=day,
        offer_id=offer_id,
        rides=g.rides,
        children_driven=len(g.children),
        children_unserved=len(g.unserved),
        unserved_reasons=dict(sorted(g.reasons.items())),
        vehicles=len(g.vehicles),
        distance_m=round(g.distance_m),
        driving_s=round(g.driving_s),
        vehicle_cost=g.vehicle_cost.quantize(CENT, ROUND_HALF_UP),
        driver_cost=g.driver_cost.quantize(CENT, ROUND_HALF_UP),
    )


@transaction.atomic
def record_day(org: Organisation, day: dt.date) -> list[TransportDay]:
    """Replace the day's `TransportDay` rows of `org` with the plan in force now.

    A day whose plan was withdrawn keeps no rows. A day that never had a published plan in
    Lotse (figures carried over from before, such as the demo's past year) is left alone.
    """
    existing = TransportDay.objects.for_org(org).filter(date=day)
    if not org.publications.filter(date=day).exists():
        return []
    existing.delete()
    publication = org.publications.current_on(day)
    if publication is None:
        return []
    groups = group_figures(org, day, publication.run_id)
    rows = [_row(org, day, offer_id, g) for offer_id, g in sorted(groups.items(), key=_key)]
    return TransportDay.objects.bulk_create(rows)


def _key(item: tuple[int | None, GroupDay]) -> int:
    return item[0] or 0


def record_days(org: Organisation, days: list[dt.date]) -> int:
    """Record each of `days`; the number of rows written."""
    return sum(len(record_day(org, day)) for day in sorted(set(days)))
