"""Published routes for the route sheet tests, built directly with the ORM.

Bind the fixture in a test module: `sheet_world = sheet_fixtures.sheet_world`
(tests/conftest.py already makes password hashing cheap for every test).

Both families of org A have agreed to be called (consent "phone"); org B's family has
not. On Tuesday 2026-11-24 (the day after TODAY) org A has a published plan with two
routes: dave's ("Anna A", family A's siblings Mila and Lio) and erin's ("Ben Zweit",
family A2's Tom). Org B has its own published route. Dave also has a route of a run
that was never published, a route of a superseded publication, and a published route
of last week. The day is frozen at TODAY (Berlin time).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from backend.families.models import ConsentRecord, Family, Participant
from backend.fleet.models import Driver, Vehicle
from backend.offers.models import Session
from backend.organisations.models import Membership, Role
from backend.planning.models import PlanningRun, Publication, Route, Stop, StopPassenger
from tests.conftest import BERLIN, TODAY

DAY = TODAY + dt.timedelta(days=1)  # Tuesday, the group's day
LAST_WEEK = DAY - dt.timedelta(days=7)
UTC = dt.UTC
SURNAME = "Quastenberg"


def utc(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=UTC)


def published_run(
    org, day: dt.date, *, published_at: dt.datetime | None = None, superseded: bool = False
) -> PlanningRun:
    """A finished run for `day` and its publication (by default at 08:00 UTC today)."""
    run = PlanningRun.objects.create(
        organisation=org, date_from=day, date_to=day, status=PlanningRun.Status.DONE
    )
    Publication.objects.create(
        organisation=org,
        date=day,
        run=run,
        published_at=published_at or utc(TODAY, 8, 0),
        superseded_at=utc(TODAY, 9, 0) if superseded else None,
    )
    return run


def add_rider(stop: Stop, rider, session, action: str, direction: str) -> StopPassenger:
    """`rider` boards or alights at `stop` on the way `direction` to or from `session`."""
    return StopPassenger.objects.create(
        stop=stop,
        participant=rider,
        session=session,
        action=action,
        direction=direction,
        request_id=f"{rider.pk}-{session.pk}-{direction}",
    )


def add_stop(
    route: Route, position: int, kind: str, planned_at, where, *, arrival_at=None, **link
) -> Stop:
    """A stop of `route` at `where` (latitude, longitude, address); `link` names its family
    or venue. The vehicle arrives at `arrival_at` (by default when the stop is planned)."""
    latitude, longitude, address = where
    return Stop.objects.create(
        route=route,
        position=position,
        kind=kind,
        arrival_at=arrival_at or planned_at,
        planned_at=planned_at,
        latitude=latitude,
        longitude=longitude,
        address=address,
        **link,
    )


def route_to_group(run, driver, vehicle, session, family, riders, *, distance_m=23456) -> Route:
    """A real-looking route: base → family → venue … venue → family → base.

    Stops are created out of order on purpose: the sheet must order them by position.
    Times are UTC; in November Berlin is UTC+1.
    """
    day = session.occurrence_date
    route = Route.objects.create(
        run=run,
        organisation=run.organisation,
        date=day,
        driver=driver,
        vehicle=vehicle,
        starts_at=utc(day, 13, 20),
        ends_at=utc(day, 16, 5),
        distance_m=distance_m,
        duration_s=5400,
    )
    venue = session.venue
    home = (family.latitude, family.longitude, family.address_line)
    place = (venue.latitude, venue.longitude, venue.address_line)
    base = (driver.latitude, driver.longitude, "")
    plan = [
        (3, Stop.Kind.PICKUP, (15, 35), place, {"venue": venue}, "board", "back"),
        (0, Stop.Kind.START, (13, 20), base, {}, None, None),
        (1, Stop.Kind.PICKUP, (13, 35), home, {"family": family}, "board", "there"),
        (5, Stop.Kind.END, (16, 5), base, {}, None, None),
        (2, Stop.Kind.DROPOFF, (13, 50), place, {"venue": venue}, "alight", "there"),
        (4, Stop.Kind.DROPOFF, (15, 52), home, {"family": family}, "alight", "back"),
    ]
    for position, kind, (h, m), where, link, action, direction in plan:
        planned_at, arrival_at = utc(day, h, m), utc(day, h, m - 2)
        stop = add_stop(route, position, kind, planned_at, where, arrival_at=arrival_at, **link)
        for rider in riders if action else ():
            add_rider(stop, rider, session, action, direction)
    return route


def second_driver(a: dict, user: User) -> tuple[Driver, Vehicle]:
    vehicle = Vehicle.objects.create(organisation=a["org"], label="Bus A2", seats=4, boosters=1)
    driver = Driver.objects.create(
        organisation=a["org"],
        user=user,
        name="Ben Zweit",
        vehicle=vehicle,
        latitude=49.99,
        longitude=6.55,
        certificate_date=dt.date(2025, 3, 1),
    )
    return driver, vehicle


def second_family(a: dict) -> tuple[Family, Participant]:
    family = Family.objects.create(
        organisation=a["org"],
        reference="F-A-2",
        contact_name=f"Karl {SURNAME}",
        phone="+49 6561 2222",
        street="Am Bach 7",
        postcode="54634",
        town="Bitburg",
        latitude=49.96,
        longitude=6.53,
    )
    tom = Participant.objects.create(
        family=family,
        first_name="Tom",
        birth_year=2017,
        birth_month=2,
        needs_booster=True,
        driver_note="Steigt nur mit Kuscheltier ein",
    )
    return family, tom


def last_week_session(a: dict) -> Session:
    start = dt.datetime.combine(LAST_WEEK, dt.time(15, 0), tzinfo=BERLIN)
    return Session.objects.create(
        offer=a["offer"],
        occurrence_date=LAST_WEEK,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        venue=a["venue"],
    )


@pytest.fixture
def sheet_world(world, time_machine) -> dict:
    """See the module docstring. Adds user erin (driver of org A) to `world["users"]`."""
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(8), tzinfo=BERLIN))
    a, b = world["a"], world["b"]
    erin = User.objects.create_user("erin", password="erin-pass-123")
    Membership.objects.create(user=erin, organisation=a["org"], role=Role.DRIVER)
    world["users"]["erin"] = erin

    a["family"].contact_name = f"Sabine {SURNAME}"
    a["family"].save(update_fields=["contact_name"])
    ConsentRecord.objects.create(family=a["family"], purpose="phone", given_on=dt.date(2026, 9, 1))
    lio = Participant.objects.create(
        family=a["family"],
        first_name="Lio",
        birth_year=2016,
        birth_month=3,
        needs_wheelchair=True,
        needs_escort=True,
    )
    mila = a["child"]
    session_a = a["sessions"][0]
    assert session_a.occurrence_date == DAY
    erin_driver, erin_vehicle = second_driver(a, erin)
    family2, tom = second_family(a)
    ConsentRecord.objects.create(family=family2, purpose="phone", given_on=dt.date(2026, 9, 1))

    run = published_run(a["org"], DAY)
    dave_route = route_to_group(run, a["driver"], a["vehicle"], session_a, a["family"], [mila, lio])
    erin_route = route_to_group(run, erin_driver, erin_vehicle, session_a, family2, [tom])
    run_b = published_run(b["org"], DAY)
    b_route = route_to_group(
        run_b, b["driver"], b["vehicle"], b["sessions"][0], b["family"], [b["child"]]
    )

    draft = PlanningRun.objects.create(
        organisation=a["org"], date_from=DAY, date_to=DAY, status=PlanningRun.Status.DONE
    )
    draft_route = route_to_group(draft, a["driver"], a["vehicle"], session_a, a["family"], [mila])
    old = published_run(a["org"], DAY, superseded=True)
    superseded_route = route_to_group(
        old, a["driver"], a["vehicle"], session_a, a["family"], [mila]
    )
    past_run = published_run(a["org"], LAST_WEEK)
    past_route = route_to_group(
        past_run, a["driver"], a["vehicle"], last_week_session(a), a["family"], [mila]
    )
    return {
        **world,
        "dave_route": dave_route,
        "erin_route": erin_route,
        "b_route": b_route,
        "draft_route": draft_route,
        "superseded_route": superseded_route,
        "past_route": past_route,
        "mila": mila,
        "lio": lio,
        "tom": tom,
        "family2": family2,
    }
