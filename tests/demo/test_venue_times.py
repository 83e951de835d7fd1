"""Times at the venue on a known demo day: Tuesday 24.11.2026, Familienhilfe Westeifel.

Its children's groups are planned and published as `lotse demo` does. Each venue then
has a drop-off before the session and a separate pickup after it, inside their windows
(drop-off 20 to 5 minutes before the start, pickup 0 to 15 minutes after the end), and
the route sheet, the family page, the family feed and the driver feed all show the same
minutes.
"""

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.utils import translation
from icalendar import Calendar

from backend.demo.district import load_demo
from backend.feeds.content import DriverFeed, FamilyFeed
from backend.lib import clock
from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun, Route, StopPassenger
from backend.planning.services import plan_now
from backend.routesheets import sheets
from backend.selfservice.family import next_pickups

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
DAY = dt.date(2026, 11, 24)
ORG = "familienhilfe-westeifel"
MINUTE = dt.timedelta(minutes=1)


def hhmm(value: dt.datetime) -> str:
    return f"{clock.local(value):%H:%M}"


@pytest.fixture
def published() -> Organisation:
    """The demo with the known day planned and published, as `lotse demo` does."""
    load_demo(TODAY)
    org = Organisation.objects.get(slug=ORG)
    run = plan_now(
        org, DAY, DAY, trigger=PlanningRun.Trigger.DEMO, time_limit=2, publish=True, today=TODAY
    )
    assert run.status == PlanningRun.Status.DONE, run.error
    return org


@pytest.fixture
def routes(published) -> list[Route]:
    routes = sheets.sheet_routes(Route.objects.for_org(published).published().filter(date=DAY))
    assert routes, "the demo day has no published route"
    return list(routes)


def rows(routes: list[Route]) -> list[StopPassenger]:
    return [p for route in routes for stop in route.stops.all() for p in stop.passengers.all()]


def test_the_venue_has_a_drop_off_before_and_a_pickup_after_each_session(routes):
    drop_offs_and_pickups_lie_in_their_windows(routes)
    no_venue_stop_drops_off_and_picks_up_across_the_session(routes)
    a_vehicle_that_stays_at_the_venue_shows_its_wait(routes)


def drop_offs_and_pickups_lie_in_their_windows(routes):
    checked = defaultdict(int)
    for row in rows(routes):
        session, at = row.session, row.stop.planned_at
        if row.direction == "there" and row.action == "alight":
            window = (session.starts_at - 20 * MINUTE, session.starts_at - 5 * MINUTE)
        elif row.direction == "back" and row.action == "board":
            window = (session.ends_at, session.ends_at + 15 * MINUTE)
        else:
            continue
        assert window[0] <= at <= window[1], (row.request_id, hhmm(at), hhmm(session.ends_at))
        checked[row.direction] += 1
    assert checked["there"] and checked["back"]


def no_venue_stop_drops_off_and_picks_up_across_the_session(routes):
    """The drop-off before a session and the pickup after it are two stops."""
    for route in routes:
        for stop in route.stops.all():
            kinds = {(p.session_id, p.direction, p.action) for p in stop.passengers.all()}
            for session_id, _, _ in kinds:
                assert (
                    not {
                        (session_id, "there", "alight"),
                        (session_id, "back", "board"),
                    }
                    <= kinds
                ), f"one stop at {hhmm(stop.planned_at)} for both"


def a_vehicle_that_stays_at_the_venue_shows_its_wait(routes):
    waits = [
        stop
        for route in routes
        for stop in sheets.build_sheet(route, phones_today=None).stops
        if stop.venue_name and stop.kind == "pickup" and stop.wait_minutes
    ]
    assert waits, "no vehicle waits at a venue on the demo day"
    for stop in waits:
        assert stop.arrival_at + stop.wait_minutes * MINUTE <= stop.planned_at


def sheet_times(routes: list[Route]) -> dict[tuple[int, int, str, str], str]:
    """(session, participant, direction, action) → the minute on the route sheet."""
    times = {}
    for route in routes:
        stop_minutes = {
            s.number: f"{s.planned_at:%H:%M}"
            for s in sheets.build_sheet(route, phones_today=None).stops
        }
        for number, stop in enumerate(route.stops.all(), start=1):
            for p in stop.passengers.all():
                times[(p.session_id, p.participant_id, p.direction, p.action)] = stop_minutes[
                    number
                ]
    return times


def test_every_surface_shows_the_route_sheet_times(routes):
    # German, as the feeds are: the sheet's stop kinds are read in the active language.
    with translation.override("de"):
        family_page_and_feed_show_the_sheet_times(routes)
        driver_feed_lists_the_sheet_times(routes)


def family_page_and_feed_show_the_sheet_times(routes):
    sheet = sheet_times(routes)
    families = {row.participant.family for row in rows(routes)}
    compared = 0
    for family in families:
        now = clock.at(TODAY)
        for pickup in next_pickups(family, now):
            ride = pickup.ride
            if ride.pickup_at.date() != DAY and clock.local(ride.pickup_at).date() != DAY:
                continue
            key = (ride.session_id, ride.participant_id, ride.direction)
            assert hhmm(ride.pickup_at) == sheet[(*key, "board")]
            assert hhmm(ride.dropoff_at) == sheet[(*key, "alight")]
            compared += 1
        calendar = Calendar.from_ical(FamilyFeed(family, TODAY).render())
        for event in calendar.walk("VEVENT"):
            uid = str(event["UID"])
            match = re.match(r"ride-(\d+)-(\d+)-(there|back)@", uid)
            if not match:
                continue
            key = (int(match[1]), int(match[2]), match[3])
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert start.second == 0 and end.second == 0
            # From the pickup (at home, or at the venue after the session) to the arrival.
            assert f"{start:%H:%M}" == sheet[(*key, "board")]
            assert f"{end:%H:%M}" == sheet[(*key, "alight")]
            assert f"{start:%H:%M}" in str(event["SUMMARY"])
    assert compared >= 10


def driver_feed_lists_the_sheet_times(routes):
    for route in routes:
        calendar = Calendar.from_ical(DriverFeed(route.driver, TODAY).render())
        text = " ".join(
            str(event["DESCRIPTION"])
            for event in calendar.walk("VEVENT")
            if event.decoded("DTSTART").date() == DAY
        )
        for stop in sheets.build_sheet(route, phones_today=None).stops:
            assert f"{stop.planned_at:%H:%M} {stop.kind_label}" in text
