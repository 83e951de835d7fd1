import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from tests.conftest import TODAY
from tests.routesheets.sheet_fixtures import published_run, route_to_group

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    now = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=BERLIN)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def route(world):
    """A published route of A's driver dave that stops at family A's home."""
    a = world["a"]
    session = a["sessions"][0]
    run = published_run(a["org"], session.occurrence_date)
    return route_to_group(run, a["driver"], a["vehicle"], session, a["family"], [a["child"]])
