"""Turning the planner's plan of one day into Routes, Stops, StopPassengers and Unserved rows."""

from __future__ import annotations

from collections.abc import Sequence

import planner
from backend.planning.models import PlanningRun, Route, Stop, StopPassenger, Unserved
from backend.planning.problem import DayProblem, Place
from backend.planning.times import at_seconds


def stops_of(visits: Sequence[planner.Visit]) -> list[list[planner.Visit]]:
    """The visits of a route grouped into stops: one arrival at one place at one time.

    Consecutive visits at one place form one stop while the driver serves them one
    after the other (siblings at one address). A visit whose service starts after a
    wait opens a new stop, even at the same place: the drop-off before a session and
    the pickup after it are two stops, each with its own time, and the second one's
    arrival (the end of the drop-off) shows the wait. This is the one place where stops
    are derived; route sheets, feeds, the family page and the affected list read them.
    """
    groups: list[list[planner.Visit]] = []
    for visit in visits:
        waits = visit.start > visit.arrival
        if groups and groups[-1][0].location == visit.location and not waits:
            groups[-1].append(visit)
        else:
            groups.append([visit])
    return groups


def store_day(run: PlanningRun, built: DayProblem, plan: planner.Plan) -> None:
    for route in plan.routes:
        if route.visits:
            _store_route(run, built, route)
    _store_unserved(run, built, plan)


def _store_route(run: PlanningRun, built: DayProblem, planned: planner.Route) -> None:
    day = built.day
    vehicle = built.vehicles[planned.vehicle]
    route = Route.objects.create(
        run=run,
        organisation_id=run.organisation_id,
        date=day,
        driver_id=vehicle.driver_id,
        vehicle_id=vehicle.vehicle_id,
        starts_at=at_seconds(day, planned.start.time),
        ends_at=at_seconds(day, planned.end.time),
        distance_m=planned.distance,
        duration_s=planned.duration,
        plan_vehicle=planned.vehicle,
    )
    base = built.places[vehicle.base]
    start, end = planned.start.time, planned.end.time
    stops = [_stop(route, 0, Stop.Kind.START, base, start, start)]
    groups = stops_of(planned.visits)
    for position, group in enumerate(groups, start=1):
        place = built.places[group[0].location]
        stops.append(_stop(route, position, _kind(group), place, group[0].arrival, group[0].start))
    stops.append(_stop(route, len(groups) + 1, Stop.Kind.END, base, end, end))
    Stop.objects.bulk_create(stops)
    saved = list(route.stops.order_by("position"))
    passengers = [
        _passenger(saved[position], built, visit)
        for position, group in enumerate(groups, start=1)
        for visit in group
    ]
    StopPassenger.objects.bulk_create(passengers)


def _kind(group: list[planner.Visit]) -> str:
    types = {v.type for v in group}
    if types == {"pickup"}:
        return Stop.Kind.PICKUP
    if types == {"dropoff"}:
        return Stop.Kind.DROPOFF
    return Stop.Kind.MIXED


def _stop(route: Route, position: int, kind: str, place: Place, arrival: int, start: int) -> Stop:
    return Stop(
        route=route,
        position=position,
        kind=kind,
        arrival_at=at_seconds(route.date, arrival),
        planned_at=at_seconds(route.date, start),
        latitude=place.lat,
        longitude=place.lon,
        address=place.address[:300],
        family_id=place.family_id,
        venue_id=place.venue_id,
    )


def _passenger(stop: Stop, built: DayProblem, visit: planner.Visit) -> StopPassenger:
    ref = built.requests[visit.request]
    action = StopPassenger.Action.BOARD if visit.type == "pickup" else StopPassenger.Action.ALIGHT
    return StopPassenger(
        stop=stop,
        participant_id=ref.participant_id,
        session_id=ref.session_id,
        action=action,
        direction=ref.direction,
        request_id=ref.request_id,
    )


def _store_unserved(run: PlanningRun, built: DayProblem, plan: planner.Plan) -> None:
    """Both kinds of unserved request: left out before solving, and left over by the planner."""
    missed = [(n, n.reason) for n in built.not_planned] + [
        (built.requests[item.request], item.reason) for item in plan.unassigned
    ]
    Unserved.objects.bulk_create(
        Unserved(
            run=run,
            date=built.day,
            participant_id=ref.participant_id,
            session_id=ref.session_id,
            direction=ref.direction,
            request_id=ref.request_id,
            reason=reason[:300],
        )
        for ref, reason in missed
    )
