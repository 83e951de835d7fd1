"""The published plan of a day as the planner's `previous` plan (for stable re-planning).

Only what still exists in the new problem is kept: routes of vehicles planned again,
and requests (pickup and drop-off on the same route) that are still requested.
"""

from __future__ import annotations

import planner
from backend.organisations.models import Organisation
from backend.planning.models import Route, StopPassenger
from backend.planning.problem import DayProblem, plan_of
from backend.planning.times import seconds_of_day


def previous_plan(org: Organisation, built: DayProblem) -> planner.Plan | None:
    publication = org.publications.current_on(built.day)
    if publication is None:
        return None
    routes = Route.objects.filter(run_id=publication.run_id, date=built.day).with_stops()
    planned = [r for r in (_route(route, built) for route in routes) if r is not None]
    return plan_of(planned) if planned else None


def _route(route: Route, built: DayProblem) -> planner.Route | None:
    vehicle = built.vehicles.get(route.plan_vehicle)
    if vehicle is None:
        return None
    visits = []
    for stop in route.stops.all():
        for passenger in stop.passengers.all():
            ref = built.requests.get(passenger.request_id)
            if ref is None:
                continue
            pickup = passenger.action == StopPassenger.Action.BOARD
            visits.append(
                planner.Visit(
                    request=ref.request_id,
                    type=planner.VisitType.PICKUP if pickup else planner.VisitType.DROPOFF,
                    location=_location(built, ref.request_id, pickup),
                    arrival=seconds_of_day(stop.arrival_at),
                    start=seconds_of_day(stop.planned_at),
                )
            )
    visits = _complete_pairs(visits)
    if not visits:
        return None
    return planner.Route(
        vehicle=vehicle.id,
        start=planner.Endpoint(vehicle.base, seconds_of_day(route.starts_at)),
        visits=tuple(visits),
        end=planner.Endpoint(vehicle.base, seconds_of_day(route.ends_at)),
        distance=route.distance_m,
        duration=route.duration_s,
    )


def _location(built: DayProblem, rid: str, pickup: bool) -> str:
    ref = built.requests[rid]
    if ref.direction == "there":
        return ref.home if pickup else ref.venue
    return ref.venue if pickup else ref.home


def _complete_pairs(visits: list[planner.Visit]) -> list[planner.Visit]:
    """Keep requests whose pickup precedes their drop-off on this route."""
    seen_pickup: set[str] = set()
    complete: set[str] = set()
    for visit in visits:
        if visit.type == "pickup":
            seen_pickup.add(visit.request)
        elif visit.request in seen_pickup:
            complete.add(visit.request)
    return [v for v in visits if v.request in complete]
