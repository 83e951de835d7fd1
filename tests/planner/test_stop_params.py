"""Stopping criteria and search settings: validated, composable, loadable from TOML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner import (
    FirstOf,
    MaxRuntime,
    MaxSolutions,
    ProblemError,
    SearchProgress,
    SolveParams,
    StoppingCriterion,
)
from planner.stop import native_limits


def _at(elapsed: float, solutions: int) -> SearchProgress:
    return SearchProgress(elapsed=elapsed, solutions=solutions)


def test_criteria_say_when_to_stop() -> None:
    """MaxRuntime looks at the clock, MaxSolutions at the count, FirstOf at both."""
    assert not MaxRuntime(5)(_at(4.9, 10**6))
    assert MaxRuntime(5)(_at(5.0, 0))
    assert not MaxSolutions(100)(_at(10**6, 99))
    assert MaxSolutions(100)(_at(0, 100))
    both = FirstOf(MaxRuntime(5), MaxSolutions(100))
    assert both(_at(5, 0)) and both(_at(0, 100)) and not both(_at(1, 1))
    assert isinstance(both, StoppingCriterion)


def test_the_core_reads_the_built_in_limits() -> None:
    """Built-in criteria become native limits (the tightest of each kind wins);
    anything else is polled from Python."""
    assert native_limits(MaxRuntime(3)) == (3.0, None, False)
    assert native_limits(MaxSolutions(7)) == (None, 7, False)
    nested = FirstOf(MaxRuntime(9), FirstOf(MaxRuntime(4), MaxSolutions(50)), MaxSolutions(80))
    assert native_limits(nested) == (4.0, 50, False)

    def custom(progress: SearchProgress) -> bool:
        return progress.unserved == 0

    assert native_limits(FirstOf(MaxRuntime(2), custom)) == (2.0, None, True)


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: MaxRuntime(0), ValueError),
        (lambda: MaxRuntime(float("inf")), ValueError),
        (lambda: MaxRuntime("10"), TypeError),
        (lambda: MaxSolutions(0), ValueError),
        (lambda: MaxSolutions(2.5), TypeError),
        (lambda: FirstOf(), ValueError),
        (lambda: FirstOf(42), TypeError),
    ],
)
def test_bad_criteria_are_refused(build: Any, error: type[Exception]) -> None:
    """A criterion that could never stop, or is not one, fails when it is built."""
    with pytest.raises(error):
        build()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("workers", 0),
        ("workers", True),
        ("engine", "gurobi"),
        ("min_remove", 0),
        ("max_remove", 1),
        ("remove_share", 1.5),
        ("start_temperature", -1.0),
        ("cooling", 1.2),
        ("cooling", float("nan")),
    ],
)
def test_solve_params_validate_themselves(field: str, value: Any) -> None:
    """Every setting is checked when the dataclass is built; the message names it."""
    with pytest.raises(ValueError, match=field):
        SolveParams(**{field: value})


def test_solve_params_load_from_toml(tmp_path: Path) -> None:
    """A [planner] table or top-level keys; unknown keys and bad values name the key."""
    good = tmp_path / "planner.toml"
    good.write_text("[planner]\nworkers = 1\nmax_remove = 25\n")
    assert SolveParams.from_toml(good) == SolveParams(workers=1, max_remove=25)
    flat = tmp_path / "flat.toml"
    flat.write_text('engine = "ortools"\n')
    assert SolveParams.from_toml(flat).engine == "ortools"
    typo = tmp_path / "typo.toml"
    typo.write_text("[planner]\nworker = 3\n")
    with pytest.raises(ProblemError, match=r"planner\.worker: unknown setting"):
        SolveParams.from_toml(typo)
    bad = tmp_path / "bad.toml"
    bad.write_text("[planner]\nworkers = 0\n")
    with pytest.raises(ProblemError, match="workers"):
        SolveParams.from_toml(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[planner\n")
    with pytest.raises(ProblemError, match="invalid TOML"):
        SolveParams.from_toml(broken)
    with pytest.raises(ProblemError, match="cannot read"):
        SolveParams.from_toml(tmp_path / "missing.toml")
