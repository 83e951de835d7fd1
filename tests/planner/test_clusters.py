"""Cluster-first construction for large days: grouping and sharing the fleet."""

from __future__ import annotations

from planner import Problem
from planner.preprocess import prepare
from planner.search.clusters import hub_clusters, share_vehicles
from tests.planner.testkit import line_problem, request, vehicle


def _two_venues() -> Problem:
    positions = {"west": 0, "venue-w": 5, "east": 50, "venue-e": 45}
    positions |= {f"hw{i}": 1 + i for i in range(3)} | {f"he{i}": 49 - i for i in range(3)}
    reqs = [request(f"w{i}", f"hw{i}", "venue-w", bundle=f"bw{i}") for i in range(3)]
    reqs += [request(f"w{i}-back", "venue-w", f"hw{i}", bundle=f"bw{i}") for i in range(3)]
    reqs += [request(f"e{i}", f"he{i}", "venue-e") for i in range(3)]
    reqs[-1]["skills"] = ["wheelchair"]
    cars = [vehicle("vw1", at="west"), vehicle("vw2", at="west"), vehicle("ve1", at="east")]
    cars.append(vehicle("vw-lift", at="west", skills=["wheelchair"]))
    return Problem.from_dict(line_problem(positions, cars, reqs))


def test_requests_group_by_their_venue() -> None:
    """Each request joins the cluster of its busier end; bundles stay together."""
    problem = _two_venues()
    prep = prepare(problem)
    clusters = hub_clusters(problem, prep, list(range(len(problem.requests))))
    ids = [sorted(problem.requests[i].id for i in c) for c in clusters]
    assert ids == [
        ["w0", "w0-back", "w1", "w1-back", "w2", "w2-back"],
        ["e0", "e1", "e2"],
    ]


def test_fleet_is_shared_by_size_distance_and_skill() -> None:
    """Every vehicle goes to exactly one cluster, the lift to the cluster that needs it."""
    problem = _two_venues()
    prep = prepare(problem)
    clusters = hub_clusters(problem, prep, list(range(len(problem.requests))))
    fleets = share_vehicles(problem, prep, clusters)
    names = [sorted(problem.vehicles[k].id for k in f) for f in fleets]
    assert sorted(sum(names, [])) == ["ve1", "vw-lift", "vw1", "vw2"]
    assert names[1] == ["vw-lift"]  # the east cluster has the wheelchair user
    assert {"vw1", "vw2"} <= set(names[0])  # the nearest cars go to the big cluster
