"""The search strategy: two workers, each a short GLS and then time slices.

Guided local search (GLS) on a DARP improves in sudden drops after long
plateaus: one scan of the pair neighbourhoods of ~100 requests takes about
half a second, and on Cordeau's a8-96 a single GLS needs three minutes to
come within 1 % of the optimum. Where it stands after a minute depends on
the first solution in a way that the first solution's cost does not predict
(docs/benchmarks.md). So each worker (a process, one per core) starts from
its own first-solution strategy, runs GLS for a tenth of the time limit and
then re-plans stretches of the day with `planner.search.slices`, which improves
much faster; the best plan of the workers wins. Where a cut in time would
not keep the objective exact (duration or ride-time weights, re-planning
against a previous plan), or the problem is so small that a stretch would
be the whole day, the worker runs GLS for the whole time.

Large problems (a district day) are built cluster-first instead, because no
OR-Tools first-solution heuristic fills 800 requests within a minute, and
then improved by re-solving groups of nearby routes (see `decompose.py`).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import random
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection

from planner.preprocess import Prepared
from planner.problem import Problem
from planner.search.bundles import drop_partial_bundles
from planner.search.clusters import LARGE, hub_clusters, share_vehicles
from planner.search.decompose import improve, total_distance
from planner.search.ortools_model import SearchConfig, solve_model
from planner.search.result import ModelResult, ModelRoute
from planner.search.slices import applies, improve_slices

logger = logging.getLogger(__name__)

# First-solution strategies, dealt out to the workers in turn: with seed 0
# the first worker starts from the first, the second from the second. Their
# order is by how well a minute of GLS did from them on the larger Cordeau
# instances (docs/benchmarks.md).
STARTS = (
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SAVINGS",
    "GLOBAL_CHEAPEST_ARC",
    "PATH_CHEAPEST_ARC",
    "LOCAL_CHEAPEST_COST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
)
CLUSTER_SHARE = 0.5  # of the time limit, for the cluster-first construction
CLUSTER_START = "LOCAL_CHEAPEST_INSERTION"
SUB_SECONDS = 0.8  # per re-solved group of routes
GLS_SHARE = 0.1  # of the time limit, for the first solution and GLS before time slices

Progress = Callable[[int, int], None]


def worker_starts(seed: int, worker: int, workers: int) -> list[str]:
    """The strategies of one worker, fixed by seed and worker index."""
    rotated = STARTS[seed % len(STARTS) :] + STARTS[: seed % len(STARTS)]
    return list(rotated[worker::workers])


def _order(modelled: Sequence[int], seed: int, worker: int) -> list[int]:
    order = list(modelled)
    if seed or worker:
        # Another node order changes tie-breaks in OR-Tools' heuristics.
        random.Random(seed * 7919 + worker).shuffle(order)
    return order


def search(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    starts: list[str],
    *,
    time_limit: float,
    solution_limit: int | None,
    rng_seed: int,
    config: SearchConfig | None = None,
    progress: Progress | None = None,
) -> ModelResult:
    """One worker's whole search."""
    began = time.monotonic()
    # Bundles are made whole at the end, with a tenth of the time to refill.
    has_bundles = any(problem.requests[i].bundle is not None for i in order)
    refill = has_bundles and len(order) < LARGE
    deadline = began + time_limit * (0.9 if refill else 1.0)
    result = _main_search(
        problem, prep, order, starts, began, deadline, solution_limit, rng_seed, config, progress
    )
    if not has_bundles:
        return result
    return _whole_bundles(problem, prep, order, result, began + time_limit, solution_limit)


