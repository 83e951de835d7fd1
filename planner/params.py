"""`SolveParams`: how the planner searches, as one validated frozen dataclass.

    params = SolveParams(workers=2)
    params = SolveParams.from_toml("planner.toml")   # a [planner] table or top-level keys

Every field has a default that the benchmarks (docs/benchmarks.md) were run
with; they are search settings, never limits (see `planner.stop`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from planner._parse import ProblemError

Engine = Literal["native", "ortools"]
ENGINES = ("native", "ortools")


@dataclass(frozen=True)
class SolveParams:
    """Search settings.

    - `workers`: searches run side by side (threads of the native core, or
      processes of the OR-Tools search); the best plan wins.
    - `engine`: "native" (the ALNS core; falls back to "ortools" with a
      warning when the core is not built) or "ortools" (the pure-Python path:
      OR-Tools' guided local search with time slices).
    - `min_remove`, `max_remove`, `remove_share`: each ALNS step removes
      between `min_remove` and min(`max_remove`, `remove_share` x requests)
      requests (whole bundles) and inserts them again.
    - `start_temperature`: simulated annealing accepts a plan that is worse
      by this share of the mean cost per request with probability 1/e.
    - `cooling`: the temperature is multiplied by this after every solution.
    """

    workers: int = 2
    engine: Engine = "native"
    min_remove: int = 2
    max_remove: int = 40
    remove_share: float = 0.3
    start_temperature: float = 1.0
    cooling: float = 0.9995

    def __post_init__(self) -> None:
        _int_range("workers", self.workers, 1, 64)
        if self.engine not in ENGINES:
            raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {self.engine!r}")
        _int_range("min_remove", self.min_remove, 1, 10_000)
        _int_range("max_remove", self.max_remove, self.min_remove, 10_000)
        _float_range("remove_share", self.remove_share, 0.0, 1.0)
        _float_range("start_temperature", self.start_temperature, 0.0, 100.0)
        _float_range("cooling", self.cooling, 0.5, 1.0)

    @classmethod
    def from_dict(cls, data: Any, path: str = "planner") -> SolveParams:
        if not isinstance(data, dict):
            raise ProblemError(f"{path}: expected a table of settings")
        names = {f.name for f in fields(cls)}
        for key in data:
            if key not in names:
                raise ProblemError(f"{path}.{key}: unknown setting")
        try:
            return cls(**data)
        except (TypeError, ValueError) as exc:
            raise ProblemError(f"{path}.{exc}") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> SolveParams:
        """Read settings from a TOML file: a `[planner]` table, or top-level keys."""
        try:
            with Path(path).open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise ProblemError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ProblemError(f"{path}: invalid TOML ({exc})") from None
        table = data.get("planner", data)
        return cls.from_dict(table, "planner" if "planner" in data else str(path))


def _int_range(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: expected an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name}: must be between {low} and {high}, got {value}")


def _float_range(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name}: must be between {low} and {high}, got {value}")
