"""The one place that writes iCalendar (RFC 5545): UIDs, VEVENTs and the VCALENDAR.

Every feed describes its events as `EventSpec`s and hands them to `build_calendar`.
There is deliberately no second builder: UIDs and timestamps must come out the same
whichever feed an event appears in.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, Timezone

from backend.lib import clock

PRODID = "-//Lotse//Kalender//DE"
# How often clients should poll. Google ignores it and polls every few hours.
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class EventSpec:
    """What a feed says about one event. Times are aware; they are written in local time.

    `stamp` is when the underlying data last changed (DTSTAMP and LAST-MODIFIED): it comes
    from the data, never from the clock, so that an unchanged feed is byte-identical.
    """

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    stamp: dt.datetime
    sequence: int = 0
    cancelled: bool = False
    description: str = ""
    location: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None or self.stamp.tzinfo is None:
            raise ValueError("EventSpec needs aware datetimes")
        if self.end <= self.start:
            raise ValueError("an event must end after it starts")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative")


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(kind: str, *ids: object) -> str:
    """A stable UID from the object's ids and the site's domain, e.g. session-12@lotse.example."""
    key = "-".join(str(part) for part in (kind, *ids))
    return f"{key}@{site_domain()}"


def _utc(value: dt.datetime) -> dt.datetime:
    # Seconds only: microseconds would be cut anyway and must not make two stamps differ.
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _minute(value: dt.datetime) -> dt.datetime:
    """Local time on the whole minute, cut like every "%H:%M" that people read.

    Ride times are planned to the second; an event at 14:23:40 titled "14:23" would
    start in the middle of a minute the title does not name.
    """
    return clock.local(value).replace(second=0, microsecond=0)


def event_times(spec: EventSpec) -> tuple[dt.datetime, dt.datetime]:
    """DTSTART and DTEND on whole minutes; the event still lasts at least a minute."""
    start, end = _minute(spec.start), _minute(spec.end)
    return start, max(end, start + dt.timedelta(minutes=1))


def build_event(spec: EventSpec) -> Event:
    start, end = event_times(spec)
    event = Event()
    event.add("uid", spec.uid)
    event.add("dtstamp", _utc(spec.stamp))
    event.add("last-modified", _utc(spec.stamp))
    event.add("sequence", spec.sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", spec.summary)
    event.add("status", "CANCELLED" if spec.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if spec.cancelled else "OPAQUE")
    if spec.description:
        event.add("description", spec.description)
    if spec.location:
        event.add("location", spec.location)
    if spec.url:
        event.add("url", spec.url)
    return event


def _timezone(first: dt.date, last: dt.date) -> Timezone:
    # Whole years, so that the VTIMEZONE does not change every day with the window.
    return Timezone.from_tzid(
        clock.zone().key,
        first_date=dt.date(first.year, 1, 1),
        last_date=dt.date(last.year + 1, 1, 1),
    )


def build_calendar(
    name: str, events: Iterable[EventSpec], window: tuple[dt.date, dt.date]
) -> bytes:
    """The whole feed as bytes (CRLF line endings and folding are done by icalendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", clock.zone().key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(_timezone(*window))
    for spec in sorted(events, key=lambda s: (s.start, s.uid)):
        calendar.add_component(build_event(spec))
    return calendar.to_ical()
