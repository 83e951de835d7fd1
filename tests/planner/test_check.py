"""The validator finds every kind of broken plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from planner import Plan, Problem, Unassigned, Visit, check


def _first_route_visits(plan: Plan, change: Callable[[list[Visit]], list[Visit]]) -> Plan:
    route = plan.routes[0]
    new_route = replace(route, visits=tuple(change(list(route.visits))))
    return replace(plan, routes=(new_route, *plan.routes[1:]))


@pytest.fixture
def solved(village: dict[str, Any], solve_checked: Callable[..., Any]) -> tuple[Problem, Plan]:
    village["requests"][0]["max_ride"] = 900
    return solve_checked(village)


def _shift(v: Visit, delta: int) -> Visit:
    return replace(v, arrival=v.arrival, start=v.start + delta)


BREAKS: list[tuple[str, Callable[[list[Visit]], list[Visit]], str]] = [
    ("late start", lambda vs: [*vs[:-1], _shift(vs[-1], 5000)], "outside window"),
    (
        "early start",
        lambda vs: [replace(vs[0], start=vs[0].arrival - 1), *vs[1:]],
        "before arrival",
    ),
    (
        "lost drop-off",
        lambda vs: [v for v in vs if not (v.type == "dropoff" and v.request == vs[0].request)],
        "never dropped off",
    ),
    ("drop-off first", lambda vs: list(reversed(vs)), "without an earlier pickup"),
    ("wrong place", lambda vs: [replace(vs[0], location="depot"), *vs[1:]], "the request says"),
    (
        "wrong arrival",
        lambda vs: [replace(vs[0], arrival=vs[0].arrival + 7), *vs[1:]],
        "recomputed",
    ),
    ("unknown request", lambda vs: [replace(vs[0], request="ghost"), *vs[1:]], "unknown request"),
]


@pytest.mark.parametrize(("name", "change", "message"), BREAKS, ids=[b[0] for b in BREAKS])
def test_broken_routes_are_reported(
    solved: tuple[Problem, Plan],
    name: str,
    change: Callable[[list[Visit]], list[Visit]],
    message: str,
) -> None:
    """Each way of breaking a valid route produces a violation naming it."""
    problem, plan = solved
    broken = _first_route_visits(plan, change)
    violations = check(problem, broken)
    assert any(message in v for v in violations), violations


def test_overload_is_reported(solved: tuple[Problem, Plan]) -> None:
    """Capacity is re-counted: shrinking the car below its load is caught."""
    problem, plan = solved
    smaller = replace(
        problem, vehicles=tuple(replace(v, capacity={"seats": 0}) for v in problem.vehicles)
    )
    assert any("exceeds capacity" in v for v in check(smaller, plan))


def test_ride_time_is_reported(solved: tuple[Problem, Plan]) -> None:
    """A ride longer than max_ride is caught."""
    problem, plan = solved
    strict = replace(problem, requests=tuple(replace(r, max_ride=1) for r in problem.requests))
    assert any("exceeds max_ride" in v for v in check(strict, plan))


def test_skills_are_reported(solved: tuple[Problem, Plan]) -> None:
    """A request needing a skill its car lacks is caught."""
    problem, plan = solved
    picky = replace(
        problem, requests=tuple(replace(r, skills=frozenset({"lift"})) for r in problem.requests)
    )
    assert any("lacks skill lift" in v for v in check(picky, plan))


def test_missing_and_duplicate_requests_are_reported(solved: tuple[Problem, Plan]) -> None:
    """Every request must be served or unassigned, exactly once."""
    problem, plan = solved
    served = sorted(plan.served_requests())
    dropped = replace(plan, routes=plan.routes[1:] if len(plan.routes) > 1 else ())
    assert any("neither served nor unassigned" in v for v in check(problem, dropped))
    twice = replace(plan, unassigned=(Unassigned(served[0], "because"),))
    assert any("both served and unassigned" in v for v in check(problem, twice))


def test_broken_bundle_is_reported(solved: tuple[Problem, Plan]) -> None:
    """A bundle served only in part is caught."""
    problem, plan = solved
    served = sorted(plan.served_requests())
    bundled = replace(
        problem,
        requests=tuple(replace(r, bundle="b") if r.id == served[0] else r for r in problem.requests)
        + (),
    )
    extra = replace(bundled.requests[-1], id="partner", bundle="b")
    bundled = replace(bundled, requests=(*bundled.requests, extra))
    plan = replace(plan, unassigned=(*plan.unassigned, Unassigned("partner", "test")))
    violations = check(bundled, plan)
    assert any("bundle b" in v for v in violations), violations


def test_availability_and_duration_are_reported(solved: tuple[Problem, Plan]) -> None:
    """Shifts and maximum durations are re-checked."""
    problem, plan = solved
    tight = replace(
        problem,
        vehicles=tuple(replace(v, available=(0, 100), max_duration=10) for v in problem.vehicles),
    )
    violations = check(tight, plan)
    assert any("after availability" in v for v in violations)
    assert any("exceeds max_duration" in v for v in violations)
