"""Key figures of a run: requests, served, children, km, driving and ride minutes."""

from __future__ import annotations

from typing import Any

import planner
from backend.planning.problem import DayProblem


def day_figures(built: DayProblem, plan: planner.Plan, matrix: str) -> dict[str, Any]:
    served = plan.served_requests()
    requested = set(built.requests) | {n.request_id for n in built.not_planned}
    rides = _child_rides(built, plan)
    children = {(r.participant_id, r.session_id) for r in built.requests.values() if r.is_child}
    children |= {(n.participant_id, n.session_id) for n in built.not_planned if n.is_child}
    unserved_children = {
        (r.participant_id, r.session_id)
        for r in built.requests.values()
        if r.is_child and r.request_id not in served
    } | {(n.participant_id, n.session_id) for n in built.not_planned if n.is_child}
    return {
        "date": built.day.isoformat(),
        "requests": len(requested),
        "served": len(served),
        "unserved": len(requested) - len(served),
        "children_requested": len(children),
        "children_served": len(children - unserved_children),
        "km": round(sum(r.distance for r in plan.routes) / 1000, 1),
        "driving_minutes": round(_driving_seconds(built.problem, plan) / 60),
        "ride_avg_minutes": round(sum(rides) / len(rides) / 60, 1) if rides else None,
        "ride_max_minutes": round(max(rides) / 60, 1) if rides else None,
        "ride_count": len(rides),
        "vehicles_used": sum(1 for r in plan.routes if r.visits),
        "matrix": matrix,
        "excluded": built.excluded,
    }


def _child_rides(built: DayProblem, plan: planner.Plan) -> list[int]:
    """The children's ride times, as the planner computed them (on each drop-off)."""
    return [
        visit.ride_time
        for route in plan.routes
        for visit in route.visits
        if visit.ride_time is not None and built.requests[visit.request].is_child
    ]


def _driving_seconds(problem: planner.Problem, plan: planner.Plan) -> int:
    """Time spent driving (the matrix's durations along each route, no waiting or service)."""
    if problem.matrix is None:
        return 0
    index = problem.location_index()
    durations = problem.matrix.durations
    total = 0
    for route in plan.routes:
        path = [route.start.location, *(v.location for v in route.visits), route.end.location]
        total += sum(durations[index[a]][index[b]] for a, b in zip(path, path[1:], strict=False))
    return total


def totals(days: list[dict[str, Any]]) -> dict[str, Any]:
    rides = sum(d["ride_count"] for d in days)
    weighted = sum((d["ride_avg_minutes"] or 0) * d["ride_count"] for d in days)
    maxima = [d["ride_max_minutes"] for d in days if d["ride_max_minutes"] is not None]
    summed = ("requests", "served", "unserved", "children_requested", "children_served")
    total = {key: sum(d[key] for d in days) for key in summed}
    total.update(
        km=round(sum(d["km"] for d in days), 1),
        driving_minutes=sum(d["driving_minutes"] for d in days),
        ride_avg_minutes=round(weighted / rides, 1) if rides else None,
        ride_max_minutes=max(maxima) if maxima else None,
        vehicles_used=max((d["vehicles_used"] for d in days), default=0),
        matrix=sorted({d["matrix"] for d in days if d["matrix"] != "none"}),
    )
    return {"total": total, "days": days}
