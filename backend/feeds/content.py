"""What each feed contains, and the cheap validator (ETag, Last-Modified) for it.

A feed object has two methods:
- `validator()` runs a few aggregate queries and returns the ETag and Last-Modified.
  A conditional GET that matches stops there: nothing is rendered.
- `events()` loads the data in a fixed number of queries (no N+1) and returns
  `EventSpec`s for `ical.build_calendar`.

Privacy: each feed shows only what its reader needs (see docs/feeds.md).
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, F, Max, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from backend.families.models import Absence, Enrolment, Family, Participant
from backend.feeds.ical import EventSpec, build_calendar, uid
from backend.fleet.models import Driver
from backend.lib import clock
from backend.offers.models import GroupOffer, Session, Venue
from backend.organisations.models import Organisation, TenantQuerySet
from backend.planning.models import Publication, Route, Stop, StopPassenger
from backend.publishing.queries import Ride, driver_routes, family_rides

# Bump when the rendering changes, so that clients fetch the new form.
FORMAT_VERSION = 1

Window = tuple[dt.date, dt.date]


def feed_window(today: dt.date) -> Window:
    """From FEED_WEEKS_BACK weeks before `today` to FEED_MONTHS_AHEAD months after it."""
    start = today - dt.timedelta(weeks=settings.FEED_WEEKS_BACK)
    end = today + relativedelta(months=settings.FEED_MONTHS_AHEAD)
    return start, end


def window_sessions(window: Window) -> TenantQuerySet[Session]:
    """Sessions starting within the window (local days, both ends included)."""
    start, end = clock.day_bounds(window[0])[0], clock.day_bounds(window[1])[1]
    return Session.objects.filter(starts_at__gte=start, starts_at__lt=end)


def local_time(value: dt.datetime) -> str:
    return f"{clock.local(value):%H:%M}"


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: dt.datetime | None


def make_validator(today: dt.date, window: Window, parts: Iterable[object]) -> Validator:
    """Hash everything the feed depends on into an ETag.

    Last-Modified is the newest data timestamp, but never before the start of `today`:
    the window moves at midnight, and a client that only sends If-Modified-Since must
    then fetch once.
    """
    parts = list(parts)
    key = repr((FORMAT_VERSION, settings.SITE_URL, settings.LANGUAGE_CODE, window, parts))
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    midnight = clock.at(today)
    stamps = [p for p in parts if isinstance(p, dt.datetime)]
    return Validator(etag=etag, last_modified=max([midnight, *stamps]))


def _session_aggregate(sessions: QuerySet[Session]) -> list[object]:
    # Every change to a session raises its sequence: the sum catches a change that the
    # latest `updated_at` alone would miss (an older row edited within the same instant).
    agg = sessions.aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        offer_changed=Max("offer__updated_at"),
        sequences=Sum("sequence"),
    )
    return [agg["n"], agg["changed"], agg["offer_changed"], agg["sequences"]]


def _venue_rows(org: Organisation) -> list[object]:
    return list(org.venues.order_by("pk").values_list("pk", "name", "street", "postcode", "town"))


def _publications(org: Organisation, window: Window) -> QuerySet[Publication]:
    return Publication.objects.for_org(org).filter(date__range=window)


def _publication_aggregate(org: Organisation, window: Window) -> list[object]:
    """Publications, and amendments of them (a family taken out after publishing)."""
    agg = _publications(org, window).aggregate(
        n=Count("pk"),
        published=Max("published_at"),
        superseded=Max("superseded_at"),
        amended=Max("amended_at"),
        amendments=Sum("amendments"),
    )
    return [agg["n"], agg["published"], agg["superseded"], agg["amended"], agg["amendments"]]


# --- Sessions: one builder for every feed -------------------------------------------


def venue_place(venue: Venue) -> str:
    """A venue as a place: "Familienzentrum A, Hauptstraße 1, 54636 Wolsfeld"."""
    return ", ".join(part for part in (venue.name, venue.address_line) if part)


def session_event(
    session: Session,
    *,
    event_uid: str,
    website: str,
    lines: Iterable[str] = (),
    show_reason: bool = False,
    stamp: dt.datetime | None = None,
) -> EventSpec:
    """A session as an event. The title is the offer's neutral calendar title."""
    title = session.offer.display_calendar_title
    description: list[str] = []
    if session.is_cancelled:
        title = _("Abgesagt: %(title)s") % {"title": title}
        description.append(_("Dieser Termin fällt aus."))
        if show_reason and session.cancel_reason:
            description.append(_("Grund: %(reason)s") % {"reason": session.cancel_reason})
    description.extend(lines)
    if website:
        description.append(_("Mehr Informationen: %(url)s") % {"url": website})
    return EventSpec(
        uid=event_uid,
        start=session.starts_at,
        end=session.ends_at,
        summary=title,
        stamp=max(filter(None, [session.updated_at, session.offer.updated_at, stamp])),
        sequence=session.sequence,
        cancelled=session.is_cancelled,
        description="\n".join(description),
        location=venue_place(session.venue),
        url=website,
    )


