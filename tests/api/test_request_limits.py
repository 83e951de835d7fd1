"""Oversized input is refused with a 400 and a clear message, fast.

Each kind of input the probe used to hold a worker for 30 s (or to cause a 500) is
sent here, and the answer must come back as a 400 naming the problem in under a
second: a large body, deep nesting (also on the unauthenticated token endpoint),
a huge list, an object with very many keys, and a long query string.
"""

import json
import time

import pytest

from backend.lib.limits import MAX_JSON_DEPTH, MAX_JSON_ITEMS

BUDGET_S = 1.0


@pytest.fixture(autouse=True)
def warm(client, db):
    """The first request of a process imports the URLconf and the API; that one-off
    cost is not what is measured here."""
    client.post("/api/auth/token/", "{}", content_type="application/json")
    client.get("/api/")


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


CASES = [
    # (id, path, body, message fragment)
    ("2 MB body", "/api/group-offers/", '{"title": "' + "x" * 2_000_000 + '"}', "zu groß"),
    ("2 MB body, token endpoint", "/api/auth/token/", "[" + "1," * 1_000_000 + "1]", "zu groß"),
    ("1000 levels deep, token endpoint", "/api/auth/token/", _deep(1000), "verschachtelt"),
    ("100000 levels deep", "/api/families/", _deep(100_000), "verschachtelt"),
    ("21 levels deep", "/api/families/", _deep(MAX_JSON_DEPTH + 1), "verschachtelt"),
    (
        "a sectors list of 40000 entries",
        "/api/group-offers/",
        json.dumps({"title": "Gruppe", "sectors": ["x"] * 40_000}),
        "Einträge",
    ),
    (
        "an object with 20000 unknown keys",
        "/api/families/",
        json.dumps({f"k{n}": 0 for n in range(20_000)}),
        "Einträge",
    ),
    (
        "20000 values in small lists",
        "/api/families/",
        json.dumps({"a": [[0]] * 900, "b": [[[0]] * 900] * 10}),
        "Werte",
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_oversized_json_is_a_fast_400(clients, path, body, fragment):
    response, elapsed = _timed(
        lambda: clients["alice"].generic("POST", path, body, content_type="application/json")
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["detail"]
    assert elapsed < BUDGET_S


def test_the_unauthenticated_token_endpoint_is_bounded_too(client, db):
    response, elapsed = _timed(
        lambda: client.post("/api/auth/token/", _deep(5000), content_type="application/json")
    )
    assert response.status_code == 400
    assert "verschachtelt" in response.json()["detail"]
    assert elapsed < BUDGET_S


def test_a_long_query_string_is_a_fast_400(clients):
    response, elapsed = _timed(lambda: clients["alice"].get("/api/sessions/?" + "a=1&" * 3000))
    assert response.status_code == 400
    assert "zu lang" in response.json()["detail"]
    assert elapsed < BUDGET_S


def test_pages_get_the_limit_as_plain_text(client, db):
    response = client.post(
        "/accounts/login/", "x" * 300_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "zu groß" in response.content.decode()


def test_a_document_within_the_bounds_is_accepted(clients, world):
    """The bounds leave room for every real payload: a list of MAX_JSON_ITEMS is fine."""
    body = {"reference": "F-GRENZE", "contact_name": "Kontakt", "extra": [0] * MAX_JSON_ITEMS}
    response = clients["alice"].post("/api/families/", body, format="json")
    assert response.status_code == 201, response.content


def test_an_invalid_content_length_is_a_400(client, db):
    response = client.generic(
        "POST", "/api/auth/token/", b"{}", content_type="application/json", CONTENT_LENGTH="abc"
    )
    assert response.status_code == 400
