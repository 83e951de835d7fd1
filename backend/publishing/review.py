"""Automatic re-plans that wait for a coordinator, and the list of changes they show.

An automatic re-plan (after an absence, a cancelled or moved session, a withdrawn
consent) publishes on its own only when it keeps the promise made to the families:
no family's pickup moves by more than five minutes (`affected.MOVED_AFTER`) and nobody
served so far loses a ride. Otherwise it is held: the planning page shows it as
"wartet auf Freigabe" with its changes, and a coordinator publishes it (or not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy, ngettext

from backend.families.models import Participant
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun, StopPassenger
from backend.planning.problem import parse_request_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DIRECTIONS: dict[str, StrOrPromise] = {
    StopPassenger.Direction.THERE.value: gettext_lazy("Hinfahrt"),
    StopPassenger.Direction.BACK.value: gettext_lazy("Heimfahrt"),
}
CHANGES: dict[str, StrOrPromise] = {
    "moved": gettext_lazy("verschoben"),
    "removed": gettext_lazy("entfällt"),
    "added": gettext_lazy("neu"),
}


def moved_families(run: PlanningRun) -> int:
    """How many families' pickups this run moves by more than five minutes."""
    families = (run.affected or {}).get("families", [])
    return sum(
        1 for item in families if any(c.get("change") == "moved" for c in item.get("changes", []))
    )


def hold_reason(run: PlanningRun, lost_rides: int) -> str:
    """Why an automatic run must wait for a coordinator; "" when it may go out on its own."""
    reasons = []
    moved = moved_families(run)
    if moved:
        reasons.append(
            ngettext(
                "verschiebt die Abholzeit von %(n)d Familie um mehr als 5 Minuten",
                "verschiebt die Abholzeit von %(n)d Familien um mehr als 5 Minuten",
                moved,
            )
            % {"n": moved}
        )
    if lost_rides:
        reasons.append(
            ngettext(
                "würde %(n)d bisher geplante Fahrt streichen",
                "würde %(n)d bisher geplante Fahrten streichen",
                lost_rides,
            )
            % {"n": lost_rides}
        )
    return "; ".join(reasons)


def hold(run: PlanningRun, reason: str) -> None:
    run.review_reason = reason[:300]
    run.save(update_fields=["review_reason"])


def is_awaiting_review(run: PlanningRun) -> bool:
    """Held, done, not published on any day, and no newer finished run for its days.

    A newer run (another change, or the coordinator planning again) already knows
    everything this one knew, so this one no longer waits.
    """
    if not run.review_reason or run.status != PlanningRun.Status.DONE:
        return False
    if run.publications.exists():
        return False
    newer = run.organisation.planning_runs.filter(
        Q(created_at__gt=run.created_at) | Q(created_at=run.created_at, pk__gt=run.pk),
        status=PlanningRun.Status.DONE,
        date_from__lte=run.date_to,
        date_to__gte=run.date_from,
    )
    return not newer.exists()


def awaiting_review(org: Organisation) -> list[PlanningRun]:
    """The organisation's held runs that a coordinator can still publish, newest first."""
    held = org.planning_runs.exclude(review_reason="").filter(
        status=PlanningRun.Status.DONE, publications__isnull=True
    )
    return [run for run in held.order_by("-created_at")[:20] if is_awaiting_review(run)]


@dataclass(frozen=True)
class ChangeRow:
    """One line of the "Betroffen" list: one child's ride on one day."""

    date: dt.date
    reference: str
    first_name: str
    direction: str
    change: str
    old: str | None
    new: str | None
    shift_minutes: int | None
    phone: str


def change_rows(run: PlanningRun, today: dt.date) -> list[ChangeRow]:
    """The families' changes of `run` with child, direction, old and new time and phone.

    The phone number only where the family agreed to be called (on that day and today).
    """
    items = (run.affected or {}).get("families", [])
    wanted = [
        (item, change, parse_request_id(change["request"]))
        for item in items
        for change in item.get("changes", [])
    ]
    ids = {request[0] for _item, _change, request in wanted}
    participants = (
        Participant.objects.filter(pk__in=ids, family__organisation_id=run.organisation_id)
        .select_related("family")
        .prefetch_related("family__consents")
        .in_bulk()
    )
    rows = []
    for item, change, (participant_id, _session, direction) in wanted:
        participant = participants.get(participant_id)
        if participant is None:
            continue  # deleted since; its family's line goes with it
        day = dt.date.fromisoformat(item["date"])
        rows.append(_row(day, participant, direction, change, today))
    return sorted(rows, key=lambda r: (r.date, r.reference, r.first_name, r.direction))


def _row(
    day: dt.date, participant: Participant, direction: str, change: dict[str, Any], today: dt.date
) -> ChangeRow:
    return ChangeRow(
        date=day,
        reference=participant.family.reference,
        first_name=participant.first_name,
        direction=str(DIRECTIONS.get(direction, direction)),
        change=str(CHANGES.get(change.get("change", ""), change.get("change", ""))),
        old=change.get("old"),
        new=change.get("new"),
        shift_minutes=change.get("shift_minutes"),
        phone=participant.family.phone_to_call(day, today),
    )
