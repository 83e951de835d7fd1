"""Time-slice search: re-timed routes stay valid, cuts never make a plan worse."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from planner import Problem, check
from planner.cordeau import read_instance, to_problem
from planner.preprocess import Prepared, prepare
from planner.search.ortools_model import SearchConfig, solve_model
from planner.search.result import ModelResult
from planner.search.slices import applies, improve_slices, retime, route_cost
from planner.solver import build_plan
from tests.planner.testkit import line_problem, request, vehicle

DATA = Path(__file__).parent / "data"


def _first_solution(
    problem: Problem,
    prep: Prepared,
    requests: list[int] | None = None,
    initial: list[list[tuple[int, str]]] | None = None,
) -> ModelResult:
    """The first solution OR-Tools finds (or the given routes): a poor plan to improve."""
    order = list(range(len(problem.requests))) if requests is None else requests
    # Local cheapest insertion serves all of a2-16 in its first solution.
    cfg = SearchConfig(first_solution="LOCAL_CHEAPEST_INSERTION")
    res = solve_model(problem, prep, order, cfg, time_limit=2, solution_limit=1, initial=initial)
    assert res.objective >= 0
    return res


def _valid(problem: Problem, prep: Prepared, result: ModelResult) -> None:
    assert check(problem, build_plan(problem, prep, result, 0)) == []


def _slices(problem: Problem, prep: Prepared, result: ModelResult, seconds: float) -> ModelResult:
    deadline = time.monotonic() + seconds
    order = list(range(len(problem.requests)))
    return improve_slices(problem, prep, result, order, deadline=deadline, rng=random.Random(0))


@pytest.fixture(scope="module")
def a2_16() -> tuple[Problem, Prepared, ModelResult]:
    problem = to_problem(read_instance(DATA / "a2-16.txt"))
    prep = prepare(problem)
    return problem, prep, _first_solution(problem, prep)


def test_retime_moves_the_ends_and_keeps_every_rule(
    a2_16: tuple[Problem, Prepared, ModelResult],
) -> None:
    """Stops before t1 only move earlier, after t2 only later; windows, ride times and
    route durations still hold (Cordeau's instances limit all three)."""
    problem, prep, result = a2_16
    starts = [v.start for r in result.routes for v in r.visits]
    lo, hi = min(starts), max(starts)
    moved = 0
    for share in (0.0, 0.25, 0.5, 0.75):
        t1 = lo + round(share * (hi - lo))
        t2 = t1 + (hi - lo) // 4
        routes = tuple(retime(problem, prep, r, t1, t2) for r in result.routes)
        _valid(problem, prep, ModelResult(routes, 0, 0, 0))
        for old, new in zip(result.routes, routes, strict=True):
            assert [(v.request, v.type) for v in old.visits] == [
                (v.request, v.type) for v in new.visits
            ]
            for a, b in zip(old.visits, new.visits, strict=True):
                if a.start < t1:
                    assert b.start <= a.start
                elif a.start > t2:
                    assert b.start >= a.start
                else:
                    assert b.start == a.start
                moved += a.start != b.start
    assert moved > 0


def test_cuts_improve_a_poor_plan_and_keep_it_valid(
    a2_16: tuple[Problem, Prepared, ModelResult],
) -> None:
    """From OR-Tools' first solution, a second of cuts serves as many requests at lower cost."""
    problem, prep, result = a2_16
    better = _slices(problem, prep, result, 1.5)
    _valid(problem, prep, better)
    assert better.unserved == result.unserved == 0
    assert route_cost(problem, prep, better.routes) < route_cost(problem, prep, result.routes)


def test_a_cut_reorders_stops_within_a_route() -> None:
    """Picking up both riders before dropping either off is a detour the cut removes."""
    positions = {"depot": 0, "a": 10, "a2": 11, "b": 12, "b2": 13}
    data = line_problem(
        positions,
        [vehicle("v1")],
        [request("A", "a", "a2"), request("B", "b", "b2")],
    )
    problem = Problem.from_dict(data)
    prep = prepare(problem)
    detour = [[(0, "pickup"), (1, "pickup"), (0, "dropoff"), (1, "dropoff")]]
    poor = _first_solution(problem, prep, initial=detour)
    assert route_cost(problem, prep, poor.routes) == 28_000  # 0-10-12-11-13-0 km
    better = _slices(problem, prep, poor, 1.0)
    _valid(problem, prep, better)
    assert route_cost(problem, prep, better.routes) == 26_000  # 0-10-11-12-13-0 km


def test_a_request_left_out_joins_a_cut() -> None:
    """Requests the plan does not serve yet are offered to every cut they overlap."""
    positions = {"depot": 0, "a": 3, "b": 5, "venue": 8}
    data = line_problem(
        positions,
        [vehicle("v1", seats=2)],
        [request("A", "a", "venue"), request("B", "b", "venue")],
    )
    problem = Problem.from_dict(data)
    prep = prepare(problem)
    only_a = _first_solution(problem, prep, requests=[0])
    better = _slices(problem, prep, only_a, 1.0)
    _valid(problem, prep, better)
    assert better.unserved == 0
    assert {v.request for r in better.routes for v in r.visits} == {0, 1}


def test_skills_and_seats_hold_inside_a_cut() -> None:
    """The wheelchair rider stays on the lift van although the car is nearer,
    and the plan with child seats as a second load kind stays valid."""
    positions = {"near": 0, "far": 20, "home": 2, "home2": 3, "venue": 6}
    wheelchair = request("W", "home", "venue", skills=["wheelchair"])
    wheelchair["load"] = {"seats": 1}
    child = request("C", "home2", "venue")
    child["load"] = {"seats": 1, "child_seats": 1}
    lift = vehicle("lift", at="far", skills=["wheelchair"])
    lift["capacity"] = {"seats": 4, "child_seats": 1}
    car = vehicle("car", at="near")
    car["capacity"] = {"seats": 4, "child_seats": 1}
    problem = Problem.from_dict(line_problem(positions, [lift, car], [wheelchair, child]))
    prep = prepare(problem)
    start = _first_solution(problem, prep)
    better = _slices(problem, prep, start, 1.0)
    _valid(problem, prep, better)
    on = {v.request: r.vehicle for r in better.routes for v in r.visits}
    assert on[0] == 0  # the lift


@pytest.mark.parametrize(
    ("objective", "previous", "requests", "expected"),
    [
        ({"distance": 1}, False, 80, True),
        ({"distance": 1, "vehicles": 100}, False, 80, True),
        ({"distance": 1, "duration": 1}, False, 80, False),
        ({"distance": 1, "ride_time": 1}, False, 80, False),
        ({"distance": 1}, True, 80, False),
        ({"distance": 1}, False, 30, False),
    ],
)
def test_cuts_apply_only_where_they_keep_the_objective_exact(
    objective: dict[str, int], previous: bool, requests: int, expected: bool
) -> None:
    """Durations and ride times change outside a cut, stability needs the old plan,
    and on a small problem a stretch would be the whole day."""
    data = line_problem({"depot": 0, "a": 1}, [vehicle("v1")], [request("A", "a", "depot")])
    data["objective"] = objective
    if previous:
        data["previous"] = {"routes": [], "unassigned": []}
    assert applies(Problem.from_dict(data), requests) is expected
