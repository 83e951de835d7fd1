"""Which places of a plan are only approximate (the centre of the postal code area).

The offline geocoder places an address at the centre of its postal code area and flags
it (`CoordinateSource.APPROXIMATE`). A plan built on such a point can send a driver to
the wrong street, so the run review and the driver's sheet say "Adresse ungefähr –
bitte prüfen" next to it. A stop is approximate when its point is the approximate point
of its family's home or pickup address, its venue or the driver's home.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.families.models import Enrolment, Family
from backend.planning.models import PlanningRun, Route, Stop, Unserved

APPROXIMATE_LABEL = gettext_lazy("Adresse ungefähr – bitte prüfen")

Point = tuple[float, float]


@dataclass(frozen=True)
class ApproximatePlace:
    """One approximate address used by a run, named for staff."""

    name: str  # family reference, venue or driver name
    what: str  # which address (German)
    address: str


def _pickups(families: Iterable[int]) -> list[Enrolment]:
    enrolments = Enrolment.objects.filter(participant__family__in=list(families))
    return [e for e in enrolments.select_related("participant__family") if e.pickup_is_approximate]


def approximate_points(route: Route) -> set[Point]:
    """The approximate points among the homes, pickups, venues and driver of `route`."""
    points: set[Point] = set()
    stops = list(route.stops.all())
    families = {s.family for s in stops if s.family is not None}
    venues = {s.venue for s in stops if s.venue is not None}
    for place in (*families, *venues, route.driver):
        if place.is_approximate:
            points.add((place.latitude, place.longitude))
    for enrolment in _pickups(f.pk for f in families):
        points.add((enrolment.pickup_latitude, enrolment.pickup_longitude))
    return points


def stop_is_approximate(stop: Stop, points: set[Point]) -> bool:
    return (stop.latitude, stop.longitude) in points


def approximate_places(run: PlanningRun, unserved: Iterable[Unserved]) -> list[ApproximatePlace]:
    """Every approximate address the run plans with or could not plan: for the review."""
    routes = list(run.routes.select_related("driver").prefetch_related("stops__venue"))
    family_ids = set(
        Stop.objects.filter(route__run=run, family__isnull=False).values_list("family", flat=True)
    ) | {u.participant.family_id for u in unserved}
    places: list[ApproximatePlace] = []
    for family in Family.objects.filter(pk__in=family_ids).order_by("reference"):
        if family.is_approximate:
            places.append(ApproximatePlace(family.reference, _("Wohnadresse"), family.address_line))
    for enrolment in _pickups(family_ids):
        places.append(
            ApproximatePlace(
                enrolment.participant.family.reference,
                _("Abholadresse von %(child)s") % {"child": enrolment.participant.first_name},
                ", ".join(
                    p
                    for p in (
                        enrolment.pickup_street,
                        f"{enrolment.pickup_postcode} {enrolment.pickup_town}".strip(),
                    )
                    if p
                ),
            )
        )
    venues = {s.venue for r in routes for s in r.stops.all() if s.venue is not None}
    for venue in sorted(venues, key=lambda v: v.name):
        if venue.is_approximate:
            places.append(ApproximatePlace(venue.name, _("Ort der Gruppe"), venue.address_line))
    for driver in sorted({r.driver for r in routes}, key=lambda d: d.name):
        if driver.is_approximate:
            places.append(
                ApproximatePlace(driver.name, _("Wohnadresse der Fahrer*in"), driver.address_line)
            )
    return places
