"""Cluster-first construction for large problems.

OR-Tools' first-solution heuristics evaluate every pickup and drop-off
position in every route for every request: with 800 requests and 60
vehicles no first solution appears within a minute. Real days have hubs,
though: each child's trip starts or ends at its group's venue. Requests are
grouped by their busier endpoint, each group gets the vehicles that start
nearest to it (in proportion to its size), and each group is solved on its
own; the route-group decomposition then mixes vehicles across groups.
"""

from __future__ import annotations

from collections import Counter

from planner.preprocess import Prepared
from planner.problem import Problem

LARGE = 250  # modelled requests from which a problem is built cluster-first


def hub_clusters(problem: Problem, prep: Prepared, requests: list[int]) -> list[list[int]]:
    """Requests grouped by their busier endpoint; a bundle stays in one group."""
    visits: Counter[int] = Counter()
    for i in requests:
        visits[prep.requests[i].pickup_loc] += 1
        visits[prep.requests[i].dropoff_loc] += 1
    hub_of_bundle: dict[str, int] = {}
    groups: dict[int, list[int]] = {}
    for i in requests:
        pr = prep.requests[i]
        hub = max((pr.pickup_loc, pr.dropoff_loc), key=lambda loc: (visits[loc], -loc))
        bundle = problem.requests[i].bundle
        if bundle is not None:
            hub = hub_of_bundle.setdefault(bundle, hub)
        groups.setdefault(hub, []).append(i)
    return [groups[h] for h in sorted(groups, key=lambda h: (-len(groups[h]), h))]


def share_vehicles(problem: Problem, prep: Prepared, clusters: list[list[int]]) -> list[list[int]]:
    """Vehicles per cluster: one for each skill it needs, then by size, nearest first."""
    free = list(range(len(prep.vehicles)))
    hubs = [_hub(prep, c) for c in clusters]
    out: list[list[int]] = [[] for _ in clusters]
    for n, cluster in enumerate(clusters):
        needed = set().union(*(problem.requests[i].skills for i in cluster))
        for skill in sorted(needed):
            able = [k for k in free if skill in problem.vehicles[k].skills]
            if able and not any(skill in problem.vehicles[k].skills for k in out[n]):
                pick = min(able, key=lambda k: (_distance(prep, k, hubs[n]), k))
                out[n].append(pick)
                free.remove(pick)
    total = sum(len(c) for c in clusters)
    for n, cluster in enumerate(clusters):
        left = len(clusters) - n - 1  # keep one vehicle for each later cluster
        want = max(1, round(len(prep.vehicles) * len(cluster) / total)) - len(out[n])
        want = max(0, min(want, len(free) - left))
        free.sort(key=lambda k: (_distance(prep, k, hubs[n]), k))
        out[n] += free[:want]
        free = free[want:]
    if free and out:
        out[0] += free  # leftovers go to the largest cluster
    return out


def _distance(prep: Prepared, vehicle: int, hub: int) -> int:
    return prep.durations[prep.vehicles[vehicle].start_loc][hub]


def _hub(prep: Prepared, cluster: list[int]) -> int:
    locs: Counter[int] = Counter()
    for i in cluster:
        locs[prep.requests[i].pickup_loc] += 1
        locs[prep.requests[i].dropoff_loc] += 1
    return locs.most_common(1)[0][0]
