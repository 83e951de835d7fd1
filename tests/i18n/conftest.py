"""Fixtures for the language tests: a fixed feed clock and a family's calendar link."""

import datetime as dt

import pytest

from backend.families.models import ConsentRecord
from backend.feeds import services
from backend.feeds.models import FeedLink
from tests.conftest import TODAY, morning


@pytest.fixture(autouse=True)
def fixed_clock(time_machine) -> None:
    """The clock starts at TODAY 08:00 (Berlin)."""
    time_machine.move_to(morning(TODAY))


@pytest.fixture
def family_link(world) -> services.IssuedLink:
    """Family A agreed to the calendar subscription and has a subscribe link."""
    a = world["a"]
    ConsentRecord.objects.create(
        family=a["family"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )
    return services.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)
