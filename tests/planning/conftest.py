"""Transport fixtures on top of the base `world`: a Tuesday with three families to drive."""

import datetime as dt

import pytest

from backend.offers.models import Session
from backend.planning.models import PlanningRun, Unserved
from tests.conftest import TODAY, add_child, add_family, morning

# The first session of the base offers (weekly on Tuesday, 15:00–16:30).
TUESDAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def inline_jobs(inline_planning):
    """Background jobs run in the caller in unit tests (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    """Monday 23.11.2026 08:00 (TODAY), running: Tuesday is tomorrow, so it can be planned."""
    time_machine.move_to(morning(TODAY))


def three_more_children(a: dict) -> dict:
    """Ben and Lea (siblings; Lea needs a booster) and Tom from a third family, all in org
    A's group and driven both ways; org A's bus gets one booster."""
    org, offer = a["org"], a["offer"]
    siblings = add_family(org, "F-A-2", 49.99, 6.49)
    third = add_family(org, "F-A-3", 49.95, 6.56)
    ben = add_child(siblings, offer, "Ben")
    lea = add_child(siblings, offer, "Lea", born=(2020, 1), needs_booster=True)
    tom = add_child(third, offer, "Tom")
    a["vehicle"].boosters = 1
    a["vehicle"].save(update_fields=["boosters"])
    return {"ben": ben, "lea": lea, "tom": tom, "siblings": siblings, "third": third}


@pytest.fixture
def day(world) -> dict:
    """Org A's Tuesday: Mila (base world), Ben and Lea (siblings), Tom from a third family."""
    a = world["a"]
    children = three_more_children(a)
    session = Session.objects.get(offer=a["offer"], occurrence_date=TUESDAY)
    return dict(a, session=session, **children)


def tom_left_out(run: PlanningRun, day: dict) -> Unserved:
    """`run` found no seat for Tom (the `day` fixture's third family) on his way there."""
    tom, session = day["tom"], day["session"]
    return Unserved.objects.create(
        run=run,
        date=TUESDAY,
        participant=tom,
        session=session,
        direction="there",
        request_id=f"p{tom.pk}-s{session.pk}-there",
        reason="no capacity left in that time span",
    )
