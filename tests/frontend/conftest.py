"""Frontend fixtures on top of the base `world`: synchronous planning runs, a frozen day."""

import pytest
from django.test import Client

from tests.conftest import logged_in

# Planning runs execute in the caller; Monday 23.11.2026 08:00 (TODAY), the clock running.
from tests.planning.conftest import TUESDAY, inline_jobs, monday_morning  # noqa: F401


@pytest.fixture
def pages(world) -> dict[str, Client]:
    """Logged-in browser clients by user name, plus 'anon'."""
    return logged_in(world["users"])
