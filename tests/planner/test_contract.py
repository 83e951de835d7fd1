"""The JSON contract: parsing, clear errors for malformed input, round trips."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from planner import Plan, Problem, ProblemError

DATA = Path(__file__).parent / "data"


def issue_example() -> dict[str, Any]:
    return json.loads((DATA / "issue_example.json").read_text())


def test_issue_example_parses() -> None:
    """The example problem from the issue reads into frozen dataclasses."""
    problem = Problem.from_dict(issue_example())
    assert problem.vehicles[0].capacity == {"seats": 6, "child_seats": 2}
    assert problem.requests[0].max_ride == 2700
    assert problem.requests[0].bundle == "c7"
    assert problem.objective.distance == 1
    with pytest.raises(AttributeError):
        problem.requests[0].max_ride = 1  # type: ignore[misc]


def test_optional_keys_have_defaults() -> None:
    """Everything the issue marks optional may be left out."""
    data = issue_example()
    for key in ("objective", "previous"):
        data.pop(key)
    req = data["requests"][0]
    for key in ("max_ride", "skills", "bundle"):
        req.pop(key)
    for stop in ("pickup", "dropoff"):
        req[stop].pop("window")
        req[stop].pop("service")
    for key in ("available", "max_duration", "skills", "fixed_cost"):
        data["vehicles"][0].pop(key)
    problem = Problem.from_dict(data)
    assert problem.requests[0].max_ride is None
    assert problem.requests[0].pickup.window is None
    assert problem.vehicles[0].available is None


def _set(path: str, value: Any) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = d
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return mutate


_DELETE = object()

MALFORMED = [
    ("locations", _DELETE, "locations: is required"),
    (
        "requests/0/pickup/window",
        [200, 100],
        "requests[0].pickup.window: end 100 is before start 200",
    ),
    (
        "requests/0/pickup/window",
        [1, 2, 3],
        "requests[0].pickup.window: expected [start, end], got 3 values",
    ),
    (
        "requests/0/dropoff/location",
        "nowhere",
        "requests[0].dropoff.location: unknown location 'nowhere'",
    ),
    (
        "requests/0/load/seats",
        "one",
        "requests[0].load.seats: expected an integer, got the string 'one'",
    ),
    ("requests/0/load/seats", True, "requests[0].load.seats: expected an integer, got a boolean"),
    ("requests/0/max_ride", -5, "requests[0].max_ride: must be at least 0, got -5"),
    ("requests/0/pickup/service", 1.5, "requests[0].pickup.service: expected an integer, got 1.5"),
    ("requests/0/skills", "wheelchair", "requests[0].skills: expected a list"),
    ("requests/0/id", "", "requests[0].id: expected a non-empty string"),
    ("requests/0/colour", "red", "requests[0].colour: unknown key"),
    ("vehicles/0/start", "moon", "vehicles[0].start: unknown location 'moon'"),
    ("vehicles/0/capacity", [6], "vehicles[0].capacity: expected an object, got a list"),
    ("vehicles/0/available", [100, 50], "vehicles[0].available: end 50 is before start 100"),
    ("vehicles", {}, "vehicles: expected a list, got an object"),
    ("matrix/durations", [[0, 1]], "matrix.durations: has 1 rows but there are 3 locations"),
    ("matrix/distances/1", [0, 1], "matrix.distances[1]: has 2 entries, expected 3"),
    ("matrix/durations/0/1", -1, "matrix.durations[0][1]: must be at least 0, got -1"),
    ("objective/distance", -1, "objective.distance: must be at least 0, got -1"),
    ("objective/speed", 3, "objective.speed: unknown key"),
    ("locations/1/lat", 123.0, "locations[1].lat: must be between -90 and 90, got 123.0"),
    ("previous", {"routes": [{"vehicle": "v1"}]}, "previous.routes[0].visits: is required"),
    ("matrix_options", {"speed_kmh": 0}, "matrix_options.speed_kmh: must be positive, got 0"),
]


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED, ids=[m[2] for m in MALFORMED])
def test_malformed_input_names_the_key(path: str, value: Any, message: str) -> None:
    """Each malformed input fails with a ProblemError that names the key or index."""
    data = issue_example()
    _set(path, value)(data)
    with pytest.raises(ProblemError) as info:
        Problem.from_dict(data)
    assert str(info.value) == message or str(info.value).startswith(message)
    assert isinstance(info.value, ValueError)


def test_duplicate_ids_are_rejected() -> None:
    """Two requests with the same id would make the plan ambiguous."""
    data = issue_example()
    data["requests"].append(copy.deepcopy(data["requests"][0]))
    with pytest.raises(
        ProblemError, match=r"requests\[1\]\.id: duplicate id 'c7-to' \(also requests\[0\]\)"
    ):
        Problem.from_dict(data)


def test_missing_matrix_needs_coordinates() -> None:
    """Without a matrix every location needs lat and lon."""
    data = issue_example()
    del data["matrix"]
    del data["locations"][2]["lat"]
    with pytest.raises(ProblemError, match=r"locations\[2\]: needs lat and lon"):
        Problem.from_dict(data)


def test_not_an_object() -> None:
    """A JSON list at the top is rejected with a clear message."""
    with pytest.raises(ProblemError, match="problem: expected an object, got a list"):
        Problem.from_dict([])


def test_plan_round_trip() -> None:
    """plan.to_dict() read back with Plan.from_dict gives the same plan."""
    plan_dict = json.loads((DATA / "issue_plan.json").read_text())
    plan = Plan.from_dict(plan_dict)
    assert Plan.from_dict(plan.to_dict()) == plan
    assert plan.to_dict()["routes"] == plan_dict["routes"]
    assert plan.to_dict()["summary"] == plan_dict["summary"]
