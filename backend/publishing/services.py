"""Writes of the published plan: publishing a run, flagging a day for re-planning."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from backend.lib import clock
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun, Publication

logger = logging.getLogger(__name__)


class PublishError(Exception):
    """The run cannot be published (not done, or older than the published plan)."""


@transaction.atomic
def publish_run(
    run: PlanningRun,
    by: User | None = None,
    *,
    days: list[dt.date] | None = None,
) -> list[Publication]:
    """Make `run` the published plan of each of its dates (or of `days` among them).

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
    # Supersede first: at most one current publication per day (a partial unique index).
    superseded = [current[d].pk for d in fresh if d in current]
    org.publications.filter(pk__in=superseded).update(superseded_at=now)
    created = Publication.objects.bulk_create(
        Publication(organisation=org, date=d, run=run, published_at=now, published_by=by)
        for d in fresh
    )
    logger.info("planning run %s published for %d days", run.pk, len(created))
    return created


def _is_newer(other: PlanningRun, run: PlanningRun) -> bool:
    return (other.created_at, other.pk) > (run.created_at, run.pk)


def mark_replan_pending(publication: Publication, reason: str) -> None:
    publication.needs_replan = True
    publication.replan_reason = reason[:200]
    publication.save(update_fields=["needs_replan", "replan_reason"])
