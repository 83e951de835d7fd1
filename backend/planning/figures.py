"""Key figures of a run and who is affected compared with the published plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from backend.families.models import Family
from backend.fleet.models import Driver
from backend.organisations.models import Organisation
from backend.transport.models import StopPassenger
from backend.transport.problem import DayProblem
from backend.transport.queries import current_publication
from backend.transport.store import merged_stops
from backend.transport.times import seconds_of_day

MOVED_AFTER = 5 * 60  # a pickup that moves more than this affects the family


# --- figures -----------------------------------------------------------------------


def day_figures(built: DayProblem, plan: dict[str, Any], matrix: str) -> dict[str, Any]:
    served = {v["request"] for r in plan["routes"] for v in r["visits"]}
    requested = set(built.requests) | {n.request_id for n in built.not_planned}
    rides = _child_rides(built, plan)
    children = {(r.participant_id, r.session_id) for r in built.requests.values() if r.is_child}
    children |= {(n.participant_id, n.session_id) for n in built.not_planned if n.is_child}
    unserved_children = {
        (r.participant_id, r.session_id)
        for r in built.requests.values()
        if r.is_child and r.request_id not in served
    } | {(n.participant_id, n.session_id) for n in built.not_planned if n.is_child}
    return {
        "date": built.day.isoformat(),
        "requests": len(requested),
        "served": len(served),
        "unserved": len(requested) - len(served),
        "children_requested": len(children),
        "children_served": len(children - unserved_children),
        "km": round(sum(r.get("distance", 0) for r in plan["routes"]) / 1000, 1),
        "driving_minutes": round(_driving_seconds(built, plan) / 60),
        "ride_avg_minutes": round(sum(rides) / len(rides) / 60, 1) if rides else None,
        "ride_max_minutes": round(max(rides) / 60, 1) if rides else None,
        "ride_count": len(rides),
        "vehicles_used": sum(1 for r in plan["routes"] if r["visits"]),
        "matrix": matrix,
        "excluded": built.excluded,
    }


def _child_rides(built: DayProblem, plan: dict[str, Any]) -> list[int]:
    service = {r["id"]: r["pickup"].get("service", 0) for r in built.data["requests"]}
    rides = []
    for route in plan["routes"]:
        picked: dict[str, int] = {}
        for visit in route["visits"]:
            rid = visit["request"]
            if visit["type"] == "pickup":
                picked[rid] = visit["start"] + service.get(rid, 0)
            elif rid in picked and built.requests[rid].is_child:
                rides.append(visit["start"] - picked[rid])
    return rides


def _driving_seconds(built: DayProblem, plan: dict[str, Any]) -> int:
    matrix = built.data.get("matrix")
    if not matrix:
        return 0
    index = {loc["id"]: i for i, loc in enumerate(built.data["locations"])}
    total = 0
    for route in plan["routes"]:
        path = [route["start"]["location"], *(v["location"] for v in route["visits"])]
        path.append(route["end"]["location"])
        for a, b in zip(path, path[1:], strict=False):
            total += matrix["durations"][index[a]][index[b]]
    return total


def totals(days: list[dict[str, Any]]) -> dict[str, Any]:
    rides = sum(d["ride_count"] for d in days)
    weighted = sum((d["ride_avg_minutes"] or 0) * d["ride_count"] for d in days)
    maxima = [d["ride_max_minutes"] for d in days if d["ride_max_minutes"] is not None]
    summed = ("requests", "served", "unserved", "children_requested", "children_served")
    total = {key: sum(d[key] for d in days) for key in summed}
    total.update(
        km=round(sum(d["km"] for d in days), 1),
        driving_minutes=sum(d["driving_minutes"] for d in days),
        ride_avg_minutes=round(weighted / rides, 1) if rides else None,
        ride_max_minutes=max(maxima) if maxima else None,
        vehicles_used=max((d["vehicles_used"] for d in days), default=0),
        matrix=sorted({d["matrix"] for d in days if d["matrix"] != "none"}),
    )
    return {"total": total, "days": days}


# --- who is affected ---------------------------------------------------------------


@dataclass
class Snapshot:
    """Pickups and driver itineraries of one day's plan, in seconds since midnight."""

    run_id: int | None
    pickups: dict[str, tuple[int, int]] = field(default_factory=dict)  # rid → (time, family)
    drivers: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)


