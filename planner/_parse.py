"""Small typed readers for JSON values that name the offending key on error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast


class ProblemError(ValueError):
    """Malformed or inconsistent input; the message starts with the key path."""


def fail(path: str, message: str) -> ProblemError:
    return ProblemError(f"{path}: {message}" if path else message)


def as_mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(path, f"expected an object, got {_kind(value)}")
    return value


def as_list(value: Any, path: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise fail(path, f"expected a list, got {_kind(value)}")
    return cast(Sequence[Any], value)


def as_str(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise fail(path, f"expected a non-empty string, got {_kind(value)}")
    return value


def as_int(value: Any, path: str, *, minimum: int | None = 0) -> int:
    # bool is an int subclass in Python; JSON true/false is never a number here.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(path, f"expected an integer, got {_kind(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise fail(path, f"expected an integer, got {value}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise fail(path, f"must be at least {minimum}, got {value}")
    return int(value)


def as_float(value: Any, path: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(path, f"expected a number, got {_kind(value)}")
    if value != value or value in (float("inf"), float("-inf")):
        raise fail(path, f"expected a finite number, got {value}")
    if positive and value <= 0:
        raise fail(path, f"must be positive, got {value}")
    return float(value)


def as_window(value: Any, path: str) -> tuple[int, int]:
    items = as_list(value, path)
    if len(items) != 2:
        raise fail(path, f"expected [start, end], got {len(items)} values")
    start = as_int(items[0], f"{path}[0]")
    end = as_int(items[1], f"{path}[1]")
    if end < start:
        raise fail(path, f"end {end} is before start {start}")
    return start, end


def as_amounts(value: Any, path: str) -> dict[str, int]:
    data = as_mapping(value, path)
    return {as_str(k, path): as_int(v, f"{path}.{k}") for k, v in data.items()}


def as_skills(value: Any, path: str) -> frozenset[str]:
    items = as_list(value, path)
    return frozenset(as_str(s, f"{path}[{i}]") for i, s in enumerate(items))


def required(data: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in data:
        raise fail(join(path, key), "is required")
    return data[key]


def check_keys(data: Mapping[str, Any], allowed: set[str], path: str) -> None:
    """Unknown keys are errors, so that typos do not silently lose a constraint."""
    for key in data:
        if key not in allowed:
            raise fail(join(path, str(key)), "unknown key")


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}" if len(value) < 40 else "a string"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