def _main_search(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    starts: list[str],
    began: float,
    deadline: float,
    solution_limit: int | None,
    rng_seed: int,
    config: SearchConfig | None,
    progress: Progress | None,
) -> ModelResult:
    time_limit = deadline - began
    if config is not None or solution_limit is not None:
        # A fixed configuration (the baseline) or a reproducible run: one search.
        cfg = config or SearchConfig(first_solution=starts[0])
        return solve_model(
            problem,
            prep,
            order,
            cfg,
            time_limit=time_limit,
            solution_limit=solution_limit,
            progress=progress,
        )
    if len(order) < LARGE or len(prep.vehicles) <= 3:
        if not applies(problem, len(order)):
            return _guided(problem, prep, order, starts, deadline, progress)
        # A first solution and a short guided local search, then re-plan
        # stretches of the day (see planner.search.slices).
        best = _guided(problem, prep, order, starts, began + GLS_SHARE * time_limit, progress)
        if best.objective < 0:
            # No first solution yet: the rest of the time is for finding one.
            best = _guided(problem, prep, order, starts, deadline, progress)
        if best.objective < 0:
            return best
        rng = random.Random(rng_seed)
        return improve_slices(
            problem, prep, best, order, deadline=deadline, rng=rng, progress=progress
        )
    until = began + CLUSTER_SHARE * time_limit
    # Local cheapest insertion is the one strategy that fills a cluster of
    # ~150 requests within seconds (parallel insertion does not finish).
    best = _cluster_first(problem, prep, order, CLUSTER_START, until, progress)
    if best.objective < 0:
        return best
    return improve(
        problem,
        prep,
        best,
        deadline=deadline,
        rng=random.Random(rng_seed),
        sub_seconds=SUB_SECONDS,
        progress=progress,
    )


def _guided(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    starts: list[str],
    deadline: float,
    progress: Progress | None,
) -> ModelResult:
    """One guided local search to the deadline from the worker's first strategy.

    Should a strategy find no first solution at all, the next one gets the
    time that is left.
    """
    result: ModelResult | None = None
    for strategy in starts:
        left = deadline - time.monotonic()
        if result is not None and left < 0.2:
            break
        cfg = SearchConfig(first_solution=strategy)
        result = solve_model(
            problem, prep, order, cfg, time_limit=max(0.1, left), progress=progress
        )
        if result.objective >= 0:
            break
    assert result is not None
    return result


def _whole_bundles(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    result: ModelResult,
    deadline: float,
    solution_limit: int | None,
) -> ModelResult:
    """Drop partly served bundles, then let the others use the freed room."""
    excluded: set[int] = set()
    for _ in range(3):
        whole = drop_partial_bundles(problem, result)
        if whole is result:
            return result
        served = {v.request for r in result.routes for v in r.visits}
        excluded |= {i for i in served if i not in _served(whole)}
        broken = {problem.requests[i].bundle for i in excluded}
        excluded |= {i for i in order if problem.requests[i].bundle in broken}
        left = deadline - time.monotonic()
        # Reading routes into a large model is not bounded by the time limit.
        if left < 0.1 or len(order) >= LARGE:
            return whole
        keep = [i for i in order if i not in excluded]
        routes = {r.vehicle: [(v.request, v.type) for v in r.visits] for r in whole.routes}
        initial = [routes.get(k, []) for k in range(len(prep.vehicles))]
        result = solve_model(
            problem,
            prep,
            keep,
            SearchConfig(),
            time_limit=left,
            solution_limit=solution_limit,
            initial=initial,
        )
        if result.objective < 0:
            return whole
    return drop_partial_bundles(problem, result)


def _served(result: ModelResult) -> set[int]:
    return {v.request for r in result.routes for v in r.visits}


