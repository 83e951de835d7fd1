"""Driver route sheets: who may see which published route, and what its sheet shows.

The sheet is one view-model used by the web page, the PDF and the API, so the three
never disagree. It is only ever built for the route's own driver or for staff of the
route's organisation (`visible_routes` is the one way in). It carries first names and
the listed needs only: no surnames, no health data beyond the needs and the driver
note. A family's phone number is on the sheet only if the family has agreed to be
called (an active consent "Kontakt per Telefon" on the route's day and today), and for
drivers only on the route's day and before it. The rule holds for staff too: the
sheet is the driver's paper, whoever prints it, and staff see the number on the
family's own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.families.models import Family, Participant
from backend.lib import clock
from backend.offers.models import Session
from backend.organisations.access import STAFF_ROLES
from backend.organisations.models import Organisation, Role
from backend.planning.models import Route, RouteQuerySet, Stop, StopPassenger
from backend.planning.places import Point, approximate_points, stop_is_approximate
from backend.publishing.queries import published_routes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OSM_ZOOM = 17
# A wait shorter than this is not worth a line on the sheet.
SHOWN_WAIT = dt.timedelta(minutes=1)
# Drivers see their routes from today on this many days ahead in their list.
LIST_DAYS_AHEAD = 13


def visible_routes(org: Organisation | None, role: str | None, user: User) -> RouteQuerySet:
    """Published routes this user may open: all of the org for staff, own ones for drivers.

    Everything else (no organisation, unknown role, another organisation's route,
    an unpublished or superseded run) is simply not in the queryset: 404.
    """
    if org is None:
        return Route.objects.none()
    routes = published_routes(org, dt.date.min, dt.date.max)
    if role in STAFF_ROLES:
        return routes
    if role == Role.DRIVER:
        return routes.filter(driver__in=org.drivers.filter(user=user))
    return Route.objects.none()


def phones_visible(route: Route, role: str | None, today: dt.date) -> bool:
    """Drivers see the families' phone numbers until the end of the route's day."""
    if role in STAFF_ROLES:
        return True
    return role == Role.DRIVER and route.date >= today


def phone_of(family: Family | None, route_day: dt.date, today: dt.date) -> str:
    """The family's phone number for a sheet, if the family has agreed to be called.

    The consent must hold on the route's day and today: a consent withdrawn today takes
    the number off every sheet at once, past ones included.
    """
    if family is None:
        return ""
    return family.phone_to_call(route_day, today)


@dataclass(frozen=True)
class Need:
    code: str
    label: StrOrPromise  # lazy: rendered in the output's language


@dataclass(frozen=True)
class NeedCount:
    code: str
    label: StrOrPromise
    count: int


@dataclass(frozen=True)
class Passenger:
    participant_id: int
    first_name: str
    is_adult: bool
    action: str  # board | alight
    direction: str  # there | back
    needs: tuple[Need, ...]
    note: str


@dataclass(frozen=True)
class SessionTime:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class SheetStop:
    number: int
    kind: str
    kind_label: StrOrPromise
    planned_at: dt.datetime
    arrival_at: dt.datetime
    address: str
    latitude: float
    longitude: float
    geo_uri: str
    osm_url: str
    google_maps_url: str
    apple_maps_url: str
    venue_name: str
    sessions: tuple[SessionTime, ...]
    phone: str
    boarding: tuple[Passenger, ...]
    alighting: tuple[Passenger, ...]
    # Only the centre of the postal code area is known: "Adresse ungefähr – bitte prüfen".
    approximate: bool = False

    @property
    def is_base(self) -> bool:
        return self.kind in (Stop.Kind.START, Stop.Kind.END)

    @property
    def wait_minutes(self) -> int:
        """How long the vehicle waits here before the stop's time (0: no wait worth naming).

        At the venue this is the time between the drop-off before a session and the
        pickup after it, when the driver stays.
        """
        wait = self.planned_at - self.arrival_at
        if self.is_base or wait < SHOWN_WAIT:
            return 0
        return int(wait.total_seconds() // 60)

    @property
    def wait_label(self) -> str:
        """The wait in words, in the active language: "2 Std. 4 Min.", "25 Min."."""
        return minutes_label(self.wait_minutes)


@dataclass(frozen=True)
class VenuePlace:
    """A venue the route serves: its name and address, as on the stops."""

    name: str
    address: str


@dataclass(frozen=True)
class Sheet:
    route_id: int
    date: dt.date
    driver_name: str
    vehicle_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    distance_km: float
    duration_minutes: int
    stops: tuple[SheetStop, ...]
    sessions: tuple[SessionTime, ...]
    need_counts: tuple[NeedCount, ...]
    rider_count: int
    phones_shown: bool
    # Whom the driver calls on the road: the organisation's dispatch (empty: not set).
    dispatch_phone: str
    venues: tuple[VenuePlace, ...]


def geo_uri(lat: float, lon: float, label: str) -> str:
    """A geo: URI that opens the phone's map app; the label stays neutral (no names)."""
    point = f"{lat:.6f},{lon:.6f}"
    return f"geo:{point}?q={point}({quote(label)})"


