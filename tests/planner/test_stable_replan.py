"""Stable re-planning: after one change, the other families keep their pickup times.

A small day like Lotse's: children from villages along a valley go to two
groups (one at 15:00, one at 16:00, 90 minutes each) and home again, each
child's two trips a bundle; three cars. The first plan is the published one;
then one child is absent, a new child joins, or a whole session is cancelled.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from planner import Plan, Problem
from tests.planner.testkit import line_problem, pickups, solve_checked_plan, vehicle

OBJECTIVE = {"distance": 1, "stability": 5, "vehicle_change": 600}
SOLUTIONS = 400


def _day(children: int = 14, seed: int = 4) -> dict[str, Any]:
    rng = random.Random(seed)
    positions = {"depot-w": 0, "depot-e": 40, "venue-a": 12, "venue-b": 28}
    requests = []
    for c in range(children):
        home = f"home-{c}"
        positions[home] = rng.randint(1, 39)
        venue, start = ("venue-a", 15 * 3600) if c % 2 == 0 else ("venue-b", 16 * 3600)
        requests += _trips(c, home, venue, start)
    cars = [
        vehicle("car-w", at="depot-w", seats=4),
        vehicle("car-e", at="depot-e", seats=4),
        vehicle("van", at="depot-w", seats=8),
    ]
    return line_problem(positions, cars, requests, objective=dict(OBJECTIVE))


def _trips(c: int, home: str, venue: str, start: int) -> list[dict[str, Any]]:
    back = start + 90 * 60
    common = {"load": {"seats": 1}, "max_ride": 45 * 60, "bundle": f"c{c}"}
    return [
        {
            "id": f"c{c}-there",
            "pickup": {"location": home, "service": 60},
            "dropoff": {"location": venue, "window": [start - 1200, start - 300], "service": 60},
            **common,
        },
        {
            "id": f"c{c}-back",
            "pickup": {"location": venue, "window": [back, back + 900], "service": 60},
            "dropoff": {"location": home, "service": 60},
            **common,
        },
    ]


def _solve(data: dict[str, Any]) -> tuple[Problem, Plan]:
    return solve_checked_plan(data, SOLUTIONS)


def _pickups(plan: Plan) -> dict[str, int]:
    return {request: start for request, (_, start) in pickups(plan).items()}


def _published() -> tuple[dict[str, Any], Plan]:
    data = _day()
    _, first = _solve(data)
    assert first.summary.served == len(data["requests"])
    return data, first


def _replan(data: dict[str, Any], first: Plan) -> Plan:
    data = copy.deepcopy(data)
    data["previous"] = first.to_dict()
    _, plan = _solve(data)
    return plan


def _shifts(first: Plan, second: Plan, others: set[str]) -> list[int]:
    before, after = _pickups(first), _pickups(second)
    return [abs(after[r] - before[r]) for r in others if r in before and r in after]


def test_an_absence_moves_nobody() -> None:
    """One child is absent: every other pickup keeps its time and its car."""
    data, first = _published()
    gone = {"c3-there", "c3-back"}
    data["requests"] = [r for r in data["requests"] if r["id"] not in gone]
    second = _replan(data, first)
    others = {r["id"] for r in data["requests"]}
    assert second.served_requests() == others
    assert _shifts(first, second, others) == [0] * len(others)
    assert second.summary.changed_vehicle == 0


def test_a_cancelled_session_moves_nobody_else() -> None:
    """The 16:00 group is cancelled: the 15:00 children keep their times."""
    data, first = _published()
    data["requests"] = [r for r in data["requests"] if int(r["id"].split("-")[0][1:]) % 2 == 0]
    second = _replan(data, first)
    others = {r["id"] for r in data["requests"]}
    assert second.served_requests() == others
    assert max(_shifts(first, second, others)) == 0


def test_a_new_child_moves_the_others_little() -> None:
    """A new child joins: it is served, at least 95 % of the others' pickups move
    by 5 minutes or less, and none by more than 15 minutes."""
    data, first = _published()
    data = _with_new_home(data, "home-new", at=20)
    data["requests"] += _trips(99, "home-new", "venue-a", 15 * 3600)
    second = _replan(data, first)
    assert {"c99-there", "c99-back"} <= second.served_requests()
    others = {r["id"] for r in data["requests"]} - {"c99-there", "c99-back"}
    shifts = _shifts(first, second, others)
    assert len(shifts) == len(others)
    assert sum(s <= 300 for s in shifts) >= 0.95 * len(shifts)
    assert max(shifts) <= 900


def _with_new_home(data: dict[str, Any], name: str, at: int) -> dict[str, Any]:
    """Add a location at kilometre `at` of the line and rebuild the matrix."""
    km = [row[0] // 1000 for row in data["matrix"]["distances"]]  # depot-w is at 0
    data["locations"].append({"id": name})
    km.append(at)
    rebuilt = line_problem(
        {loc["id"]: k for loc, k in zip(data["locations"], km, strict=True)},
        data["vehicles"],
        data["requests"],
    )
    data["matrix"] = rebuilt["matrix"]
    return data
