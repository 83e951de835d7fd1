"""Materialising sessions for a rolling horizon."""

import datetime as dt
import logging
from collections.abc import Iterable

import holidays
from django.db import transaction
from django.db.models import QuerySet

from backend.lib.schedule import occurrences
from backend.offers.models import ClosurePeriod, GroupOffer, Session
from backend.organisations.models import Organisation

logger = logging.getLogger(__name__)


def closed_days(closures: Iterable[ClosurePeriod]) -> set[dt.date]:
    days: set[dt.date] = set()
    for closure in closures:
        day = closure.start_date
        while day <= closure.end_date:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def skipped_dates(offer: GroupOffer, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Dates in [start, end] on which the offer does not meet, with the reason."""
    reasons: dict[dt.date, str] = {}
    for closure in offer.organisation.closures.filter(end_date__gte=start, start_date__lte=end):
        for day in closed_days([closure]):
            reasons[day] = closure.name
    region_holidays = holidays.country_holidays(
        "DE", subdiv=offer.holiday_region, years=range(start.year, end.year + 1)
    )
    for day, name in region_holidays.items():
        reasons[day] = name
    return reasons


def planned_dates(offer: GroupOffer, until: dt.date, since: dt.date | None = None) -> list[dt.date]:
    """The offer's meeting dates up to `until`, without public holidays and closures."""
    first = max(offer.first_date, since) if since else offer.first_date
    dates = occurrences(offer.rrule, offer.first_date, until, offer.last_date)
    dates = [d for d in dates if d >= first]
    if not dates:
        return []
    skipped = skipped_dates(offer, dates[0], dates[-1])
    return [d for d in dates if d not in skipped]


def materialise_sessions(offer: GroupOffer, today: dt.date, weeks: int) -> list[Session]:
    """Create the missing sessions from `today` for `weeks` weeks. Idempotent.

    Existing sessions are never touched: they may have been moved or cancelled.
    """
    return materialise_between(offer, today, today + dt.timedelta(weeks=weeks))


@transaction.atomic
def materialise_between(offer: GroupOffer, first: dt.date, last: dt.date) -> list[Session]:
    """Create the missing sessions from `first` to `last` (both included). Idempotent.

    The same rule as for the coming weeks (holidays and closures skipped); the demo's
    history uses it for the past.
    """
    existing = set(
        offer.sessions.filter(occurrence_date__range=(first, last)).values_list(
            "occurrence_date", flat=True
        )
    )
    new = []
    for day in planned_dates(offer, last, since=first):
        if day in existing:
            continue
        starts_at, ends_at = offer.planned_times(day)
        new.append(
            Session(
                offer=offer,
                occurrence_date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                venue_id=offer.venue_id,
            )
        )
    Session.objects.bulk_create(new)
    logger.debug("offer %s: %d sessions created", offer.pk, len(new))
    return new


def sessions_closed_by(organisation_id: int, start: dt.date, end: dt.date) -> QuerySet[Session]:
    """The scheduled sessions that a closure from `start` to `end` cancels (shown to
    the coordinator before a closure is saved, and cancelled by `apply_closure`)."""
    return Session.objects.filter(
        offer__organisation_id=organisation_id,
        status=Session.Status.SCHEDULED,
        starts_at__date__range=(start, end),
    )


@transaction.atomic
def apply_closure(closure: ClosurePeriod) -> int:
    """Cancel scheduled sessions that fall into a closure added after they were created.

    Sessions stay (cancelled, with the closure's name as the reason) so that calendars
    that already show them learn of the change.
    """
    sessions = sessions_closed_by(
        closure.organisation_id, closure.start_date, closure.end_date
    ).select_for_update()
    cancelled = 0
    for session in sessions:
        session.cancel(closure.name)
        cancelled += 1
    logger.info("closure %s: %d sessions cancelled", closure.pk, cancelled)
    return cancelled


def _closure_sessions(closure: ClosurePeriod) -> list[tuple[Session, ClosurePeriod | None]]:
    """The sessions this closure cancelled (its name as the reason), each with another
    closure that still covers its day (None: nothing else closes it)."""
    cancelled = Session.objects.filter(
        offer__organisation_id=closure.organisation_id,
        status=Session.Status.CANCELLED,
        cancel_reason=closure.name,
        starts_at__date__range=(closure.start_date, closure.end_date),
    )
    others = list(
        ClosurePeriod.objects.filter(organisation_id=closure.organisation_id).exclude(pk=closure.pk)
    )

    def covering(day: dt.date) -> ClosurePeriod | None:
        return next((o for o in others if o.start_date <= day <= o.end_date), None)

    return [(s, covering(s.local_date)) for s in cancelled.order_by("starts_at")]


def sessions_reopened_by(closure: ClosurePeriod) -> list[Session]:
    """The sessions that take place again once this closure is removed."""
    return [session for session, other in _closure_sessions(closure) if other is None]


@transaction.atomic
def release_closure(closure: ClosurePeriod) -> int:
    """A closure was removed: the sessions it cancelled take place again (calendars and
    the plan follow, as after any reinstated session), unless another closure still
    covers their day: then they stay cancelled, for that closure."""
    reopened = 0
    for session, other in _closure_sessions(closure):
        if other is None:
            session.reinstate()
            reopened += 1
        else:
            Session.objects.filter(pk=session.pk).update(cancel_reason=other.name)
    logger.info("closure removed: %d sessions reinstated", reopened)
    return reopened


def materialise_all(today: dt.date, weeks: int, organisation: Organisation | None = None) -> int:
    offers = GroupOffer.objects.select_related("organisation")
    if organisation is not None:
        offers = offers.filter(organisation=organisation)
    return sum(len(materialise_sessions(offer, today, weeks)) for offer in offers)
