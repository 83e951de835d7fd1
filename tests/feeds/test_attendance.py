"""Who takes part in a session: one rule, shared by the family feed and the subscribe page."""

import datetime as dt

import pytest

from backend.families.models import Absence, Enrolment, Participant
from backend.families.services import report_absence
from backend.feeds.content import family_sessions, venue_place, window_sessions
from backend.offers.models import Session, Venue
from backend.selfservice.family import upcoming_sessions
from tests.conftest import TODAY
from tests.feeds.conftest import at

pytestmark = pytest.mark.django_db

WINDOW = (TODAY, TODAY + dt.timedelta(weeks=4))


@pytest.fixture
def sibling(world) -> Participant:
    """Mila's brother, enrolled in the same group from the second session on."""
    part = world["a"]
    second = part["offer"].sessions.order_by("starts_at")[1]
    brother = Participant.objects.create(
        family=part["family"], first_name="Ole", birth_year=2017, birth_month=2
    )
    Enrolment.objects.create(
        participant=brother, offer=part["offer"], joined_on=second.local_date, transport="none"
    )
    return brother


def test_a_session_lists_the_members_enrolled_that_day_and_who_is_absent(world, sibling):
    part = world["a"]
    child = part["child"]
    first, second = part["offer"].sessions.order_by("starts_at")[:2]
    report_absence(child, second, source=Absence.Source.FAMILY)
    entries = {e.session.pk: e for e in family_sessions(part["family"], window_sessions(WINDOW))}
    assert entries[first.pk].enrolled == (child.pk,)
    assert entries[first.pk].attending == [child.pk]
    assert entries[second.pk].enrolled == tuple(sorted([child.pk, sibling.pk]))
    assert entries[second.pk].absent == frozenset({child.pk})
    assert entries[second.pk].attending == [sibling.pk]


def test_sessions_of_other_families_and_after_leaving_are_not_the_familys(world):
    part = world["a"]
    enrolment = part["child"].enrolments.get()
    first = part["offer"].sessions.order_by("starts_at").first()
    enrolment.left_on = first.local_date
    enrolment.save(update_fields=["left_on"])
    entries = family_sessions(part["family"], window_sessions(WINDOW))
    assert [e.session.pk for e in entries] == [first.pk]
    assert family_sessions(world["b"]["family"], Session.objects.filter(offer=part["offer"])) == []


def test_the_feed_and_the_subscribe_page_agree_on_who_attends(world, sibling):
    part = world["a"]
    second = part["offer"].sessions.order_by("starts_at")[1]
    report_absence(part["child"], second, source=Absence.Source.FAMILY)
    now = at(TODAY, 8)
    page = {
        u.session.pk: [s.participant_id for s in u.seats if not s.absent]
        for u in upcoming_sessions(part["family"], now)
    }
    feed = {
        e.session.pk: e.attending for e in family_sessions(part["family"], window_sessions(WINDOW))
    }
    assert page == feed


@pytest.mark.parametrize(
    ("name", "street", "expected"),
    [
        ("Familienzentrum", "Hauptstraße 1", "Familienzentrum, Hauptstraße 1, 54634 Bitburg"),
        ("Familienzentrum", "", "Familienzentrum, 54634 Bitburg"),
    ],
)
def test_a_venue_is_shown_as_name_and_address(name, street, expected):
    venue = Venue(name=name, street=street, postcode="54634", town="Bitburg")
    assert venue_place(venue) == expected
