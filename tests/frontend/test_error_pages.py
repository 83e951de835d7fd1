"""Error pages and the referrer policy, answer by answer (the journeys show them in Chromium).

People get German pages (English on request) with a way back; /api/ paths keep JSON.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import translation

from frontend import errors

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,heading",
    [
        ("/nirgends/", "Seite nicht gefunden"),
        ("/familie/" + "x" * 43 + "/", "Seite nicht gefunden"),
    ],
)
def test_a_missing_page_is_german_and_never_cached(client, url, heading):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in text(response)
    assert '<html lang="de" dir="ltr">' in text(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_missing_page_speaks_english_on_request(client):
    page = text(client.get("/nirgends/", **EN))
    assert "<h1>Page not found</h1>" in page and "Go to the start page" in page


@pytest.mark.django_db
def test_the_family_404_sends_families_to_their_provider_not_to_the_staff_start_page(client):
    page = text(client.get("/familie/" + "x" * 43 + "/"))
    assert "Bitte fragen Sie bei Ihrem Träger nach dem aktuellen Link" in page
    assert "Zur Startseite" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referer,back",
    [
        ("http://testserver/planung/", "http://testserver/planung/"),
        ("https://elsewhere.example/planung/", None),  # not ours: no link
        ("http://testserver/nirgends/", None),  # the page itself is no way back
        ("", None),
    ],
)
def test_the_way_back_is_the_page_the_person_came_from_if_it_is_ours(client, referer, back):
    page = text(client.get("/nirgends/", HTTP_REFERER=referer))
    link = re.search(r'<a class="button" href="([^"]*)">Zurück zur vorigen Seite</a>', page)
    assert (link.group(1) if link else None) == back


def test_a_refused_driver_gets_a_german_403_with_another_login(world, client):
    client.force_login(world["users"]["dave"])
    response = client.get("/planung/")
    assert response.status_code == 403
    page = text(response)
    assert "<h1>Kein Zugriff</h1>" in page
    assert 'href="/accounts/login/?next=%2Fplanung%2F">Mit einem anderen Konto anmelden' in page


def test_a_form_without_a_valid_token_gets_the_german_csrf_page(world):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    page = text(response)
    assert "<h1>Formular abgelaufen</h1>" in page
    assert "Ihr Browser hat kein Sicherheits-Cookie mitgeschickt." in page  # no cookie at all


@pytest.mark.django_db
def test_api_paths_keep_answering_json(client, clients):
    missing = client.get("/api/nirgends/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert missing.json() == {"detail": "Nicht gefunden."}
    assert client.get("/api/nirgends/", **EN).json() == {"detail": "Not found."}
    # DRF's own answers are unchanged.
    assert clients["anon"].get("/api/families/").status_code in (401, 403)
    assert clients["alice"].get("/api/families/999999/")["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "handler,args,status",
    [
        (errors.bad_request, (None,), 400),
        (errors.permission_denied, (None,), 403),
        (errors.csrf_failure, ("CSRF cookie not set.",), 403),
        (errors.server_error, (), 500),
    ],
)
def test_every_handler_answers_json_under_api(handler, args, status):
    request = RequestFactory().post("/api/families/")
    response = handler(request, *args)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}


def test_the_500_page_needs_no_database():
    """Rendered without the request: no session, no user, no language switch form.

    No database access is allowed in this test: a query would raise.
    """
    handler = get_resolver().resolve_error_handler(500)
    with translation.override("de"):  # LocaleMiddleware's choice, in a real request
        response = handler(RequestFactory().get("/planung/"))
    page = text(response)
    assert response.status_code == 500
    assert "<h1>Ein Fehler ist aufgetreten</h1>" in page
    assert "<form" not in page


def test_the_handlers_are_ours():
    resolver = get_resolver()
    for status in (400, 403, 404, 500):
        assert resolver.resolve_error_handler(status).__module__ == "frontend.errors"
    assert settings.CSRF_FAILURE_VIEW == "frontend.errors.csrf_failure"


# --- the referrer policy ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/nirgends/"])
def test_pages_send_the_same_origin_referrer_policy(client, url):
    """Our forms carry their real Origin (Django's CSRF check needs it); other sites get nothing."""
    assert client.get(url)["Referrer-Policy"] == "same-origin"


def test_no_template_sets_its_own_referrer_policy():
    """A <meta name="referrer"> overrides the header for the page's forms too (issue 10)."""
    root = Path(settings.BASE_DIR)
    templates = [p for p in (root / "frontend").rglob("*.html")]
    templates += [p for p in (root / "backend").rglob("templates/**/*.html")]
    assert templates
    offenders = [str(p) for p in templates if re.search(r"name=.?referrer", p.read_text())]
    assert offenders == []
