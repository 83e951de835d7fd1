"""An independent validator: recomputes every plan from the problem alone.

It shares no code with the solver: times are re-simulated from the matrix,
so a bug in the model or in reading its solution shows up here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from planner.matrix import matrices
from planner.plan import Plan, Route
from planner.problem import Problem, Request, Vehicle


@dataclass
class _Context:
    problem: Problem
    durations: list[list[int]]
    distances: list[list[int]]
    where: dict[str, int]
    requests: dict[str, Request]
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)


def check(problem: Problem, plan: Plan) -> list[str]:
    """Every rule of the contract that `plan` breaks, as readable lines."""
    durations, distances = matrices(problem)
    ctx = _Context(
        problem=problem,
        durations=durations,
        distances=distances,
        where=problem.location_index(),
        requests={r.id: r for r in problem.requests},
    )
    vehicles = {v.id: v for v in problem.vehicles}
    served: dict[str, str] = {}
    for k, route in enumerate(plan.routes):
        vehicle = vehicles.get(route.vehicle)
        if vehicle is None:
            ctx.error(f"routes[{k}]: unknown vehicle {route.vehicle!r}")
            continue
        for rid in _check_route(ctx, f"routes[{k}] ({route.vehicle})", route, vehicle):
            if rid in served:
                ctx.error(f"request {rid} is served by {served[rid]} and {route.vehicle}")
            served[rid] = route.vehicle
    _check_vehicles_once(ctx, plan)
    _check_coverage(ctx, plan, served)
    _check_bundles(ctx, served)
    _check_summary(ctx, plan, served)
    return ctx.errors


def _check_vehicles_once(ctx: _Context, plan: Plan) -> None:
    for vid, n in Counter(r.vehicle for r in plan.routes).items():
        if n > 1:
            ctx.error(f"vehicle {vid} has {n} routes")


def _check_route(ctx: _Context, name: str, route: Route, vehicle: Vehicle) -> list[str]:
    """Simulate one route; returns the requests it fully serves."""
    if route.start.location != vehicle.start:
        ctx.error(f"{name}: starts at {route.start.location}, vehicle starts at {vehicle.start}")
    if route.end.location != vehicle.end:
        ctx.error(f"{name}: ends at {route.end.location}, vehicle ends at {vehicle.end}")
    dur, dist = ctx.durations, ctx.distances
    here, clock, distance = ctx.where[vehicle.start], route.start.time, 0
    load: Counter[str] = Counter()
    picked: dict[str, int] = {}  # request -> end of service at pickup
    done: list[str] = []
    for i, visit in enumerate(route.visits):
        where = f"{name}.visits[{i}] ({visit.request} {visit.type})"
        req = ctx.requests.get(visit.request)
        if req is None:
            ctx.error(f"{where}: unknown request")
            continue
        stop = req.pickup if visit.type == "pickup" else req.dropoff
        if visit.location != stop.location:
            ctx.error(f"{where}: location {visit.location}, the request says {stop.location}")
        loc = ctx.where[stop.location]
        arrival = clock + dur[here][loc]
        distance += dist[here][loc]
        if visit.arrival != arrival:
            ctx.error(f"{where}: arrival {visit.arrival}, recomputed {arrival}")
        if visit.start < arrival:
            ctx.error(f"{where}: service starts at {visit.start} before arrival {arrival}")
        if stop.window and not stop.window[0] <= visit.start <= stop.window[1]:
            ctx.error(f"{where}: start {visit.start} outside window {list(stop.window)}")
        _skills(ctx, where, req, vehicle)
        if visit.type == "pickup":
            _pickup(ctx, where, req, visit.start + stop.service, picked, load, vehicle)
        else:
            _dropoff(ctx, where, req, visit.start, picked, load, done)
        here, clock = loc, max(visit.start, arrival) + stop.service
    for rid in picked:
        ctx.error(f"{name}: request {rid} is picked up but never dropped off")
    _route_end(
        ctx, name, route, vehicle, here, clock, distance + dist[here][ctx.where[vehicle.end]]
    )
    return done


def _skills(ctx: _Context, where: str, req: Request, vehicle: Vehicle) -> None:
    missing = req.skills - vehicle.skills
    if missing:
        ctx.error(f"{where}: vehicle lacks skill {', '.join(sorted(missing))}")


def _pickup(
    ctx: _Context,
    where: str,
    req: Request,
    ready: int,
    picked: dict[str, int],
    load: Counter[str],
    vehicle: Vehicle,
) -> None:
    if req.id in picked:
        ctx.error(f"{where}: picked up twice")
    picked[req.id] = ready
    load.update(req.load)
    for kind, amount in load.items():
        cap = vehicle.capacity.get(kind, 0)
        if amount > cap:
            ctx.error(f"{where}: load {kind} {amount} exceeds capacity {cap}")


def _dropoff(
    ctx: _Context,
    where: str,
    req: Request,
    start: int,
    picked: dict[str, int],
    load: Counter[str],
    done: list[str],
) -> None:
    if req.id not in picked:
        ctx.error(f"{where}: drop-off without an earlier pickup on this route")
        return
    ride = start - picked.pop(req.id)
    if req.max_ride is not None and ride > req.max_ride:
        ctx.error(f"{where}: ride time {ride} exceeds max_ride {req.max_ride}")
    load.subtract(req.load)
    done.append(req.id)


def _route_end(
    ctx: _Context,
    name: str,
    route: Route,
    vehicle: Vehicle,
    here: int,
    clock: int,
    distance: int,
) -> None:
    arrival = clock + ctx.durations[here][ctx.where[vehicle.end]]
    if route.end.time < arrival:
        ctx.error(f"{name}: end time {route.end.time} before possible arrival {arrival}")
    if vehicle.available:
        a, b = vehicle.available
        if route.start.time < a:
            ctx.error(f"{name}: starts at {route.start.time} before availability {a}")
        if route.end.time > b:
            ctx.error(f"{name}: ends at {route.end.time} after availability {b}")
    duration = route.end.time - route.start.time
    if vehicle.max_duration is not None and duration > vehicle.max_duration:
        ctx.error(f"{name}: duration {duration} exceeds max_duration {vehicle.max_duration}")
    if route.duration != duration:
        ctx.error(f"{name}: duration {route.duration}, recomputed {duration}")
    if route.distance != distance:
        ctx.error(f"{name}: distance {route.distance}, recomputed {distance}")


def _check_coverage(ctx: _Context, plan: Plan, served: dict[str, str]) -> None:
    listed = Counter(u.request for u in plan.unassigned)
    for rid, n in listed.items():
        if rid not in ctx.requests:
            ctx.error(f"unassigned: unknown request {rid}")
        if n > 1:
            ctx.error(f"unassigned: request {rid} listed {n} times")
        if rid in served:
            ctx.error(f"request {rid} is both served and unassigned")
    for u in plan.unassigned:
        if not u.reason.strip():
            ctx.error(f"unassigned: request {u.request} has no reason")
    for rid in ctx.requests:
        if rid not in served and rid not in listed:
            ctx.error(f"request {rid} is neither served nor unassigned")


def _check_bundles(ctx: _Context, served: dict[str, str]) -> None:
    bundles: dict[str, list[str]] = {}
    for r in ctx.problem.requests:
        if r.bundle is not None:
            bundles.setdefault(r.bundle, []).append(r.id)
    for name, members in bundles.items():
        got = [m for m in members if m in served]
        if got and len(got) != len(members):
            missing = sorted(set(members) - set(got))
            ctx.error(f"bundle {name}: {', '.join(got)} served but {', '.join(missing)} not")


def _check_summary(ctx: _Context, plan: Plan, served: dict[str, str]) -> None:
    s = plan.summary
    if s.served != len(served):
        ctx.error(f"summary.served is {s.served}, the routes serve {len(served)}")
    if s.requests != len(ctx.problem.requests):
        ctx.error(f"summary.requests is {s.requests}, the problem has {len(ctx.problem.requests)}")
    distance = sum(r.distance for r in plan.routes)
    if s.distance != distance:
        ctx.error(f"summary.distance is {s.distance}, the routes add up to {distance}")
