"""Taking riders out of stored routes: the rows only, no re-planning.

Used by `services.withdraw_family_from_published` (a family deleted or anonymised),
`services.withdraw_rides` (transport consent withdrawn) and `services.publish_run`
(a run planned before a withdrawal never publishes the family).

Only the withdrawn riders go, with the stops nobody gets on or off at any more and
the routes that carry nobody any more. Every other stop keeps its time, so no other
family's pickup moves until a re-plan is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import F, Q

from backend.lib import clock
from backend.organisations.models import Organisation
from backend.planning.models import Publication, Route, RouteQuerySet, Stop, StopPassenger
from backend.publishing.signals import days_changed

BASE_KINDS = (Stop.Kind.START, Stop.Kind.END)

Changed = set[tuple[int, dt.date]]  # (run id, date) of the routes that changed


def take_out(
    routes: RouteQuerySet, participants: Collection[int], family_id: int | None
) -> Changed:
    """Remove the riders `participants` from `routes`, and what is left empty.

    With `family_id`, that family's home and pickup stops lose its address even where
    another family's rider still gets on (two families at the very same coordinates
    share one stop): the stop then shows the other family.
    """
    riders = StopPassenger.objects.filter(stop__route__in=routes, participant_id__in=participants)
    homes = Stop.objects.filter(route__in=routes, family_id=family_id) if family_id else None
    touched = Q(pk__in=riders.values("stop__route_id"))
    if homes is not None:
        touched |= Q(pk__in=homes.values("route_id"))
    found = list(Route.objects.filter(touched).values_list("pk", "run_id", "date"))
    if not found:
        return set()
    riders.delete()
    if homes is not None:
        _rehome(homes)
    route_ids = [pk for pk, _run, _day in found]
    empty = Stop.objects.filter(route_id__in=route_ids, passengers__isnull=True)
    empty.exclude(kind__in=BASE_KINDS).delete()
    Route.objects.filter(pk__in=route_ids).exclude(stops__passengers__isnull=False).delete()
    return {(run_id, day) for _pk, run_id, day in found}


def _rehome(homes) -> None:
    """A withdrawn family's stop where others still get on or off becomes theirs."""
    shared = homes.filter(passengers__isnull=False).distinct()
    for stop in shared.prefetch_related("passengers__participant__family"):
        other = next(iter(stop.passengers.all())).participant.family
        stop.family, stop.address = other, other.address_line[:300]
        stop.save(update_fields=["family", "address"])


def amend(org: Organisation, changed: Changed) -> list[dt.date]:
    """Mark the current publications among `changed` as amended; their days from today.

    Feeds take a new ETag and SEQUENCE from the mark (backend/feeds/content.py).
    """
    now, today = clock.now(), clock.today()
    days = []
    current = org.publications.current().filter(date__in={day for _run, day in changed})
    for publication in current.order_by("date"):
        if (publication.run_id, publication.date) not in changed:
            continue
        publication.amended_at = now
        publication.amendments = F("amendments") + 1
        publication.save(update_fields=["amended_at", "amendments"])
        if publication.date >= today:
            days.append(publication.date)
    if days:
        # Past days stay as the record of rides that took place (their figures too).
        days_changed.send(sender=Publication, organisation=org, days=days)
    return days


def forget_in_affected(org: Organisation, family_id: int) -> None:
    """Drop the family from the "Betroffen" lists of the organisation's runs."""
    for run in org.planning_runs.only("pk", "affected").iterator():
        families = (run.affected or {}).get("families", [])
        kept = [item for item in families if item.get("family") != family_id]
        if len(kept) != len(families):
            run.affected = {**run.affected, "families": kept}
            run.save(update_fields=["affected"])
