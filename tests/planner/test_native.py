"""The production search (native ALNS core) and its pure-Python fallback."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest

from planner import (
    FirstOf,
    MaxSolutions,
    Problem,
    SearchProgress,
    SolveParams,
    VisitType,
    check,
    solve,
)
from planner.search import native
from tests.planner.testkit import line_problem, request, vehicle


def _mixed_day() -> dict[str, Any]:
    """Two depots, a van with a lift and child seats, a small car; tight and wide
    windows, ride limits, bundles (to the group and home again)."""
    positions = {"west": 0, "east": 30, "venue": 15}
    positions |= {f"h{i}": (i * 7) % 29 + 1 for i in range(8)}
    reqs = []
    for i in range(8):
        there = request(f"c{i}-to", f"h{i}", "venue", bundle=f"c{i}", max_ride=40 * 60)
        there["dropoff"]["window"] = [9 * 3600 - 1200, 9 * 3600]
        back = request(f"c{i}-back", "venue", f"h{i}", bundle=f"c{i}", max_ride=40 * 60)
        back["pickup"]["window"] = [11 * 3600, 11 * 3600 + 900]
        reqs += [there, back]
    reqs[0]["skills"] = reqs[1]["skills"] = ["wheelchair"]
    for r in reqs[2:6]:
        r["load"] = {"seats": 1, "child_seats": 1}
    reqs.append(request("errand", "h3", "h5"))  # no window at all: anywhere in the shifts
    van = vehicle("van", at="west", seats=6, skills=["wheelchair"])
    van["capacity"]["child_seats"] = 2
    car = vehicle("car", at="east", seats=3, available=[7 * 3600, 13 * 3600])
    car["capacity"]["child_seats"] = 1
    return line_problem(positions, [van, car], reqs)


@pytest.mark.parametrize("engine", ["native", "ortools"])
def test_both_paths_serve_a_mixed_day(engine: str) -> None:
    """Depots, capacities of two kinds, a skill, bundles, windows: every request is
    served by either path, and `check` finds nothing wrong."""
    problem = Problem.from_dict(_mixed_day())
    params = SolveParams(engine=engine)  # type: ignore[arg-type]
    plan = solve(problem, MaxSolutions(300), params=params)
    assert check(problem, plan) == []
    assert plan.summary.served == len(problem.requests)
    lift = {v.request for r in plan.routes if r.vehicle == "van" for v in r.visits}
    assert {"c0-to", "c0-back"} <= lift


def test_without_the_core_the_ortools_path_runs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """If the native core is not built, solve says so in the log and still plans."""
    monkeypatch.setattr(native, "_alns", None)
    assert not native.available()
    problem = Problem.from_dict(_mixed_day())
    with caplog.at_level(logging.WARNING, logger="planner.solver"):
        plan = solve(problem, MaxSolutions(100))
    assert "not built" in caplog.text
    assert check(problem, plan) == []
    assert plan.summary.served == len(problem.requests)


def test_a_larger_limit_is_never_worse() -> None:
    """The search's path does not depend on its limit: more solutions, same seed,
    never a worse plan."""
    problem = Problem.from_dict(_mixed_day())
    costs = []
    for count in (5, 50, 500):
        plan = solve(problem, MaxSolutions(count), seed=1)
        assert check(problem, plan) == []
        costs.append((-plan.summary.served, plan.summary.cost))
    assert costs == sorted(costs, reverse=True)


def test_a_custom_criterion_is_polled() -> None:
    """Any callable is a criterion; the search stops when it says so."""
    seen: list[SearchProgress] = []

    def once_all_served(progress: SearchProgress) -> bool:
        seen.append(progress)
        return progress.solutions > 0 and progress.unserved == 0

    problem = Problem.from_dict(_mixed_day())
    plan = solve(problem, FirstOf(MaxSolutions(10**9), once_all_served))
    assert check(problem, plan) == []
    assert seen and seen[-1].unserved == 0


def test_drop_offs_carry_the_ride_time() -> None:
    """Every drop-off states its ride: its start minus the end of service at the pickup."""
    problem = Problem.from_dict(_mixed_day())
    plan = solve(problem, MaxSolutions(100))
    service = {r.id: r.pickup.service for r in problem.requests}
    for route in plan.routes:
        picked = {v.request: v.start for v in route.visits if v.type == VisitType.PICKUP}
        for v in route.visits:
            if v.type == VisitType.DROPOFF:
                assert v.ride_time == v.start - picked[v.request] - service[v.request]
                assert plan.to_dict()["routes"]  # serialisable
            else:
                assert v.ride_time is None
    data = plan.to_dict()
    drop = next(v for r in data["routes"] for v in r["visits"] if v["type"] == "dropoff")
    assert "ride_time" in drop


def test_equal_seeds_equal_plans_with_two_workers() -> None:
    """Production settings (two workers) with a solution-count stop: equal plans."""
    problem = Problem.from_dict(_mixed_day())
    plans = [solve(problem, MaxSolutions(200), seed=7).to_dict() for _ in range(2)]
    for plan in plans:
        plan["summary"].pop("solve_seconds")
    assert plans[0] == plans[1]


def test_previous_plan_with_unknown_ids_is_a_start() -> None:
    """A previous plan that names requests and vehicles that no longer exist still
    serves as the start: what is gone is ignored."""
    data = _mixed_day()
    problem = Problem.from_dict(copy.deepcopy(data))
    first = solve(problem, MaxSolutions(100)).to_dict()
    first["routes"][0]["vehicle"] = "retired"
    data["requests"] = [r for r in data["requests"] if r["id"] != "errand"]
    data["previous"] = first
    problem = Problem.from_dict(data)
    plan = solve(problem, MaxSolutions(100))
    assert check(problem, plan) == []
    assert plan.summary.served == len(problem.requests)
