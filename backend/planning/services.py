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
    """The run cannot be published (not done, or older than the published plan)."""


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
    publish: bool = False,
) -> PlanningRun:
    """Create a queued run and hand it to the background worker after commit.

    `options` are planning rules only; `publish` (publish when done) is a separate,
    checked flag so that nobody can smuggle it in through the options.
    Raises ValidationError for bad input and RunConflict while another run of the
    organisation is active (one active run per organisation, enforced by the database).
    """
    validate_range(date_from, date_to, time_limit)
    options = PlanningOptions.from_dict(options or {}).to_dict()
    if publish:
        options["publish"] = True
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
    run: PlanningRun,
    user=None,
    *,
    now: dt.datetime | None = None,
    days: list[dt.date] | None = None,
) -> list[Publication]:
    """Make `run` the published plan of each of its dates (or of `days` among them).

    The previous publication stays as history. Days on which `run` is already the
    published plan are left alone (no new row, so no new SEQUENCE in the feeds);
    a run older than the published plan of any of its days is refused, because
    publishing it would silently revert the newer plan.
    """
    now = now or timezone.now()
    org = Organisation.objects.select_for_update().get(pk=run.organisation_id)
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.DONE:
        raise PublishError(_("Nur fertige Planungsläufe können veröffentlicht werden."))
    wanted = _run_days(run) if days is None else sorted(d for d in days if d in _run_days(run))
    current = {
        p.date: p
        for p in org.publications.filter(date__in=wanted, superseded_at__isnull=True)
        .select_related("run")
        .order_by()
    }
    newer = sorted(d for d, p in current.items() if _is_newer(p.run, run))
    if newer:
        raise PublishError(
            _(
                "Für %(days)s ist bereits ein neuerer Planungslauf veröffentlicht; "
                "dieser ältere Lauf würde ihn überschreiben."
            )
            % {"days": ", ".join(f"{d:%d.%m.%Y}" for d in newer)}
        )
    fresh = [d for d in wanted if d not in current or current[d].run_id != run.pk]
    # Supersede first: at most one current publication per day (a partial unique index).
    Publication.objects.filter(pk__in=[current[d].pk for d in fresh if d in current]).update(
        superseded_at=now
    )
    created = Publication.objects.bulk_create(
        Publication(organisation=org, date=d, run=run, published_at=now, published_by=user)
        for d in fresh
    )
    logger.info("planning run %s published for %d days", run.pk, len(created))
    return created


def _run_days(run: PlanningRun) -> list[dt.date]:
    count = (run.date_to - run.date_from).days + 1
    return [run.date_from + dt.timedelta(days=n) for n in range(count)]


def _is_newer(other: PlanningRun, run: PlanningRun) -> bool:
    return (other.created_at, other.pk) > (run.created_at, run.pk)


def mark_replan_pending(publication: Publication, reason: str) -> None:
    publication.needs_replan = True
    publication.replan_reason = reason[:200]
    publication.save(update_fields=["needs_replan", "replan_reason"])
