"""Time-slice large neighbourhood search: re-plan one stretch of the day at a time.

On a dial-a-ride problem a request competes with the requests that are on
the road at the same time, on whichever vehicle. Guided local search on the
whole problem moves slowly (one scan of the pair neighbourhoods of ~100
requests takes about half a second), and re-solving groups of whole routes
finds nothing on the Cordeau instances, because every route spans the whole
day. This search cuts the routes in time instead (as POPMUSIC cuts a
solution into parts):

1. Pick a stretch [t1, t2] of the day. A request is *free* when both its
   stops lie in the stretch on one route, with no other stop between them
   that stays. Everything else stays where and when it is.
2. Re-time each route first, so that stops before t1 are as early and stops
   after t2 as late as the route allows: that leaves the stretch the most
   room.
3. Every gap between two consecutive staying stops (or the route's start and
   end) becomes a vehicle of a small sub-problem: it leaves the stop before
   the gap at its departure time, must reach the stop after the gap by that
   stop's start, and has the seats left over by the riders on board.
4. OR-Tools solves the sub-problem from the current pieces, so its answer is
   never worse; a better answer is written back into the routes.

Every gap keeps its staying stops' times, so each piece fits its route and
the merged plan is valid. Only the cost terms that such a cut keeps exact
are used: distance and vehicle fixed costs. With a duration or ride-time
weight, or stable re-planning against a previous plan, the portfolio does not
call this search (`applies`).
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise

from planner.plan import VisitType
from planner.preprocess import INF, Prepared, PreparedVehicle
from planner.problem import Problem, Vehicle
from planner.search.decompose import total_distance
from planner.search.ortools_model import SearchConfig, solve_model
from planner.search.result import ModelResult, ModelRoute, ModelVisit

logger = logging.getLogger(__name__)

# The stretch covers this share of the time between the first and the last
# stop of the plan: on the Cordeau instances 20-40 requests become free, a
# sub-problem that guided local search improves within seconds where it
# crawls on the whole problem (docs/benchmarks.md has the measurements).
SLICE_SHARE = 0.5
FREE_TARGET = 36  # requests a stretch should hold on smaller problems
ROUNDS = 7  # the time is shared out so that about this many stretches are re-planned
SUB_SECONDS = 8.0  # at most, per stretch
SUB_CONFIG = SearchConfig(first_solution="PARALLEL_CHEAPEST_INSERTION", lns_time_ms=50)
MAX_JOINING = 10  # requests not served so far that one cut may take in
RETIME_ROUNDS = 50  # fixed-point passes; a route converges in a few

Progress = Callable[[int, int], None]


def applies(problem: Problem, requests: int) -> bool:
    """Whether to cut: the objective must be one that a cut in time keeps exact,
    and the problem large enough that a stretch is not the whole day (there
    one uninterrupted guided local search does better)."""
    w = problem.objective
    exact = problem.previous is None and w.duration == 0 and w.ride_time == 0
    return exact and _share(requests) < 1


def improve_slices(
    problem: Problem,
    prep: Prepared,
    result: ModelResult,
    requests: Sequence[int],
    *,
    deadline: float,
    rng: random.Random,
    progress: Progress | None = None,
) -> ModelResult:
    """Re-plan stretches of the day until `deadline` (monotonic seconds).

    `requests` are the modelled ones: those left out so far may join a
    stretch, as serving more requests comes before any saving in distance.
    """
    routes = {k: _empty(prep, k) for k in range(len(prep.vehicles))}
    routes.update({r.vehicle: r for r in result.routes})
    waiting = _waiting(routes, requests)
    starts = [v.start for r in routes.values() for v in r.visits]
    if not starts:
        return result
    seconds = min(SUB_SECONDS, max(0.5, (deadline - time.monotonic()) / ROUNDS))
    places: list[tuple[int, int]] = []
    rounds = improved = 0
    while (left := deadline - time.monotonic()) > 0.1:
        if not places:
            places = _sweep(min(starts), max(starts), len(requests), rng)
        t1, t2 = places.pop()
        cut = _Cut(t1, t2, min(seconds, left))
        new = _resolve(problem, prep, routes, waiting, cut, rng)
        rounds += 1
        if new is None:
            continue
        improved += 1
        routes.update(new)
        waiting = _waiting(routes, waiting)
        if progress is not None:
            progress(route_cost(problem, prep, routes.values()), _served(routes))
    logger.debug("time slices: %d rounds, %d improved", rounds, improved)
    ordered = tuple(routes[k] for k in sorted(routes))
    return dataclasses.replace(
        result,
        routes=ordered,
        solutions=result.solutions + improved,
        unserved=len(waiting),
    )


def _sweep(lo: int, hi: int, requests: int, rng: random.Random) -> list[tuple[int, int]]:
    """Stretches that cover [lo, hi] evenly, each overlapping the next by half, in random order.

    A stretch is SLICE_SHARE of the day, or more on small problems so that it
    holds about FREE_TARGET requests; at most the whole day.
    """
    share = _share(requests)
    if share >= 1:
        return [(lo, hi)]
    width = round(share * (hi - lo))
    step = width // 2 or 1
    offset = rng.randrange(step)
    places = [(t, t + width) for t in range(lo - width // 2 - offset, hi - width // 2 + 1, step)]
    rng.shuffle(places)
    return places


def _share(requests: int) -> float:
    return max(SLICE_SHARE, FREE_TARGET / max(1, requests))


def route_cost(problem: Problem, prep: Prepared, routes: Iterable[ModelRoute]) -> int:
    """Distance and fixed costs: the objective terms this search changes."""
    w = problem.objective
    used = [r for r in routes if r.visits]
    fixed = sum(w.vehicles + problem.vehicles[r.vehicle].fixed_cost for r in used)
    return w.distance * total_distance(prep, used) + fixed


@dataclasses.dataclass(frozen=True)
class _Cut:
    """The stretch [t1, t2] to re-plan, and the seconds to spend on it."""

    t1: int
    t2: int
    seconds: float


@dataclasses.dataclass(frozen=True)
class _Gap:
    """Stops `after` .. `before` (exclusive) of a route's elements are free.

    Elements are numbered 0 (the start), 1..n (the visits), n+1 (the end).
    """

    vehicle: int
    after: int
    before: int


def _resolve(
    problem: Problem,
    prep: Prepared,
    routes: Mapping[int, ModelRoute],
    waiting: Sequence[int],
    cut: _Cut,
    rng: random.Random,
) -> dict[int, ModelRoute] | None:
    """New routes for the vehicles with a gap in the cut if they are no worse, else None.

    No worse means: more requests served, or as many at no more cost. Equal
    cost is taken too, as another arrangement lets later cuts find more.
    """
    timed = {k: retime(problem, prep, r, cut.t1, cut.t2) for k, r in routes.items()}
    free = _free_requests(timed, cut.t1, cut.t2)
    extra = _joining(prep, waiting, cut, rng)
    if not free and not extra:
        return None
    gaps = _gaps(timed, free, cut.t1, cut.t2)
    sub_problem, sub_prep = _sub_problem(problem, prep, timed, gaps, free | set(extra))
    initial = [[(v.request, v.type) for v in _inner(timed, g)] for g in gaps]
    order = sorted(free) + extra
    rng.shuffle(order)  # another order breaks OR-Tools' ties differently
    res = solve_model(
        sub_problem, sub_prep, order, SUB_CONFIG, time_limit=cut.seconds, initial=initial
    )
    served = {v.request for r in res.routes for v in r.visits}
    if res.objective < 0 or not free <= served:
        return None
    pieces = {r.vehicle: r.visits for r in res.routes}
    touched = sorted({g.vehicle for g in gaps})
    merged = {k: _merge(timed[k], gaps, pieces, res.routes) for k in touched}
    if len(served) == len(free):
        before = route_cost(problem, prep, (routes[k] for k in touched))
        if route_cost(problem, prep, merged.values()) > before:
            return None
    return merged


def _waiting(routes: Mapping[int, ModelRoute], requests: Iterable[int]) -> list[int]:
    served = {v.request for r in routes.values() for v in r.visits}
    return [i for i in requests if i not in served]


def _joining(prep: Prepared, waiting: Sequence[int], cut: _Cut, rng: random.Random) -> list[int]:
    """Requests not served so far whose pickup may fall into the cut; a few at a time."""
    near = [
        i
        for i in waiting
        if prep.requests[i].pickup_window[0] <= cut.t2
        and prep.requests[i].pickup_window[1] >= cut.t1
    ]
    return rng.sample(near, MAX_JOINING) if len(near) > MAX_JOINING else near


def _free_requests(routes: Mapping[int, ModelRoute], t1: int, t2: int) -> set[int]:
    """Requests with both stops in [t1, t2] on one route and no staying stop between."""
    positions: dict[int, list[int]] = {}
    free: set[int] = set()
    for r in routes.values():
        inside: dict[int, list[int]] = {}
        for pos, v in enumerate(r.visits):
            positions.setdefault(v.request, []).append(pos)
            if t1 <= v.start <= t2:
                inside.setdefault(v.request, []).append(pos)
        free |= {i for i, ps in inside.items() if len(ps) == 2}
    changed = True
    while changed:
        changed = False
        for r in routes.values():
            for i in {v.request for v in r.visits} & free:
                p, d = positions[i]
                if any(r.visits[x].request not in free for x in range(p + 1, d)):
                    free.discard(i)
                    changed = True
    return free


def _gaps(routes: Mapping[int, ModelRoute], free: set[int], t1: int, t2: int) -> list[_Gap]:
    """The gaps between staying stops that hold free stops or overlap [t1, t2]."""
    gaps = []
    for k, r in routes.items():
        n = len(r.visits)
        staying = [0] + [j + 1 for j, v in enumerate(r.visits) if v.request not in free] + [n + 1]
        for a, b in pairwise(staying):
            opens = r.depart if a == 0 else r.visits[a - 1].start
            closes = r.arrive if b == n + 1 else r.visits[b - 1].start
            if b - a > 1 or (closes >= t1 and opens <= t2):
                gaps.append(_Gap(k, a, b))
    return gaps


def _sub_problem(
    problem: Problem,
    prep: Prepared,
    routes: Mapping[int, ModelRoute],
    gaps: list[_Gap],
    free: set[int],
) -> tuple[Problem, Prepared]:
    """One vehicle per gap; the free requests keep their indices."""
    vehicles, prepared = [], []
    for g, gap in enumerate(gaps):
        vehicle, pv = _gap_vehicle(problem, prep, routes[gap.vehicle], gap, g)
        vehicles.append(vehicle)
        prepared.append(pv)
    requests = list(prep.requests)
    for i in free:
        able = set(prep.requests[i].vehicles)
        fleet = tuple(g for g, gap in enumerate(gaps) if gap.vehicle in able)
        requests[i] = dataclasses.replace(prep.requests[i], vehicles=fleet)
    objective = dataclasses.replace(problem.objective, vehicles=0)
    sub_problem = dataclasses.replace(problem, vehicles=tuple(vehicles), objective=objective)
    sub_prep = dataclasses.replace(prep, vehicles=tuple(prepared), requests=tuple(requests))
    return sub_problem, sub_prep


def _gap_vehicle(
    problem: Problem, prep: Prepared, route: ModelRoute, gap: _Gap, g: int
) -> tuple[Vehicle, PreparedVehicle]:
    vehicle, pv = problem.vehicles[gap.vehicle], prep.vehicles[gap.vehicle]
    n = len(route.visits)
    whole = gap.after == 0 and gap.before == n + 1
    on_board: dict[str, int] = {}
    for v in route.visits[: gap.after]:
        sign = 1 if v.type == "pickup" else -1
        for kind, q in problem.requests[v.request].load.items():
            on_board[kind] = on_board.get(kind, 0) + sign * q
    capacity = {kind: c - on_board.get(kind, 0) for kind, c in vehicle.capacity.items()}
    if gap.after == 0:
        start_loc, opens = pv.start_loc, pv.available[0]
        if not whole and pv.max_duration < INF:
            opens = max(opens, route.arrive - pv.max_duration)
    else:
        last = route.visits[gap.after - 1]
        start_loc = prep.requests[last.request].location(last.type)
        opens = last.start + problem.requests[last.request].stop(last.type).service
    if gap.before == n + 1:
        end_loc, closes = pv.end_loc, pv.available[1]
        if not whole and pv.max_duration < INF:
            closes = min(closes, route.depart + pv.max_duration)
    else:
        nxt = route.visits[gap.before - 1]
        end_loc, closes = prep.requests[nxt.request].location(nxt.type), nxt.start
    # Only a whole route can bring a vehicle into use, or take it out.
    fixed = problem.objective.vehicles + vehicle.fixed_cost if whole else 0
    sub = dataclasses.replace(
        vehicle,
        id=f"{vehicle.id}#{g}",
        capacity=capacity,
        available=(opens, closes),
        max_duration=None,
        fixed_cost=fixed,
    )
    duration = pv.max_duration if whole else INF
    return sub, PreparedVehicle(
        g, start_loc, end_loc, (opens, closes), duration, used_when_empty=not whole
    )


def _inner(routes: Mapping[int, ModelRoute], gap: _Gap) -> tuple[ModelVisit, ...]:
    return routes[gap.vehicle].visits[gap.after : gap.before - 1]


def _merge(
    route: ModelRoute,
    gaps: list[_Gap],
    pieces: Mapping[int, tuple[ModelVisit, ...]],
    sub_routes: tuple[ModelRoute, ...],
) -> ModelRoute:
    """The route with each of its gaps' free stops replaced by the new piece."""
    by_vehicle = {r.vehicle: r for r in sub_routes}
    mine = sorted(
        (g for g, gap in enumerate(gaps) if gap.vehicle == route.vehicle),
        key=lambda g: gaps[g].after,
    )
    n = len(route.visits)
    visits: list[ModelVisit] = []
    depart, arrive, done = route.depart, route.arrive, 0
    for g in mine:
        gap = gaps[g]
        visits += route.visits[done : gap.after]  # staying stops up to the gap
        visits += pieces.get(g, ())
        if gap.after == 0 and g in by_vehicle:
            depart = by_vehicle[g].depart
        if gap.before == n + 1 and g in by_vehicle:
            arrive = by_vehicle[g].arrive
        done = gap.before - 1
    visits += route.visits[done:]
    return ModelRoute(route.vehicle, depart, arrive, tuple(visits))


