"""Attendance pages (issue 14 §4): who came to a session, walk-ins as anonymous counts.

alice and bob (org A) record, dave (driver A) is refused, charlie (org B) gets 404 for
A's sessions, anonymous visitors go to the login.
"""

import pytest

from backend.families.models import Absence, Participant, Presence
from backend.offers.models import Attendance
from tests.conftest import morning
from tests.frontend.answers import sent_to_login
from tests.frontend.conftest import TUESDAY

LIST = "/anwesenheit/"


@pytest.fixture
def after_the_session(time_machine):
    """Tuesday 24.11.2026, 17:00: Kindergruppe A (15:00–16:30) is over."""
    time_machine.move_to(morning(TUESDAY, 17))


@pytest.fixture
def session(world, after_the_session):
    return world["a"]["sessions"][0]


def url(session) -> str:
    return f"/anwesenheit/{session.pk}/"


@pytest.mark.parametrize(
    "method,user,expected",
    [
        ("get", "alice", 200),
        ("get", "bob", 200),
        ("get", "dave", 403),
        ("post", "dave", 403),
        ("get", "charlie", 404),
        ("post", "charlie", 404),
    ],
)
def test_permissions(pages, session, method, user, expected):
    assert getattr(pages[user], method)(url(session)).status_code == expected
    assert pages[user].get(LIST).status_code == (403 if user == "dave" else 200)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("path", [LIST, "/anwesenheit/{pk}/"])
def test_anonymous_visitors_are_sent_to_the_login(pages, session, path):
    answer = pages["anon"].get(path.format(pk=session.pk))
    assert sent_to_login(answer)


def test_the_list_shows_the_sessions_that_began(world, pages, session):
    page = pages["bob"].get(LIST).content.decode()
    assert "Kindergruppe A" in page and "noch offen" in page and "Kindergruppe B" not in page
    assert f'href="{url(session)}"' in page
    assert f'href="{url(world["a"]["sessions"][1])}"' not in page  # next week's


def test_staff_record_who_came_and_the_walk_ins(world, pages, session):
    child = world["a"]["child"]
    data = {"present": [str(child.pk)], "walk_in_children": "2", "walk_in_adults": "1"}
    answer = pages["bob"].post(url(session), data)
    assert answer.status_code == 302 and answer["Location"] == LIST
    attendance = Attendance.objects.get(session=session)
    assert (attendance.children, attendance.adults, attendance.walk_ins) == (3, 1, 3)
    assert [p.participant for p in Presence.objects.filter(session=session)] == [child]
    assert Presence.objects.get().recorded_by == world["users"]["bob"]
    page = pages["bob"].get(LIST).content.decode()
    assert "Gespeichert: 3 Kinder, 1 Erwachsene (davon 3 ohne Anmeldung)." in page

    form = pages["bob"].get(url(session)).content.decode()  # recorded again: shown as stored
    assert 'name="walk_in_children" value="2"' in form and "checked" in form
    pages["bob"].post(url(session), {"walk_in_children": "0", "walk_in_adults": "0"})
    attendance.refresh_from_db()
    assert (attendance.children, attendance.adults, attendance.walk_ins) == (0, 0, 0)
    assert not Presence.objects.exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"walk_in_children": "-1", "walk_in_adults": "0"}, "größer oder gleich 0"),
        ({"walk_in_children": "501", "walk_in_adults": "0"}, "kleiner oder gleich 500"),
        ({"walk_in_children": "", "walk_in_adults": "0"}, "Dieses Feld ist zwingend"),
        (
            {"walk_in_children": "1", "walk_in_adults": "0", "present": ["{other}"]},
            "nicht für dieses Angebot",
        ),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, pages, session, data, message):
    other = Participant.objects.create(
        family=world["a"]["family"], first_name="Ohne", birth_year=2018, birth_month=1
    )
    data = {
        k: [x.format(other=other.pk) for x in v] if isinstance(v, list) else v
        for k, v in data.items()
    }
    answer = pages["alice"].post(url(session), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Attendance.objects.exists() and not Presence.objects.exists()


def test_a_session_that_has_not_begun_is_refused(world, pages, time_machine):
    time_machine.move_to(morning(TUESDAY, 14))
    session = world["a"]["sessions"][0]
    answer = pages["bob"].post(url(session), {"walk_in_children": "1", "walk_in_adults": "0"})
    assert answer.status_code == 400
    assert "Dieser Termin hat noch nicht begonnen." in answer.content.decode()
    assert not Attendance.objects.exists()


def test_absent_children_are_marked(world, pages, session):
    Absence.objects.create(participant=world["a"]["child"], session=session)
    assert "abgemeldet" in pages["bob"].get(url(session)).content.decode()


def test_a_familys_presences_are_in_its_data_export(world, pages, session):
    child = world["a"]["child"]
    pages["bob"].post(
        url(session), {"present": [str(child.pk)], "walk_in_children": "0", "walk_in_adults": "0"}
    )
    export = pages["alice"].get(f"/datenschutz/familien/{world['a']['family'].pk}/auskunft.json")
    assert export.status_code == 200
    assert export.json()["presences"] == [
        {"participant": "MilaA", "session": "2026-11-24T15:00:00+01:00"}
    ]
