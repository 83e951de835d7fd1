"""When something goes wrong, people get a German page that says what to do, and a way back."""

import re

from playwright.sync_api import expect

from backend.feeds import services as feeds
from backend.lib import clock
from tests.conftest import password_for
from tests.journeys.kit import fits_width, login, main_text, shoot


def test_a_driver_on_the_planning_page_is_told_it_is_not_theirs_and_finds_the_way_back(phone):
    page = phone
    login(page, "dave")
    page.goto("/planung/")  # a link a colleague sent
    expect(page.get_by_role("heading", name="Kein Zugriff")).to_be_visible()
    assert "Diese Seite ist für Ihr Konto nicht freigegeben." in main_text(page)
    assert "Fehlercode 403" in main_text(page)
    assert fits_width(page)
    shoot(page, "error-403")
    page.get_by_role("link", name="Zur Startseite").click()
    expect(page.get_by_role("heading", name="Meine Touren")).to_be_visible()


def test_an_old_family_link_says_so_in_german(phone, family_page_url):
    token = family_page_url.split("/")[2]
    feeds.revoke_link(feeds.find_link(token), clock.now())  # the provider issued a new one
    page = phone
    page.goto(family_page_url)
    expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    text = main_text(page)
    assert "Dieser Link gilt nicht (mehr)." in text
    assert "Bitte fragen Sie bei Ihrem Träger nach dem aktuellen Link zu Ihrem Kalender." in text
    assert "Zur Startseite" not in text  # the staff's start page is no place for a family
    assert fits_width(page)
    shoot(page, "error-404-family")


def test_a_missing_run_answers_a_german_404_with_a_way_home(desktop):
    page = desktop
    login(page, "alice")
    page.goto("/planung/laeufe/4711/")
    expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    shoot(page, "error-404")
    page.get_by_role("link", name="Zur Startseite").click()
    expect(page.get_by_text("Gruppen, Familien und Fahrdienst an einem Ort.")).to_be_visible()


def test_a_form_whose_token_expired_explains_itself_and_works_after_going_back(phone):
    page = phone
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill("alice")
    page.get_by_label("Passwort").fill(password_for("alice"))
    page.context.clear_cookies()  # the browser dropped its cookies while the page was open
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Formular abgelaufen")).to_be_visible()
    assert "laden Sie die Seite neu und senden Sie das Formular noch einmal" in main_text(page)
    assert fits_width(page)
    shoot(page, "error-csrf")

    page.get_by_role("link", name="Zurück zur vorigen Seite").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    login(page, "alice")
    expect(page.get_by_role("link", name="Planung").first).to_be_visible()
