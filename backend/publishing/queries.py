"""Read access to the published plan: the one place that knows what "published" means."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet

from backend.families.models import Family
from backend.fleet.models import Driver
from backend.organisations.models import Organisation
from backend.transport.models import Publication, Route, Stop, StopPassenger


def published_routes(org: Organisation, start: dt.date, end: dt.date) -> QuerySet[Route]:
    """Routes of the currently published plan of `org` between `start` and `end` inclusive."""
    return Route.objects.filter(
        organisation=org,
        date__range=(start, end),
        run__publications__superseded_at__isnull=True,
        run__publications__date=F("date"),
    )


def with_stops(routes: QuerySet[Route]) -> QuerySet[Route]:
    """Prefetch stops and passengers (with participant and session) in a fixed number of queries."""
    passengers = StopPassenger.objects.select_related("participant", "session")
    stops = Stop.objects.select_related("family", "venue").prefetch_related(
        Prefetch("passengers", queryset=passengers)
    )
    return routes.select_related("driver", "vehicle").prefetch_related(
        Prefetch("stops", queryset=stops)
    )


def driver_routes(driver: Driver, start: dt.date, end: dt.date) -> QuerySet[Route]:
    return with_stops(published_routes(driver.organisation, start, end).filter(driver=driver))


def current_publication(org: Organisation, day: dt.date) -> Publication | None:
    return org.publications.filter(date=day, superseded_at__isnull=True).first()


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
    published = dict(
        family.organisation.publications.filter(
            superseded_at__isnull=True, date__range=(start, end)
        ).values_list("run_id", "published_at")
    )
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
