"""Preprocessing: resolve defaults, tighten windows, find hopeless requests.

Window tightening follows Cordeau (2006): a drop-off cannot start before the
pickup's earliest end plus the direct trip, nor after the pickup's latest end
plus the maximum ride time, and symmetrically for the pickup. Vehicle
availabilities bound both from outside.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.matrix import matrices
from planner.problem import Problem, Request, Vehicle

INF = 1 << 50


@dataclass(frozen=True)
class PreparedRequest:
    index: int
    pickup_loc: int
    dropoff_loc: int
    pickup_window: tuple[int, int]
    dropoff_window: tuple[int, int]
    max_ride: int  # INF when unlimited
    vehicles: tuple[int, ...]  # vehicles that can serve it alone
    reason: str | None  # why it cannot be served at all, else None

    def location(self, kind: str) -> int:
        """Location index of the pickup for "pickup", else of the drop-off."""
        return self.pickup_loc if kind == "pickup" else self.dropoff_loc

    def window(self, kind: str) -> tuple[int, int]:
        return self.pickup_window if kind == "pickup" else self.dropoff_window


@dataclass(frozen=True)
class PreparedVehicle:
    index: int
    start_loc: int
    end_loc: int
    available: tuple[int, int]
    max_duration: int  # INF when unlimited
    # A piece of a route (planner.search.slices): its start-to-end drive is paid
    # even when it has no stops.
    used_when_empty: bool = False


@dataclass(frozen=True)
class Prepared:
    durations: list[list[int]]
    distances: list[list[int]]
    vehicles: tuple[PreparedVehicle, ...]
    requests: tuple[PreparedRequest, ...]
    horizon: int


def prepare(problem: Problem) -> Prepared:
    durations, distances = matrices(problem)
    horizon = _horizon(problem, durations)
    where = problem.location_index()
    vehicles = tuple(
        PreparedVehicle(
            index=k,
            start_loc=where[v.start],
            end_loc=where[v.end],
            available=v.available or (0, horizon),
            max_duration=INF if v.max_duration is None else v.max_duration,
        )
        for k, v in enumerate(problem.vehicles)
    )
    prepared = [
        _prepare_request(problem, i, r, vehicles, durations, horizon, where)
        for i, r in enumerate(problem.requests)
    ]
    return Prepared(
        durations=durations,
        distances=distances,
        vehicles=vehicles,
        requests=tuple(_bundle_reasons(problem, prepared)),
        horizon=horizon,
    )


def _horizon(problem: Problem, durations: list[list[int]]) -> int:
    """A time by which everything must be over, used where nothing is given."""
    ends = [v.available[1] for v in problem.vehicles if v.available]
    for r in problem.requests:
        ends += [s.window[1] for s in (r.pickup, r.dropoff) if s.window]
    longest = max((max(row) for row in durations), default=0)
    services = sum(r.pickup.service + r.dropoff.service for r in problem.requests)
    # Without any window a route may chain every request: bound by the sum.
    slack = longest * (2 * len(problem.requests) + 2) + services
    return max(ends, default=0) + slack + 1


@dataclass(frozen=True)
class _Trip:
    """One request's pickup and drop-off as the checks below see them."""

    request: Request
    p: int  # pickup location
    d: int  # drop-off location
    pw: tuple[int, int]  # pickup window
    dw: tuple[int, int]  # drop-off window
    max_ride: int  # INF when unlimited
    durations: list[list[int]]

    @property
    def direct(self) -> int:
        return self.durations[self.p][self.d]


def _prepare_request(
    problem: Problem,
    index: int,
    request: Request,
    vehicles: tuple[PreparedVehicle, ...],
    durations: list[list[int]],
    horizon: int,
    where: dict[str, int],
) -> PreparedRequest:
    trip = _Trip(
        request,
        p=where[request.pickup.location],
        d=where[request.dropoff.location],
        pw=request.pickup.window or (0, horizon),
        dw=request.dropoff.window or (0, horizon),
        max_ride=INF if request.max_ride is None else request.max_ride,
        durations=durations,
    )
    reason = _static_reason(problem, request, trip.direct, trip.max_ride)
    able: list[int] = []
    if reason is None:
        fits = [k for k in range(len(vehicles)) if _fits(problem.vehicles[k], request)]
        able = [k for k in fits if alone_schedule(vehicles[k], trip) is not None]
        if not able:
            reason = _vehicle_reason(trip, fits, vehicles)
    pw, dw = trip.pw, trip.dw
    if reason is None:
        pw, dw = _tighten(trip, [vehicles[k] for k in able])
    return PreparedRequest(index, trip.p, trip.d, pw, dw, trip.max_ride, tuple(able), reason)


def _fits(vehicle: Vehicle, request: Request) -> bool:
    if not request.skills <= vehicle.skills:
        return False
    return all(vehicle.capacity.get(k, 0) >= q for k, q in request.load.items())


