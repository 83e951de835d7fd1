"""More objects on top of the base `world`, so every endpoint has something to act on.

Per organisation ("a" and "b") this adds: `session` (scheduled), `cancelled_session`,
`attendance`, `absence` (the child misses a session), `consent` (transport),
`closure`, `spare_venue` (used by nothing, so it can be deleted), `parents_offer`,
`other_driver` (not linked to any user), `sibling` (a child enrolled nowhere), `availability`, and `membership` (bob's in A).
"""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import User

from backend.families.models import Absence, Involvement, Participant, Presence
from backend.families.signals import consent_withdrawn
from backend.fleet.models import Driver
from backend.offers.models import Attendance, ClosurePeriod, GroupOffer, Venue
from tests.conftest import TODAY

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _extend(side: dict) -> None:
    org = side["org"]
    sessions = side["sessions"]
    side["session"] = sessions[0]
    side["cancelled_session"] = sessions[1]
    sessions[1].cancel("Krankheit")
    side["attendance"] = Attendance.objects.create(session=sessions[0], children=4, adults=1)
    side["absence"] = Absence.objects.create(participant=side["child"], session=sessions[3])
    side["presence"] = Presence.objects.create(participant=side["child"], session=sessions[0])
    side["consent"] = side["family"].consents.get()
    side["involvement"] = Involvement.objects.create(
        family=side["family"], name="Suchtberatung", sector="addiction"
    )
    side["closure"] = ClosurePeriod.objects.create(
        organisation=org,
        name="Weihnachtsferien",
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2027, 1, 8),
    )
    side["spare_venue"] = Venue.objects.create(
        organisation=org, name="Pfarrheim", town="Prüm", latitude=50.21, longitude=6.42
    )
    side["parents_offer"] = GroupOffer.objects.create(
        organisation=org,
        venue=side["venue"],
        title="Elterncafé",
        audience="parents",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        start_time=dt.time(15, 0),
        first_date=dt.date(2026, 9, 1),
        listing_approved=True,
    )
    side["other_driver"] = Driver.objects.create(
        organisation=org, name="Bernd", latitude=49.9, longitude=6.5
    )
    side["availability"] = side["driver"].availability.get()
    side["sibling"] = Participant.objects.create(
        family=side["family"], first_name="Noah", birth_year=2021, birth_month=2
    )


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    """The API's "today" (certificate status, catalogue, materialising) is TODAY."""
    now = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=BERLIN)
    time_machine.move_to(now, tick=False)
    return now


@pytest.fixture
def withdrawals() -> list[int]:
    """The ids of the consents that `consent_withdrawn` announces during the test."""
    heard: list[int] = []

    def listener(sender, consent, **kwargs):
        heard.append(consent.pk)

    consent_withdrawn.connect(listener)
    yield heard
    consent_withdrawn.disconnect(listener)


@pytest.fixture
def api_world(world) -> dict:
    _extend(world["a"])
    _extend(world["b"])
    world["a"]["membership"] = world["users"]["bob"].memberships.get()
    world["b"]["membership"] = world["users"]["charlie"].memberships.get()
    world["users"]["erin"] = User.objects.create_user("erin", password="erin-pass-123")
    return world
