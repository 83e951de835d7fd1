"""Fixtures for the feed tests: a fixed clock, feed links, a published plan, two parsers.

Every feed a test fetches goes through `parse()`, which reads it with icalendar and,
independently, with vobject, and checks the wire format (CRLF, folding) by hand.
"""

import datetime as dt
from dataclasses import dataclass

import icalendar
import pytest
import recurring_ical_events
import vobject

from backend.families.models import ConsentRecord
from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.planning.models import PlanningRun, Publication, Route
from tests.conftest import BERLIN, TODAY, Clock, morning
from tests.routesheets.sheet_fixtures import add_rider, add_stop, published_run


@pytest.fixture(autouse=True)
def clock(time_machine) -> Clock:
    """The clock stands at 2026-11-23 08:00 Berlin. Tests may move it."""
    return Clock(time_machine, morning(TODAY), tick=False)


@pytest.fixture
def calendar_consent(world) -> ConsentRecord:
    """Family A agreed to the calendar subscription."""
    return ConsentRecord.objects.create(
        family=world["a"]["family"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )


@pytest.fixture
def family_link(world, calendar_consent) -> services.IssuedLink:
    a = world["a"]
    return services.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)


def feed_path(issued: services.IssuedLink) -> str:
    return f"/feeds/{issued.token}.ics"


# --- A published plan built directly with the ORM (no planner) ------------------------


def get_calendar(client, path: str):
    """GET a feed that must answer 200 with an iCalendar body; returns the response."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


KINDS = ["group", "family", "driver", "organisation"]


@pytest.fixture
def urls(world, family_link) -> dict[str, str]:
    """The feed URL of each kind for org A (group, family, driver, whole organisation)."""
    a = world["a"]
    driver = services.create_link(a["org"], FeedLink.Kind.DRIVER, driver=a["driver"], day=TODAY)
    org = services.create_link(a["org"], FeedLink.Kind.ORGANISATION, day=TODAY)
    return {
        "group": f"/feeds/group/{a['offer'].pk}.ics",
        "family": feed_path(family_link),
        "driver": feed_path(driver),
        "organisation": feed_path(org),
    }


def publish(
    part: dict,
    session,
    *,
    pickup: dt.datetime,
    published_at: dt.datetime,
    riders: list | None = None,
    back: bool = True,
    driver=None,
) -> PlanningRun:
    """Publish a run for the session's date: per rider one route there and one back.

    `riders` is a list of (participant, pickup time); by default the world's child at
    `pickup`. The previous publication of that date is marked superseded, as transport
    does when it publishes.
    """
    org = part["org"]
    day = session.local_date
    Publication.objects.filter(organisation=org, date=day, superseded_at__isnull=True).update(
        superseded_at=published_at
    )
    run = published_run(org, day, published_at=published_at)
    for person, board_at in riders or [(part["child"], pickup)]:
        _routes(run, part, session, person, board_at, back=back, driver=driver or part["driver"])
    return run


def _routes(run, part, session, person, pickup, *, back, driver) -> None:
    family, venue = person.family, session.venue
    home = (family.latitude, family.longitude, family.address_line)
    place = (venue.latitude, venue.longitude, venue.address_line)
    legs = [("there", pickup, home, session.starts_at - dt.timedelta(minutes=5), place)]
    if back:
        leave = session.ends_at
        legs.append(("back", leave, place, leave + dt.timedelta(minutes=25), home))
    for direction, board_at, start, alight_at, end in legs:
        route = Route.objects.create(
            run=run,
            organisation=run.organisation,
            date=run.date_from,
            driver=driver,
            vehicle=part["vehicle"],
            starts_at=board_at - dt.timedelta(minutes=15),
            ends_at=alight_at + dt.timedelta(minutes=15),
            distance_m=12300,
            duration_s=1800,
        )

        depot = (driver.latitude, driver.longitude, "")
        at_home, at_venue = {"family": family}, {"venue": venue}
        there = direction == "there"
        add_stop(route, 0, "start", route.starts_at, depot)
        board = add_stop(route, 1, "pickup", board_at, start, **(at_home if there else at_venue))
        alight = add_stop(route, 2, "dropoff", alight_at, end, **(at_venue if there else at_home))
        add_stop(route, 3, "end", route.ends_at, depot)
        for where, act in ((board, "board"), (alight, "alight")):
            add_rider(where, person, session, act, direction)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


# --- Parsing with two independent libraries -------------------------------------------


@dataclass
class Parsed:
    calendar: icalendar.Calendar
    events: dict[str, icalendar.Event]  # by UID

    def summaries(self) -> list[str]:
        return [str(e["SUMMARY"]) for e in self.events.values()]

    def one(self, prefix: str) -> icalendar.Event:
        found = [e for uid, e in self.events.items() if uid.startswith(prefix)]
        assert len(found) == 1, (prefix, list(self.events))
        return found[0]


def check_wire_format(body: bytes) -> None:
    """RFC 5545 §3.1: lines end in CRLF and are folded at 75 octets."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)


def parse(body: bytes, window=(dt.date(2026, 1, 1), dt.date(2028, 1, 1))) -> Parsed:
    """Parse with icalendar and vobject and check that both read the same events."""
    check_wire_format(body)
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(calendar.walk("VEVENT")), "UIDs must be unique"

    second = vobject.readOne(body.decode("utf-8"))
    other = {e.uid.value: e for e in second.contents.get("vevent", [])}
    assert set(other) == set(events)
    for key, event in events.items():
        theirs = other[key]
        assert theirs.dtstart.value == event.decoded("DTSTART")
        assert theirs.dtend.value == event.decoded("DTEND")
        assert theirs.dtstart.value.utcoffset() is not None, "local times need a TZID"
        assert theirs.summary.value == str(event["SUMMARY"])
        assert int(theirs.sequence.value) == int(event["SEQUENCE"])
        assert "RRULE" not in event and "EXDATE" not in event

    # recurring-ical-events expands the calendar as a client would: one occurrence each.
    expanded = recurring_ical_events.of(calendar).between(*window)
    assert sorted(str(e["UID"]) for e in expanded) == sorted(
        uid for uid, e in events.items() if window[0] <= e.decoded("DTSTART").date() < window[1]
    )
    return Parsed(calendar=calendar, events=events)
