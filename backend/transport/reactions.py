"""Reactions to changes after publishing: absences and cancelled sessions re-plan the day.

If the organisation re-plans automatically (`auto_replan_on_absence`), a run for that
day starts with the published plan as `previous` and is published when it is done,
unless it would drop somebody who was served before (then it waits for a person).
Otherwise, or while another run is active, the day's publication is marked
`needs_replan` and the coordinator starts the run with one click
(`POST /api/planning-runs/` with that date).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from backend.families.models import Absence
from backend.offers.models import Session
from backend.transport.models import PlanningRun, StopPassenger
from backend.transport.queries import current_publication
from backend.transport.services import RunConflict, mark_replan_pending, publish_run, start_run

logger = logging.getLogger(__name__)


def on_absence(sender, absence: Absence, **kwargs) -> None:
    session = absence.session
    in_plan = StopPassenger.objects.filter(
        participant_id=absence.participant_id,
        session_id=session.pk,
        stop__route__run__publications__superseded_at__isnull=True,
        stop__route__run__publications__date=session.local_date,
    ).exists()
    if in_plan:
        replan_day(session, "absence", "Abmeldung nach der Veröffentlichung")


def on_session_saved(
    sender, instance: Session, update_fields=None, created=False, **kwargs
) -> None:
    if created or not instance.is_cancelled:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    replan_day(instance, "cancelled", "Termin abgesagt nach der Veröffentlichung")


def replan_day(session: Session, trigger: str, reason: str) -> PlanningRun | None:
    """Re-plan the session's day if it has a published plan (or flag it for one click)."""
    org = session.offer.organisation
    day: dt.date = session.local_date
    publication = current_publication(org, day)
    if publication is None:
        return None
    if not org.auto_replan_on_absence:
        mark_replan_pending(publication, reason)
        return None
    options = {"publish": True}
    try:
        return start_run(org, day, day, settings.PLANNING_TIME_LIMIT, options, None, trigger)
    except RunConflict:
        mark_replan_pending(publication, reason + " (während eines anderen Planungslaufs)")
        return None


def publish_when_done(run: PlanningRun) -> None:
    """Publish an automatically started run, unless it drops somebody served so far."""
    lost = _lost_requests(run)
    if lost and run.trigger in ("absence", "cancelled"):
        for day in {d for d, _ in lost}:
            publication = current_publication(run.organisation, day)
            if publication is not None:
                mark_replan_pending(
                    publication,
                    f"Neuplanung (Lauf {run.pk}) würde {len(lost)} Fahrten streichen: bitte prüfen.",
                )
        logger.warning(
            "planning run %s not published automatically: %d rides lost", run.pk, len(lost)
        )
        return
    with transaction.atomic():
        publish_run(run, run.created_by)


def _lost_requests(run: PlanningRun) -> set[tuple[dt.date, str]]:
    """Requests served in the published plan, still requested, but unserved by `run`."""
    lost = set()
    for item in run.unserved.all():
        publication = current_publication(run.organisation, item.date)
        if publication is None:
            continue
        if StopPassenger.objects.filter(
            stop__route__run_id=publication.run_id, request_id=item.request_id
        ).exists():
            lost.add((item.date, item.request_id))
    return lost
