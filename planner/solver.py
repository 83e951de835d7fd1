"""`solve`: preprocessing, the search, and turning its result into a Plan."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from planner.params import SolveParams
from planner.plan import Endpoint, Plan, Route, Summary, Unassigned, Visit, VisitType
from planner.preprocess import Prepared, prepare
from planner.problem import Problem
from planner.proofs import group_reasons
from planner.search import native
from planner.search.result import ModelResult, ModelRoute
from planner.stop import StoppingCriterion, native_limits

logger = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]

# Not proved impossible: the search did not place it in the time it had.
NOT_PLACED_REASON = (
    "not placed in the time given: no place was found for it in the final plan; "
    "more time or another vehicle may serve it"
)
# The OR-Tools path has no separate deadline; without a time criterion it
# stops on the solution count alone, or after this long.
FALLBACK_SECONDS = 3600.0


def solve(
    problem: Problem,
    stop: StoppingCriterion,
    *,
    seed: int = 0,
    params: SolveParams | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan routes for `problem` until `stop` says so (preparation included).

    `stop` is a stopping criterion (`planner.stop`): `MaxRuntime(seconds)`,
    `MaxSolutions(n)` or `FirstOf(...)` of them. With `MaxSolutions` the plan
    depends only on the problem, the seed and `params`, not on the machine.
    `progress`, if given, gets a dict at most once per second and a final one
    with ``"phase": "done"``.
    """
    params = params or SolveParams()
    if not callable(stop):
        raise TypeError(f"stop must be a stopping criterion, got {stop!r}")
    began = time.monotonic()
    prep = prepare(problem)
    modelled = [i for i, r in enumerate(prep.requests) if r.reason is None]
    reporter = _Reporter(progress, began, len(problem.requests))
    if not modelled or not prep.vehicles:
        result = ModelResult(routes=(), objective=0, solutions=0, unserved=len(modelled))
    elif params.engine == "native" and native.available():
        result = native.search(
            problem, prep, modelled, stop, seed=seed, params=params, began=began, progress=reporter
        ).result
    else:
        if params.engine == "native":
            logger.warning("the native search core is not built; using the OR-Tools search")
        result = _ortools(problem, prep, modelled, stop, seed, params, began, reporter)
    plan = build_plan(problem, prep, result, time.monotonic() - began, prove=True)
    reporter.final(plan)
    return plan


def _ortools(
    problem: Problem,
    prep: Prepared,
    modelled: list[int],
    stop: StoppingCriterion,
    seed: int,
    params: SolveParams,
    began: float,
    reporter: _Reporter,
) -> ModelResult:
    """The pure-Python path: OR-Tools' search (planner.search.portfolio)."""
    from planner.search.portfolio import run_portfolio

    seconds, solutions, custom = native_limits(stop)
    if custom:
        logger.warning("the OR-Tools search evaluates only MaxRuntime and MaxSolutions")
    limit = FALLBACK_SECONDS if seconds is None else seconds
    # Keep a safety margin for turning the solution into a plan.
    left = limit - (time.monotonic() - began) - 0.15
    return run_portfolio(
        problem,
        prep,
        modelled,
        seed=seed,
        time_limit=max(0.1, left),
        solution_limit=solutions,
        progress=reporter,
        config=None,
        workers=params.workers,
    )


def solve_baseline(problem: Problem, seconds: float) -> Plan:
    """The plain OR-Tools model of the OR-Tools guide, for benchmarks only."""
    from planner.search.portfolio import baseline_search

    began = time.monotonic()
    prep = prepare(problem)
    modelled = [i for i, r in enumerate(prep.requests) if r.reason is None]
    left = seconds - (time.monotonic() - began) - 0.15
    result = baseline_search(problem, prep, modelled, max(0.1, left))
    return build_plan(problem, prep, result, time.monotonic() - began)


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


def build_plan(
    problem: Problem, prep: Prepared, result: ModelResult, seconds: float, *, prove: bool = False
) -> Plan:
    """The plan of a search result; with `prove`, requests left out although each
    was possible alone get a proof where one is found (`planner.proofs`)."""
    routes = tuple(_route(problem, prep, r) for r in result.routes if r.visits)
    served = {v.request for r in routes for v in r.visits}
    left = [i for i, req in enumerate(problem.requests) if req.id not in served]
    proved: dict[int, str] = {}
    if prove and left:
        served_at = {i for i, req in enumerate(problem.requests) if req.id in served}
        proved = group_reasons(problem, prep, left, served_at)
    unassigned = tuple(
        Unassigned(problem.requests[i].id, proved.get(i) or _reason(problem, prep, i, served))
        for i in left
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
    """Why request i is not served: proved impossible (its own reason or a
    bundle partner's), or not placed by the search in the time it had."""
    own = prep.requests[i].reason
    if own is not None:
        return own
    bundle = problem.requests[i].bundle
    if bundle is not None:
        for j, other in enumerate(problem.requests):
            hopeless = prep.requests[j].reason is not None
            if other.bundle == bundle and j != i and hopeless:
                return f"its bundle partner {other.id} cannot be served"
    return NOT_PLACED_REASON


def _route(problem: Problem, prep: Prepared, mr: ModelRoute) -> Route:
    vehicle = problem.vehicles[mr.vehicle]
    pv = prep.vehicles[mr.vehicle]
    dur, dist = prep.durations, prep.distances
    here, clock, distance = pv.start_loc, mr.depart, 0
    visits = []
    picked: dict[int, int] = {}  # request -> end of service at its pickup
    for mv in mr.visits:
        req = problem.requests[mv.request]
        stop = req.stop(mv.type)
        loc = prep.requests[mv.request].location(mv.type)
        arrival = clock + dur[here][loc]
        distance += dist[here][loc]
        ride = None
        if mv.type == VisitType.PICKUP:
            picked[mv.request] = mv.start + stop.service
        else:
            ride = mv.start - picked[mv.request]
        visits.append(Visit(req.id, VisitType(mv.type), stop.location, arrival, mv.start, ride))
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
        if v.type == VisitType.PICKUP
    }
    changed, shift = 0, 0
    for r in routes:
        for v in r.visits:
            if v.type != VisitType.PICKUP or v.request not in before:
                continue
            vehicle, start = before[v.request]
            changed += vehicle != r.vehicle
            shift = max(shift, abs(v.start - start))
    return changed, shift
