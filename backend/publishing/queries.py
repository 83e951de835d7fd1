"""The read side of the published plan: routes, a driver's routes, a family's rides.

What "published" means is written once, on the models (`Publication.objects.current()`,
`Route.objects.published()`); route sheets, feeds and the family page read through here.
"""

import datetime as dt
from dataclasses import dataclass

from backend.families.models import Family
from backend.fleet.models import Driver
from backend.organisations.models import Organisation
from backend.planning.models import Route, RouteQuerySet, StopPassenger


def published_routes(org: Organisation, start: dt.date, end: dt.date) -> RouteQuerySet:
    """Routes of the currently published plan of `org` between `start` and `end` inclusive."""
    return Route.objects.for_org(org).published().filter(date__range=(start, end))


def driver_routes(driver: Driver, start: dt.date, end: dt.date) -> RouteQuerySet:
    return published_routes(driver.organisation, start, end).filter(driver=driver).with_stops()


@dataclass(frozen=True)
class Ride:
    """One published ride of a family member: to the group ("there") or home ("back")."""

    session_id: int
    participant_id: int
    direction: str
    pickup_at: dt.datetime
    dropoff_at: dt.datetime
    pickup_address: str
    driver_first_name: str
    route_id: int
    published_at: dt.datetime


def family_rides(family: Family, start: dt.date, end: dt.date) -> list[Ride]:
    """The family's rides in the published plan, ordered by pickup time."""
    routes = published_routes(family.organisation, start, end)
    rows = (
        StopPassenger.objects.filter(participant__family=family, stop__route__in=routes)
        .select_related("stop__route__driver")
        .order_by("stop__planned_at")
    )
    current = family.organisation.publications.current().filter(date__range=(start, end))
    published = dict(current.values_list("run_id", "published_at"))
    boards: dict[str, StopPassenger] = {}
    rides: list[Ride] = []
    for row in rows:
        if row.action == StopPassenger.Action.BOARD:
            boards[row.request_id] = row
            continue
        board = boards.pop(row.request_id, None)
        if board is None:
            continue
        route = row.stop.route
        rides.append(
            Ride(
                session_id=row.session_id,
                participant_id=row.participant_id,
                direction=row.direction,
                pickup_at=board.stop.planned_at,
                dropoff_at=row.stop.planned_at,
                pickup_address=board.stop.address,
                driver_first_name=route.driver.name.split()[0],
                route_id=route.pk,
                published_at=published.get(route.run_id, route.starts_at),
            )
        )
    return sorted(rides, key=lambda r: r.pickup_at)
