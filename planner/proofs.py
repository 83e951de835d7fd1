"""Proofs for requests the search left out although each was possible alone.

A request that some vehicle could serve on its own may still be impossible
together with others: six children need a child seat at the same session and
the fleet cannot carry all six in time. This module proves such cases, so that
the reason may say "impossible" only when it is.

The argument, for a load kind c (e.g. child seats) and a group S of requests
that each need c:

1. *S must share the vehicle at one moment.* For each pair in S, neither can
   be dropped off before the other is picked up (their windows, the service
   times and the fastest possible travel between the stops rule it out). So
   on any route serving two of them both are on board together, and on a
   route serving several of them all are on board at one point (pairwise
   overlapping intervals on a line share a point). The c-load a vehicle takes
   from S is therefore at most its c-capacity.
2. *Every vehicle's share is checked exactly.* For each vehicle and each
   subset of S within its c-capacity, every order of the subset's stops is
   tried against windows, ride limits, the shift, the maximum duration and
   every capacity kind. A route of the real plan restricted to its members of
   S keeps its times; its travel between two kept stops is at least the
   shortest path (`_shortest_paths`), so a subset that fails with
   shortest-path travel times is served by no route at all.
3. *Every split of S among the vehicles is counted.* If at most M < |S| of S
   can be served by disjoint feasible subsets, at most M of S are served in
   any plan. When the plan serves M of them, each one left out carries the
   proof.

Everything is bounded (group size, subsets, orders, locations); beyond the
bounds there is no proof and the request keeps "not placed in the time given".
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from planner.preprocess import INF, Prepared, PreparedVehicle
from planner.problem import Problem

MAX_GROUP = 12  # requests in one group S
MAX_LOCATIONS = 300  # all-pairs shortest paths cost locations³ (0.1 s at 300)
MAX_CHECKS = 20_000  # route schedules evaluated for one group …
MAX_CHECKS_TOTAL = 100_000  # … and for all groups of one plan …
MAX_SECONDS = 0.5  # … and at most this long, after the search's own limit

GROUP_REASON = (
    "at most {served} of the {group} requests that need {kind} at the same time can be "
    "served together (every split among the vehicles checked against capacity, windows "
    "and ride times); this one is left out"
)

# For a member of a bundle whose partner carries a proof: bundles are all or none.
PARTNER_REASON = "its bundle partner {other} is left out: {why}"


class _OverBudget(Exception):
    """The proof would take too long; no reason is claimed."""


@dataclass(frozen=True)
class _Stop:
    request: int
    pickup: bool
    location: int
    window: tuple[int, int]
    service: int


def group_reasons(
    problem: Problem, prep: Prepared, unserved: Iterable[int], served: set[int]
) -> dict[int, str]:
    """Proved reasons for unserved requests (indices) that each could be served alone.

    `served` holds the indices the plan serves; a group's proof is given only
    when the plan serves as many of the group as any plan can.
    """
    pending = [i for i in unserved if prep.requests[i].reason is None]
    if not pending or len(prep.durations) > MAX_LOCATIONS:
        return {}
    facts = _Facts(problem, prep, time.monotonic() + MAX_SECONDS)
    reasons: dict[int, str] = {}
    for i in pending:
        if i in reasons or facts.budget <= 0 or time.monotonic() > facts.deadline:
            continue
        for kind in _scarcest_first(problem, i):
            found = _prove(facts, i, kind, served)
            if found is not None:
                group, most = found
                text = GROUP_REASON.format(served=most, group=len(group), kind=kind)
                reasons.update({j: text for j in group if j not in served})
                break
    return _with_partners(problem, pending, reasons)


def _with_partners(problem: Problem, pending: list[int], reasons: dict[int, str]) -> dict[int, str]:
    """A request without a proof of its own whose bundle partner has one shares it."""
    proved_in: dict[str, int] = {}
    for j in sorted(reasons):
        bundle = problem.requests[j].bundle
        if bundle is not None:
            proved_in.setdefault(bundle, j)
    out = dict(reasons)
    for i in pending:
        partner = proved_in.get(problem.requests[i].bundle or "")
        if i not in reasons and partner is not None:
            out[i] = PARTNER_REASON.format(other=problem.requests[partner].id, why=reasons[partner])
    return out


def _scarcest_first(problem: Problem, i: int) -> list[str]:
    """The request's load kinds, those the fleet has least of first."""
    kinds = [k for k, q in problem.requests[i].load.items() if q > 0]
    return sorted(kinds, key=lambda k: (sum(v.capacity.get(k, 0) for v in problem.vehicles), k))


