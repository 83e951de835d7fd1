"""Plan and publish the demo district's coming week (called by `lotse demo`)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from backend.offers.models import Session
from backend.organisations.models import Organisation
from backend.transport.models import PlanningRun
from backend.transport.runs import execute_run
from backend.transport.services import RunConflict, publish_run, start_run
from backend.transport.times import day_bounds

DEMO_DAYS = 7


def plan_demo_week(today: dt.date, *, time_limit: int = 5, stdout: TextIO) -> list[PlanningRun]:
    """Plan `today` … `today + 6` for every organisation with sessions then, and publish."""
    last = today + dt.timedelta(days=DEMO_DAYS - 1)
    start, _ = day_bounds(today)
    _, end = day_bounds(last)
    org_ids = (
        Session.objects.filter(
            starts_at__gte=start, starts_at__lt=end, status=Session.Status.SCHEDULED
        )
        .values_list("offer__organisation_id", flat=True)
        .distinct()
    )
    runs = []
    stdout.write(f"Fahrdienst: Planung {today:%d.%m.%Y}–{last:%d.%m.%Y} ({time_limit} s je Tag)")
    for org in Organisation.objects.filter(pk__in=list(org_ids)).order_by("slug"):
        run = _plan(org, today, last, time_limit, stdout)
        if run is not None:
            runs.append(run)
    return runs


def _plan(
    org: Organisation, first: dt.date, last: dt.date, time_limit: int, stdout: TextIO
) -> PlanningRun | None:
    try:
        run = start_run(org, first, last, time_limit, {}, None, "demo", enqueue=False)
    except RunConflict as exc:
        stdout.write(f"  {org.slug}: {exc}")
        return None
    run = execute_run(run.pk)
    if run is None or run.status != PlanningRun.Status.DONE:
        stdout.write(f"  {org.slug}: Planung fehlgeschlagen: {run.error if run else '?'}")
        return run
    publish_run(run)
    for line in summary_lines(org, run):
        stdout.write(line)
    return run


def summary_lines(org: Organisation, run: PlanningRun) -> list[str]:
    total = run.figures.get("total", {})
    lines = [
        f"  {org.name}: Kinder gefahren {total.get('children_served', 0)} von "
        f"{total.get('children_requested', 0)} (je Termin), "
        f"{total.get('served', 0)}/{total.get('requests', 0)} Fahrten, "
        f"{total.get('km', 0)} km, bis zu {total.get('vehicles_used', 0)} Fahrzeuge am Tag, "
        f"längste Kinderfahrt {total.get('ride_max_minutes') or 0} min – veröffentlicht"
    ]
    for item in run.unserved.select_related("participant__family"):
        lines.append(
            f"    nicht gefahren: {item.date:%d.%m.} {item.participant.family.reference} "
            f"({item.get_direction_display()}): {item.reason}"
        )
    return lines
