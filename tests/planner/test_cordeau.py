"""A published DARP instance: reading, exact cost, and quality within 1 %."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from planner import MaxSolutions, check, solve
from planner.cordeau import exact_cost, read_instance, to_problem

DATA = Path(__file__).parent / "data"
A2_16_OPTIMUM = 294.25  # proven optimum (Cordeau 2006, see bks.csv)


def test_reader_follows_the_format() -> None:
    """Header K n T Q L, 2n+2 nodes, drop-off of i is node n+i."""
    inst = read_instance(DATA / "a2-16.txt")
    assert (inst.vehicles, inst.requests, inst.max_duration, inst.capacity, inst.max_ride) == (
        2,
        16,
        480,
        3,
        30,
    )
    assert len(inst.nodes) == 34
    problem = to_problem(inst)
    assert problem.requests[0].pickup.location == "n1"
    assert problem.requests[0].dropoff.location == "n17"
    assert problem.vehicles[0].max_duration == 480_000


def test_travel_times_round_up() -> None:
    """Rounded-up integer times keep every plan feasible in exact arithmetic."""
    inst = read_instance(DATA / "a2-16.txt")
    problem = to_problem(inst)
    assert problem.matrix is not None
    a, b = inst.nodes[1], inst.nodes[2]
    exact = math.hypot(a.x - b.x, a.y - b.y) * 1000
    assert exact <= problem.matrix.durations[1][2] < exact + 1


def test_a2_16_within_one_percent() -> None:
    """a2-16 is solved to within 1 % of its optimum in 2,000 solutions."""
    inst = read_instance(DATA / "a2-16.txt")
    problem = to_problem(inst)
    plan = solve(problem, MaxSolutions(2000), seed=0)
    assert check(problem, plan) == []
    assert plan.summary.served == 16
    assert exact_cost(inst, plan) <= A2_16_OPTIMUM * 1.01


def test_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is not a Cordeau instance fails with one readable message."""
    bad = tmp_path / "x.txt"
    bad.write_text("hello world\n")
    with pytest.raises(ValueError, match="not a Cordeau instance"):
        read_instance(bad)