class Feed:
    """Base: subclasses set `window`, `today` and implement the three methods."""

    today: dt.date
    window: Window

    @property
    def name(self) -> str:
        raise NotImplementedError

    def validator(self) -> Validator:
        raise NotImplementedError

    def events(self) -> list[EventSpec]:
        raise NotImplementedError

    def render(self) -> bytes:
        with translation.override(settings.LANGUAGE_CODE):
            return build_calendar(self.name, self.events(), self.window)


class GroupFeed(Feed):
    """Public: every session of one offer. No personal data, no cancellation reasons."""

    def __init__(self, offer: GroupOffer, today: dt.date):
        self.offer, self.today, self.window = offer, today, feed_window(today)

    @property
    def name(self) -> str:
        return self.offer.display_calendar_title

    def _sessions(self) -> QuerySet[Session]:
        return window_sessions(self.window).filter(offer=self.offer)

    def validator(self) -> Validator:
        org = self.offer.organisation
        parts = [self.offer.pk, self.offer.updated_at, org.website]
        parts += _session_aggregate(self._sessions()) + _venue_rows(org)
        return make_validator(self.today, self.window, parts)

    def events(self) -> list[EventSpec]:
        website = self.offer.organisation.website
        sessions = self._sessions().select_related("offer", "venue")
        return [session_event(s, event_uid=uid("session", s.pk), website=website) for s in sessions]


class OrganisationFeed(Feed):
    """For staff: every session of every group of the organisation, with reasons."""

    def __init__(self, org: Organisation, today: dt.date):
        self.org, self.today, self.window = org, today, feed_window(today)

    @property
    def name(self) -> str:
        return self.org.name

    def _sessions(self) -> QuerySet[Session]:
        return window_sessions(self.window).for_org(self.org)

    def validator(self) -> Validator:
        parts = [self.org.pk, self.org.name, self.org.website]
        parts += _session_aggregate(self._sessions()) + _venue_rows(self.org)
        return make_validator(self.today, self.window, parts)

    def events(self) -> list[EventSpec]:
        sessions = self._sessions().select_related("offer", "venue")
        return [
            session_event(
                s,
                event_uid=uid("session", s.pk),
                website=self.org.website,
                lines=_staff_lines(s),
                show_reason=True,
            )
            for s in sessions
        ]


def _staff_lines(session: Session) -> list[str]:
    offer = session.offer
    if offer.title == offer.display_calendar_title:
        return []
    return [_("Angebot: %(title)s") % {"title": offer.title}]


# --- Family feed ---------------------------------------------------------------------


def participant_labels(family: Family, participants: list[Participant]) -> dict[int, str]:
    """First names if the family opted in; otherwise 'Ihr Kind' (numbered if several)."""
    if family.show_first_names_in_calendar:
        return {p.pk: p.first_name for p in participants}
    neutral: dict[str, str] = {
        Participant.Kind.CHILD: _("Ihr Kind"),
        Participant.Kind.ADULT: _("Erwachsene*r"),
    }
    by_kind: dict[str, list[Participant]] = defaultdict(list)
    for person in sorted(participants, key=lambda p: p.pk):
        by_kind[person.kind].append(person)
    labels = {}
    for kind, people in by_kind.items():
        for number, person in enumerate(people, start=1):
            base = neutral.get(kind, neutral[Participant.Kind.CHILD])
            labels[person.pk] = base if len(people) == 1 else f"{base} {number}"
    return labels


