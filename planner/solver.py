"""`solve`: preprocessing, the OR-Tools search, and turning results into a Plan."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from planner._ortools_model import ModelResult, ModelRoute, SearchConfig
from planner.plan import Endpoint, Plan, Route, Summary, Unassigned, Visit
from planner.portfolio import run_portfolio
from planner.preprocess import Prepared, prepare
from planner.problem import Problem

logger = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]

BUSY_REASON = "no capacity left in that time span"


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    progress: Progress | None = None,
    solution_limit: int | None = None,
    config: SearchConfig | None = None,
    workers: int = 2,
) -> Plan:
    """Plan routes for `problem` within `time_limit` seconds (model building included).

    `solution_limit` stops each search after that many improving solutions;
    with it the result depends only on the seed, not on the machine's speed.
    `workers` searches run side by side in separate processes (a portfolio
    with different first solutions); the best plan wins, ties go to the
    first worker, so equal seeds give equal plans whenever the searches end
    by `solution_limit` rather than by the clock.
    """
    if time_limit <= 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    began = time.monotonic()
    prep = prepare(problem)
    modelled = [i for i, r in enumerate(prep.requests) if r.reason is None]
    reporter = _Reporter(progress, began, len(problem.requests))
    # Keep a safety margin for turning the solution into a plan.
    left = time_limit - (time.monotonic() - began) - 0.15
    result = run_portfolio(
        problem,
        prep,
        modelled,
        seed=seed,
        time_limit=max(0.1, left),
        solution_limit=solution_limit,
        progress=reporter,
        config=config,
        workers=workers,
    )
    plan = build_plan(problem, prep, result, time.monotonic() - began)
    reporter.final(plan)
    return plan


class _Reporter:
    """Throttles progress callbacks to at most one per second."""

    def __init__(self, progress: Progress | None, began: float, requests: int):
        self.progress, self.began, self.requests = progress, began, requests
        self.last = -1.0

    def __call__(self, cost: int, served: int) -> None:
        now = time.monotonic()
        if self.progress is None or now - self.last < 1.0:
            return
        self.last = now
        self.progress(
            {
                "phase": "solving",
                "best_cost": cost,
                "elapsed": round(now - self.began, 2),
                "served": served,
            }
        )

    def final(self, plan: Plan) -> None:
        if self.progress is not None:
            self.progress(
                {
                    "phase": "done",
                    "best_cost": plan.summary.cost,
                    "elapsed": plan.summary.solve_seconds,
                    "served": plan.summary.served,
                }
            )


def build_plan(problem: Problem, prep: Prepared, result: ModelResult, seconds: float) -> Plan:
    routes = tuple(_route(problem, prep, r) for r in result.routes if r.visits)
    served = {v.request for r in routes for v in r.visits}
    unassigned = tuple(
        Unassigned(req.id, _reason(problem, prep, i, served))
        for i, req in enumerate(problem.requests)
        if req.id not in served
    )
    changed, shift = _stability(problem, routes)
    summary = Summary(
        requests=len(problem.requests),
        served=len(served),
        distance=sum(r.distance for r in routes),
        duration=sum(r.duration for r in routes),
        vehicles_used=len(routes),
        solve_seconds=round(seconds, 3),
        cost=_cost(problem, routes),
        changed_vehicle=changed,
        max_pickup_shift=shift,
    )
    return Plan(routes=routes, unassigned=unassigned, summary=summary)


def _reason(problem: Problem, prep: Prepared, i: int, served: set[str]) -> str:
    """Why request i is not served: its own reason, a partner's, or a busy fleet."""
    own = prep.requests[i].reason
    if own is not None:
        return own
    bundle = problem.requests[i].bundle
    if bundle is not None:
        for j, other in enumerate(problem.requests):
            hopeless = prep.requests[j].reason is not None
            if other.bundle == bundle and j != i and hopeless:
                return f"its bundle partner {other.id} cannot be served"
    return BUSY_REASON


def _route(problem: Problem, prep: Prepared, mr: ModelRoute) -> Route:
    vehicle = problem.vehicles[mr.vehicle]
    pv = prep.vehicles[mr.vehicle]
    dur, dist = prep.durations, prep.distances
    here, clock, distance = pv.start_loc, mr.depart, 0
    visits = []
    for mv in mr.visits:
        req = problem.requests[mv.request]
        stop = req.stop(mv.type)
        loc = prep.requests[mv.request].location(mv.type)
        arrival = clock + dur[here][loc]
        distance += dist[here][loc]
        visits.append(Visit(req.id, mv.type, stop.location, arrival, mv.start))
        here, clock = loc, mv.start + stop.service
    distance += dist[here][pv.end_loc]
    end_time = clock + dur[here][pv.end_loc]
    return Route(
        vehicle=vehicle.id,
        start=Endpoint(vehicle.start, mr.depart),
        visits=tuple(visits),
        end=Endpoint(vehicle.end, end_time),
        distance=distance,
        duration=end_time - mr.depart,
    )


def _cost(problem: Problem, routes: tuple[Route, ...]) -> int:
    w = problem.objective
    fixed = {v.id: v.fixed_cost for v in problem.vehicles}
    return sum(
        w.distance * r.distance + w.duration * r.duration + w.vehicles + fixed[r.vehicle]
        for r in routes
    )


def _stability(problem: Problem, routes: tuple[Route, ...]) -> tuple[int | None, int | None]:
    """How many requests changed vehicle, and the largest pickup shift."""
    if problem.previous is None:
        return None, None
    before = {
        v.request: (r.vehicle, v.start)
        for r in problem.previous.routes
        for v in r.visits
        if v.type == "pickup"
    }
    changed, shift = 0, 0
    for r in routes:
        for v in r.visits:
            if v.type != "pickup" or v.request not in before:
                continue
            vehicle, start = before[v.request]
            changed += vehicle != r.vehicle
            shift = max(shift, abs(v.start - start))
    return changed, shift
