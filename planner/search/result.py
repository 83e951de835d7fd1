"""What a search returns, before it becomes a `Plan`: indices, not ids."""

from __future__ import annotations

from dataclasses import dataclass

from planner.plan import VisitType


@dataclass(frozen=True)
class ModelVisit:
    request: int  # index into problem.requests
    type: VisitType
    start: int  # start of service


@dataclass(frozen=True)
class ModelRoute:
    vehicle: int  # index into problem.vehicles
    depart: int
    arrive: int
    visits: tuple[ModelVisit, ...]


@dataclass(frozen=True)
class ModelResult:
    routes: tuple[ModelRoute, ...]
    objective: int  # -1 when no solution was found
    solutions: int
    unserved: int
