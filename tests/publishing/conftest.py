"""Publishing tests plan real runs: the planning fixtures (a Tuesday, inline jobs) apply."""

import datetime as dt

import pytest

from backend.planning.models import PlanningRun
from backend.planning.services import plan_now
from tests.planning.conftest import TUESDAY, day, inline_jobs  # noqa: F401

NEXT_TUESDAY = TUESDAY + dt.timedelta(days=7)
MONDAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock(time_machine):
    """Monday 2026-11-23, 10:00 in Berlin (NOW); the clock stands still."""
    time_machine.move_to(NOW, tick=False)


def plan(org, first=TUESDAY, last=None) -> PlanningRun:
    """Plan `first` to `last` (or just `first`) in this process, one second a day: done."""
    run = plan_now(org, first, last or first, trigger=PlanningRun.Trigger.MANUAL, time_limit=1)
    assert run.status == "done", run.error
    return run