RideKey = tuple[int, int, str]  # session, participant, direction


def ride_revisions(family: Family, window: Window) -> dict[RideKey, int]:
    """How often each ride changed (pickup or drop-off time, driver) across publications.

    Computed from the publication history, which is kept: every publication of a date
    (superseded ones too) is walked in order, and each difference from the previous
    publication that contained the ride counts once. The count only ever grows, so
    session.sequence + this count is a valid, monotonic SEQUENCE.
    """
    pub = "stop__route__run__publications"
    rows = (
        StopPassenger.objects.filter(
            participant__family=family,
            stop__route__date__range=window,
            **{
                f"{pub}__organisation": family.organisation_id,
                f"{pub}__date": F("stop__route__date"),
            },
        )
        .order_by(f"{pub}__published_at", f"{pub}__pk")
        .values_list(
            f"{pub}__pk",
            "session_id",
            "participant_id",
            "direction",
            "action",
            "stop__planned_at",
            "stop__route__driver_id",
        )
    )
    states: dict[int, dict[RideKey, dict[str, object]]] = {}
    for pub_id, session_id, participant_id, direction, action, planned_at, driver_id in rows:
        state = states.setdefault(pub_id, {}).setdefault(
            (session_id, participant_id, direction), {}
        )
        state[action] = planned_at
        state["driver"] = driver_id
    last: dict[RideKey, dict[str, object]] = {}
    changes: dict[RideKey, int] = defaultdict(int)
    for publication in states.values():  # dicts keep the query's order
        for key, state in publication.items():
            if key in last and last[key] != state:
                changes[key] += 1
            last[key] = state
    return dict(changes)


@dataclass(frozen=True)
class FamilySession:
    """One of the family's sessions: who is enrolled that day, and who reported absent."""

    session: Session
    enrolled: tuple[int, ...]  # participant ids, enrolled on the session's local date
    absent: frozenset[int]  # those of them who reported an absence

    @property
    def attending(self) -> list[int]:
        return [p for p in self.enrolled if p not in self.absent]


def family_sessions(family: Family, sessions: QuerySet[Session]) -> list[FamilySession]:
    """The family's sessions among `sessions`, with who takes part; three queries.

    A session is the family's if a member's enrolment is active on its date; the only
    place that decides who attends a session (feed and subscribe page).
    """
    by_offer: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(participant__family=family):
        by_offer[enrolment.offer_id].append(enrolment)
    mine = list(sessions.filter(offer_id__in=list(by_offer)).select_related("offer", "venue"))
    absent = set(
        Absence.objects.filter(
            participant__family=family, session__in=[s.pk for s in mine]
        ).values_list("participant_id", "session_id")
    )
    result = []
    for session in mine:
        day = session.local_date
        enrolled = sorted(
            {e.participant_id for e in by_offer[session.offer_id] if e.is_active_on(day)}
        )
        if enrolled:
            missing = frozenset(p for p in enrolled if (p, session.pk) in absent)
            result.append(FamilySession(session, tuple(enrolled), missing))
    return result


