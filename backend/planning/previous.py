"""The published plan of a day as the planner's `previous` plan (for stable re-planning).

Only what still exists in the new problem is kept: routes of vehicles planned again,
and requests (pickup and drop-off on the same route) that are still requested.
"""

from __future__ import annotations

from typing import Any

from backend.organisations.models import Organisation
from backend.transport.models import Route
from backend.transport.problem import DayProblem
from backend.transport.queries import current_publication, with_stops
from backend.transport.times import seconds_of_day


def previous_plan(org: Organisation, built: DayProblem) -> dict[str, Any] | None:
    publication = current_publication(org, built.day)
    if publication is None:
        return None
    routes = with_stops(Route.objects.filter(run_id=publication.run_id, date=built.day))
    planned = [r for r in (_route(route, built) for route in routes) if r is not None]
    return {"routes": planned, "unassigned": []} if planned else None


def _route(route: Route, built: DayProblem) -> dict[str, Any] | None:
    vehicle = built.vehicles.get(route.plan_vehicle)
    if vehicle is None:
        return None
    visits = []
    for stop in route.stops.all():
        for passenger in stop.passengers.all():
            ref = built.requests.get(passenger.request_id)
            if ref is None:
                continue
            pickup = passenger.action == "board"
            visits.append(
                {
                    "request": ref.request_id,
                    "type": "pickup" if pickup else "dropoff",
                    "location": _location(built, ref.request_id, pickup),
                    "arrival": seconds_of_day(stop.arrival_at),
                    "start": seconds_of_day(stop.planned_at),
                }
            )
    visits = _complete_pairs(visits)
    if not visits:
        return None
    return {
        "vehicle": vehicle.id,
        "start": {"location": vehicle.base, "time": seconds_of_day(route.starts_at)},
        "visits": visits,
        "end": {"location": vehicle.base, "time": seconds_of_day(route.ends_at)},
        "distance": route.distance_m,
        "duration": route.duration_s,
    }


def _location(built: DayProblem, rid: str, pickup: bool) -> str:
    ref = built.requests[rid]
    if ref.direction == "there":
        return ref.home if pickup else ref.venue
    return ref.venue if pickup else ref.home


def _complete_pairs(visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep requests whose pickup precedes their drop-off on this route."""
    seen_pickup: set[str] = set()
    complete: set[str] = set()
    for visit in visits:
        if visit["type"] == "pickup":
            seen_pickup.add(visit["request"])
        elif visit["request"] in seen_pickup:
            complete.add(visit["request"])
    return [v for v in visits if v["request"] in complete]
