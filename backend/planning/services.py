"""Starting planning runs: checked input, one active run per organisation.

A run is created here and executed in the background (`jobs.py` → `runs.execute_run`).
Publishing a finished run is `backend.publishing.services.publish_run`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.lib import clock
from backend.lib.bounds import ENDS_BEFORE_START
from backend.organisations.models import MAX_TIME_LIMIT, Organisation
from backend.planning import jobs, lease
from backend.planning.models import PlanningRun
from backend.planning.problem import PlanningOptions
from backend.planning.runs import Progress, execute_run

logger = logging.getLogger(__name__)

MAX_DAYS = 31


class RunConflict(Exception):
    """Another run of the organisation is still queued or running."""


def validate_range(
    date_from: dt.date, date_to: dt.date, time_limit: int, *, today: dt.date | None = None
) -> None:
    """The days to plan (today or later, at most MAX_DAYS) and the planner's seconds.

    `today` is the clock's day; only the demo, loaded as of another day, names its own.
    """
    errors = {}
    if date_from < (today or clock.today()):
        errors["date_from"] = _(
            "Der %(day)s liegt in der Vergangenheit: geplant werden heute und kommende Tage."
        ) % {"day": f"{date_from:%d.%m.%Y}"}
    if date_to < date_from:
        errors["date_to"] = str(ENDS_BEFORE_START)
    elif (date_to - date_from).days + 1 > MAX_DAYS:
        errors["date_to"] = _("Höchstens %(n)s Tage auf einmal.") % {"n": MAX_DAYS}
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        errors["time_limit"] = _("Muss zwischen 1 und %(n)s Sekunden liegen.") % {
            "n": MAX_TIME_LIMIT
        }
    if errors:
        raise ValidationError(errors)


def start_run(
    org: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    *,
    by: User | None,
    trigger: PlanningRun.Trigger,
    time_limit: int | None = None,
    options: dict | None = None,
    publish: bool = False,
    enqueue: bool = True,
    today: dt.date | None = None,
) -> PlanningRun:
    """Create a queued run and hand it to the background worker after commit.

    `by` is the user who asked (None for the system), `trigger` says why. `options`
    are planning rules only; `publish` (publish when done) is a separate, checked flag
    so that nobody can smuggle it in through the options. Raises ValidationError for
    bad input and RunConflict while another run of the organisation is active (one
    active run per organisation, enforced by the database). A run whose worker is gone
    is failed first (`lease.expire_stale`), so it blocks nobody. `time_limit` (planner
    seconds per day) defaults to the organisation's setting.
    """
    if time_limit is None:
        time_limit = org.planning_time_limit
    validate_range(date_from, date_to, time_limit, today=today)
    options = PlanningOptions.from_dict(options or {}).to_dict()
    if publish:
        options["publish"] = True
    with transaction.atomic():
        # Serialise concurrent starts of one organisation on its row.
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        lease.expire_stale(org)
        active = org.planning_runs.active().first()
        if active is not None:
            raise RunConflict(_conflict_message(active))
        try:
            with transaction.atomic():
                run = PlanningRun.objects.create(
                    organisation=org,
                    date_from=date_from,
                    date_to=date_to,
                    time_limit=time_limit,
                    options=options,
                    created_by=by,
                    trigger=trigger,
                    progress={"phase": "queued"},
                )
        except IntegrityError:
            raise RunConflict(
                _(
                    "Für diese Organisation läuft bereits ein Planungslauf. "
                    "Bitte warten, bis er fertig ist."
                )
            ) from None
        if enqueue:
            transaction.on_commit(lambda: jobs.enqueue(run.pk))
    logger.info("planning run %s queued org=%s trigger=%s", run.pk, org.pk, trigger)
    return run


def start_manual_run(
    org: Organisation,
    by: User,
    date_from: dt.date,
    date_to: dt.date,
    *,
    time_limit: int | None = None,
    options: dict | None = None,
    publish: bool = False,
) -> PlanningRun:
    """A run a person asked for, on the planning page or through the API: `start_run`
    with the trigger MANUAL. Raises like `start_run`."""
    return start_run(
        org,
        date_from,
        date_to,
        by=by,
        trigger=PlanningRun.Trigger.MANUAL,
        time_limit=time_limit,
        options=options,
        publish=publish,
    )


def plan_now(
    org: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    *,
    trigger: PlanningRun.Trigger,
    time_limit: int | None = None,
    publish: bool = False,
    on_progress: Progress | None = None,
    today: dt.date | None = None,
) -> PlanningRun:
    """Start a run and execute it in this process (`lotse plan`, `lotse demo`).

    Raises like `start_run`; the returned run is done or failed.
    """
    run = start_run(
        org,
        date_from,
        date_to,
        by=None,
        trigger=trigger,
        time_limit=time_limit,
        publish=publish,
        enqueue=False,
        today=today,
    )
    finished = execute_run(run.pk, on_progress=on_progress)
    assert finished is not None, "a run started here is not deleted while it runs"
    return finished


def _conflict_message(active: PlanningRun) -> str:
    return _(
        "Für diese Organisation läuft bereits Planungslauf %(run)s "
        "(%(start)s–%(end)s, %(status)s). Bitte warten, bis er fertig ist."
    ) % {
        "run": active.pk,
        "start": f"{active.date_from:%d.%m.%Y}",
        "end": f"{active.date_to:%d.%m.%Y}",
        "status": active.get_status_display(),
    }