def _cluster_first(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    strategy: str,
    until: float,
    progress: Progress | None,
) -> ModelResult:
    """Solve each hub cluster with its share of the fleet; combine the routes."""
    clusters = hub_clusters(problem, prep, order)
    fleets = share_vehicles(problem, prep, clusters)
    total = sum(len(c) for c in clusters)
    routes: list[ModelRoute] = []
    for n, (cluster, fleet) in enumerate(zip(clusters, fleets, strict=True)):
        left = until - time.monotonic()
        if not fleet or left <= 0.05:
            continue
        # Time in proportion to the cluster's share of what is left to do.
        rest = sum(len(c) for c in clusters[n:])
        seconds = max(0.2, left * len(cluster) / rest)
        cfg = SearchConfig(first_solution=strategy, heuristic_lns=False)
        res = solve_model(problem, prep, cluster, cfg, time_limit=seconds, vehicles=fleet)
        routes += [r for r in res.routes]
        if progress is not None:
            progress(total_distance(prep, routes), sum(len(r.visits) for r in routes) // 2)
    used = {r.vehicle for r in routes}
    routes += [ModelRoute(k, 0, 0, ()) for k in range(len(prep.vehicles)) if k not in used]
    served = sum(len(r.visits) for r in routes) // 2
    ordered = tuple(sorted(routes, key=lambda r: r.vehicle))
    return ModelResult(ordered, objective=0, solutions=len(clusters), unserved=total - served)


def _key(prep: Prepared, result: ModelResult) -> tuple[int, int]:
    """Most requests served, then least distance."""
    return -len(_served(result)), total_distance(prep, result.routes)


def _child(conn: Connection, kwargs: dict[str, object]) -> None:
    try:
        conn.send(search(**kwargs))  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - the parent logs it and carries on
        conn.send(repr(exc))
    finally:
        conn.close()


def run_portfolio(
    problem: Problem,
    prep: Prepared,
    modelled: Sequence[int],
    *,
    seed: int,
    time_limit: float,
    solution_limit: int | None,
    progress: Progress | None,
    config: SearchConfig | None,
    workers: int,
) -> ModelResult:
    if not modelled or not prep.vehicles:
        # Nothing to route (OR-Tools aborts on an empty fleet).
        return ModelResult(routes=(), objective=0, solutions=0, unserved=len(modelled))
    workers = 1 if config is not None and config.baseline else max(1, workers)
    jobs: list[dict[str, object]] = [
        {
            "problem": problem,
            "prep": prep,
            "order": _order(modelled, seed, w),
            "starts": worker_starts(seed, w, workers),
            "time_limit": time_limit,
            "solution_limit": solution_limit,
            "rng_seed": seed * 7919 + w,
            "config": config,
        }
        for w in range(workers)
    ]
    children = [child for job in jobs[1:] if (child := _start(job)) is not None]
    results: list[ModelResult | None] = [search(**jobs[0], progress=progress)]  # type: ignore[arg-type]
    results += [_collect(proc, conn) for proc, conn in children]
    # Workers return whole bundles already; this only guards a failed refill.
    whole = [None if r is None else drop_partial_bundles(problem, r) for r in results]
    return _best(prep, whole)


def _start(job: dict[str, object]) -> tuple[mp.process.BaseProcess, Connection] | None:
    # fork: the child shares the prepared matrices instead of pickling them.
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, dict(job)), daemon=True)
    try:
        proc.start()
    except (AssertionError, OSError) as exc:
        # E.g. inside a daemonic pool worker, which may not have children:
        # search with one worker instead of failing.
        logger.warning("no second worker process: %s", exc)
        recv.close()
        send.close()
        return None
    send.close()
    return proc, recv


def _collect(proc: mp.process.BaseProcess, conn: Connection) -> ModelResult | None:
    try:
        # The child has the same limit; give it a moment to send its result.
        if conn.poll(0.6):
            got = conn.recv()
            if isinstance(got, ModelResult):
                return got
            logger.warning("portfolio worker failed: %s", got)
        else:
            logger.warning("portfolio worker did not answer in time")
    except (EOFError, OSError) as exc:
        logger.warning("portfolio worker lost: %s", exc)
    finally:
        conn.close()
        proc.join(0.2)
        if proc.is_alive():
            proc.kill()
            proc.join(0.2)
    return None


def _best(prep: Prepared, results: list[ModelResult | None]) -> ModelResult:
    """Most requests served, then least distance; ties keep the earlier worker."""
    found = [r for r in results if r is not None and r.objective >= 0]
    if not found:
        first = results[0]
        assert first is not None
        return first
    return min(found, key=lambda r: _key(prep, r))


def baseline_search(
    problem: Problem, prep: Prepared, modelled: Sequence[int], seconds: float
) -> ModelResult:
    """The plain OR-Tools model the OR-Tools guide teaches (benchmarks only):
    parallel cheapest insertion, guided local search, one process."""
    if not modelled or not prep.vehicles:
        return ModelResult(routes=(), objective=0, solutions=0, unserved=len(modelled))
    config = SearchConfig(baseline=True)
    result = solve_model(problem, prep, list(modelled), config, time_limit=seconds)
    return drop_partial_bundles(problem, result)
