"""Solving small problems: every plan passes `check`, and the rules hold."""

from __future__ import annotations

import copy
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

import pytest

from planner import MaxRuntime, MaxSolutions, Problem, SolveParams, check, solve
from planner.preprocess import prepare
from planner.proofs import GROUP_REASON
from tests.planner.testkit import line_problem, request, vehicle

Solver = Callable[..., Any]


def test_village_serves_everyone(village: dict[str, Any], solve_checked: Solver) -> None:
    """Five children, two cars with three seats: all reach the venue in time."""
    _, plan = solve_checked(village)
    assert plan.summary.served == 5
    assert plan.unassigned == ()
    for route in plan.routes:
        kinds = [v.type for v in route.visits]
        assert kinds.count("pickup") == kinds.count("dropoff")


def test_capacity_is_never_exceeded(village: dict[str, Any], solve_checked: Solver) -> None:
    """With one seat per car, no car ever carries two children at once."""
    for v in village["vehicles"]:
        v["capacity"] = {"seats": 1}
    village["vehicles"] += [vehicle("v3", seats=1), vehicle("v4", seats=1), vehicle("v5", seats=1)]
    _, plan = solve_checked(village)
    assert plan.summary.served == 5
    for route in plan.routes:
        on_board = 0
        for visit in route.visits:
            on_board += 1 if visit.type == "pickup" else -1
            assert on_board <= 1


def test_every_capacity_kind_counts(solve_checked: Solver) -> None:
    """Two toddlers need two child seats: a car with one child seat takes only one."""
    positions = {"depot": 0, "h1": 1, "h2": 1, "venue": 5}
    reqs = [request(f"t{i}", f"h{i}", "venue", load={"seats": 1, "child_seats": 1}) for i in (1, 2)]
    car = vehicle("v1", seats=4)
    car["capacity"]["child_seats"] = 1
    data = line_problem(positions, [car], reqs)
    _, plan = solve_checked(data)
    assert plan.summary.served == 2
    route = plan.routes[0]
    assert [v.type for v in route.visits] == ["pickup", "dropoff", "pickup", "dropoff"]


def test_skills_choose_the_vehicle(village: dict[str, Any], solve_checked: Solver) -> None:
    """A wheelchair user rides only in the car that has the skill."""
    village["vehicles"][1]["skills"] = ["wheelchair"]
    village["requests"][0]["skills"] = ["wheelchair"]
    _, plan = solve_checked(village)
    carrier = next(r.vehicle for r in plan.routes for v in r.visits if v.request == "c1")
    assert carrier == "v2"


def test_ride_time_limit_is_kept(solve_checked: Solver) -> None:
    """A tight max_ride forbids collecting the far child on the way: two trips."""
    positions = {"depot": 0, "far": 1, "near": 5, "venue": 6}
    reqs = [
        request("a", "far", "venue", max_ride=6 * 60),
        request("b", "near", "venue", max_ride=2 * 60),
    ]
    # From `far`, going via `near` (30 s service) takes 330 s < 360 s: allowed.
    # Then `b` waits 30 s of service + 60 s drive: ride 90 s <= 120 s.
    _, plan = solve_checked(line_problem(positions, [vehicle("v1")], reqs))
    assert plan.summary.served == 2
    reqs[0]["max_ride"] = 5 * 60 + 20  # now the detour via `near` is too long
    problem, plan = solve_checked(line_problem(positions, [vehicle("v1")], reqs))
    assert plan.summary.served == 2
    for r in plan.routes:
        starts = {(v.request, v.type): v.start for v in r.visits}
        ride = starts[("a", "dropoff")] - starts[("a", "pickup")] - 30
        assert ride <= 5 * 60 + 20


