"""Transport fixtures on top of the base `world`: a Tuesday with three families to drive."""

import datetime as dt

import pytest

from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.offers.models import Session
from backend.planning.models import PlanningRun, Unserved
from tests.conftest import TODAY, morning

# The first session of the base offers (weekly on Tuesday, 15:00–16:30).
TUESDAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def inline_jobs(inline_planning):
    """Background jobs run in the caller in unit tests (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    """Monday 23.11.2026 08:00 (TODAY), running: Tuesday is tomorrow, so it can be planned."""
    time_machine.move_to(morning(TODAY))


def add_family(org, reference: str, lat: float | None, lon: float | None, consent=True) -> Family:
    family = Family.objects.create(
        organisation=org,
        reference=reference,
        contact_name=f"Kontakt {reference}",
        street="Dorfstraße 1",
        postcode="54634",
        town="Bitburg",
        latitude=lat,
        longitude=lon,
    )
    if consent:
        ConsentRecord.objects.create(
            family=family, purpose="transport", given_on=dt.date(2026, 9, 1)
        )
    return family


def add_child(
    family, offer, name: str, *, born=(2016, 3), transport="both", **extra
) -> Participant:
    child = Participant.objects.create(
        family=family, first_name=name, birth_year=born[0], birth_month=born[1], **extra
    )
    Enrolment.objects.create(
        participant=child, offer=offer, joined_on=dt.date(2026, 9, 1), transport=transport
    )
    return child


@pytest.fixture
def day(world) -> dict:
    """Org A's Tuesday: Mila (base world), Ben and Lea (siblings), Tom from a third family."""
    a = world["a"]
    org, offer = a["org"], a["offer"]
    siblings = add_family(org, "F-A-2", 49.99, 6.49)
    third = add_family(org, "F-A-3", 49.95, 6.56)
    ben = add_child(siblings, offer, "Ben")
    lea = add_child(siblings, offer, "Lea", born=(2020, 1), needs_booster=True)
    tom = add_child(third, offer, "Tom")
    session = Session.objects.get(offer=offer, occurrence_date=TUESDAY)
    a["vehicle"].boosters = 1
    a["vehicle"].save(update_fields=["boosters"])
    return dict(a, session=session, ben=ben, lea=lea, tom=tom, siblings=siblings, third=third)


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
