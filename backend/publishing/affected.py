"""Who a run affects compared with the plan published when it was stored.

Both sides are read from the stored rows (the run's and the published run's), so the
comparison is the same whichever way a plan came about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from backend.families.models import Family
from backend.fleet.models import Driver
from backend.planning.models import PlanningRun, StopPassenger
from backend.planning.times import seconds_of_day

MOVED_AFTER = 5 * 60  # a pickup that moves more than this affects the family


@dataclass
class Snapshot:
    """Pickups and driver itineraries of one day's plan, in seconds since midnight."""

    run_id: int
    pickups: dict[str, tuple[int, int]] = field(default_factory=dict)  # rid → (time, family)
    drivers: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)


def snapshot(run_id: int, day: dt.date) -> Snapshot:
    """The pickups and itineraries of run `run_id` on `day`, in route and stop order."""
    snap = Snapshot(run_id)
    rows = (
        StopPassenger.objects.filter(stop__route__run_id=run_id, stop__route__date=day)
        .select_related("stop__route", "participant")
        .order_by("stop__route_id", "stop__position", "participant_id", "pk")
    )
    for row in rows:
        seconds = seconds_of_day(row.stop.planned_at)
        pickup = row.action == StopPassenger.Action.BOARD
        if pickup:
            snap.pickups[row.request_id] = (seconds, row.participant.family_id)
        itinerary = snap.drivers.setdefault(row.stop.route.driver_id, [])
        itinerary.append((row.request_id, "pickup" if pickup else "dropoff", seconds))
    return snap


def affected(run: PlanningRun) -> dict[str, Any]:
    """Families whose pickups moved, were removed or added, and drivers whose route changed."""
    result: dict[str, Any] = {"compared_with": {}, "families": [], "drivers": []}
    for day in run.days():
        publication = run.organisation.publications.current_on(day)
        result["compared_with"][day.isoformat()] = publication.run_id if publication else None
        if publication is not None:
            _add_day(result, day, snapshot(publication.run_id, day), snapshot(run.pk, day))
    return result


def _add_day(result: dict[str, Any], day: dt.date, before: Snapshot, after: Snapshot) -> None:
    changes = _pickup_changes(before, after)
    references = dict(
        Family.objects.filter(pk__in={f for f, _ in changes}).values_list("pk", "reference")
    )
    for family_id, items in sorted(_by_family(changes).items()):
        result["families"].append(
            {
                "date": day.isoformat(),
                "family": family_id,
                "reference": references.get(family_id, ""),
                "changes": items,
            }
        )
    changed = _driver_changes(before, after)
    names = dict(Driver.objects.filter(pk__in=changed).values_list("pk", "name"))
    for driver_id, change in sorted(changed.items()):
        result["drivers"].append(
            {
                "date": day.isoformat(),
                "driver": driver_id,
                "name": names.get(driver_id, ""),
                "change": change,
            }
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
