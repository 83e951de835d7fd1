"""Cordeau-format DARP instance files as planner problems, and their exact cost.

Two layouts are read: the "a"/"b" files of Cordeau (2006) (header `K n T Q L`,
2n+2 nodes, node 2n+1 the end depot) and the "pr" files of Cordeau & Laporte
(2003) (header `K 2n T Q L`, 2n+1 nodes, routes end at node 0).

Times and distances in the files are Euclidean minutes with decimals. The
contract wants integers, so one minute becomes SCALE units. Travel times are
rounded up: a plan feasible with rounded-up times is feasible with the true
ones (it may only wait longer), so every reported plan is truly feasible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from planner._parse import ProblemError
from planner.plan import Plan
from planner.problem import (
    Location,
    Matrix,
    MatrixOptions,
    Objective,
    Problem,
    Request,
    Stop,
    Vehicle,
)

SCALE = 1000  # time and distance units per minute


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    service: float
    load: int
    earliest: float
    latest: float


@dataclass(frozen=True)
class Instance:
    name: str
    vehicles: int
    requests: int
    max_duration: float
    capacity: int
    max_ride: float
    nodes: tuple[Node, ...]  # 0 start depot, 1..n pickups, n+1..2n drop-offs, then the end depot


def read_instance(path: Path) -> Instance:
    try:
        lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
        k, n, t, q, ride = (float(x) for x in lines[0][:5])
        nodes = tuple(
            Node(float(c[1]), float(c[2]), float(c[3]), int(float(c[4])), float(c[5]), float(c[6]))
            for c in lines[1:]
        )
    except (OSError, ValueError, IndexError) as exc:
        raise ProblemError(f"{path}: not a Cordeau instance ({exc})") from exc
    requests = int(n)
    if len(nodes) >= 2 * requests + 2:
        nodes = nodes[: 2 * requests + 2]
    elif requests % 2 == 0 and len(nodes) == requests + 1:
        # Cordeau & Laporte (2003): the header counts nodes, routes end at node 0.
        requests //= 2
        nodes = nodes + (nodes[0],)
    else:
        raise ProblemError(f"{path}: expected {2 * requests + 2} node lines, found {len(nodes)}")
    return Instance(path.stem, int(k), requests, t, int(q), ride, nodes)


def _units(minutes: float) -> int:
    return round(minutes * SCALE)


def to_problem(inst: Instance) -> Problem:
    n = inst.requests
    ids = [f"n{i}" for i in range(2 * n + 2)]
    locs = tuple(Location(id=i) for i in ids)
    durations, distances = [], []
    for a in inst.nodes:
        exact = [math.hypot(a.x - b.x, a.y - b.y) * SCALE for b in inst.nodes]
        durations.append(tuple(math.ceil(e - 1e-9) for e in exact))
        distances.append(tuple(round(e) for e in exact))
    depot = inst.nodes[0]
    available = (_units(depot.earliest), _units(depot.latest))
    vehicles = tuple(
        Vehicle(
            id=f"v{k}",
            start=ids[0],
            end=ids[2 * n + 1],
            capacity={"seats": inst.capacity},
            available=available,
            max_duration=_units(inst.max_duration),
        )
        for k in range(inst.vehicles)
    )
    requests = tuple(_request(inst, i, ids) for i in range(1, n + 1))
    return Problem(
        locations=locs,
        vehicles=vehicles,
        requests=requests,
        matrix=Matrix(durations=tuple(durations), distances=tuple(distances)),
        objective=Objective(distance=1),
        # One unit is 1/SCALE minute; reasons then read in minutes.
        matrix_options=MatrixOptions(time_unit_seconds=60 / SCALE),
    )


def _request(inst: Instance, i: int, ids: list[str]) -> Request:
    p, d = inst.nodes[i], inst.nodes[i + inst.requests]
    return Request(
        id=f"r{i}",
        pickup=Stop(ids[i], (_units(p.earliest), _units(p.latest)), _units(p.service)),
        dropoff=Stop(
            ids[i + inst.requests], (_units(d.earliest), _units(d.latest)), _units(d.service)
        ),
        load={"seats": p.load},
        max_ride=_units(inst.max_ride),
    )


def exact_cost(inst: Instance, plan: Plan) -> float:
    """Unrounded Euclidean length of all routes, depot legs included."""
    index = {f"n{i}": i for i in range(len(inst.nodes))}
    total = 0.0
    for route in plan.routes:
        if not route.visits:
            continue
        path = [route.start.location] + [v.location for v in route.visits] + [route.end.location]
        for a, b in zip(path, path[1:], strict=False):
            na, nb = inst.nodes[index[a]], inst.nodes[index[b]]
            total += math.hypot(na.x - nb.x, na.y - nb.y)
    return total