def test_bundles_are_all_or_none(solve_checked: Solver) -> None:
    """A child whose way home cannot be served is not taken to the group either."""
    positions = {"depot": 0, "home": 3, "venue": 6}
    to = request("c-to", "home", "venue", bundle="c")
    back = request("c-back", "venue", "home", bundle="c", max_ride=10)
    other = request("d-to", "home", "venue")
    problem, plan = solve_checked(line_problem(positions, [vehicle("v1")], [to, back, other]))
    served = plan.served_requests()
    assert served == {"d-to"}
    reasons = {u.request: u.reason for u in plan.unassigned}
    assert reasons["c-back"].startswith("direct travel 3 min exceeds the maximum ride time")
    assert reasons["c-to"] == "its bundle partner c-back cannot be served"


def test_bundle_served_together_when_capacity_is_short(solve_checked: Solver) -> None:
    """One seat, one time span: of a two-trip bundle and a single trip, never half a bundle."""
    positions = {"depot": 0, "a": 2, "b": 2, "venue": 6}
    window = {"location": "venue", "window": [400, 420], "service": 0}
    reqs = [
        request("x1", "a", "venue", bundle="x", dropoff=window),
        request("x2", "b", "venue", bundle="x", dropoff=window),
        request("y", "a", "venue", dropoff=window),
    ]
    problem, plan = solve_checked(line_problem(positions, [vehicle("v1", seats=1)], reqs))
    served = plan.served_requests()
    assert not ({"x1", "x2"} & served and {"x1", "x2"} - served)
    assert plan.summary.served >= 1
    assert all(u.reason for u in plan.unassigned)


def test_reasons_for_hopeless_requests(village: dict[str, Any], solve_checked: Solver) -> None:
    """Requests that no vehicle could ever serve are reported with their reason."""
    reqs = village["requests"]
    reqs[0]["skills"] = ["wheelchair"]
    reqs[1]["load"] = {"seats": 9}
    reqs[2]["max_ride"] = 60
    reqs[3]["dropoff"]["window"] = [10, 20]
    for v in village["vehicles"]:
        v["available"] = [0, 10_000]
    _, plan = solve_checked(village)
    reasons = {u.request: u.reason for u in plan.unassigned}
    assert reasons["c1"] == "no vehicle has the skill wheelchair"
    assert reasons["c2"] == "the load (seats 9) exceeds every vehicle's capacity"
    assert reasons["c3"] == "direct travel 6 min exceeds the maximum ride time of 1 min"
    assert reasons["c4"] == (
        "the window cannot be reached from any vehicle's start within its availability"
    )
    assert plan.served_requests() == {"c5"}


def test_one_seat_for_two_at_once_is_proved(solve_checked: Solver) -> None:
    """Two children, same tight window, one one-seat car: each alone is possible,
    both together are not, and the one left out says so with the counts."""
    positions = {"depot": 0, "h1": 2, "h2": 8, "venue": 10}
    window = {"location": "venue", "window": [600, 660], "service": 30}
    reqs = [request(f"c{i}", f"h{i}", "venue", dropoff=window) for i in (1, 2)]
    _, plan = solve_checked(line_problem(positions, [vehicle("v1", seats=1)], reqs))
    assert plan.summary.served == 1
    assert [u.reason for u in plan.unassigned] == [
        GROUP_REASON.format(served=1, group=2, kind="seats")
    ]


def test_windows_are_tightened() -> None:
    """Cordeau's rules: the pickup window follows from the drop-off window and max_ride."""
    positions = {"depot": 0, "home": 2, "venue": 6}
    req = request("c", "home", "venue", max_ride=600)
    req["dropoff"]["window"] = [3000, 3600]
    problem = Problem.from_dict(line_problem(positions, [vehicle("v1")], [req]))
    prepared = prepare(problem).requests[0]
    # direct 240 s, pickup service 30 s, max ride 600 s
    assert prepared.pickup_window == (3000 - 600 - 30, 3600 - 240 - 30)
    assert prepared.dropoff_window == (3000, 3600)


