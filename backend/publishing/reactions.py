"""Reactions: to finished runs, and to changes after publishing (re-plan the days they touch).

A stored run gets its `affected` list (compared with the published plan); a finished
run that asked for it is published (`on_run_done`).

Absences (reported or withdrawn), cancelled, reinstated or moved sessions, a
withdrawn transport consent and a deleted family or participant each name the
published days they affect. A withdrawn consent and a deletion first take the family
out of the published plan at once (`services.withdraw_rides`,
`services.withdraw_family_from_published`). If the
organisation re-plans automatically (`auto_replan_on_absence`), one run over those
days starts with the published plan as `previous` and is published when it is done,
unless it moves a family's pickup by more than five minutes or would drop somebody
served before: then it waits for a coordinator's review (`review.py`).
Otherwise, or while another run is active, each day's publication is marked
`needs_replan` and the coordinator starts the run with one click
(`POST /api/planning-runs/` with that date).

Receivers run after the change commits (`transaction.on_commit`), never inside it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from backend.families.models import Absence, ConsentPurpose, ConsentRecord, Family, Participant
from backend.lib import clock
from backend.offers.models import Session
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun, StopPassenger
from backend.publishing import review
from backend.publishing.affected import affected
from backend.publishing.services import (
    mark_replan_pending,
    publish_run,
    publishable_days,
    replan_days,
    withdraw_family_from_published,
    withdraw_participant_from_plans,
    withdraw_rides,
)

logger = logging.getLogger(__name__)

Trigger = PlanningRun.Trigger
# Session fields whose change moves or (un)cancels the session's rides.
_SESSION_FIELDS = ("status", "starts_at", "ends_at", "venue_id")


def on_run_stored(sender: Any, run: PlanningRun, **kwargs: Any) -> None:
    """Inside the run's transaction: whom it affects, compared with the published plan."""
    run.affected = affected(run)
    run.save(update_fields=["affected"])


def on_run_done(sender: Any, run: PlanningRun, **kwargs: Any) -> None:
    """After the run committed: publish it if it asked for that."""
    if run.options.get("publish"):
        publish_when_done(run)


def _published_passengers(org: Organisation):
    """Passengers of the organisation's currently published plan."""
    return StopPassenger.objects.for_org(org).published()


def on_absence(sender, absence: Absence, **kwargs) -> None:
    """A reported absence of a child in the published plan re-plans its day."""
    session = absence.session
    org = session.offer.organisation
    if _in_published_plan(org, absence):
        replan_days(
            org, [session.local_date], Trigger.ABSENCE, "Abmeldung nach der Veröffentlichung"
        )


def on_absence_withdrawn(sender, absence: Absence, **kwargs) -> None:
    """A withdrawn absence re-plans a published day the child was planned out of."""
    session = absence.session
    org = session.offer.organisation
    day = session.local_date
    if org.publications.current_on(day) is None or _in_published_plan(org, absence):
        return
    replan_days(org, [day], Trigger.ABSENCE, "Abmeldung zurückgenommen nach der Veröffentlichung")


def _in_published_plan(org: Organisation, absence: Absence) -> bool:
    return (
        _published_passengers(org)
        .filter(participant_id=absence.participant_id, session_id=absence.session_id)
        .exists()
    )


def on_consent_withdrawn(sender, consent: ConsentRecord, **kwargs) -> None:
    """A withdrawn transport consent takes the family out of the published plan at once.

    From today (or the day of the withdrawal, if later) on; the days it rode on re-plan.
    """
    if consent.purpose != ConsentPurpose.TRANSPORT:
        return
    family = Family.objects.prefetch_related("consents").get(pk=consent.family_id)
    first = max(consent.withdrawn_on or clock.today(), clock.today())
    if not family.has_consent(ConsentPurpose.TRANSPORT, first):  # not another record
        withdraw_rides(family, first)


def _deleted_directly(origin: Any, model: type) -> bool:
    """Whether a deletion started at `model` (not at an object above it, which cascades)."""
    if isinstance(origin, QuerySet):
        return origin.model is model
    return isinstance(origin, model)


def on_family_deleted(sender, instance: Family, origin: Any = None, **kwargs) -> None:
    """pre_delete: a deleted family leaves every plan at once (its organisation's, too)."""
    if _deleted_directly(origin, Family):
        withdraw_family_from_published(instance)


def on_participant_deleted(sender, instance: Participant, origin: Any = None, **kwargs) -> None:
    """pre_delete: a participant deleted on their own leaves every plan at once."""
    if _deleted_directly(origin, Participant):
        withdraw_participant_from_plans(instance)


def remember_session(sender, instance: Session, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: keep what the session looked like, to see after saving what changed."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"status", "starts_at", "ends_at", "venue"} & set(
        update_fields
    ):
        return
    instance.__dict__["_transport_before"] = (
        Session.objects.filter(pk=instance.pk).values(*_SESSION_FIELDS).first()
    )


def on_session_saved(sender, instance: Session, created=False, raw=False, **kwargs) -> None:
    """post_save: a cancelled, reinstated or moved session re-plans its old and new day."""
    before = instance.__dict__.pop("_transport_before", None)
    if created or raw or before is None:
        return
    after = {name: getattr(instance, name) for name in _SESSION_FIELDS}
    if after == before:
        return
    if before["status"] != after["status"]:
        trigger = Trigger.CANCELLED if instance.is_cancelled else Trigger.SESSION
        reason = (
            "Termin abgesagt nach der Veröffentlichung"
            if instance.is_cancelled
            else "Termin wieder angesetzt nach der Veröffentlichung"
        )
    else:
        trigger, reason = Trigger.SESSION, "Termin verlegt nach der Veröffentlichung"
    days = {instance.local_date, clock.local(before["starts_at"]).date()}
    org = instance.offer.organisation
    transaction.on_commit(lambda: replan_days(org, days, trigger, reason))


def publish_when_done(run: PlanningRun) -> None:
    """Publish a run that asked for it; automatic runs only where a plan was published.

    An automatic run that moves a family's pickup by more than five minutes or drops
    somebody served so far is not published: it waits for a coordinator's review
    (`review.hold`), and the days it drops rides on are flagged as well.
    """
    if run.is_automatic:
        lost = _lost_requests(run)
        reason = review.hold_reason(run, len(lost))
        if reason:
            _hold(run, reason, lost)
            return
    with transaction.atomic():
        publish_run(run, run.created_by, days=publishable_days(run))


def _hold(run: PlanningRun, reason: str, lost: set[tuple[dt.date, str]]) -> None:
    review.hold(run, reason)
    for day in {d for d, _ in lost}:
        publication = run.organisation.publications.current_on(day)
        if publication is not None:
            mark_replan_pending(
                publication,
                f"Neuplanung (Lauf {run.pk}) würde {len(lost)} Fahrten streichen: bitte prüfen.",
            )
    logger.warning("planning run %s held for review: %d rides lost", run.pk, len(lost))


def _lost_requests(run: PlanningRun) -> set[tuple[dt.date, str]]:
    """Requests served in the published plan, still requested, but unserved by `run`."""
    lost = set()
    for item in run.unserved.all():
        publication = run.organisation.publications.current_on(item.date)
        if publication is None:
            continue
        if StopPassenger.objects.filter(
            stop__route__run_id=publication.run_id, request_id=item.request_id
        ).exists():
            lost.add((item.date, item.request_id))
    return lost