def google_maps_url(lat: float, lon: float) -> str:
    """Directions in Google Maps: the app on Android and iOS if installed, else the web."""
    query = {"api": "1", "destination": f"{lat:.6f},{lon:.6f}", "travelmode": "driving"}
    return f"https://www.google.com/maps/dir/?{urlencode(query)}"


def apple_maps_url(lat: float, lon: float) -> str:
    """Directions in Apple Maps: the app on iPhones, Apple's web map elsewhere."""
    return f"https://maps.apple.com/?{urlencode({'daddr': f'{lat:.6f},{lon:.6f}', 'dirflg': 'd'})}"


def osm_url(lat: float, lon: float) -> str:
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"
        f"#map={OSM_ZOOM}/{lat:.6f}/{lon:.6f}"
    )


def minutes_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)d Min.") % {"m": rest}
    if not rest:
        return _("%(h)d Std.") % {"h": hours}
    return _("%(h)d Std. %(m)d Min.") % {"h": hours, "m": rest}


def needs_of(participant: Participant) -> tuple[Need, ...]:
    flags = (
        # Lazy: rendered in the language of the output (the PDF is always German).
        ("child_seat", participant.needs_child_seat, gettext_lazy("Kindersitz")),
        ("booster", participant.needs_booster, gettext_lazy("Sitzerhöhung")),
        ("wheelchair", participant.needs_wheelchair, gettext_lazy("Rollstuhl")),
        ("escort", participant.needs_escort, gettext_lazy("Begleitung")),
    )
    return tuple(Need(code, label) for code, wanted, label in flags if wanted)


def _passenger(row: StopPassenger) -> Passenger:
    participant = row.participant
    return Passenger(
        participant_id=participant.pk,
        first_name=participant.first_name,
        is_adult=participant.kind == Participant.Kind.ADULT,
        action=row.action,
        direction=row.direction,
        needs=needs_of(participant),
        note=participant.driver_note,
    )


def _session_time(session: Session) -> SessionTime:
    return SessionTime(
        title=session.offer.display_calendar_title,
        starts_at=clock.local(session.starts_at),
        ends_at=clock.local(session.ends_at),
    )


def _sessions_by_id(route: Route) -> dict[int, Session]:
    """The sessions served by the route, with offer, in one query."""
    ids = {p.session_id for stop in route.stops.all() for p in stop.passengers.all()}
    return Session.objects.select_related("offer").in_bulk(ids)


