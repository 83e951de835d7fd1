"""Run a few differently seeded searches side by side and keep the best.

Local search on the DARP depends strongly on where it starts: different
first solutions end in different valleys. With two cores, a second process
searching from another start is the cheapest large gain in quality.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection

from planner._ortools_model import ModelResult, SearchConfig, solve_model
from planner.decompose import improve, total_distance
from planner.preprocess import Prepared
from planner.problem import Problem

logger = logging.getLogger(__name__)

# Worker w of seed s starts from STARTS[(s + w) % len(STARTS)].
STARTS = (
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_COST_INSERTION",
)


def worker_setup(
    seed: int, worker: int, modelled: Sequence[int], config: SearchConfig | None
) -> tuple[list[int], SearchConfig]:
    """Request order and search settings of one worker, fixed by seed and index."""
    order = list(modelled)
    if seed or worker:
        # Another node order changes every tie-break in OR-Tools' heuristics.
        random.Random(seed * 7919 + worker).shuffle(order)
    if config is not None:
        return order, config
    return order, SearchConfig(first_solution=STARTS[(seed + worker) % len(STARTS)])


GLOBAL_SHARE = 0.5  # of the time limit, for the search over the whole problem
SUB_SECONDS = 0.8  # per re-solved group of routes


def search(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    config: SearchConfig,
    *,
    time_limit: float,
    solution_limit: int | None,
    rng_seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> ModelResult:
    """One worker: a global search, then route-group decomposition."""
    deadline = time.monotonic() + time_limit
    # With few vehicles a group would be the whole problem: search globally.
    decompose = solution_limit is None and not config.baseline and len(prep.vehicles) > 3
    share = GLOBAL_SHARE if decompose else 1.0
    result = solve_model(
        problem,
        prep,
        order,
        config,
        time_limit=time_limit * share,
        solution_limit=solution_limit,
        progress=progress,
    )
    if not decompose or result.objective < 0:
        return result
    return improve(
        problem,
        prep,
        result,
        deadline=deadline,
        rng=random.Random(rng_seed),
        sub_seconds=SUB_SECONDS,
        progress=progress,
    )


def _child(
    conn: Connection,
    problem: Problem,
    prep: Prepared,
    order: list[int],
    config: SearchConfig,
    time_limit: float,
    solution_limit: int | None,
    rng_seed: int,
) -> None:
    try:
        conn.send(
            search(
                problem,
                prep,
                order,
                config,
                time_limit=time_limit,
                solution_limit=solution_limit,
                rng_seed=rng_seed,
            )
        )
    except Exception as exc:  # noqa: BLE001 - the parent logs and carries on
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
    progress: Callable[[int, int], None] | None,
    config: SearchConfig | None,
    workers: int,
) -> ModelResult:
    if not modelled or not prep.vehicles:
        # Nothing to route (OR-Tools aborts on an empty fleet).
        return ModelResult(routes=(), objective=0, solutions=0, unserved=len(modelled))
    setups = [worker_setup(seed, w, modelled, config) for w in range(max(1, workers))]
    if config is not None and config.baseline:
        setups = setups[:1]
    children = [
        _start(problem, prep, o, c, time_limit, solution_limit, seed * 7919 + w + 1)
        for w, (o, c) in enumerate(setups[1:], start=1)
    ]
    order, cfg = setups[0]
    results = [
        search(
            problem,
            prep,
            order,
            cfg,
            time_limit=time_limit,
            solution_limit=solution_limit,
            rng_seed=seed * 7919,
            progress=progress,
        )
    ]
    results += [_collect(proc, conn) for proc, conn in children]
    return _best(prep, results)


def _start(
    problem: Problem,
    prep: Prepared,
    order: list[int],
    config: SearchConfig,
    time_limit: float,
    solution_limit: int | None,
    rng_seed: int,
) -> tuple[mp.process.BaseProcess, Connection]:
    # fork: the child shares the prepared matrices instead of pickling them.
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(send, problem, prep, order, replace(config), time_limit, solution_limit, rng_seed),
        daemon=True,
    )
    proc.start()
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
    return None


def _best(prep: Prepared, results: list[ModelResult | None]) -> ModelResult:
    """Most requests served, then least distance; ties keep the earlier worker."""
    found = [r for r in results if r is not None and r.objective >= 0]
    if not found:
        first = results[0]
        assert first is not None
        return first
    return min(found, key=lambda r: (r.unserved, total_distance(prep, r.routes)))