class _Facts:
    """The problem seen with shortest-path travel times and windows derived from them.

    Consecutive stops of a sub-route may be separated by other stops in a real
    route; their travel time is at least the shortest path, whatever the matrix.
    The windows are the given ones narrowed by rules that hold for every
    feasible plan (not the search's tightened windows, which assume the
    triangle inequality).
    """

    def __init__(self, problem: Problem, prep: Prepared, deadline: float) -> None:
        self.problem, self.prep, self.deadline = problem, prep, deadline
        self.shortest = _shortest_paths(prep.durations)
        self.budget = MAX_CHECKS_TOTAL
        self._stops: dict[int, tuple[_Stop, _Stop]] = {}

    def travel(self, a: int, b: int) -> int:
        return self.shortest[a][b]

    def stops(self, i: int) -> tuple[_Stop, _Stop]:
        if i not in self._stops:
            self._stops[i] = self._derive_stops(i)
        return self._stops[i]

    def _derive_stops(self, i: int) -> tuple[_Stop, _Stop]:
        r, pr = self.problem.requests[i], self.prep.requests[i]
        horizon = (0, self.prep.horizon)
        pe, pl = r.pickup.window or horizon
        de, dl = r.dropoff.window or horizon
        if pr.reason is None:
            sp, limit = r.pickup.service, pr.max_ride
            direct = self.travel(pr.pickup_loc, pr.dropoff_loc)
            for _ in range(2):
                de = max(de, pe + sp + direct)
                pl = min(pl, dl - direct - sp)
                if limit < INF:
                    dl = min(dl, pl + sp + limit)
                    pe = max(pe, de - limit - sp)
        return (
            _Stop(i, True, pr.pickup_loc, (pe, pl), r.pickup.service),
            _Stop(i, False, pr.dropoff_loc, (de, dl), r.dropoff.service),
        )


def _prove(facts: _Facts, i: int, kind: str, served: set[int]) -> tuple[list[int], int] | None:
    group = _group(facts, i, kind)
    if len(group) < 2:
        return None
    try:
        most = _most_served(facts, group, kind)
    except _OverBudget:
        return None
    # The plan's choice must be a best one, or "left out" would hide a search shortfall.
    if most >= len(group) or sum(j in served for j in group) < most:
        return None
    return group, most


def _group(facts: _Facts, i: int, kind: str) -> list[int]:
    """Requests needing `kind` that pairwise cannot share a vehicle one after the other."""
    requests = facts.problem.requests
    candidates = [
        j
        for j, r in enumerate(requests)
        if j != i and r.load.get(kind, 0) > 0 and facts.prep.requests[j].reason is None
    ]

    def centre(j: int) -> float:
        return sum(facts.stops(j)[1].window) / 2

    candidates.sort(key=lambda j: (abs(centre(j) - centre(i)), j))
    group = [i]
    for j in candidates:
        if len(group) == MAX_GROUP:
            break
        if all(_must_overlap(facts, j, g) for g in group):
            group.append(j)
    return sorted(group)


def _must_overlap(facts: _Facts, a: int, b: int) -> bool:
    return not _one_after_other(facts, a, b) and not _one_after_other(facts, b, a)


def _one_after_other(facts: _Facts, a: int, b: int) -> bool:
    """Could a vehicle drop `a` off before it picks `b` up?"""
    drop_a = facts.stops(a)[1]
    pick_b, drop_b = facts.stops(b)
    at_b = drop_a.window[0] + drop_a.service + facts.travel(drop_a.location, pick_b.location)
    if at_b > pick_b.window[1]:
        return False
    picked = max(at_b, pick_b.window[0]) + pick_b.service
    return picked + facts.travel(pick_b.location, drop_b.location) <= drop_b.window[1]


def _most_served(facts: _Facts, group: list[int], kind: str) -> int:
    """The largest number of `group` that disjoint feasible vehicle shares can serve."""
    budget = [MAX_CHECKS]
    reach = {0}
    for vehicle in facts.prep.vehicles:
        shares = _feasible_shares(facts, vehicle, group, kind, budget)
        reach |= {m | s for m in reach for s in shares if not m & s}
    return max(m.bit_count() for m in reach)


def _feasible_shares(
    facts: _Facts, vehicle: PreparedVehicle, group: list[int], kind: str, budget: list[int]
) -> list[int]:
    """Bit masks (over `group`) of the subsets this vehicle can serve alone.

    Subsets grow one request at a time, and only from feasible ones: a
    superset of a subset that fails fails too.
    """
    own = facts.problem.vehicles[vehicle.index]
    capacity = own.capacity.get(kind, 0)
    able = [n for n, j in enumerate(group) if _fits(facts, own.capacity, own.skills, j)]
    feasible = {0}
    frontier = [0]
    while frontier:
        grown = []
        for mask in frontier:
            for n in able:
                bigger = mask | 1 << n
                if bigger <= mask or 1 << n < mask.bit_length() and mask >> n & 1:
                    continue
                if mask and n < mask.bit_length() - 1:
                    continue  # each subset is built once, adding members in index order
                bigger = mask | 1 << n
                members = [group[b] for b in range(len(group)) if bigger >> b & 1]
                load = sum(facts.problem.requests[j].load[kind] for j in members)
                smaller = (bigger & ~(1 << b) for b in range(len(group)) if bigger >> b & 1)
                if load > capacity or not all(m in feasible for m in smaller):
                    continue
                if _route_exists(facts, vehicle, members, budget):
                    feasible.add(bigger)
                    grown.append(bigger)
        frontier = grown
    return sorted(feasible - {0})


