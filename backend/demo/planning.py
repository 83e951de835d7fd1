"""Plan and publish the demo district's coming week (called by `lotse demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from backend.lib.clock import day_bounds
from backend.offers.models import Session
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun
from backend.planning.services import RunConflict, plan_now
from backend.planning.summary import summary_lines

DEMO_DAYS = 7


class Output(Protocol):
    """Where the demo writes its lines: a command's stdout or a StringIO."""

    def write(self, text: str) -> object: ...


def plan_demo_week(today: dt.date, *, time_limit: int = 5, stdout: Output) -> list[PlanningRun]:
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
        run = _plan(org, today, last, time_limit, stdout)  # `today` is the demo's day
        if run is not None:
            runs.append(run)
    return runs


def _plan(
    org: Organisation, first: dt.date, last: dt.date, time_limit: int, stdout: Output
) -> PlanningRun | None:
    try:
        run = plan_now(
            org,
            first,
            last,
            trigger=PlanningRun.Trigger.DEMO,
            time_limit=time_limit,
            publish=True,
            today=first,  # the demo's day, which may differ from the clock's
        )
    except RunConflict as exc:
        stdout.write(f"  {org.slug}: {exc}")
        return None
    if run.status != PlanningRun.Status.DONE:
        stdout.write(f"  {org.slug}: Planung fehlgeschlagen: {run.error}")
        return run
    for line in summary_lines(run, published=True):
        stdout.write(line)
    return run
