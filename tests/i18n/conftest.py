"""Fixtures for the language tests: a fixed feed clock and a family's calendar link."""

import datetime as dt
import zoneinfo

import pytest

from backend.families.models import ConsentRecord
from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.transport import sheets
from tests.conftest import TODAY

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch) -> None:
    """Pages read 'today' from the feeds and sheets modules: freeze both at TODAY 08:00."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    monkeypatch.setattr(
        services, "now", lambda: dt.datetime.combine(TODAY, dt.time(8), tzinfo=BERLIN)
    )
    monkeypatch.setattr(sheets, "local_today", lambda: TODAY)


@pytest.fixture
def family_link(world) -> services.IssuedLink:
    """Family A agreed to the calendar subscription and has a subscribe link."""
    a = world["a"]
    ConsentRecord.objects.create(
        family=a["family"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )
    return services.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)
