"""Logging in and out, and the language switch (German first, English on request)."""

import re

from playwright.sync_api import expect

from tests.conftest import password_for
from tests.journeys.kit import login, logout, nav, shoot


def test_the_language_switch_goes_to_english_and_back(phone):
    page = phone
    login(page, "alice")
    expect(page.get_by_text("Gruppen, Familien und Fahrdienst an einem Ort.")).to_be_visible()
    nav(page, "Planung")
    expect(page.get_by_role("heading", name="Fahrdienst planen")).to_be_visible()

    page.get_by_role("button", name="EN", exact=True).click()
    expect(page).to_have_url(re.compile(r"/planung/$"))  # the same page, in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Plan the shuttle service")).to_be_visible()
    expect(page.get_by_role("heading", name="The next 14 days")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    shoot(page, "planning-en")
    page.get_by_role("link", name="Lotse").click()  # the choice stays for later pages
    expect(page.get_by_text("Groups, families and transport in one place.")).to_be_visible()

    page.get_by_role("button", name="DE", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_text("Gruppen, Familien und Fahrdienst an einem Ort.")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_logging_out_ends_the_session(phone):
    page = phone
    login(page, "bob")
    nav(page, "Planung")
    logout(page)
    shoot(page, "logged-out")
    page.goto("/planung/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/planung/$"))
    page.get_by_role("link", name="Lotse").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)


def test_a_mistyped_password_is_explained_and_the_next_try_lands_on_the_page_asked_for(phone):
    page = phone
    page.goto("/planung/")  # from a bookmark
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    shoot(page, "login")
    page.get_by_label("Benutzername").fill("alice")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Groß-/Kleinschreibung")
    expect(page.get_by_label("Benutzername")).to_have_value("alice")

    page.get_by_label("Passwort").fill(password_for("alice"))
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/planung/$"))
    expect(page.get_by_role("heading", name="Fahrdienst planen")).to_be_visible()
