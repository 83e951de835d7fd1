"""Proofs for requests each possible alone but not all together (`planner.proofs`).

A request left out by the search may be called impossible only when no plan
could serve it together with the others; otherwise it stays "not placed in
the time given".
"""

from __future__ import annotations

import copy
import dataclasses
import math
import random
from typing import Any

from planner import MaxSolutions, Problem, SolveParams, check, solve
from planner.preprocess import prepare
from planner.proofs import GROUP_REASON, PARTNER_REASON, _Facts, _group, _most_served, group_reasons
from tests.planner.testkit import line_problem, request, solve_checked_plan, vehicle

WINDOW = {"location": "venue", "window": [3000, 3300], "service": 30}


def _child(rid: str, home: str, **extra: Any) -> dict[str, Any]:
    """A child who needs a child seat, taken home -> venue for the window."""
    return request(
        rid, home, "venue", dropoff=dict(WINDOW), load={"seats": 1, "child_seats": 1}, **extra
    )


def _car(vid: str, child_seats: int, seats: int = 4) -> dict[str, Any]:
    return {**vehicle(vid, seats=seats), "capacity": {"seats": seats, "child_seats": child_seats}}


def _opposite_sides() -> dict[str, Any]:
    """Two children 20 km either side of the venue, 30 minutes' ride at most;
    one car with two child seats, one without any. The seats suffice in
    number, but whoever is picked up first would ride 60 km."""
    positions = {"west": 0, "depot": 20, "venue": 20, "east": 40}
    kids = [_child("c1", "west", max_ride=1800), _child("c2", "east", max_ride=1800)]
    return line_problem(positions, [_car("v1", child_seats=2), _car("v2", child_seats=0)], kids)


def test_enough_child_seats_in_number_but_not_in_time() -> None:
    """Each child alone can be driven, both cannot: the one left out carries
    the proof, with the counts."""
    _, plan = solve_checked_plan(_opposite_sides())
    assert plan.summary.served == 1
    expected = GROUP_REASON.format(served=1, group=2, kind="child_seats")
    assert [u.reason for u in plan.unassigned] == [expected]


def test_one_car_can_take_them_one_after_the_other() -> None:
    """With the windows far apart, one car with one child seat drives both
    children: they need not share the seat at the same time, so no proof is
    made and both are served."""
    data = _opposite_sides()
    data["requests"][1]["dropoff"]["window"] = [9000, 9300]
    data["vehicles"] = [_car("v1", child_seats=1)]
    problem, plan = solve_checked_plan(data)
    assert plan.summary.served == 2
    prep = prepare(problem)
    assert group_reasons(problem, prep, [0, 1], set()) == {}


def test_no_proof_when_the_plan_serves_fewer_than_possible() -> None:
    """If the plan serves fewer of the group than some plan could, "left out"
    would hide a shortfall of the search: no reason is claimed."""
    problem = Problem.from_dict(copy.deepcopy(_opposite_sides()))
    prep = prepare(problem)
    assert group_reasons(problem, prep, [0, 1], served=set()) == {}
    assert group_reasons(problem, prep, [1], served={0}) == {
        1: GROUP_REASON.format(served=1, group=2, kind="child_seats")
    }


def test_a_second_car_with_a_child_seat_serves_both() -> None:
    """Give the second car one child seat, and both children are driven."""
    data = _opposite_sides()
    data["vehicles"][1]["capacity"]["child_seats"] = 1
    _, plan = solve_checked_plan(data)
    assert plan.summary.served == 2


def test_a_demo_like_session_proves_the_shortfall() -> None:
    """Four children need a child seat for one session and the two cars have
    four between them (three and one), but a car takes children from one
    side only: the counts alone prove nothing, the proof does."""
    positions = {"west": 0, "west2": 2, "depot": 20, "venue": 20, "east2": 38, "east": 40}
    kids = [
        _child("c1", "west", max_ride=1800),
        _child("c2", "west2", max_ride=1800),
        _child("c3", "east2", max_ride=1800),
        _child("c4", "east", max_ride=1800),
    ]
    data = line_problem(positions, [_car("v1", child_seats=3), _car("v2", child_seats=1)], kids)
    _, plan = solve_checked_plan(data)
    assert plan.summary.served == 3
    [left_out] = plan.unassigned
    assert left_out.request in {"c3", "c4"}
    assert left_out.reason == GROUP_REASON.format(served=3, group=4, kind="child_seats")


