"""Stopping criteria: when a search ends, never how it searches.

A criterion is any callable that takes the search's progress and answers
whether to stop (a one-method `Protocol`, as in PyVRP). The three built-in
ones are also understood by the native search core, which evaluates them
itself after every solution: `MaxSolutions` then stops after exactly that many
solutions per worker, so equal seeds give equal plans on any machine.

    solve(problem, MaxRuntime(30))
    solve(problem, MaxSolutions(2000))
    solve(problem, FirstOf(MaxRuntime(30), MaxSolutions(2000)))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = [
    "FirstOf",
    "MaxRuntime",
    "MaxSolutions",
    "SearchProgress",
    "StoppingCriterion",
    "native_limits",
]


@dataclass(frozen=True)
class SearchProgress:
    """What a criterion sees: the state of the search so far."""

    elapsed: float  # seconds since `solve` began, preparation included
    solutions: int  # solutions searched so far (by the first worker)
    best_cost: int = 0  # of the best plan so far, without the unserved
    unserved: int = 0  # requests the best plan so far leaves out


@runtime_checkable
class StoppingCriterion(Protocol):
    def __call__(self, progress: SearchProgress) -> bool:
        """True when the search should stop."""
        ...


@dataclass(frozen=True)
class MaxRuntime:
    """Stop after this many seconds of wall-clock time, preparation included."""

    seconds: float

    def __post_init__(self) -> None:
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, int | float):
            raise TypeError(f"MaxRuntime.seconds must be a number, got {self.seconds!r}")
        if not math.isfinite(self.seconds) or self.seconds <= 0:
            raise ValueError(f"MaxRuntime.seconds must be positive, got {self.seconds}")

    def __call__(self, progress: SearchProgress) -> bool:
        return progress.elapsed >= self.seconds


@dataclass(frozen=True)
class MaxSolutions:
    """Stop after this many solutions (per worker): the machine-independent stop."""

    count: int

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise TypeError(f"MaxSolutions.count must be an integer, got {self.count!r}")
        if self.count < 1:
            raise ValueError(f"MaxSolutions.count must be at least 1, got {self.count}")

    def __call__(self, progress: SearchProgress) -> bool:
        return progress.solutions >= self.count


class FirstOf:
    """Stop as soon as any of the criteria says so."""

    def __init__(self, *criteria: StoppingCriterion) -> None:
        if not criteria:
            raise ValueError("FirstOf needs at least one criterion")
        for c in criteria:
            if not callable(c):
                raise TypeError(f"not a stopping criterion: {c!r}")
        self.criteria = criteria

    def __call__(self, progress: SearchProgress) -> bool:
        return any(c(progress) for c in self.criteria)

    def __repr__(self) -> str:
        return f"FirstOf({', '.join(map(repr, self.criteria))})"


def native_limits(stop: StoppingCriterion) -> tuple[float | None, int | None, bool]:
    """(seconds, solutions, custom): the built-in limits in `stop`, and whether
    it also holds a criterion that must be polled from Python."""
    if isinstance(stop, MaxRuntime):
        return float(stop.seconds), None, False
    if isinstance(stop, MaxSolutions):
        return None, stop.count, False
    if isinstance(stop, FirstOf):
        seconds: float | None = None
        solutions: int | None = None
        custom = False
        for c in stop.criteria:
            s, n, x = native_limits(c)
            seconds = s if seconds is None else (seconds if s is None else min(seconds, s))
            solutions = n if solutions is None else (solutions if n is None else min(solutions, n))
            custom |= x
        return seconds, solutions, custom
    return None, None, True