class FamilyFeed(Feed):
    """The family's sessions from the join date on (without absences) and their rides."""

    def __init__(self, family: Family, today: dt.date):
        self.family, self.today, self.window = family, today, feed_window(today)

    @property
    def name(self) -> str:
        return _("Gruppentermine und Fahrten")

    def validator(self) -> Validator:
        family = self.family
        people = list(
            Participant.objects.filter(family=family)
            .order_by("pk", "enrolments__pk")
            .values_list(
                "pk",
                "first_name",
                "kind",
                "enrolments__pk",
                "enrolments__offer_id",
                "enrolments__joined_on",
                "enrolments__left_on",
            )
        )
        offer_ids = sorted({row[4] for row in people if row[4] is not None})
        absences = Absence.objects.filter(participant__family=family).aggregate(
            n=Count("pk"), last=Max("pk"), at=Max("reported_at")
        )
        org = family.organisation
        parts: list[object] = [family.pk, family.updated_at, family.show_first_names_in_calendar]
        parts += [org.website, people]
        parts += _session_aggregate(window_sessions(self.window).filter(offer_id__in=offer_ids))
        parts += [absences["n"], absences["last"], absences["at"]]
        parts += _publication_aggregate(org, self.window) + _venue_rows(org)
        parts += list(org.drivers.order_by("pk").values_list("pk", "name"))
        return make_validator(self.today, self.window, parts)

    def events(self) -> list[EventSpec]:
        family = self.family
        participants = list(Participant.objects.filter(family=family))
        labels = participant_labels(family, participants)
        taking_part = [
            entry
            for entry in family_sessions(family, window_sessions(self.window))
            if entry.attending
        ]
        attending = {entry.session.pk: entry.attending for entry in taking_part}
        events = [
            self._session_event(entry.session, [labels[p] for p in entry.attending])
            for entry in taking_part
        ]
        events += self._ride_events(
            {entry.session.pk: entry.session for entry in taking_part}, attending, labels
        )
        return events

    def _session_event(self, session: Session, names: list[str]) -> EventSpec:
        line = _("Dabei: %(names)s") % {"names": ", ".join(names)}
        return session_event(
            session,
            event_uid=uid("session", session.pk, "family", self.family.pk),
            website=self.family.organisation.website,
            lines=[line],
            show_reason=True,
            stamp=self.family.updated_at,
        )

    def _ride_events(
        self, sessions: dict[int, Session], attending: dict[int, list[int]], labels: dict[int, str]
    ) -> list[EventSpec]:
        revisions = ride_revisions(self.family, self.window)
        events = []
        for ride in family_rides(self.family, *self.window):
            session = sessions.get(ride.session_id)
            if session is None or ride.participant_id not in attending[session.pk]:
                continue  # absent, or not (yet/any more) enrolled: no ride to show
            key = (ride.session_id, ride.participant_id, ride.direction)
            events.append(ride_event(ride, session, labels, self.family, revisions.get(key, 0)))
        return events


def ride_event(
    ride: Ride, session: Session, labels: dict[int, str], family: Family, revision: int
) -> EventSpec:
    """A pickup ('there') or a ride home ('back') as its own event."""
    label = labels.get(ride.participant_id, "")
    show_label = family.show_first_names_in_calendar or len(labels) > 1
    suffix = f" ({label})" if show_label and label else ""
    params = {
        "pickup": local_time(ride.pickup_at),
        "dropoff": local_time(ride.dropoff_at),
        "driver": ride.driver_first_name,
        "place": ride.pickup_address,
        "venue": session.venue.name,
        "who": label,
    }
    if ride.direction == StopPassenger.Direction.THERE:
        summary = _("Abholung %(pickup)s – Fahrer*in %(driver)s") % params
        lines = [
            _("Abholung um %(pickup)s: %(place)s") % params,
            _("Ankunft %(venue)s: etwa %(dropoff)s") % params,
        ]
        location = ride.pickup_address
    else:
        summary = (
            _("Heimfahrt %(pickup)s, zu Hause etwa %(dropoff)s – Fahrer*in %(driver)s") % params
        )
        lines = [
            _("Abfahrt %(venue)s: %(pickup)s") % params,
            _("Ankunft zu Hause: etwa %(dropoff)s") % params,
        ]
        location = venue_place(session.venue)
    if session.is_cancelled:
        summary = _("Abgesagt: %(title)s") % {"title": summary}
        lines.insert(0, _("Der Termin fällt aus, die Fahrt auch."))
    lines.append(_("Für: %(who)s") % params)
    end = max(ride.dropoff_at, ride.pickup_at + dt.timedelta(minutes=1))
    return EventSpec(
        uid=uid("ride", ride.session_id, ride.participant_id, ride.direction),
        start=ride.pickup_at,
        end=end,
        summary=summary + suffix,
        stamp=max(ride.published_at, session.updated_at),
        sequence=session.sequence + revision,
        cancelled=session.is_cancelled,
        description="\n".join(lines),
        location=location,
    )


