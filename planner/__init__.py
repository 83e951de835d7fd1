"""Lotse planner: a dial-a-ride engine on OR-Tools.

    from planner import Problem, solve, check, ProblemError
    problem = Problem.from_dict(data)
    plan = solve(problem, time_limit=30, seed=0)
    assert check(problem, plan) == []
    plan.to_dict()

This package is a pure library and never imports Django or the backend.
"""

from planner._parse import ProblemError
from planner.check import check
from planner.plan import Endpoint, Plan, Route, Summary, Unassigned, Visit, plan_from_dict
from planner.problem import (
    Location,
    Matrix,
    MatrixOptions,
    Objective,
    Problem,
    Request,
    Stop,
    Vehicle,
    problem_from_dict,
)
from planner.solver import solve

__all__ = [
    "Endpoint",
    "Location",
    "Matrix",
    "MatrixOptions",
    "Objective",
    "Plan",
    "Problem",
    "ProblemError",
    "Request",
    "Route",
    "Stop",
    "Summary",
    "Unassigned",
    "Vehicle",
    "Visit",
    "check",
    "plan_from_dict",
    "problem_from_dict",
    "solve",
]