def test_matrix_from_coordinates(solve_checked: Solver) -> None:
    """Without a matrix the planner uses coordinates, a detour factor and a speed."""
    data = {
        "locations": [
            {"id": "depot", "lat": 49.97, "lon": 6.52},
            {"id": "home", "lat": 49.99, "lon": 6.55},
            {"id": "venue", "lat": 50.02, "lon": 6.60},
        ],
        "vehicles": [vehicle("v1", seats=2)],
        "requests": [request("c", "home", "venue")],
        "matrix_options": {"detour_factor": 1.3, "speed_kmh": 50},
    }
    _, plan = solve_checked(data)
    route = plan.routes[0]
    # home -> venue: 4.87 km as the crow flies, x1.3 = 6.33 km, at 50 km/h 456 s
    travel = route.visits[1].arrival - route.visits[0].start - 30
    assert 450 <= travel <= 460
    assert 6300 < plan.summary.distance < 25000


@pytest.mark.parametrize("engine", ["native", "ortools"])
def test_equal_seeds_give_equal_plans(village: dict[str, Any], engine: str) -> None:
    """Determinism: with a solution-count stop the plan depends only on the seed,
    with the production search (two workers) and with the OR-Tools path."""
    problem = Problem.from_dict(village)
    params = SolveParams(engine=engine)  # type: ignore[arg-type]
    first = solve(problem, MaxSolutions(40), seed=3, params=params).to_dict()
    second = solve(problem, MaxSolutions(40), seed=3, params=params).to_dict()
    for plan in (first, second):
        plan["summary"].pop("solve_seconds")
    assert first == second


def test_time_limit_is_honoured() -> None:
    """solve returns within the limit plus one second, model building included."""
    positions = {"depot": 0} | {f"h{i}": i % 17 for i in range(1, 41)} | {"venue": 20}
    reqs = [
        request(f"c{i}", f"h{i}", "venue", dropoff={"location": "venue", "window": [1000, 4000]})
        for i in range(1, 41)
    ]
    data = line_problem(positions, [vehicle(f"v{k}", seats=3) for k in range(6)], reqs)
    problem = Problem.from_dict(data)
    began = time.monotonic()
    plan = solve(problem, MaxRuntime(1.0))
    assert time.monotonic() - began < 2.0
    assert check(problem, plan) == []


def test_no_vehicles_means_everything_unassigned() -> None:
    """An empty fleet is not an error: every request gets a reason."""
    positions = {"depot": 0, "home": 1, "venue": 2}
    data = line_problem(positions, [], [request("c", "home", "venue")])
    problem = Problem.from_dict(copy.deepcopy(data))
    plan = solve(problem, MaxSolutions(10))
    assert check(problem, plan) == []
    assert [u.reason for u in plan.unassigned] == ["there are no vehicles"]


def test_progress_reports_and_ends_with_done(village: dict[str, Any]) -> None:
    """The progress callback gets dicts with the documented keys, the last one 'done'."""
    updates: list[dict[str, Any]] = []
    problem = Problem.from_dict(village)
    solve(problem, MaxRuntime(1.5), progress=updates.append)
    assert updates[-1]["phase"] == "done"
    assert updates[-1]["served"] == 5
    for update in updates:
        assert set(update) == {"phase", "best_cost", "elapsed", "served"}
    solving = [u["elapsed"] for u in updates if u["phase"] == "solving"]
    assert all(b - a >= 0.99 for a, b in zip(solving, solving[1:], strict=False))


def _solve_in_child(data: dict[str, Any], queue: Any) -> None:
    params = SolveParams(engine="ortools")
    plan = solve(Problem.from_dict(data), MaxSolutions(50), params=params)
    queue.put(plan.summary.served)


def test_solve_inside_a_daemon_process(village: dict[str, Any]) -> None:
    """A daemonic pool worker may not fork: the OR-Tools path falls back to one
    worker process (the native search uses threads and never forks)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_solve_in_child, args=(village, queue), daemon=True)
    proc.start()
    try:
        assert queue.get(timeout=20) == 5
    finally:
        proc.join(5)