# --- Driver feed ---------------------------------------------------------------------


def driver_window(today: dt.date) -> Window:
    """From `today` on: a driver needs addresses and names for the rides still to drive."""
    return today, feed_window(today)[1]


class DriverFeed(Feed):
    """One event per published route of this driver from today on, with the stops in order.

    Addresses and first names are included because this driver needs them to drive;
    past routes are left out, because then the driver no longer does.
    """

    def __init__(self, driver: Driver, today: dt.date):
        self.driver, self.today, self.window = driver, today, driver_window(today)

    @property
    def name(self) -> str:
        return _("Fahrdienst")

    def validator(self) -> Validator:
        org = self.driver.organisation
        parts: list[object] = [self.driver.pk]
        parts += _publication_aggregate(org, self.window) + _venue_rows(org)
        return make_validator(self.today, self.window, parts)

    def events(self) -> list[EventSpec]:
        history: dict[dt.date, list[PublicationState]] = defaultdict(list)
        rows = _publications(self.driver.organisation, self.window).values_list(
            "date", "published_at", "superseded_at", "amended_at", "amendments"
        )
        for day, published_at, superseded_at, amended_at, amendments in rows:
            history[day].append(
                PublicationState(published_at, superseded_at, amended_at, amendments)
            )
        per_day: dict[dt.date, int] = defaultdict(int)
        events = []
        for route in driver_routes(self.driver, *self.window).order_by("date", "starts_at", "pk"):
            per_day[route.date] += 1
            events.append(route_event(route, per_day[route.date], history[route.date]))
        return events


def _stop_line(stop: Stop) -> str:
    place = stop.address
    if stop.venue is not None:
        place = venue_place(stop.venue)
    line = f"{local_time(stop.planned_at)} {stop.get_kind_display()}"
    if place:
        line += f": {place}"
    boarding = [p.participant.first_name for p in stop.passengers.all() if p.action == "board"]
    alighting = [p.participant.first_name for p in stop.passengers.all() if p.action == "alight"]
    if boarding:
        line += " – " + _("steigt ein: %(names)s") % {"names": ", ".join(boarding)}
    if alighting:
        line += " – " + _("steigt aus: %(names)s") % {"names": ", ".join(alighting)}
    return line


class PublicationState(NamedTuple):
    published_at: dt.datetime
    superseded_at: dt.datetime | None
    amended_at: dt.datetime | None
    amendments: int

    @property
    def changed_at(self) -> dt.datetime:
        return max(self.published_at, self.amended_at or self.published_at)


def route_event(route: Route, number: int, history: list[PublicationState]) -> EventSpec:
    """SEQUENCE counts the re-publications and amendments of the route's date; DTSTAMP is
    the last change of the current publication."""
    stops = list(route.stops.all())
    directions = {p.direction for stop in stops for p in stop.passengers.all()}
    summary = _("Fahrdienst")
    if directions == {StopPassenger.Direction.THERE}:
        summary = _("Fahrdienst: Hinfahrt")
    elif directions == {StopPassenger.Direction.BACK}:
        summary = _("Fahrdienst: Rückfahrt")
    current = [state.changed_at for state in history if state.superseded_at is None]
    stamp = max(current or [state.changed_at for state in history] or [route.starts_at])
    lines = [_stop_line(stop) for stop in stops]
    lines.append(
        _("Fahrzeug: %(vehicle)s · %(km)s km")
        % {"vehicle": route.vehicle.label, "km": route.distance_km}
    )
    first_pickup = next((s for s in stops if s.kind in ("pickup", "mixed")), None)
    return EventSpec(
        uid=uid("route", route.driver_id, route.date.isoformat(), number),
        start=route.starts_at,
        end=max(route.ends_at, route.starts_at + dt.timedelta(minutes=1)),
        summary=summary,
        stamp=stamp,
        sequence=max(len(history) - 1, 0) + sum(state.amendments for state in history),
        description="\n".join(lines),
        location=first_pickup.address if first_pickup else "",
    )
