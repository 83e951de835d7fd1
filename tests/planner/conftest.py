"""Fixtures for the planner tests; builders live in testkit.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from planner import Plan, Problem
from tests.planner.testkit import line_problem, request, solve_checked_plan, vehicle


@pytest.fixture
def village() -> dict[str, Any]:
    """A depot, five homes east of it and a venue at the far end."""
    positions = {"depot": 0, "h1": 2, "h2": 4, "h3": 6, "h4": 8, "h5": 10, "venue": 12}
    requests = [
        request(
            f"c{i}",
            f"h{i}",
            "venue",
            dropoff={"location": "venue", "window": [3000, 3600], "service": 30},
        )
        for i in range(1, 6)
    ]
    return line_problem(
        positions,
        [vehicle("v1", seats=3), vehicle("v2", seats=3)],
        requests,
    )


@pytest.fixture
def solve_checked() -> Callable[..., tuple[Problem, Plan]]:
    return solve_checked_plan