def _stop(
    number: int,
    stop: Stop,
    sessions: dict[int, Session],
    phones: tuple[dt.date, dt.date] | None,
    approximate: set[Point],
) -> SheetStop:
    passengers = list(stop.passengers.all())
    served = sorted({p.session_id for p in passengers} if stop.venue_id else set())
    phone = phone_of(stop.family, *phones) if phones is not None else ""
    return SheetStop(
        number=number,
        kind=stop.kind,
        kind_label=Stop.Kind(stop.kind).label,  # lazy, like the needs' labels
        planned_at=clock.local(stop.planned_at),
        arrival_at=clock.local(stop.arrival_at),
        address=stop.address,
        latitude=stop.latitude,
        longitude=stop.longitude,
        geo_uri=geo_uri(stop.latitude, stop.longitude, _("Halt %(n)s") % {"n": number}),
        osm_url=osm_url(stop.latitude, stop.longitude),
        google_maps_url=google_maps_url(stop.latitude, stop.longitude),
        apple_maps_url=apple_maps_url(stop.latitude, stop.longitude),
        venue_name=stop.venue.name if stop.venue is not None else "",
        sessions=tuple(_session_time(sessions[pk]) for pk in served),
        phone=phone,
        boarding=tuple(_passenger(p) for p in passengers if p.action == StopPassenger.Action.BOARD),
        alighting=tuple(
            _passenger(p) for p in passengers if p.action == StopPassenger.Action.ALIGHT
        ),
        approximate=stop_is_approximate(stop, approximate),
    )


def _need_counts(stops: tuple[SheetStop, ...]) -> tuple[NeedCount, ...]:
    """How many riders of the day need each kind of seat or help (each rider once)."""
    riders = {p.participant_id: p for stop in stops for p in stop.boarding}
    needs = [need for rider in riders.values() for need in rider.needs]
    labels = {need.code: need.label for need in needs}
    return tuple(
        NeedCount(code, label, sum(1 for n in needs if n.code == code))
        for code, label in labels.items()
    )


def _venues(stops: tuple[SheetStop, ...]) -> tuple[VenuePlace, ...]:
    """The venues of the route, each once, in the order the route reaches them."""
    places = {(s.venue_name, s.address): None for s in stops if s.venue_name}
    return tuple(VenuePlace(name, address) for name, address in places)


def build_sheet(route: Route, *, phones_today: dt.date | None) -> Sheet:
    """The sheet of `route`. Pass a route from `sheet_routes()` (stops prefetched).

    `phones_today`: show the phone numbers that families allow as of this day; None:
    no phone numbers at all.
    """
    sessions = _sessions_by_id(route)
    phones = (route.date, phones_today) if phones_today is not None else None
    # Numbered 1, 2, … in route order, whatever the stored positions start at.
    approximate = approximate_points(route)
    stops = tuple(
        _stop(n, s, sessions, phones, approximate) for n, s in enumerate(route.stops.all(), start=1)
    )
    venue_sessions = {(s.title, s.starts_at, s.ends_at): s for st in stops for s in st.sessions}
    return Sheet(
        route_id=route.pk,
        date=route.date,
        driver_name=route.driver.name,
        vehicle_label=route.vehicle.label,
        starts_at=clock.local(route.starts_at),
        ends_at=clock.local(route.ends_at),
        distance_km=route.distance_km,
        duration_minutes=round(route.duration_s / 60),
        stops=stops,
        sessions=tuple(sorted(venue_sessions.values(), key=lambda s: s.starts_at)),
        need_counts=_need_counts(stops),
        rider_count=len({p.participant_id for st in stops for p in st.boarding}),
        phones_shown=phones_today is not None,
        dispatch_phone=route.organisation.dispatch_phone,
        venues=_venues(stops),
    )


def sheet_routes(routes: RouteQuerySet) -> RouteQuerySet:
    """`routes` with everything a sheet needs prefetched (the families' consents too)."""
    return (
        routes.with_stops()
        .select_related("organisation")
        .prefetch_related("stops__family__consents")
    )


def sheet_for(route: Route, *, role: str | None, today: dt.date) -> Sheet:
    """The sheet as the given role may see it on `today`."""
    return build_sheet(route, phones_today=today if phones_visible(route, role, today) else None)


def mark_private(response: HttpResponse) -> HttpResponse:
    """Sheets carry phone numbers and children's names: never cache, never index."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
