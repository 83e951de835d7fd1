"""The public DARP instances: honest reasons, and a short benchmark smoke.

Reasons: a request may be reported as impossible only if no vehicle could
serve it even alone. Each claim is checked independently here: the route
start -> pickup -> drop-off -> end of one empty vehicle is a small system of
difference constraints, feasible exactly when its distance graph has no
negative cycle (Floyd-Warshall below). Conversely, every request that is not
reported impossible must have such a route, or "not placed" would be a lie.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from planner import MaxSolutions, Problem, Request, Vehicle, check, solve
from planner.cordeau import exact_cost, read_instance, to_problem
from planner.matrix import matrices
from planner.preprocess import prepare
from planner.search.result import ModelResult
from planner.solver import NOT_PLACED_REASON, build_plan

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _shared() -> Path | None:
    for base in (os.environ.get("LOTSE_BENCHMARKS"), ROOT.parent / "shared" / "benchmarks"):
        if base and (Path(base) / "darp").is_dir():
            return Path(base)
    fallback = Path("/work/shared/benchmarks")
    return fallback if (fallback / "darp").is_dir() else None


SHARED = _shared()
INSTANCES = sorted(SHARED.glob("darp/*/*.txt")) if SHARED else []


def _alone_possible(
    problem: Problem, dur: list[list[int]], request: Request, vehicle: Vehicle
) -> bool:
    """Independent test: can `vehicle`, empty, serve `request` and nothing else?"""
    if not request.skills <= vehicle.skills:
        return False
    if any(vehicle.capacity.get(k, 0) < q for k, q in request.load.items()):
        return False
    at = problem.location_index()
    start, p, d, end = (
        at[vehicle.start],
        at[request.pickup.location],
        at[request.dropoff.location],
        at[vehicle.end],
    )
    big = 10**12
    a, b = vehicle.available or (0, big)
    # nodes: 0 zero, 1 departure, 2 pickup, 3 drop-off, 4 return; edge u->v w: x_v - x_u <= w
    n = 5
    dist = [[0 if i == j else big for j in range(n)] for i in range(n)]

    def le(u: int, v: int, w: int) -> None:  # x_v - x_u <= w
        dist[u][v] = min(dist[u][v], w)

    for node, window in ((1, (a, b)), (4, (a, b))):
        le(0, node, window[1])
        le(node, 0, -window[0])
    for node, stop in ((2, request.pickup), (3, request.dropoff)):
        if stop.window:
            le(0, node, stop.window[1])
            le(node, 0, -stop.window[0])
    le(2, 1, -dur[start][p])  # pickup >= departure + travel
    le(3, 2, -(request.pickup.service + dur[p][d]))
    le(4, 3, -(request.dropoff.service + dur[d][end]))
    if request.max_ride is not None:
        le(2, 3, request.pickup.service + request.max_ride)
    if vehicle.max_duration is not None:
        le(1, 4, vehicle.max_duration)
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    return all(dist[i][i] >= 0 for i in range(n))


def _tightened(problem: Problem, share: float) -> Problem:
    """The same instance with shorter ride limits, so that some requests become impossible."""
    requests = tuple(
        dataclasses.replace(r, max_ride=int((r.max_ride or 0) * share)) for r in problem.requests
    )
    return dataclasses.replace(problem, requests=requests)


def _short_shifts(problem: Problem) -> Problem:
    """The same instance with every vehicle available for the first quarter of its shift."""

    def shorter(v: Vehicle) -> Vehicle:
        a, b = v.available or (0, 0)
        return dataclasses.replace(v, available=(a, a + (b - a) // 4))

    return dataclasses.replace(problem, vehicles=tuple(shorter(v) for v in problem.vehicles))


@pytest.mark.skipif(not INSTANCES, reason="shared/benchmarks not found beside the repository")
@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_impossible_means_impossible(path: Path) -> None:
    """On every public instance (as published, with ride limits cut to a
    twentieth, and with shifts cut to a quarter): a request reported impossible has no feasible route in any empty
    vehicle, and every other request has one."""
    counts = {True: 0, False: 0}
    published = to_problem(read_instance(path))
    for problem in (published, _tightened(published, 0.05), _short_shifts(published)):
        prep = prepare(problem)
        nobody = ModelResult(routes=(), objective=0, solutions=0, unserved=len(problem.requests))
        plan = build_plan(problem, prep, nobody, 0.0)
        reasons = {u.request: u.reason for u in plan.unassigned}
        dur, _ = matrices(problem)
        # Cordeau's fleets are identical: one vehicle of each kind is enough.
        kinds = {dataclasses.replace(v, id="any"): v for v in problem.vehicles}.values()
        for request in problem.requests:
            possible = any(_alone_possible(problem, dur, request, v) for v in kinds)
            impossible = reasons[request.id] != NOT_PLACED_REASON
            assert possible != impossible, (request.id, reasons[request.id])
            counts[impossible] += 1
    assert counts[True] > 0  # the cut ride limits make some requests impossible


SMOKE = [("a2-16", 294.25, 1500), ("pr01", 190.02, 1500)]


@pytest.mark.parametrize(("name", "bks", "solutions"), SMOKE)
def test_benchmark_smoke(name: str, bks: float, solutions: int) -> None:
    """Two small public instances with a solution-count stop: every request
    served, the plan valid, the cost within 1 % of the best known."""
    inst = read_instance(DATA / f"{name}.txt")
    problem = to_problem(inst)
    plan = solve(problem, MaxSolutions(solutions))
    assert check(problem, plan) == []
    assert plan.summary.served == len(problem.requests)
    assert exact_cost(inst, plan) <= bks * 1.01