def _fits(facts: _Facts, capacity: Mapping[str, int], skills: frozenset[str], j: int) -> bool:
    request = facts.problem.requests[j]
    if not request.skills <= skills:
        return False
    return all(capacity.get(k, 0) >= q for k, q in request.load.items())


def _route_exists(
    facts: _Facts, vehicle: PreparedVehicle, members: list[int], budget: list[int]
) -> bool:
    """Is there an order of the members' stops that this vehicle can drive alone?"""
    capacity = facts.problem.vehicles[vehicle.index].capacity
    return _extend(facts, vehicle, capacity, members, [], {}, budget)


def _extend(
    facts: _Facts,
    vehicle: PreparedVehicle,
    capacity: Mapping[str, int],
    members: list[int],
    order: list[_Stop],
    load: dict[str, int],
    budget: list[int],
) -> bool:
    """Depth-first over stop orders; a prefix that cannot be scheduled is cut."""
    if len(order) == 2 * len(members):
        return _schedulable(facts, vehicle, order, closed=True, budget=budget)
    picked = {s.request for s in order if s.pickup}
    dropped = {s.request for s in order if not s.pickup}
    for j in members:
        if j in dropped:
            continue
        step = facts.stops(j)[1 if j in picked else 0]
        sign = 1 if step.pickup else -1
        after = dict(load)
        for kind, q in facts.problem.requests[j].load.items():
            after[kind] = after.get(kind, 0) + sign * q
        if any(q > capacity.get(k, 0) for k, q in after.items()):
            continue
        trial = [*order, step]
        if not _schedulable(facts, vehicle, trial, closed=False, budget=budget):
            continue
        if _extend(facts, vehicle, capacity, members, trial, after, budget):
            return True
    return False


def _schedulable(
    facts: _Facts, vehicle: PreparedVehicle, order: list[_Stop], *, closed: bool, budget: list[int]
) -> bool:
    """Earliest schedule of start, stops (and end, if closed) as a least fixed point.

    Constraints "x_j >= x_i + w": travel and service between neighbours, ride
    limits (pickup >= drop-off - limit - service), the maximum duration
    (start >= end - max_duration). Feasible iff the least solution above the
    lower bounds stays below the upper bounds.
    """
    budget[0] -= 1
    facts.budget -= 1
    if budget[0] < 0 or facts.budget < 0 or time.monotonic() > facts.deadline:
        raise _OverBudget
    first, last = vehicle.available
    locations = [vehicle.start_loc] + [s.location for s in order]
    lower = [first] + [s.window[0] for s in order]
    upper = [last] + [s.window[1] for s in order]
    service = [0] + [s.service for s in order]
    if closed:
        locations.append(vehicle.end_loc)
        lower.append(first)
        upper.append(last)
        service.append(0)
    edges = [
        (k, k + 1, service[k] + facts.travel(locations[k], locations[k + 1]))
        for k in range(len(locations) - 1)
    ]
    position = {(s.request, s.pickup): k + 1 for k, s in enumerate(order)}
    for s in order:
        limit = facts.prep.requests[s.request].max_ride
        if not s.pickup and limit < INF:
            p = position[(s.request, True)]
            edges.append((position[(s.request, False)], p, -(limit + service[p])))
    if closed and vehicle.max_duration < INF:
        edges.append((len(locations) - 1, 0, -vehicle.max_duration))
    times = list(lower)
    for _ in range(len(times) + 1):
        changed = False
        for i, j, w in edges:
            if times[i] + w > times[j]:
                times[j] = times[i] + w
                changed = True
        if any(t > u for t, u in zip(times, upper, strict=True)):
            return False
        if not changed:
            return True
    return False  # still rising: the limits contradict each other


def _shortest_paths(durations: list[list[int]]) -> list[list[int]]:
    """All-pairs shortest travel times (Floyd-Warshall, vectorised)."""
    best = np.array(durations, dtype=np.int64)
    for k in range(len(durations)):
        np.minimum(best, best[:, k : k + 1] + best[k : k + 1, :], out=best)
    rows: list[list[int]] = best.tolist()
    return rows