def test_the_way_back_shares_the_proof_of_the_way_there() -> None:
    """Round trips: the trips there need the car's two child seats at once and
    cannot both be driven; the trips back are hours apart and could be. The
    child left out is left out both ways, and the trip back says why."""
    data = _opposite_sides()
    for k, (kid, home, pickup) in enumerate(
        [("c1", "west", [6000, 6300]), ("c2", "east", [9000, 9300])]
    ):
        data["requests"][k]["bundle"] = kid
        back = request(f"{kid}-back", "venue", home, load={"seats": 1}, bundle=kid)
        back["pickup"]["window"] = pickup
        data["requests"].append(back)
    _, plan = solve_checked_plan(data)
    assert plan.summary.served == 2
    there, back = sorted(plan.unassigned, key=lambda u: u.request.endswith("-back"))
    assert back.request == f"{there.request}-back"
    proof = GROUP_REASON.format(served=1, group=2, kind="child_seats")
    assert there.reason == proof
    assert back.reason == PARTNER_REASON.format(other=there.request, why=proof)


def test_a_shortcut_through_another_stop_counts() -> None:
    """Travel times need not obey the triangle inequality: h1 -> h2 takes
    1000 s, but h1 -> x -> h2 only 200 s, and another child is picked up at x.
    Both child-seat children fit in one car that way, so no proof may claim
    that only one of them can be driven."""
    names = ["depot", "venue", "h1", "h2", "x"]
    durations = [
        [0, 300, 100, 100, 100],
        [300, 0, 300, 300, 300],
        [100, 300, 0, 1000, 100],
        [100, 300, 1000, 0, 100],
        [100, 300, 100, 100, 0],
    ]
    kids = [_child("c1", "h1", max_ride=700), _child("c2", "h2", max_ride=700)]
    other = request("o", "x", "venue", dropoff=dict(WINDOW))
    data = {
        "locations": [{"id": n} for n in names],
        "matrix": {"durations": durations, "distances": durations},
        "vehicles": [_car("v1", child_seats=2)],
        "requests": [*kids, other],
    }
    problem, plan = solve_checked_plan(data)
    assert plan.summary.served == 3
    assert group_reasons(problem, prepare(problem), [1], served={0}) == {}


def _random_session(seed: int) -> dict[str, Any]:
    """Children needing a child seat for one session, on a random travel
    matrix that need not obey the triangle inequality."""
    rng = random.Random(seed)
    homes = [f"h{k}" for k in range(rng.randint(3, 6))]
    places = ["venue", "d1", "d2", *homes]
    durations = [
        [0 if a == b else rng.randint(60, 900) for b in range(len(places))]
        for a in range(len(places))
    ]
    kids = [
        _child(f"c{k}", home, max_ride=rng.choice([600, 900, 1200, 1800]))
        for k, home in enumerate(homes)
    ]
    cars = [
        {**_car(f"v{k}", child_seats=rng.randint(0, 2)), "start": depot, "end": depot}
        for k, depot in enumerate(rng.sample(["d1", "d2", "venue"], rng.randint(1, 3)))
    ]
    return {
        "locations": [{"id": p} for p in places],
        "matrix": {"durations": durations, "distances": durations},
        "vehicles": cars,
        "requests": kids,
    }


def test_no_plan_serves_more_of_a_group_than_proved() -> None:
    """On random sessions, every proof's bound M holds against the production
    search given the group alone (a plan serving more than M of the group
    would refute it), and for the first groups against the OR-Tools search too."""
    groups: set[tuple[int, tuple[int, ...]]] = set()
    for seed in range(40):
        problem, plan = solve_checked_plan(_random_session(seed), solutions=200)
        ids = [r.id for r in problem.requests]
        facts = _Facts(problem, prepare(problem), deadline=math.inf)
        for left in plan.unassigned:
            if not left.reason.startswith("at most"):
                continue
            group = _group(facts, ids.index(left.request), "child_seats")
            most = _most_served(facts, group, "child_seats")
            assert left.reason == GROUP_REASON.format(
                served=most, group=len(group), kind="child_seats"
            )
            if (seed, tuple(group)) in groups:
                continue
            alone = dataclasses.replace(problem, requests=tuple(problem.requests[j] for j in group))
            engines = ("native", "ortools") if len(groups) < 2 else ("native",)
            for engine in engines:
                params = SolveParams(engine=engine, workers=1)
                again = solve(alone, MaxSolutions(300), params=params)
                assert check(alone, again) == []
                assert again.summary.served <= most, (seed, engine)
            groups.add((seed, tuple(group)))
    assert len(groups) >= 10  # the sessions are tight enough to need proofs
