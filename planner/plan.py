"""The planner's output: frozen dataclasses with JSON (de)serialisation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from planner._parse import (
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_str,
    fail,
    required,
)


class VisitType(StrEnum):
    """A visit picks a rider up or drops them off (equal to its JSON string)."""

    PICKUP = "pickup"
    DROPOFF = "dropoff"


VISIT_TYPES = tuple(t.value for t in VisitType)


@dataclass(frozen=True)
class Visit:
    """One pickup or drop-off; `start` is the start of service.

    `ride_time` (drop-offs only) is the request's ride as the planner computed
    it: this start minus the end of service at its pickup.
    """

    request: str
    type: VisitType
    location: str
    arrival: int
    start: int
    ride_time: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.type, VisitType):
            object.__setattr__(self, "type", VisitType(self.type))
        if self.ride_time is not None and self.type is not VisitType.DROPOFF:
            raise ValueError(f"visit {self.request}: only a drop-off has a ride time")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "request": self.request,
            "type": self.type.value,
            "location": self.location,
            "arrival": self.arrival,
            "start": self.start,
        }
        if self.ride_time is not None:
            out["ride_time"] = self.ride_time
        return out


@dataclass(frozen=True)
class Endpoint:
    """Where and when a route leaves its start or reaches its end."""

    location: str
    time: int

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "time": self.time}


@dataclass(frozen=True)
class Route:
    vehicle: str
    start: Endpoint
    visits: tuple[Visit, ...]
    end: Endpoint
    distance: int
    duration: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle,
            "start": self.start.to_dict(),
            "visits": [v.to_dict() for v in self.visits],
            "end": self.end.to_dict(),
            "distance": self.distance,
            "duration": self.duration,
        }


@dataclass(frozen=True)
class Unassigned:
    request: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request, "reason": self.reason}


@dataclass(frozen=True)
class Summary:
    """Totals; `changed_vehicle`/`max_pickup_shift` only when re-planning."""

    requests: int
    served: int
    distance: int
    duration: int
    vehicles_used: int
    solve_seconds: float
    cost: int | None = None
    changed_vehicle: int | None = None
    max_pickup_shift: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "requests": self.requests,
            "served": self.served,
            "distance": self.distance,
            "duration": self.duration,
            "vehicles_used": self.vehicles_used,
            "solve_seconds": self.solve_seconds,
        }
        for key in ("cost", "changed_vehicle", "max_pickup_shift"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    summary: Summary

    def to_dict(self) -> dict[str, Any]:
        return {
            "routes": [r.to_dict() for r in self.routes],
            "unassigned": [u.to_dict() for u in self.unassigned],
            "summary": self.summary.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Plan:
        return plan_from_dict(data, path)

    def served_requests(self) -> set[str]:
        return {v.request for r in self.routes for v in r.visits}


def plan_from_dict(data: Any, path: str = "") -> Plan:
    """Read a plan, e.g. `previous` of a problem or the input of `check`."""
    d = as_mapping(data, path)
    p = f"{path}." if path else ""
    routes = tuple(
        _route(r, f"{p}routes[{i}]")
        for i, r in enumerate(as_list(required(d, "routes", path), f"{p}routes"))
    )
    unassigned = tuple(
        _unassigned(u, f"{p}unassigned[{i}]")
        for i, u in enumerate(as_list(d.get("unassigned", []), f"{p}unassigned"))
    )
    summary = _summary(d.get("summary"), f"{p}summary", routes, unassigned)
    return Plan(routes=routes, unassigned=unassigned, summary=summary)


def _endpoint(data: Any, path: str) -> Endpoint:
    d = as_mapping(data, path)
    return Endpoint(
        location=as_str(required(d, "location", path), f"{path}.location"),
        time=as_int(required(d, "time", path), f"{path}.time", minimum=None),
    )


def _visit(data: Any, path: str) -> Visit:
    d = as_mapping(data, path)
    kind = as_str(required(d, "type", path), f"{path}.type")
    if kind not in VISIT_TYPES:
        raise fail(f"{path}.type", f"expected 'pickup' or 'dropoff', got {kind!r}")
    ride = d.get("ride_time")
    if ride is not None and kind != VisitType.DROPOFF:
        raise fail(f"{path}.ride_time", "only a drop-off has a ride time")
    arrival = as_int(required(d, "arrival", path), f"{path}.arrival", minimum=None)
    start = as_int(required(d, "start", path), f"{path}.start", minimum=None)
    return Visit(
        request=as_str(required(d, "request", path), f"{path}.request"),
        type=VisitType(kind),
        location=as_str(required(d, "location", path), f"{path}.location"),
        arrival=arrival,
        start=start,
        ride_time=None if ride is None else as_int(ride, f"{path}.ride_time"),
    )


def _route(data: Any, path: str) -> Route:
    d = as_mapping(data, path)
    visits = as_list(required(d, "visits", path), f"{path}.visits")
    return Route(
        vehicle=as_str(required(d, "vehicle", path), f"{path}.vehicle"),
        start=_endpoint(required(d, "start", path), f"{path}.start"),
        visits=tuple(_visit(v, f"{path}.visits[{i}]") for i, v in enumerate(visits)),
        end=_endpoint(required(d, "end", path), f"{path}.end"),
        distance=as_int(d.get("distance", 0), f"{path}.distance"),
        duration=as_int(d.get("duration", 0), f"{path}.duration"),
    )


def _unassigned(data: Any, path: str) -> Unassigned:
    d = as_mapping(data, path)
    return Unassigned(
        request=as_str(required(d, "request", path), f"{path}.request"),
        reason=as_str(required(d, "reason", path), f"{path}.reason"),
    )


def _summary(
    data: Any,
    path: str,
    routes: tuple[Route, ...],
    unassigned: tuple[Unassigned, ...],
) -> Summary:
    # A hand-written previous plan may leave the summary out; derive it then.
    d: Mapping[str, Any] = {} if data is None else as_mapping(data, path)
    served = len({v.request for r in routes for v in r.visits})

    def opt_int(key: str) -> int | None:
        return None if d.get(key) is None else as_int(d[key], f"{path}.{key}")

    return Summary(
        requests=as_int(d.get("requests", served + len(unassigned)), f"{path}.requests"),
        served=as_int(d.get("served", served), f"{path}.served"),
        distance=as_int(d.get("distance", sum(r.distance for r in routes)), f"{path}.distance"),
        duration=as_int(d.get("duration", sum(r.duration for r in routes)), f"{path}.duration"),
        vehicles_used=as_int(
            d.get("vehicles_used", sum(1 for r in routes if r.visits)), f"{path}.vehicles_used"
        ),
        solve_seconds=as_float(d.get("solve_seconds", 0.0), f"{path}.solve_seconds"),
        cost=opt_int("cost"),
        changed_vehicle=opt_int("changed_vehicle"),
        max_pickup_shift=opt_int("max_pickup_shift"),
    )