# --- re-timing -----------------------------------------------------------


def retime(problem: Problem, prep: Prepared, route: ModelRoute, t1: int, t2: int) -> ModelRoute:
    """The route with stops before t1 as early and after t2 as late as it allows.

    The order of stops is kept, and every window, ride time and the route's
    duration still hold. Where a pass does not converge the times stay.
    """
    if not route.visits:
        return route
    sched = _Schedule(problem, prep, route)
    times, depart = sched.earliest_head(t1)
    times, arrive = sched.latest_tail(times, depart, t2)
    visits = tuple(
        dataclasses.replace(v, start=t) for v, t in zip(route.visits, times, strict=True)
    )
    return ModelRoute(route.vehicle, depart, arrive, visits)


class _Schedule:
    """One route's stops, windows, services and ride-time limits."""

    def __init__(self, problem: Problem, prep: Prepared, route: ModelRoute):
        self.route, self.pv = route, prep.vehicles[route.vehicle]
        self.dur = prep.durations
        visits = route.visits
        self.loc = [prep.requests[v.request].location(v.type) for v in visits]
        self.service = [problem.requests[v.request].stop(v.type).service for v in visits]
        self.window = [prep.requests[v.request].window(v.type) for v in visits]
        self.times = [v.start for v in visits]
        where = {(v.request, v.type): j for j, v in enumerate(visits)}
        # partner[j]: the other stop of the same request; ride[j]: its limit
        self.partner = [where[(v.request, _other(v.type))] for v in visits]
        self.ride = [
            self.service[where[(v.request, VisitType.PICKUP)]] + prep.requests[v.request].max_ride
            for v in visits
        ]

    def travel(self, j: int) -> int:
        """From the end of service at stop j to stop j + 1."""
        return self.service[j] + self.dur[self.loc[j]][self.loc[j + 1]]

    def earliest_head(self, t1: int) -> tuple[list[int], int]:
        """Stops before t1 (a prefix of the route) moved as early as allowed."""
        times, route = self.times, self.route
        m = next((j for j, t in enumerate(times) if t >= t1), len(times))
        if m == 0:
            return times, route.depart
        lower = [w[0] for w in self.window[:m]]
        opens = self.pv.available[0]
        if self.pv.max_duration < INF:  # leaving earlier must not make the route too long
            opens = max(opens, route.arrive - self.pv.max_duration)
        first = opens + self.dur[self.pv.start_loc][self.loc[0]]
        for _ in range(RETIME_ROUNDS):
            new = [max(lower[0], first)]
            for j in range(1, m):
                new.append(max(lower[j], new[-1] + self.travel(j - 1)))
            late = False
            for j in range(m):
                d = self.partner[j]
                if d > j:  # a pickup: the ride to its drop-off must stay short enough
                    need = (new[d] if d < m else times[d]) - self.ride[j]
                    if new[j] < need:
                        lower[j], late = need, True
            if not late:
                break
        else:
            return times, route.depart
        if any(a > b for a, b in zip(new, times[:m], strict=True)):
            return times, route.depart
        depart = max(opens, new[0] - self.dur[self.pv.start_loc][self.loc[0]])
        return new + times[m:], depart

    def latest_tail(self, times: list[int], depart: int, t2: int) -> tuple[list[int], int]:
        """Stops after t2 (a suffix of the route) moved as late as allowed."""
        n = len(times)
        f = next((j for j in range(n) if times[j] > t2), n)
        end_travel = self.service[-1] + self.dur[self.loc[-1]][self.pv.end_loc]
        if f == n:
            return times, times[-1] + end_travel
        closes = self.pv.available[1]
        if self.pv.max_duration < INF:
            closes = min(closes, depart + self.pv.max_duration)
        upper = [w[1] for w in self.window]
        for _ in range(RETIME_ROUNDS):
            new = list(times)
            nxt = closes - end_travel
            for j in range(n - 1, f - 1, -1):
                new[j] = min(upper[j], nxt)
                if j > 0:
                    nxt = new[j] - self.travel(j - 1)
            early = False
            for j in range(f, n):
                p = self.partner[j]
                if p < j and new[j] > new[p] + self.ride[j]:  # a drop-off, ride too long
                    upper[j], early = new[p] + self.ride[j], True
            if not early:
                break
        else:
            return times, times[-1] + end_travel
        if any(new[j] < times[j] for j in range(f, n)):
            return times, times[-1] + end_travel
        return new, new[-1] + end_travel


def _empty(prep: Prepared, k: int) -> ModelRoute:
    opens, closes = prep.vehicles[k].available
    return ModelRoute(k, opens, closes, ())


def _served(routes: Mapping[int, ModelRoute]) -> int:
    return sum(len(r.visits) for r in routes.values()) // 2


def _other(kind: VisitType) -> VisitType:
    return VisitType.DROPOFF if kind == VisitType.PICKUP else VisitType.PICKUP