def _static_reason(problem: Problem, request: Request, direct: int, max_ride: int) -> str | None:
    """Reasons that do not depend on time: skills, load, ride length."""
    if not problem.vehicles:
        return "there are no vehicles"
    have = set().union(*(v.skills for v in problem.vehicles))
    missing = sorted(request.skills - have)
    if missing:
        return f"no vehicle has the skill {', '.join(missing)}"
    skilled = [v for v in problem.vehicles if request.skills <= v.skills]
    if not skilled:
        return f"no vehicle has all of the skills {', '.join(sorted(request.skills))}"
    if not any(_fits(v, request) for v in skilled):
        load = ", ".join(f"{k} {q}" for k, q in sorted(request.load.items()) if q)
        return f"the load ({load}) exceeds every vehicle's capacity"
    unit = problem.matrix_options.time_unit_seconds
    if direct > max_ride:
        return (
            f"direct travel {format_duration(direct, unit)} exceeds the maximum ride time "
            f"of {format_duration(max_ride, unit)}"
        )
    return None


def _windows_reason(trip: _Trip) -> str | None:
    sp = trip.request.pickup.service
    if trip.pw[0] + sp + trip.direct > trip.dw[1]:
        return "the drop-off window cannot be reached in time from the pickup window"
    if trip.dw[0] - (trip.pw[1] + sp) > trip.max_ride:
        return "the windows force a ride longer than the maximum ride time"
    return None


def _vehicle_reason(trip: _Trip, fits: list[int], vehicles: tuple[PreparedVehicle, ...]) -> str:
    if trip.request.pickup.window and trip.request.dropoff.window:
        why = _windows_reason(trip)
        if why:
            return why
    # Would any vehicle manage it if its shift had no length limit?
    relaxed = [
        k for k in fits if alone_schedule(replace(vehicles[k], max_duration=INF), trip) is not None
    ]
    if relaxed:
        return "the trip does not fit into any vehicle's maximum duration"
    return "the window cannot be reached from any vehicle's start within its availability"


def alone_schedule(vehicle: PreparedVehicle, trip: _Trip) -> tuple[int, int] | None:
    """Exact test of the route start -> pickup -> drop-off -> end.

    Returns the (pickup, drop-off) service starts or None. The drop-off is
    served as early as possible and the pickup as late as that allows,
    which minimises ride time and route duration together.
    """
    a, b = vehicle.available
    pw, dw = trip.pw, trip.dw
    sp, sd = trip.request.pickup.service, trip.request.dropoff.service
    to_p = trip.durations[vehicle.start_loc][trip.p]
    direct = trip.direct
    home = trip.durations[trip.d][vehicle.end_loc]
    bp = max(pw[0], a + to_p)
    if bp > pw[1]:
        return None
    bd = max(dw[0], bp + sp + direct)
    if bd > dw[1]:
        return None
    bp = min(pw[1], bd - sp - direct)
    if bd - bp - sp > trip.max_ride or bd + sd + home > b:
        return None
    if bd + sd + home - (bp - to_p) > vehicle.max_duration:
        return None
    return bp, bd


def _tighten(trip: _Trip, able: list[PreparedVehicle]) -> tuple[tuple[int, int], tuple[int, int]]:
    p, d, durations, max_ride = trip.p, trip.d, trip.durations, trip.max_ride
    sp, sd = trip.request.pickup.service, trip.request.dropoff.service
    direct = trip.direct
    # Outer bounds from the vehicles that could serve the request at all.
    pe = max(trip.pw[0], min(v.available[0] + durations[v.start_loc][p] for v in able))
    dl = min(trip.dw[1], max(v.available[1] - sd - durations[d][v.end_loc] for v in able))
    pl, de = trip.pw[1], trip.dw[0]
    for _ in range(2):  # two rounds reach the fixpoint of these four rules
        de = max(de, pe + sp + direct)
        dl = min(dl, pl + sp + max_ride) if max_ride < INF else dl
        pe = max(pe, de - max_ride - sp) if max_ride < INF else pe
        pl = min(pl, dl - direct - sp)
    return (pe, pl), (de, dl)


def _bundle_reasons(problem: Problem, prepared: list[PreparedRequest]) -> list[PreparedRequest]:
    """A bundle is all or none: one hopeless member sinks its partners."""
    hopeless: dict[str, str] = {}
    for r, prep in zip(problem.requests, prepared, strict=True):
        if r.bundle is not None and prep.reason is not None:
            hopeless.setdefault(r.bundle, r.id)
    out = []
    for r, prep in zip(problem.requests, prepared, strict=True):
        if prep.reason is None and r.bundle in hopeless:
            why = f"its bundle partner {hopeless[r.bundle]} cannot be served"
            prep = PreparedRequest(**{**prep.__dict__, "reason": why, "vehicles": ()})
        out.append(prep)
    return out


def format_duration(units: int, unit_seconds: float) -> str:
    """Human-readable duration for reasons, e.g. '52 min'."""
    minutes = units * unit_seconds / 60
    if abs(minutes - round(minutes)) < 0.05:
        return f"{round(minutes)} min"
    return f"{minutes:.1f} min"
