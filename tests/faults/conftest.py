"""A small real day for the fault-injection tests, on the real clock (see harness.py)."""

import datetime as dt

import pytest

from backend.lib import clock
from backend.offers.services import materialise_sessions
from tests.faults import harness
from tests.planning.conftest import three_more_children


def next_tuesday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)


@pytest.fixture
def fault_settings(settings):
    """This process reads leases with the same settings as the processes it starts."""
    settings.PLANNING_HEARTBEAT_SECONDS = harness.HEARTBEAT_SECONDS
    settings.PLANNING_LEASE_SECONDS = harness.LEASE_SECONDS
    settings.OSRM_URL = ""
    settings.TRANSPORT_JOBS = "inline"
    return settings


@pytest.fixture
def fault_day(world, fault_settings) -> dict:
    """Org A's next Tuesday (real date): four children of three families to drive."""
    a = world["a"]
    day = next_tuesday(clock.today())
    materialise_sessions(a["offer"], clock.today(), 2)
    three_more_children(a)
    return dict(a, day=day, users=world["users"])
