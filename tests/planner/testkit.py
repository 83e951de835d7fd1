"""Builders for small planner problems on a line.

Locations sit at integer kilometres on a straight road; driving one
kilometre takes 60 time units (seconds) and counts 1000 distance units.
"""

from __future__ import annotations

import copy
from typing import Any

from planner import MaxSolutions, Plan, Problem, check, solve

KM_SECONDS = 60


def line_matrix(positions: list[int]) -> dict[str, list[list[int]]]:
    return {
        "durations": [[abs(a - b) * KM_SECONDS for b in positions] for a in positions],
        "distances": [[abs(a - b) * 1000 for b in positions] for a in positions],
    }


def line_problem(
    positions: dict[str, int],
    vehicles: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    ids = list(positions)
    return {
        "locations": [{"id": i} for i in ids],
        "matrix": line_matrix([positions[i] for i in ids]),
        "vehicles": vehicles,
        "requests": requests,
        **extra,
    }


def vehicle(vid: str, at: str = "depot", seats: int = 4, **extra: Any) -> dict[str, Any]:
    return {"id": vid, "start": at, "end": at, "capacity": {"seats": seats}, **extra}


def request(rid: str, frm: str, to: str, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rid,
        "pickup": {"location": frm, "service": 30},
        "dropoff": {"location": to, "service": 30},
        "load": {"seats": 1},
    }
    out.update(extra)
    return out


def solve_checked_plan(
    data: dict[str, Any], solutions: int = 300, **kw: Any
) -> tuple[Problem, Plan]:
    """Solve with a solution-count stop (machine-independent) and validate."""
    problem = Problem.from_dict(copy.deepcopy(data))
    plan = solve(problem, MaxSolutions(solutions), **kw)
    # Every plan produced in the tests must pass the independent validator.
    assert check(problem, plan) == []
    return problem, plan


def pickups(plan: Plan) -> dict[str, tuple[str, int]]:
    """Each served request's pickup: (vehicle, start of service)."""
    return {
        v.request: (r.vehicle, v.start) for r in plan.routes for v in r.visits if v.type == "pickup"
    }
