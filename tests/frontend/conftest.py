"""Frontend fixtures on top of the base `world`: synchronous planning runs, a frozen day."""

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import TODAY, morning

# The first session of the base offers (weekly on Tuesday, 15:00–16:30).
TUESDAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def inline_jobs(inline_planning):
    """Planning runs execute in the caller (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(morning(TODAY))


@pytest.fixture
def pages(world) -> dict[str, Client]:
    """Logged-in browser clients by user name, plus 'anon'."""
    result = {}
    for name, user in world["users"].items():
        client = Client()
        client.force_login(user)
        result[name] = client
    result["anon"] = Client()
    return result
