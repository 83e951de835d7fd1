"""The production search: the native ALNS core (`_alns.cpp`), driven from Python.

The problem goes to the core as one flat int64 buffer (layout below); the core
runs `params.workers` searches in threads (the GIL is released), each with its
own random stream, and returns the best plan (most requests served, then
least cost; ties go to the lower worker index). A small int64 control block
is shared while it runs: the core writes its progress there, and Python sets
its stop flag when a stopping criterion that the core cannot evaluate itself
says so. Built-in criteria (`MaxRuntime`, `MaxSolutions`, `FirstOf`) are
evaluated inside the core, so a solution-count stop is exact and the result
depends only on the seed.

Buffer layout (version 1), all int64:
    header: 1, locations, requests, vehicles, load kinds, seed, workers,
            max solutions (-1: none), time limit ms (-1: none), min remove,
            max remove, remove percent, start temperature (per mille of the
            mean cost per request), cooling (per million per solution),
            weights: distance, duration, ride time, stability, vehicle change,
            stability tolerance, stability limit
    durations and distances: locations x locations each
    per vehicle: start, end, available from, available to, max duration (-1: none),
                 fixed cost, capacity per kind
    per request: pickup location, drop-off location, pickup window (2),
                 drop-off window (2), pickup service, drop-off service,
                 max ride (-1: none), bundle (-1: none), previous vehicle (-1),
                 previous pickup time (NO_TIME: none), load per kind,
                 number of allowed vehicles, the allowed vehicles
    initial routes: 0, or 1 and per vehicle its length and node ids
                    (2 x request position, + 1 for the drop-off)
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.params import SolveParams
from planner.plan import VisitType
from planner.preprocess import INF, Prepared
from planner.problem import Problem
from planner.search.result import ModelResult, ModelRoute, ModelVisit
from planner.stop import SearchProgress, StoppingCriterion, native_limits

logger = logging.getLogger(__name__)

try:
    from planner.search import _alns  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the build
    _alns = None

NO_TIME = -(1 << 58)
POLL_SECONDS = 0.05

Progress = Callable[[int, int], None]


def available() -> bool:
    """Whether the native core was built (``make install`` builds it)."""
    return _alns is not None


@dataclass(frozen=True)
class NativeRun:
    result: ModelResult
    worker: int  # the worker whose plan won
    solutions: tuple[int, ...]  # searched by each worker


def search(
    problem: Problem,
    prep: Prepared,
    modelled: Sequence[int],
    stop: StoppingCriterion,
    *,
    seed: int,
    params: SolveParams,
    began: float,
    progress: Progress | None = None,
) -> NativeRun:
    """Run the native ALNS on the modelled requests until `stop` says so."""
    assert _alns is not None, "the native core is not built"
    seconds, solutions, custom = native_limits(stop)
    if seconds is not None:
        seconds = max(0.0, seconds - (time.monotonic() - began))
    data = pack(
        problem, prep, modelled, seed=seed, params=params, seconds=seconds, solutions=solutions
    )
    control = array("q", [0] * 8)
    out: list[list[int]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            out.append(_alns.solve(data, control))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="planner-alns", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(POLL_SECONDS)
        state = SearchProgress(
            elapsed=time.monotonic() - began,
            solutions=control[1],
            best_cost=control[3],
            unserved=control[2],
        )
        if progress is not None:
            progress(state.best_cost, len(modelled) - state.unserved)
        if custom and stop(state):
            control[0] = 1
    if failure:
        raise failure[0]
    return unpack(out[0], modelled, len(prep.vehicles), params.workers)


def pack(
    problem: Problem,
    prep: Prepared,
    modelled: Sequence[int],
    *,
    seed: int,
    params: SolveParams,
    seconds: float | None,
    solutions: int | None,
) -> array[int]:
    w = problem.objective
    replanning = problem.previous is not None and w.stability > 0
    kinds = sorted({k for i in modelled for k, q in problem.requests[i].load.items() if q})
    buf = array(
        "q",
        [
            1,
            len(prep.durations),
            len(modelled),
            len(prep.vehicles),
            len(kinds),
            seed,
            params.workers,
            -1 if solutions is None else solutions,
            -1 if seconds is None else int(seconds * 1000),
            params.min_remove,
            params.max_remove,
            round(params.remove_share * 100),
            round(params.start_temperature * 1000),
            round(params.cooling * 1_000_000),
            w.distance,
            w.duration,
            w.ride_time,
            w.stability if replanning else 0,
            w.stability * w.vehicle_change if replanning else 0,
            w.stability_tolerance,
            w.stability_limit,
        ],
    )
    for table in (prep.durations, prep.distances):
        for row in table:
            buf.extend(row)
    for k, pv in enumerate(prep.vehicles):
        vehicle = problem.vehicles[k]
        buf.extend(
            [
                pv.start_loc,
                pv.end_loc,
                pv.available[0],
                pv.available[1],
                -1 if pv.max_duration >= INF else pv.max_duration,
                w.vehicles + vehicle.fixed_cost,
            ]
        )
        buf.extend(vehicle.capacity.get(kind, 0) for kind in kinds)
    prev_vehicle, prev_time = _previous(problem) if replanning else ({}, {})
    bundles: dict[str, int] = {}
    for i in modelled:
        r, pr = problem.requests[i], prep.requests[i]
        bundle = -1 if r.bundle is None else bundles.setdefault(r.bundle, len(bundles))
        buf.extend(
            [
                pr.pickup_loc,
                pr.dropoff_loc,
                *pr.pickup_window,
                *pr.dropoff_window,
                r.pickup.service,
                r.dropoff.service,
                -1 if pr.max_ride >= INF else pr.max_ride,
                bundle,
                prev_vehicle.get(i, -1),
                prev_time.get(i, NO_TIME),
            ]
        )
        buf.extend(r.load.get(kind, 0) for kind in kinds)
        buf.append(len(pr.vehicles))
        buf.extend(pr.vehicles)
    _initial(buf, problem, modelled, len(prep.vehicles))
    return buf


def _previous(problem: Problem) -> tuple[dict[int, int], dict[int, int]]:
    """Request index -> vehicle index and pickup time in the previous plan."""
    assert problem.previous is not None
    req = {r.id: i for i, r in enumerate(problem.requests)}
    veh = {v.id: k for k, v in enumerate(problem.vehicles)}
    vehicles: dict[int, int] = {}
    times: dict[int, int] = {}
    for route in problem.previous.routes:
        for visit in route.visits:
            i = req.get(visit.request)
            if i is None or visit.type != VisitType.PICKUP:
                continue
            times[i] = visit.start
            if route.vehicle in veh:
                vehicles[i] = veh[route.vehicle]
    return vehicles, times


def _initial(buf: array[int], problem: Problem, modelled: Sequence[int], vehicles: int) -> None:
    """The previous plan's routes, minus what no longer exists, as the start."""
    if problem.previous is None:
        buf.append(0)
        return
    pos = {problem.requests[i].id: p for p, i in enumerate(modelled)}
    veh = {v.id: k for k, v in enumerate(problem.vehicles)}
    routes: list[list[int]] = [[] for _ in range(vehicles)]
    for route in problem.previous.routes:
        k = veh.get(route.vehicle)
        if k is None:
            continue
        kinds: dict[int, set[VisitType]] = {}
        for visit in route.visits:
            if visit.request in pos:
                kinds.setdefault(pos[visit.request], set()).add(visit.type)
        for visit in route.visits:
            p = pos.get(visit.request)
            if p is not None and len(kinds[p]) == 2:
                routes[k].append(2 * p + (visit.type == VisitType.DROPOFF))
        # a request listed twice (malformed previous plan) is dropped
        seen: dict[int, int] = {}
        for node in routes[k]:
            seen[node] = seen.get(node, 0) + 1
        if any(n > 1 for n in seen.values()):
            bad = {node >> 1 for node, n in seen.items() if n > 1}
            routes[k] = [node for node in routes[k] if node >> 1 not in bad]
    taken: set[int] = set()
    for k, nodes in enumerate(routes):
        # a request on two routes of the previous plan keeps the first
        routes[k] = [node for node in nodes if node >> 1 not in taken]
        taken |= {node >> 1 for node in routes[k]}
    buf.append(1)
    for nodes in routes:
        buf.append(len(nodes))
        buf.extend(nodes)


def unpack(out: list[int], modelled: Sequence[int], vehicles: int, workers: int) -> NativeRun:
    worker, unserved, cost = out[0], out[1], out[2]
    solutions = tuple(out[3 : 3 + workers])
    at = 3 + workers
    routes = []
    for k in range(vehicles):
        n, depart, arrive = out[at], out[at + 1], out[at + 2]
        at += 3
        visits = []
        for _ in range(n):
            node, start = out[at], out[at + 1]
            at += 2
            kind = VisitType.DROPOFF if node & 1 else VisitType.PICKUP
            visits.append(ModelVisit(modelled[node >> 1], kind, start))
        routes.append(ModelRoute(k, depart, arrive, tuple(visits)))
    result = ModelResult(tuple(routes), objective=cost, solutions=sum(solutions), unserved=unserved)
    return NativeRun(result, worker, solutions)
