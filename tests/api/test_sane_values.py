"""Sane values on every database, JSON for unknown addresses, and role errors that name
the role that is needed."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, transaction

from backend.families.models import ConsentRecord
from backend.offers.models import Attendance, ClosurePeriod
from tests.conftest import api_client

BAD = [
    # (id, method, url, payload, field)
    (
        "session moved to year 1",
        "post",
        "/api/sessions/{session}/move/",
        {"starts_at": "0001-01-02T15:00:00Z", "ends_at": "0001-01-02T16:00:00Z"},
        "starts_at",
    ),
    (
        "consent in 9999",
        "post",
        "/api/consents/",
        {"family": "{family}", "purpose": "calendar", "given_on": "9999-01-01"},
        "given_on",
    ),
    (
        "2^40 children",
        "post",
        "/api/attendance/",
        {"session": "{session}", "children": 2**40, "adults": 0},
        "children",
    ),
    (
        "501 adults",
        "post",
        "/api/attendance/",
        {"session": "{session}", "children": 0, "adults": 501},
        "adults",
    ),
    (
        "closure in 1999",
        "post",
        "/api/closures/",
        {"name": "Alt", "start_date": "1999-12-01", "end_date": "1999-12-02"},
        "start_date",
    ),
    (
        "enrolment in 2101",
        "patch",
        "/api/enrolments/{enrolment}/",
        {"left_on": "2101-01-01"},
        "left_on",
    ),
    ("1000 child seats", "patch", "/api/vehicles/{vehicle}/", {"child_seats": 1000}, "child_seats"),
]


def _ids(a: dict) -> dict:
    return {
        "session": a["sessions"][2].pk,
        "family": a["family"].pk,
        "enrolment": a["enrolment"].pk,
        "vehicle": a["vehicle"].pk,
    }


def _value(value, ids: dict):
    """ "{family}" in a payload is the id of A's family, as a number."""
    if isinstance(value, str) and value.startswith("{"):
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize(
    ("method", "url", "payload", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_absurd_values_are_a_400_naming_the_field(clients, world, method, url, payload, field):
    ids = _ids(world["a"])
    body = {key: _value(value, ids) for key, value in payload.items()}
    response = getattr(clients["alice"], method)(url.format(**ids), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


CONSTRAINTS = [
    (
        "closure",
        lambda a: ClosurePeriod(
            organisation=a["org"], name="x", start_date=dt.date(1, 1, 1), end_date=dt.date(1, 1, 2)
        ),
    ),
    (
        "consent",
        lambda a: ConsentRecord(family=a["family"], purpose="phone", given_on=dt.date(9999, 1, 1)),
    ),
    ("attendance", lambda a: Attendance(session=a["sessions"][3], children=2**40)),
]


@pytest.mark.parametrize(("name", "build"), CONSTRAINTS, ids=[c[0] for c in CONSTRAINTS])
def test_the_database_refuses_them_too(world, name, build):
    """Writes that skip validation (scripts, bulk updates) hit the constraints."""
    # SQLite: the constraint (or an overflow); PostgreSQL: also the smallint column.
    with pytest.raises((IntegrityError, OverflowError, DataError)), transaction.atomic():
        build(world["a"]).save()


@pytest.mark.parametrize(
    ("user", "method", "url", "message"),
    [
        ("bob", "delete", "/api/venues/{venue}/", "Dafür ist die Rolle Koordination nötig."),
        (
            "dave",
            "get",
            "/api/families/",
            "Dafür ist eine dieser Rollen nötig: Koordination, Fachkraft.",
        ),
        ("bob", "get", "/api/memberships/", "Dafür ist die Rolle Koordination nötig."),
    ],
)
def test_role_errors_name_the_role(clients, world, user, method, url, message):
    response = getattr(clients[user], method)(url.format(venue=world["a"]["venue"].pk))
    assert response.status_code == 403
    assert response.json() == {"detail": message}


def test_a_user_without_an_organisation_is_told_so(world):
    loner = User.objects.create_user("loner", password="x-pass-123")
    response = api_client(loner).get("/api/families/")
    assert response.status_code == 403
    assert "keine Organisation" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/families/1.5/", "/api/nichts/", "/api/families/1/x/"])
def test_unknown_addresses_under_api_answer_json(clients, world, path):
    response = clients["alice"].get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden."}
