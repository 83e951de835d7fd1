"""The planner's input: frozen dataclasses read from the JSON contract.

Every check that can be made without solving happens here, so that a bad
problem fails with one message naming the key or index (``ProblemError``).
The dataclasses check themselves in ``__post_init__`` whoever builds them
(the JSON reader, the backend or a test); capacities and loads are stored as
read-only mappings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner._parse import (
    ProblemError,
    as_amounts,
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_skills,
    as_str,
    as_window,
    check_keys,
    fail,
    required,
)
from planner.plan import Plan, plan_from_dict

__all__ = [
    "Location",
    "Matrix",
    "MatrixOptions",
    "Objective",
    "Problem",
    "ProblemError",
    "Request",
    "Stop",
    "Vehicle",
    "problem_from_dict",
]


def _check(condition: bool, path: str, message: str) -> None:
    if not condition:
        raise fail(path, message)


def _nonneg(value: object, path: str) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    _check(ok, path, f"must be a non-negative integer, got {value!r}")


def _name(value: object, path: str) -> None:
    _check(
        isinstance(value, str) and bool(value), path, f"expected a non-empty string, got {value!r}"
    )


def _window(value: tuple[int, int] | None, path: str) -> None:
    if value is None:
        return
    _check(len(value) == 2, path, "expected [start, end]")
    _nonneg(value[0], f"{path}[0]")
    _nonneg(value[1], f"{path}[1]")
    _check(value[0] <= value[1], path, f"end {value[1]} is before start {value[0]}")


class Amounts(Mapping[str, int]):
    """Capacity or load per kind: read-only, hashable, equal to the same dict."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, int]) -> None:
        self._data = dict(data)

    def __getitem__(self, kind: str) -> int:
        return self._data[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"Amounts({self._data!r})"


def _amounts(value: Mapping[str, int], path: str) -> Amounts:
    """A read-only copy, every amount a non-negative integer."""
    _check(isinstance(value, Mapping), path, "expected a mapping of kind to amount")
    for kind, amount in value.items():
        _name(kind, path)
        _nonneg(amount, f"{path}.{kind}")
    return value if isinstance(value, Amounts) else Amounts(value)


def _freeze(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Location:
    id: str
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        _name(self.id, "id")
        for name, bound in (("lat", 90), ("lon", 180)):
            value = getattr(self, name)
            if value is None:
                continue
            ok = (
                isinstance(value, int | float) and math.isfinite(value) and -bound <= value <= bound
            )
            _check(ok, name, f"must be between -{bound} and {bound}, got {value}")


@dataclass(frozen=True)
class Matrix:
    """Travel durations and distances, indexed in the order of `locations`."""

    durations: tuple[tuple[int, ...], ...]
    distances: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        size = len(self.durations)
        for name in ("durations", "distances"):
            rows = tuple(tuple(row) for row in getattr(self, name))
            _check(len(rows) == size, name, f"has {len(rows)} rows, durations have {size}")
            for i, row in enumerate(rows):
                _check(len(row) == size, f"{name}[{i}]", f"has {len(row)} entries, expected {size}")
                for j, cell in enumerate(row):
                    _nonneg(cell, f"{name}[{i}][{j}]")
            _freeze(self, name, rows)


@dataclass(frozen=True)
class MatrixOptions:
    """How a missing matrix is computed from coordinates."""

    detour_factor: float = 1.3
    speed_kmh: float = 50.0
    # Length of one time unit in seconds (1 = the matrix is in seconds).
    time_unit_seconds: float = 1.0
    # Length of one distance unit in metres.
    distance_unit_metres: float = 1.0

    def __post_init__(self) -> None:
        for name in ("detour_factor", "speed_kmh", "time_unit_seconds", "distance_unit_metres"):
            value = getattr(self, name)
            ok = isinstance(value, int | float) and math.isfinite(value) and value > 0
            _check(ok, name, f"must be positive, got {value}")


@dataclass(frozen=True)
class Vehicle:
    id: str
    start: str
    end: str
    capacity: Mapping[str, int]
    available: tuple[int, int] | None = None
    max_duration: int | None = None
    skills: frozenset[str] = frozenset()
    fixed_cost: int = 0

    def __post_init__(self) -> None:
        for name in ("id", "start", "end"):
            _name(getattr(self, name), name)
        _freeze(self, "capacity", _amounts(self.capacity, "capacity"))
        _window(self.available, "available")
        if self.max_duration is not None:
            _nonneg(self.max_duration, "max_duration")
        _nonneg(self.fixed_cost, "fixed_cost")
        _freeze(self, "skills", frozenset(self.skills))


@dataclass(frozen=True)
class Stop:
    """A pickup or drop-off; the window constrains the start of service."""

    location: str
    window: tuple[int, int] | None = None
    service: int = 0

    def __post_init__(self) -> None:
        _name(self.location, "location")
        _window(self.window, "window")
        _nonneg(self.service, "service")


@dataclass(frozen=True)
class Request:
    id: str
    pickup: Stop
    dropoff: Stop
    load: Mapping[str, int]
    max_ride: int | None = None
    skills: frozenset[str] = frozenset()
    bundle: str | None = None

    def __post_init__(self) -> None:
        _name(self.id, "id")
        _freeze(self, "load", _amounts(self.load, "load"))
        if self.max_ride is not None:
            _nonneg(self.max_ride, "max_ride")
        if self.bundle is not None:
            _name(self.bundle, "bundle")
        _freeze(self, "skills", frozenset(self.skills))

    def stop(self, kind: str) -> Stop:
        """The pickup for "pickup", else the drop-off."""
        return self.pickup if kind == "pickup" else self.dropoff


@dataclass(frozen=True)
class Objective:
    """Integer weights of the cost terms.

    `stability` is the cost per time unit that a pickup moves away from its
    time in `previous`; beyond `stability_tolerance` time units each unit
    costs ten times as much, beyond `stability_limit` a hundred times.
    Moving a request to another vehicle costs as much as a shift of
    `vehicle_change` time units. (The defaults assume seconds.)
    """

    distance: int = 1
    duration: int = 0
    vehicles: int = 0
    ride_time: int = 0
    stability: int = 1
    vehicle_change: int = 600
    stability_tolerance: int = 300
    stability_limit: int = 900

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            _nonneg(getattr(self, name), name)


@dataclass(frozen=True)
class Problem:
    locations: tuple[Location, ...]
    vehicles: tuple[Vehicle, ...]
    requests: tuple[Request, ...]
    matrix: Matrix | None = None
    objective: Objective = field(default_factory=Objective)
    previous: Plan | None = None
    matrix_options: MatrixOptions = field(default_factory=MatrixOptions)

    def __post_init__(self) -> None:
        _freeze(self, "locations", tuple(self.locations))
        _freeze(self, "vehicles", tuple(self.vehicles))
        _freeze(self, "requests", tuple(self.requests))
        known = {loc.id for loc in self.locations}
        _unique([loc.id for loc in self.locations], "locations")
        _unique([v.id for v in self.vehicles], "vehicles")
        _unique([r.id for r in self.requests], "requests")
        if self.matrix is None:
            _require_coordinates(self.locations)
        else:
            size = len(self.matrix.durations)
            _check(
                size == len(self.locations),
                "matrix",
                f"has {size} rows but there are {len(self.locations)} locations",
            )
        for k, v in enumerate(self.vehicles):
            for end in ("start", "end"):
                ref = getattr(v, end)
                _check(ref in known, f"vehicles[{k}].{end}", f"unknown location {ref!r}")
        for i, r in enumerate(self.requests):
            for kind in ("pickup", "dropoff"):
                ref = r.stop(kind).location
                _check(ref in known, f"requests[{i}].{kind}.location", f"unknown location {ref!r}")

    @classmethod
    def from_dict(cls, data: Any) -> Problem:
        return problem_from_dict(data)

    def location_index(self) -> dict[str, int]:
        return {loc.id: i for i, loc in enumerate(self.locations)}


_TOP_KEYS = {
    "locations",
    "matrix",
    "vehicles",
    "requests",
    "objective",
    "previous",
    "matrix_options",
}


def problem_from_dict(data: Any) -> Problem:
    """Read and validate a problem in the JSON contract's shape."""
    d = as_mapping(data, "problem")
    check_keys(d, _TOP_KEYS, "")
    locations = _locations(required(d, "locations", ""))
    known = {loc.id for loc in locations}
    matrix = None if d.get("matrix") is None else _matrix(d["matrix"], len(locations))
    if matrix is None:
        _require_coordinates(locations)
    vehicles = tuple(
        _vehicle(v, f"vehicles[{i}]", known)
        for i, v in enumerate(as_list(required(d, "vehicles", ""), "vehicles"))
    )
    _unique([v.id for v in vehicles], "vehicles")
    requests = tuple(
        _request(r, f"requests[{i}]", known)
        for i, r in enumerate(as_list(required(d, "requests", ""), "requests"))
    )
    _unique([r.id for r in requests], "requests")
    previous = None if d.get("previous") is None else plan_from_dict(d["previous"], "previous")
    return Problem(
        locations=locations,
        vehicles=vehicles,
        requests=requests,
        matrix=matrix,
        objective=_objective(d.get("objective")),
        previous=previous,
        matrix_options=_matrix_options(d.get("matrix_options")),
    )


def _unique(ids: list[str], path: str) -> None:
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in seen:
            raise fail(f"{path}[{i}].id", f"duplicate id {ident!r} (also {path}[{seen[ident]}])")
        seen[ident] = i


def _locations(data: Any) -> tuple[Location, ...]:
    items = as_list(data, "locations")
    out = []
    for i, item in enumerate(items):
        path = f"locations[{i}]"
        d = as_mapping(item, path)
        check_keys(d, {"id", "lat", "lon", "name"}, path)
        lat = None if d.get("lat") is None else as_float(d["lat"], f"{path}.lat")
        lon = None if d.get("lon") is None else as_float(d["lon"], f"{path}.lon")
        if lat is not None and not -90 <= lat <= 90:
            raise fail(f"{path}.lat", f"must be between -90 and 90, got {lat}")
        if lon is not None and not -180 <= lon <= 180:
            raise fail(f"{path}.lon", f"must be between -180 and 180, got {lon}")
        out.append(Location(id=as_str(required(d, "id", path), f"{path}.id"), lat=lat, lon=lon))
    _unique([loc.id for loc in out], "locations")
    return tuple(out)


def _require_coordinates(locations: tuple[Location, ...]) -> None:
    for i, loc in enumerate(locations):
        if loc.lat is None or loc.lon is None:
            raise fail(f"locations[{i}]", "needs lat and lon when no matrix is given")


def _matrix(data: Any, size: int) -> Matrix:
    d = as_mapping(data, "matrix")
    check_keys(d, {"durations", "distances"}, "matrix")
    tables = []
    for key in ("durations", "distances"):
        path = f"matrix.{key}"
        rows = as_list(required(d, key, "matrix"), path)
        if len(rows) != size:
            raise fail(path, f"has {len(rows)} rows but there are {size} locations")
        table = []
        for i, row in enumerate(rows):
            cells = as_list(row, f"{path}[{i}]")
            if len(cells) != size:
                raise fail(f"{path}[{i}]", f"has {len(cells)} entries, expected {size}")
            table.append(tuple(as_int(c, f"{path}[{i}][{j}]") for j, c in enumerate(cells)))
        tables.append(tuple(table))
    return Matrix(durations=tables[0], distances=tables[1])


def _location_ref(value: Any, path: str, known: set[str]) -> str:
    ident = as_str(value, path)
    if ident not in known:
        raise fail(path, f"unknown location {ident!r}")
    return ident


_VEHICLE_KEYS = {
    "id",
    "start",
    "end",
    "capacity",
    "available",
    "max_duration",
    "skills",
    "fixed_cost",
}


def _vehicle(data: Any, path: str, known: set[str]) -> Vehicle:
    d = as_mapping(data, path)
    check_keys(d, _VEHICLE_KEYS, path)
    start = _location_ref(required(d, "start", path), f"{path}.start", known)
    end = start if d.get("end") is None else _location_ref(d["end"], f"{path}.end", known)
    return Vehicle(
        id=as_str(required(d, "id", path), f"{path}.id"),
        start=start,
        end=end,
        capacity=as_amounts(required(d, "capacity", path), f"{path}.capacity"),
        available=None
        if d.get("available") is None
        else as_window(d["available"], f"{path}.available"),
        max_duration=None
        if d.get("max_duration") is None
        else as_int(d["max_duration"], f"{path}.max_duration"),
        skills=as_skills(d.get("skills") or [], f"{path}.skills"),
        fixed_cost=as_int(d.get("fixed_cost", 0), f"{path}.fixed_cost"),
    )


def _stop(data: Any, path: str, known: set[str]) -> Stop:
    d = as_mapping(data, path)
    check_keys(d, {"location", "window", "service"}, path)
    return Stop(
        location=_location_ref(required(d, "location", path), f"{path}.location", known),
        window=None if d.get("window") is None else as_window(d["window"], f"{path}.window"),
        service=as_int(d.get("service", 0), f"{path}.service"),
    )


_REQUEST_KEYS = {"id", "pickup", "dropoff", "load", "max_ride", "skills", "bundle"}


def _request(data: Any, path: str, known: set[str]) -> Request:
    d = as_mapping(data, path)
    check_keys(d, _REQUEST_KEYS, path)
    return Request(
        id=as_str(required(d, "id", path), f"{path}.id"),
        pickup=_stop(required(d, "pickup", path), f"{path}.pickup", known),
        dropoff=_stop(required(d, "dropoff", path), f"{path}.dropoff", known),
        load=as_amounts(required(d, "load", path), f"{path}.load"),
        max_ride=None if d.get("max_ride") is None else as_int(d["max_ride"], f"{path}.max_ride"),
        skills=as_skills(d.get("skills") or [], f"{path}.skills"),
        bundle=None if d.get("bundle") is None else as_str(d["bundle"], f"{path}.bundle"),
    )


def _objective(data: Any) -> Objective:
    if data is None:
        return Objective()
    d = as_mapping(data, "objective")
    names = set(Objective.__dataclass_fields__)
    check_keys(d, names, "objective")
    return Objective(**{k: as_int(v, f"objective.{k}") for k, v in d.items()})


def _matrix_options(data: Any) -> MatrixOptions:
    if data is None:
        return MatrixOptions()
    d = as_mapping(data, "matrix_options")
    names = set(MatrixOptions.__dataclass_fields__)
    check_keys(d, names, "matrix_options")
    return MatrixOptions(
        **{k: as_float(v, f"matrix_options.{k}", positive=True) for k, v in d.items()}
    )
