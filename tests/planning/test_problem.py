"""Building the planner's problem for one day from the database (issue 4 §1)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

import planner
from backend.families.models import Absence, ConsentRecord, Enrolment, Family, Participant
from backend.fleet.models import Availability, Driver, Vehicle
from backend.offers.models import GroupOffer, Session
from backend.planning.problem import (
    NO_HOME_COORDINATES,
    PlanningOptions,
    build_day,
    parse_request_id,
)
from tests.conftest import add_child, add_family
from tests.planning.conftest import TUESDAY

OPTIONS = PlanningOptions()


def requests_of(built) -> dict[str, planner.Request]:
    return {r.id: r for r in built.problem.requests}


def rid(child, session, direction) -> str:
    return f"p{child.pk}-s{session.pk}-{direction}"


def test_small_day_gives_exactly_this_problem(world):
    """One child (child seat, age 8), one driver, one venue: the complete problem.

    Written in the planner's JSON contract, which the planner reads into the same
    frozen dataclasses that the backend builds directly.
    """
    a = world["a"]
    session = Session.objects.get(offer=a["offer"], occurrence_date=TUESDAY)
    child, family, venue, driver = a["child"], a["family"], a["venue"], a["driver"]
    built = build_day(a["org"], TUESDAY, OPTIONS)
    home, ven, base = f"home-{family.pk}", f"venue-{venue.pk}", f"base-d{driver.pk}"
    bundle = f"p{child.pk}-s{session.pk}"
    load = {"seats": 1, "child_seats": 1}
    assert built.problem == planner.problem_from_dict(
        {
            "locations": [
                {"id": ven, "lat": 49.97, "lon": 6.52},
                {"id": home, "lat": 49.97 + 0.05, "lon": 6.52 + 0.05},
                {"id": base, "lat": 49.97 - 0.03, "lon": 6.52 - 0.02},
            ],
            "vehicles": [
                {
                    "id": f"d{driver.pk}",
                    "start": base,
                    "end": base,
                    "capacity": {"seats": 6, "child_seats": 2, "boosters": 0, "wheelchair": 0},
                    "available": [13 * 3600, 19 * 3600],
                    "skills": [],
                    "fixed_cost": 0,
                }
            ],
            "requests": [
                {
                    "id": f"{bundle}-there",
                    "pickup": {"location": home, "service": 60},
                    # arrive 20 to 5 minutes before 15:00
                    "dropoff": {"location": ven, "window": [52800, 53700], "service": 60},
                    "load": load,
                    "max_ride": 3600,
                    "skills": [],
                    "bundle": bundle,
                },
                {
                    "id": f"{bundle}-back",
                    # picked up 0 to 15 minutes after 16:30
                    "pickup": {"location": ven, "window": [59400, 60300], "service": 60},
                    "dropoff": {"location": home, "service": 60},
                    "load": load,
                    "max_ride": 3600,
                    "skills": [],
                    "bundle": bundle,
                },
            ],
            "objective": {"distance": 1, "duration": 0, "vehicles": 0, "ride_time": 0},
            "previous": None,
        }
    )
    assert parse_request_id(f"{bundle}-back") == (child.pk, session.pk, "back")
    assert built.requests[f"{bundle}-there"].family_id == family.pk


def test_windows_follow_the_run_options(world):
    a = world["a"]
    options = PlanningOptions(there_earliest=30, there_latest=10, back_earliest=5, back_latest=20)
    built = build_day(a["org"], TUESDAY, options)
    there, back = built.problem.requests
    assert there.dropoff.window == (15 * 3600 - 1800, 15 * 3600 - 600)
    assert back.pickup.window == (59400 + 300, 59400 + 1200)


@pytest.mark.parametrize(
    "options,field",
    [
        ({"there_earliest": "20"}, "there_earliest"),
        ({"there_latest": 30}, "there_latest"),
        ({"max_ride": 0}, "max_ride"),
        ({"matrix": "google"}, "matrix"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_options_name_their_field(options, field):
    with pytest.raises(ValidationError) as info:
        PlanningOptions.from_dict(options)
    assert field in info.value.message_dict


def test_needs_become_loads_skills_and_ride_limits(day):
    org, offer, session = day["org"], day["offer"], day["session"]
    family = add_family(org, "F-A-9", 49.9, 6.5)
    rolli = add_child(family, offer, "Rolli", needs_wheelchair=True, needs_escort=True)
    quick = add_child(family, offer, "Quick", max_ride_minutes=20)
    built = requests_of(build_day(org, TUESDAY, OPTIONS))
    assert built[rid(rolli, session, "there")].load == {"wheelchair": 1}
    assert built[rid(rolli, session, "there")].skills == {"wheelchair", "escort"}
    assert built[rid(quick, session, "back")].max_ride == 20 * 60
    # Lea is 6: 45 minutes; Ben is 10: 60 minutes; Lea's booster is a capacity dimension.
    assert built[rid(day["lea"], session, "there")].max_ride == 45 * 60
    assert built[rid(day["lea"], session, "there")].load == {"seats": 1, "boosters": 1}
    assert built[rid(day["ben"], session, "there")].max_ride == 60 * 60


def test_both_directions_share_a_bundle_and_siblings_share_a_location(day):
    session = day["session"]
    built = build_day(day["org"], TUESDAY, OPTIONS)
    reqs = requests_of(built)
    ben_there, ben_back = (
        reqs[rid(day["ben"], session, "there")],
        reqs[rid(day["ben"], session, "back")],
    )
    assert ben_there.bundle == ben_back.bundle == f"p{day['ben'].pk}-s{session.pk}"
    lea_there = reqs[rid(day["lea"], session, "there")]
    assert lea_there.pickup.location == ben_there.pickup.location


def test_one_direction_only(day):
    Enrolment.objects.filter(participant=day["tom"]).update(transport="there")
    reqs = requests_of(build_day(day["org"], TUESDAY, OPTIONS))
    assert rid(day["tom"], day["session"], "there") in reqs
    assert rid(day["tom"], day["session"], "back") not in reqs


def test_pickup_override_replaces_home(day):
    Enrolment.objects.filter(participant=day["tom"]).update(
        pickup_street="Schulstraße 2",
        pickup_postcode="54634",
        pickup_latitude=49.96,
        pickup_longitude=6.53,
    )
    enrolment = Enrolment.objects.get(participant=day["tom"])
    built = build_day(day["org"], TUESDAY, OPTIONS)
    there = requests_of(built)[rid(day["tom"], day["session"], "there")]
    assert there.pickup.location == f"pickup-e{enrolment.pk}"
    assert built.places[f"pickup-e{enrolment.pk}"].address == "Schulstraße 2, 54634"


def test_absent_withdrawn_and_not_enrolled_children_are_left_out(day):
    session = day["session"]
    Absence.objects.create(participant=day["ben"], session=session)
    ConsentRecord.objects.filter(family=day["third"]).update(withdrawn_on=TUESDAY)
    Enrolment.objects.filter(participant=day["child"]).update(
        left_on=TUESDAY - dt.timedelta(days=1)
    )
    built = build_day(day["org"], TUESDAY, OPTIONS)
    planned = {built.requests[r].participant_id for r in built.requests}
    assert planned == {day["lea"].pk}
    assert built.excluded == {"absent": 1, "no_transport_consent": 1}


def test_join_and_leave_dates_are_inclusive(day):
    Enrolment.objects.filter(participant=day["ben"]).update(joined_on=TUESDAY)
    Enrolment.objects.filter(participant=day["lea"]).update(left_on=TUESDAY)
    Enrolment.objects.filter(participant=day["tom"]).update(
        joined_on=TUESDAY + dt.timedelta(days=1)
    )
    planned = {r.participant_id for r in build_day(day["org"], TUESDAY, OPTIONS).requests.values()}
    assert day["ben"].pk in planned and day["lea"].pk in planned
    assert day["tom"].pk not in planned


def test_missing_consent_and_cancelled_sessions(day):
    ConsentRecord.objects.filter(family=day["third"]).delete()
    built = build_day(day["org"], TUESDAY, OPTIONS)
    assert day["tom"].pk not in {r.participant_id for r in built.requests.values()}
    day["session"].cancel("Krankheit")
    assert build_day(day["org"], TUESDAY, OPTIONS).problem.requests == ()


def test_family_without_coordinates_is_reported_not_planned(day):
    # Saving places an address; a row stored before that (or by a bulk update) has none.
    Family.objects.filter(pk=day["third"].pk).update(latitude=None, longitude=None)
    built = build_day(day["org"], TUESDAY, OPTIONS)
    reasons = {n.request_id: n.reason for n in built.not_planned}
    assert reasons == {
        rid(day["tom"], day["session"], "there"): NO_HOME_COORDINATES,
        rid(day["tom"], day["session"], "back"): NO_HOME_COORDINATES,
    }
    assert rid(day["tom"], day["session"], "there") not in built.requests


def _driver(org, name, vehicle, *, certificate=dt.date(2025, 1, 1), **extra) -> Driver:
    return Driver.objects.create(
        organisation=org,
        name=name,
        vehicle=vehicle,
        latitude=49.9,
        longitude=6.5,
        certificate_date=certificate,
        **extra,
    )


def test_only_drivers_with_valid_certificate_availability_and_vehicle(day):
    org = day["org"]
    van = Vehicle.objects.create(organisation=org, label="Rolli-Bus", seats=4, wheelchair_places=1)
    expired = _driver(org, "Old", van, certificate=dt.date(2020, 1, 1))
    escort = _driver(org, "Esc", van, provides_escort=True)
    no_car = _driver(org, "Walker", None)
    other_van = Vehicle.objects.create(organisation=org, label="X", seats=3)
    monday_only = _driver(org, "Mon", other_van)
    for d in (expired, escort, no_car):
        Availability.objects.create(
            driver=d, weekday=1, start_time=dt.time(14), end_time=dt.time(18)
        )
    Availability.objects.create(
        driver=escort, weekday=1, start_time=dt.time(7), end_time=dt.time(9)
    )
    Availability.objects.create(
        driver=monday_only, weekday=0, start_time=dt.time(14), end_time=dt.time(18)
    )
    vehicles = {v.id: v for v in build_day(org, TUESDAY, OPTIONS).problem.vehicles}
    assert set(vehicles) == {f"d{day['driver'].pk}", f"d{escort.pk}", f"d{escort.pk}-2"}
    assert vehicles[f"d{escort.pk}"].skills == {"wheelchair", "escort"}
    assert vehicles[f"d{escort.pk}"].available == (7 * 3600, 9 * 3600)
    assert vehicles[f"d{escort.pk}-2"].available == (14 * 3600, 18 * 3600)


def test_paired_parents_ride_along_in_their_childrens_bundle(day):
    org, offer, session = day["org"], day["offer"], day["session"]
    parents = GroupOffer.objects.create(
        organisation=org,
        venue=day["venue"],
        title="Elterncafé",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        start_time=dt.time(15, 0),
        duration_minutes=90,
        first_date=dt.date(2026, 9, 1),
    )
    offer.paired_offer = parents
    offer.save(update_fields=["paired_offer"])
    parents_session = Session.objects.create(
        offer=parents,
        occurrence_date=TUESDAY,
        venue=day["venue"],
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    mum = Participant.objects.create(family=day["siblings"], kind="adult", first_name="Mum")
    Enrolment.objects.create(
        participant=mum, offer=parents, joined_on=dt.date(2026, 9, 1), transport="both"
    )
    reqs = requests_of(build_day(org, TUESDAY, OPTIONS))
    bundle = f"f{day['siblings'].pk}-s{session.pk}"
    mum_there = reqs[rid(mum, parents_session, "there")]
    assert mum_there.load == {"seats": 1}
    assert mum_there.bundle == bundle
    assert {reqs[rid(c, session, "back")].bundle for c in (day["ben"], day["lea"])} == {bundle}
    assert reqs[rid(day["tom"], session, "back")].bundle == f"p{day['tom'].pk}-s{session.pk}"


def test_building_needs_a_fixed_number_of_queries(day, django_assert_max_num_queries):
    for n in range(10):
        family = add_family(day["org"], f"F-N-{n}", 49.9 + n / 100, 6.5)
        add_child(family, day["offer"], f"Kind{n}")
    with django_assert_max_num_queries(8):
        built = build_day(day["org"], TUESDAY, OPTIONS)
    assert len(built.requests) == 2 * 14
