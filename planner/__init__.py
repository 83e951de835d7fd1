"""Lotse planner: a dial-a-ride engine on OR-Tools.

    from planner import MaxRuntime, Problem, ProblemError, check, solve
    problem = Problem.from_dict(data)
    plan = solve(problem, MaxRuntime(30), seed=0)
    assert check(problem, plan) == []
    plan.to_dict()

This package is a pure library and never imports Django or the backend.
Parts: `problem`/`plan` (the contract), `preprocess` (windows, reasons),
`search/` (the native ALNS and the OR-Tools path), `stop/` (stopping
criteria), `params` (`SolveParams`), `check` (an independent validator).
"""

from planner._parse import ProblemError
from planner.check import check
from planner.params import SolveParams
from planner.plan import (
    Endpoint,
    Plan,
    Route,
    Summary,
    Unassigned,
    Visit,
    VisitType,
    plan_from_dict,
)
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
from planner.stop import FirstOf, MaxRuntime, MaxSolutions, SearchProgress, StoppingCriterion

__all__ = [
    "Endpoint",
    "FirstOf",
    "Location",
    "Matrix",
    "MaxRuntime",
    "MaxSolutions",
    "MatrixOptions",
    "Objective",
    "Plan",
    "Problem",
    "ProblemError",
    "Request",
    "Route",
    "SearchProgress",
    "SolveParams",
    "Stop",
    "StoppingCriterion",
    "Summary",
    "Unassigned",
    "Vehicle",
    "Visit",
    "VisitType",
    "check",
    "plan_from_dict",
    "problem_from_dict",
    "solve",
]
