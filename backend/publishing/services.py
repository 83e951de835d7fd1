"""Writes of the published plan: publishing a run, re-planning, taking a family out.

- `publish_run`: a run becomes the published plan of its days.
- `replan_days`: start the automatic re-plan of published days (or flag them).
- `withdraw_family_from_published`: a family deleted or anonymised leaves every plan at
  once; `withdraw_rides`: a family without transport consent leaves the published plan.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.families.models import ConsentPurpose, Family, Participant
from backend.lib import clock
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun, Publication, Route, StopPassenger, Unserved
from backend.planning.services import MAX_DAYS, RunConflict, start_run
from backend.publishing import withdrawal
from backend.publishing.signals import days_changed

logger = logging.getLogger(__name__)

Trigger = PlanningRun.Trigger


class PublishError(Exception):
    """The run cannot be published (not done, older than the published plan, serves
    nobody, or leaves children unserved without the person's confirmation)."""


class UnservedNotConfirmed(PublishError):
    """A person publishes a run with unserved rides and has not confirmed it."""


def serves_nobody(run: PlanningRun) -> bool:
    """Children asked for rides and the run drives none of them."""
    total = run.figures.get("total", {})
    return total.get("children_requested", 0) > 0 and total.get("children_served", 0) == 0


def check_publishable(run: PlanningRun, *, confirm_unserved: bool) -> None:
    """A person may publish a run that serves someone, and one with unserved rides
    only after confirming it (PublishError says why not, in German)."""
    if serves_nobody(run):
        raise PublishError(
            _(
                "Dieser Planungslauf fährt kein einziges Kind und kann nicht veröffentlicht "
                "werden. Bitte die Gründe unter „Nicht gefahren“ prüfen und neu planen."
            )
        )
    unserved = run.unserved.count()
    if unserved and not confirm_unserved:
        raise UnservedNotConfirmed(
            ngettext(
                "%(n)s Fahrt wird nicht gefahren. Bitte bestätigen, dass trotzdem "
                "veröffentlicht werden soll.",
                "%(n)s Fahrten werden nicht gefahren. Bitte bestätigen, dass trotzdem "
                "veröffentlicht werden soll.",
                unserved,
            )
            % {"n": unserved}
        )


@transaction.atomic
def publish_run(
    run: PlanningRun,
    by: User | None = None,
    *,
    days: list[dt.date] | None = None,
    confirm_unserved: bool | None = None,
) -> list[Publication]:
    """Make `run` the published plan of each of its dates (or of `days` among them).

    A person who publishes (page, API) passes `confirm_unserved` (True or False): then
    only a run that serves someone goes out, and one with unserved rides only when
    confirmed (`check_publishable`). None: nobody was asked (a run that asked to be
    published when done, where the re-plan rules decide).

    The previous publication stays as history. Days on which `run` is already the
    published plan are left alone (no new row, so no new SEQUENCE in the feeds);
    a run older than the published plan of any of its days is refused, because
    publishing it would silently revert the newer plan.
    """
    now = clock.now()
    org = Organisation.objects.select_for_update().get(pk=run.organisation_id)
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.DONE:
        raise PublishError(_("Nur fertige Planungsläufe können veröffentlicht werden."))
    if confirm_unserved is not None:
        check_publishable(run, confirm_unserved=confirm_unserved)
    wanted = run.days() if days is None else sorted(d for d in days if d in run.days())
    current = {
        p.date: p
        for p in org.publications.current().filter(date__in=wanted).select_related("run").order_by()
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
    _drop_riders_without_consent(run, fresh)
    # Supersede first: at most one current publication per day (a partial unique index).
    superseded = [current[d].pk for d in fresh if d in current]
    org.publications.filter(pk__in=superseded).update(superseded_at=now)
    created = Publication.objects.bulk_create(
        Publication(organisation=org, date=d, run=run, published_at=now, published_by=by)
        for d in fresh
    )
    logger.info("planning run %s published for %d days", run.pk, len(created))
    days_changed.send(sender=Publication, organisation=org, days=sorted(fresh))
    return created


def publishable_days(run: PlanningRun) -> list[dt.date] | None:
    """The days a publish of `run` covers: all (None), or for an automatic re-plan only
    the days that had a published plan (it never publishes a day nobody planned)."""
    if not run.is_automatic:
        return None
    published = run.organisation.publications.current().filter(date__in=run.days())
    return sorted(published.values_list("date", flat=True))


def _is_newer(other: PlanningRun, run: PlanningRun) -> bool:
    return (other.created_at, other.pk) > (run.created_at, run.pk)


def _drop_riders_without_consent(run: PlanningRun, days: list[dt.date]) -> None:
    """A run planned before a family withdrew its transport consent goes out without it."""
    rows = set(
        StopPassenger.objects.filter(stop__route__run=run, stop__route__date__in=days).values_list(
            "stop__route__date", "participant__family_id"
        )
    )
    families = Family.objects.prefetch_related("consents").in_bulk({f for _day, f in rows})
    for day, family_id in sorted(rows):
        family = families[family_id]
        if not family.has_consent(ConsentPurpose.TRANSPORT, day):
            riders = Participant.objects.filter(family=family).values_list("pk", flat=True)
            withdrawal.take_out(run.routes.filter(date=day), list(riders), family_id)
            logger.info(
                "planning run %s: family %s left out on %s (no consent)", run.pk, family_id, day
            )


def mark_replan_pending(publication: Publication, reason: str) -> None:
    publication.needs_replan = True
    publication.replan_reason = reason[:200]
    publication.save(update_fields=["needs_replan", "replan_reason"])


def replan_days(
    org: Organisation, days: Iterable[dt.date], trigger: PlanningRun.Trigger, reason: str
) -> PlanningRun | None:
    """Re-plan those of `days` that have a published plan (or flag them for one click).

    One run covers the published days within MAX_DAYS of the first; later ones are
    flagged, since an organisation has only one active run at a time.
    """
    publications = {}
    for day in sorted(d for d in set(days) if d >= clock.today()):  # the past stays as it was
        publication = org.publications.current_on(day)
        if publication is not None:
            publications[day] = publication
    if not publications:
        return None
    first = min(publications)
    window = [d for d in publications if (d - first).days < MAX_DAYS]
    if not org.auto_replan_on_absence:
        window = []
    for day, publication in publications.items():
        if day not in window:
            mark_replan_pending(publication, reason)
    if not window:
        return None
    try:
        return start_run(
            org,
            first,
            max(window),
            by=None,
            trigger=trigger,
            time_limit=org.planning_time_limit,
            publish=True,
        )
    except RunConflict:
        for day in window:
            mark_replan_pending(
                publications[day], reason + " (während eines anderen Planungslaufs)"
            )
        return None


def _replan_after_commit(
    org: Organisation, days: list[dt.date], trigger: PlanningRun.Trigger, reason: str
) -> None:
    def replan() -> None:
        # The organisation itself may have been deleted with its families.
        if days and Organisation.objects.filter(pk=org.pk).exists():
            replan_days(org, days, trigger, reason)

    transaction.on_commit(replan)


@transaction.atomic
def withdraw_family_from_published(
    family: Family, *, from_day: dt.date | None = None
) -> list[dt.date]:
    """Take a family that is deleted or anonymised out of every plan, at once.

    Its riders and its home and pickup stops go from every run of its organisation:
    the published plan, which route sheets, their PDF, the route API and the feeds read,
    and the history and unpublished runs alike, so that its address and its children's
    names remain in no plan. Its unserved requests and its entries in the runs'
    "Betroffen" lists go too. No other family's stop moves.

    After the commit, one automatic re-plan of the published days from today on that
    changed starts (trigger "erased"), published like every automatic re-plan
    (`reactions.publish_when_done`), or the days are flagged for one click.

    Call it in the transaction that deletes or anonymises the family, while its
    participants still exist, and make sure the family no longer wants transport
    afterwards (deleted, or its transport consent withdrawn or its enrolments ended),
    so that the re-plan does not plan it again. Deleting a family calls it by itself
    (a `pre_delete` receiver, `reactions.on_family_deleted`). Returns those days.

    With `from_day`, only the routes of that day and later change: the retention rule
    (`privacy.retention.anonymise`) keeps the past routes for the anonymous figures and
    blurs their addresses itself.
    """
    org = family.organisation
    participants = list(Participant.objects.filter(family=family).values_list("pk", flat=True))
    routes = Route.objects.filter(organisation=org)
    if from_day is not None:
        routes = routes.filter(date__gte=from_day)
    changed = withdrawal.take_out(routes, participants, family.pk)
    Unserved.objects.filter(run__organisation=org, participant_id__in=participants).delete()
    withdrawal.forget_in_affected(org, family.pk)
    days = withdrawal.amend(org, changed)
    logger.info("family %s taken out of %d planned routes", family.pk, len(changed))
    _replan_after_commit(org, days, Trigger.ERASED, "Familie gelöscht")
    return days


@transaction.atomic
def withdraw_participant_from_plans(participant: Participant) -> list[dt.date]:
    """A deleted participant leaves every plan; the published days from today re-plan."""
    org = participant.family.organisation
    routes = Route.objects.filter(organisation=org)
    changed = withdrawal.take_out(routes, [participant.pk], None)
    days = withdrawal.amend(org, changed)
    _replan_after_commit(org, days, Trigger.ERASED, "Teilnehmer*in gelöscht")
    return days


@transaction.atomic
def withdraw_rides(family: Family, since: dt.date) -> list[dt.date]:
    """Take the family's rides out of the published plan from `since` on, at once.

    For a withdrawn transport consent: the days before `since` stay as the record of
    rides that took place. The published days from today on that changed re-plan
    after the commit (trigger "consent"). Returns those days.
    """
    org = family.organisation
    participants = list(Participant.objects.filter(family=family).values_list("pk", flat=True))
    current = Route.objects.for_org(org).published().filter(date__gte=since)
    days = withdrawal.amend(org, withdrawal.take_out(current, participants, family.pk))
    _replan_after_commit(org, days, Trigger.CONSENT, "Einwilligung Fahrdienst widerrufen")
    return days
