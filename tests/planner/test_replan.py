"""Stable re-planning: a new request disturbs only its neighbourhood."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from planner import MaxSolutions, Problem, check, solve
from tests.planner.testkit import line_problem, pickups, request, vehicle


def _two_valleys() -> dict[str, Any]:
    """Two clusters of homes, each with its own car, both going to one venue."""
    positions = {"west": 0, "venue": 20, "east": 40}
    positions |= {f"w{i}": 2 + i for i in range(4)} | {f"e{i}": 38 - i for i in range(4)}
    window = {"location": "venue", "window": [2400, 3000], "service": 30}
    reqs = [
        request(f"{s}{i}", f"{s}{i}", "venue", dropoff=dict(window)) for s in "we" for i in range(3)
    ]
    cars = [
        vehicle("vw", at="west", seats=4),
        vehicle("ve", at="east", seats=4),
        vehicle("vx", at="west", seats=4),
    ]
    return line_problem(positions, cars, reqs)


def test_new_request_changes_only_its_neighbours(solve_checked: Callable[..., Any]) -> None:
    """Adding a child in the east keeps every western child where it was."""
    data = _two_valleys()
    _, first = solve_checked(data)
    again = copy.deepcopy(data)
    again["requests"].append(
        request(
            "e3",
            "e3",
            "venue",
            dropoff={"location": "venue", "window": [2400, 3000], "service": 30},
        )
    )
    again["previous"] = first.to_dict()
    again["objective"] = {"distance": 1, "stability": 2}
    problem, second = solve_checked(again)
    assert second.summary.changed_vehicle == 0
    before, after = pickups(first), pickups(second)
    for rid in ("w0", "w1", "w2"):
        assert after[rid] == before[rid], rid
    assert second.summary.max_pickup_shift is not None
    assert second.summary.max_pickup_shift <= 300


def test_stability_keeps_vehicle_against_small_savings(solve_checked: Callable[..., Any]) -> None:
    """With a previous plan that put w0 in the spare car, a high weight keeps it there."""
    data = _two_valleys()
    _, first = solve_checked(data)
    previous = first.to_dict()
    # Move w0's visits to the spare car vx by hand: valid, just costlier.
    problem = Problem.from_dict(data)
    moved = _move_to_spare(previous, "w0")
    data["previous"] = moved
    data["objective"] = {"distance": 1, "stability": 50, "vehicle_change": 100000}
    problem = Problem.from_dict(data)
    plan = solve(problem, MaxSolutions(300))
    assert check(problem, plan) == []
    carrier = next(r.vehicle for r in plan.routes for v in r.visits if v.request == "w0")
    assert carrier == "vx"
    assert plan.summary.changed_vehicle == 0


def _move_to_spare(plan: dict[str, Any], rid: str) -> dict[str, Any]:
    plan = copy.deepcopy(plan)
    moved = []
    for route in plan["routes"]:
        keep = [v for v in route["visits"] if v["request"] != rid]
        moved += [v for v in route["visits"] if v["request"] == rid]
        route["visits"] = keep
    plan["routes"].append(
        {
            "vehicle": "vx",
            "start": {"location": "west", "time": 0},
            "visits": moved,
            "end": {"location": "west", "time": 0},
        }
    )
    return plan
