"""Route-group decomposition: re-solve two or three nearby routes at a time.

A global local search on a DARP stalls: one scan of the pair neighbourhoods
of ~100 requests takes seconds, so guided local search moves too slowly to
escape. A small model over the requests of 2-3 routes that are close in
space and time is solved well within a fraction of a second, and starting
it from the current routes means it can only get better (a POPMUSIC-style
large neighbourhood search, with OR-Tools solving each piece).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable

from planner.preprocess import Prepared
from planner.problem import Problem
from planner.search.ortools_model import SearchConfig, solve_model
from planner.search.result import ModelResult, ModelRoute

logger = logging.getLogger(__name__)

SUB_CONFIG = SearchConfig(first_solution="PARALLEL_CHEAPEST_INSERTION", lns_time_ms=50)
MAX_UNSERVED_PER_GROUP = 10
# How many neighbours join the seed route, drawn uniformly from this tuple.
PARTNERS = (1, 2, 2)


def improve(
    problem: Problem,
    prep: Prepared,
    result: ModelResult,
    *,
    deadline: float,
    rng: random.Random,
    sub_seconds: float,
    progress: Callable[[int, int], None] | None = None,
) -> ModelResult:
    """Re-optimise groups of nearby routes until `deadline` (monotonic seconds)."""
    routes = {r.vehicle: r for r in result.routes}
    unserved = _unserved(problem, prep, routes)
    rounds = improved = 0
    while deadline - time.monotonic() > 0.05:
        group = _pick_group(prep, routes, rng)
        if group is None:
            break
        extra = _extra_requests(problem, prep, unserved, [routes[k] for k in group])
        left = deadline - time.monotonic()
        new = _resolve(problem, prep, routes, group, extra, min(sub_seconds, left))
        rounds += 1
        if new is None:
            continue
        before = [routes[k] for k in group]
        gained = sum(len(r.visits) for r in new) - sum(len(r.visits) for r in before)
        saved = total_distance(prep, before) - total_distance(prep, new)
        # A piece started from the current routes is never worse in the full
        # objective; the check only guards the rare rejected start.
        if gained < 0 or (gained == 0 and saved < 0):
            continue
        improved += gained > 0 or saved > 0
        for r in new:
            routes[r.vehicle] = r
        unserved = _unserved(problem, prep, routes)
        if progress is not None:
            progress(total_distance(prep, routes.values()), len(problem.requests) - len(unserved))
    logger.debug("decomposition: %d rounds, %d improved", rounds, improved)
    ordered = tuple(routes[k] for k in sorted(routes))
    return ModelResult(ordered, result.objective, result.solutions + improved, len(unserved))


def _resolve(
    problem: Problem,
    prep: Prepared,
    routes: dict[int, ModelRoute],
    group: list[int],
    extra: list[int],
    seconds: float,
) -> tuple[ModelRoute, ...] | None:
    requests = [v.request for k in group for v in routes[k].visits if v.type == "pickup"]
    initial = [[(v.request, v.type) for v in routes[k].visits] for k in group]
    res = solve_model(
        problem,
        prep,
        requests + extra,
        SUB_CONFIG,
        time_limit=seconds,
        vehicles=group,
        initial=initial,
    )
    if res.objective < 0:
        return None
    return res.routes


def _pick_group(
    prep: Prepared, routes: dict[int, ModelRoute], rng: random.Random
) -> list[int] | None:
    """A random used route, one or two of its nearest used routes, sometimes an idle vehicle."""
    used = [k for k, r in routes.items() if r.visits]
    if len(used) < 2:
        return None
    seed = rng.choice(used)
    others = sorted(
        (k for k in used if k != seed), key=lambda k: _route_gap(prep, routes[seed], routes[k])
    )
    size = min(rng.choice(PARTNERS), len(others))
    group = [seed] + rng.sample(others[: size + 1], size)
    idle = [k for k, r in routes.items() if not r.visits]
    if idle and rng.random() < 0.3:
        group.append(rng.choice(idle))
    return group


def _route_gap(prep: Prepared, a: ModelRoute, b: ModelRoute) -> float:
    """Mean over a's stops of the nearest of b's stops, in travel time plus time apart."""
    dur = prep.durations
    la = [(prep.requests[v.request].location(v.type), v.start) for v in a.visits]
    lb = [(prep.requests[v.request].location(v.type), v.start) for v in b.visits]
    total = 0
    for loc, t in la:
        row = dur[loc]
        total += min(row[l2] + abs(t - t2) for l2, t2 in lb)
    return total / len(la)


def _unserved(problem: Problem, prep: Prepared, routes: dict[int, ModelRoute]) -> list[int]:
    served = {v.request for r in routes.values() for v in r.visits}
    return [i for i, pr in enumerate(prep.requests) if pr.reason is None and i not in served]


def _extra_requests(
    problem: Problem, prep: Prepared, unserved: list[int], group: list[ModelRoute]
) -> list[int]:
    """Unserved requests nearest to the group's stops; whole bundles only."""
    if not unserved:
        return []
    stops = [(prep.requests[v.request].location(v.type), v.start) for r in group for v in r.visits]
    if not stops:
        return unserved[:MAX_UNSERVED_PER_GROUP]
    pool = set(unserved)
    bundles: dict[str, list[int]] = {}
    for i in unserved:
        name = problem.requests[i].bundle
        bundles.setdefault(name if name is not None else f"\0{i}", []).append(i)
    complete = [
        m for name, m in bundles.items() if name.startswith("\0") or _whole(problem, name, pool)
    ]
    complete.sort(key=lambda members: min(_closeness(prep, i, stops) for i in members))
    out: list[int] = []
    for members in complete:
        if len(out) + len(members) > MAX_UNSERVED_PER_GROUP:
            break
        out += members
    return out


def _closeness(prep: Prepared, i: int, stops: list[tuple[int, int]]) -> int:
    """Travel time plus time apart from the request's pickup to the nearest stop."""
    pr = prep.requests[i]
    row, t = prep.durations[pr.pickup_loc], pr.pickup_window[0]
    return min(row[loc] + abs(start - t) for loc, start in stops)


def _whole(problem: Problem, bundle: str, pool: set[int]) -> bool:
    return all(i in pool for i, r in enumerate(problem.requests) if r.bundle == bundle)


def total_distance(prep: Prepared, routes: Iterable[ModelRoute]) -> int:
    """Driving distance of routes."""
    dist = prep.distances
    total = 0
    for r in routes:
        if not r.visits:
            continue
        pv = prep.vehicles[r.vehicle]
        here = pv.start_loc
        for v in r.visits:
            loc = prep.requests[v.request].location(v.type)
            total += dist[here][loc]
            here = loc
        total += dist[here][pv.end_loc]
    return total
