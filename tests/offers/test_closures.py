"""Closures added after sessions exist cancel those sessions instead of leaving them."""

import datetime as dt

import pytest

from backend.offers.models import Session
from backend.offers.services import apply_closure
from tests.conftest import add_closure


@pytest.mark.django_db(transaction=True)
def test_new_closure_cancels_existing_sessions_in_its_range(world):
    """Saving a closure (any way: API, admin) cancels the scheduled sessions it covers."""
    sessions = world["a"]["sessions"]
    inside, outside = sessions[1], sessions[3]
    before = inside.sequence
    add_closure(world["a"]["org"], "Brückentag", inside.occurrence_date)
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.status == Session.Status.CANCELLED
    assert inside.cancel_reason == "Brückentag"
    assert inside.sequence == before + 1
    assert outside.status == Session.Status.SCHEDULED


@pytest.mark.django_db
def test_closure_leaves_other_organisations_alone(world):
    """A closure belongs to one organisation; B's sessions on the same day stay."""
    day = world["b"]["sessions"][0].occurrence_date
    closure = add_closure(world["a"]["org"], "Ferien", day)
    apply_closure(closure)
    assert not Session.objects.filter(
        offer__organisation=world["b"]["org"], status=Session.Status.CANCELLED
    ).exists()


@pytest.mark.django_db
def test_applying_a_closure_twice_does_not_bump_again(world):
    """Already cancelled sessions are not touched again (no extra SEQUENCE)."""
    session = world["a"]["sessions"][0]
    day = session.occurrence_date
    closure = add_closure(world["a"]["org"], "Ferien", day - dt.timedelta(days=1), day)
    assert apply_closure(closure) == 1
    assert apply_closure(closure) == 0
