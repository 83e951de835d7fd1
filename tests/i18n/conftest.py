"""Fixtures for the language tests: a fixed feed clock and a family's calendar link."""

import datetime as dt

import pytest

from backend.families.models import ConsentRecord
from backend.feeds import services
from backend.feeds.models import FeedLink
from tests.conftest import TODAY

# The clock starts at Monday 23.11.2026 08:00 (TODAY) in Berlin, running.
from tests.planning.conftest import monday_morning  # noqa: F401


@pytest.fixture
def family_link(world) -> services.IssuedLink:
    """Family A agreed to the calendar subscription and has a subscribe link."""
    a = world["a"]
    ConsentRecord.objects.create(
        family=a["family"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )
    return services.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)