def published_snapshot(org: Organisation, day: dt.date) -> Snapshot | None:
    publication = current_publication(org, day)
    if publication is None:
        return None
    snap = Snapshot(publication.run_id)
    rows = (
        StopPassenger.objects.filter(stop__route__run_id=publication.run_id, stop__route__date=day)
        .select_related("stop__route", "participant")
        .order_by("stop__route_id", "stop__position", "participant_id")
    )
    for row in rows:
        seconds = seconds_of_day(row.stop.planned_at)
        if row.action == StopPassenger.Action.BOARD:
            snap.pickups[row.request_id] = (seconds, row.participant.family_id)
        action = "pickup" if row.action == StopPassenger.Action.BOARD else "dropoff"
        itinerary = snap.drivers.setdefault(row.stop.route.driver_id, [])
        itinerary.append((row.request_id, action, seconds))
    return snap


def planned_snapshot(built: DayProblem, plan: dict[str, Any]) -> Snapshot:
    snap = Snapshot(None)
    for route in plan["routes"]:
        driver = built.vehicles[route["vehicle"]].driver_id
        itinerary = snap.drivers.setdefault(driver, [])
        for group in merged_stops(route["visits"]):
            seconds = group[0]["start"]
            for visit in sorted(group, key=lambda v: built.requests[v["request"]].participant_id):
                ref = built.requests[visit["request"]]
                if visit["type"] == "pickup":
                    snap.pickups[ref.request_id] = (seconds, ref.family_id)
                itinerary.append((ref.request_id, visit["type"], seconds))
    return snap


def empty_affected() -> dict[str, Any]:
    return {"compared_with": {}, "families": [], "drivers": []}


def add_affected(
    affected: dict[str, Any], built: DayProblem, plan: dict[str, Any], before: Snapshot | None
) -> None:
    """Add the day's affected families and drivers (only when a published plan exists)."""
    day = built.day.isoformat()
    affected["compared_with"][day] = before.run_id if before else None
    if before is None:
        return
    after = planned_snapshot(built, plan)
    changes = _pickup_changes(before, after)
    references = dict(
        Family.objects.filter(pk__in={f for f, _ in changes}).values_list("pk", "reference")
    )
    for family_id, items in sorted(_by_family(changes).items()):
        affected["families"].append(
            {
                "date": day,
                "family": family_id,
                "reference": references.get(family_id, ""),
                "changes": items,
            }
        )
    changed = _driver_changes(before, after)
    names = dict(Driver.objects.filter(pk__in=changed).values_list("pk", "name"))
    for driver_id, change in sorted(changed.items()):
        affected["drivers"].append(
            {"date": day, "driver": driver_id, "name": names.get(driver_id, ""), "change": change}
        )


def _pickup_changes(before: Snapshot, after: Snapshot) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for rid in sorted(set(before.pickups) | set(after.pickups)):
        old, new = before.pickups.get(rid), after.pickups.get(rid)
        if old and new:
            shift = new[0] - old[0]
            if abs(shift) > MOVED_AFTER:
                out.append((new[1], _change(rid, "moved", old[0], new[0])))
        elif old:
            out.append((old[1], _change(rid, "removed", old[0], None)))
        elif new:
            out.append((new[1], _change(rid, "added", None, new[0])))
    return out


def _change(rid: str, kind: str, old: int | None, new: int | None) -> dict[str, Any]:
    item: dict[str, Any] = {"request": rid, "change": kind, "old": _hhmm(old), "new": _hhmm(new)}
    if old is not None and new is not None:
        item["shift_minutes"] = round((new - old) / 60)
    return item


def _hhmm(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _by_family(changes: list[tuple[int, dict[str, Any]]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for family_id, item in changes:
        grouped.setdefault(family_id, []).append(item)
    return grouped


def _driver_changes(before: Snapshot, after: Snapshot) -> dict[int, str]:
    """Drivers whose stops, order or times (by a minute or more) changed."""
    out = {}
    for driver in set(before.drivers) | set(after.drivers):
        old, new = before.drivers.get(driver), after.drivers.get(driver)
        if old is None:
            out[driver] = "added"
        elif new is None:
            out[driver] = "removed"
        elif [(r, a) for r, a, _ in old] != [(r, a) for r, a, _ in new] or any(
            abs(o[2] - n[2]) >= 60 for o, n in zip(old, new, strict=True)
        ):
            out[driver] = "changed"
    return out
