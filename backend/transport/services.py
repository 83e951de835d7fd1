"""Writes of the transport app: starting runs, publishing them, flagging re-plans.

A run is created here and executed in the background (`jobs.py` → `runs.execute_run`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.organisations.models import Organisation
from backend.transport.models import PlanningRun, Publication
from backend.transport.problem import PlanningOptions

logger = logging.getLogger(__name__)

ACTIVE = (PlanningRun.Status.QUEUED, PlanningRun.Status.BUILDING, PlanningRun.Status.SOLVING)
MAX_DAYS = 31
MAX_TIME_LIMIT = 600
# An active run older than its time budget plus this margin lost its worker.
STALE_MARGIN = dt.timedelta(minutes=10)


class RunConflict(Exception):
    """Another run of the organisation is still queued or running."""


class PublishError(Exception):
    """The run cannot be published (not done)."""


def validate_range(date_from: dt.date, date_to: dt.date, time_limit: int) -> None:
    errors = {}
    if date_to < date_from:
        errors["date_to"] = _("Das Ende liegt vor dem Beginn.")
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
    time_limit: int,
    options: dict | None,
    user=None,
    trigger: str = "manual",
    *,
    now: dt.datetime | None = None,
    enqueue: bool = True,
) -> PlanningRun:
    """Create a queued run and hand it to the background worker after commit.

    Raises ValidationError for bad input and RunConflict while another run of the
    organisation is active (one active run per organisation, enforced by the database).
    """
    validate_range(date_from, date_to, time_limit)
    options = PlanningOptions.from_dict(options or {}).to_dict() | _extra(options)
    now = now or timezone.now()
    with transaction.atomic():
        # Serialise concurrent starts of one organisation on its row.
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        _expire_stale(org, now)
        active = org.planning_runs.filter(status__in=ACTIVE).first()
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
                    created_by=user,
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
            from backend.transport import jobs

            transaction.on_commit(lambda: jobs.enqueue(run.pk))
    logger.info("planning run %s queued org=%s trigger=%s", run.pk, org.pk, trigger)
    return run


def _extra(options: dict | None) -> dict:
    """Non-planning flags kept with the run (e.g. publish when done)."""
    if options and options.get("publish") is True:
        return {"publish": True}
    return {}


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


def _expire_stale(org: Organisation, now: dt.datetime) -> None:
    """Mark runs failed whose worker vanished (e.g. the server restarted mid-run)."""
    for run in org.planning_runs.filter(status__in=ACTIVE):
        days = (run.date_to - run.date_from).days + 1
        budget = dt.timedelta(seconds=run.time_limit * days) + STALE_MARGIN
        if now - (run.started_at or run.created_at) > budget:
            run.status = PlanningRun.Status.FAILED
            run.error = "Zeitüberschreitung: Der Planungslauf wurde nicht beendet."
            run.finished_at = now
            run.save(update_fields=["status", "error", "finished_at"])
            logger.warning("planning run %s expired (no result within its budget)", run.pk)


@transaction.atomic
def publish_run(
    run: PlanningRun, user=None, *, now: dt.datetime | None = None
) -> list[Publication]:
    """Make `run` the published plan of each of its dates. The previous one stays as history."""
    now = now or timezone.now()
    org = Organisation.objects.select_for_update().get(pk=run.organisation_id)
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.DONE:
        raise PublishError("Nur fertige Planungsläufe können veröffentlicht werden.")
    day, created = run.date_from, []
    while day <= run.date_to:
        org.publications.filter(date=day, superseded_at__isnull=True).update(superseded_at=now)
        created.append(
            Publication.objects.create(
                organisation=org, date=day, run=run, published_at=now, published_by=user
            )
        )
        day += dt.timedelta(days=1)
    logger.info("planning run %s published for %d days", run.pk, len(created))
    return created


def mark_replan_pending(publication: Publication, reason: str) -> None:
    publication.needs_replan = True
    publication.replan_reason = reason[:200]
    publication.save(update_fields=["needs_replan", "replan_reason"])
