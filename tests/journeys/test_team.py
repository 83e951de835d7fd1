"""A coordinator brings a new colleague in: an invitation link from the Team page,
which the colleague opens to create an account, and which stops working once used or
revoked."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.journeys.kit import login, logout, nav, shoot


def _invite(page: Page, role: str) -> str:
    nav(page, "Team")
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    page.get_by_label("Rolle").select_option(label=role)
    page.get_by_role("button", name="Einladung erstellen").click()
    link = page.get_by_role("textbox", name="Einladungslink")
    expect(link).to_have_value(re.compile(r"/einladung/[A-Za-z0-9_-]{20,}/$"))
    # The link names SITE_URL; the colleague's browser opens it on this test server.
    return urlsplit(link.input_value()).path


def test_an_invited_colleague_creates_an_account_and_a_used_link_is_gone(phone):
    page = phone
    login(page, "alice")
    url = _invite(page, "Fachkraft")
    invitation = page.get_by_role("row", name=re.compile("^Fachkraft – "))
    expect(invitation.get_by_role("button", name="widerrufen")).to_be_visible()
    shoot(page, "team-invited")
    logout(page)

    page.goto(url)
    expect(page.get_by_role("heading", name="Einladung")).to_be_visible()
    expect(page.get_by_text("Träger A lädt Sie ein")).to_contain_text("Rolle: Fachkraft")
    page.get_by_label("Benutzername").fill("alice")  # taken: refused without saying by whom
    page.get_by_label("Passwort", exact=True).fill("Fahrdienst-2026!")
    page.get_by_label("Passwort bestätigen").fill("Fahrdienst-2026!")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("Dieser Benutzername ist nicht verfügbar.")).to_be_visible()
    page.get_by_label("Benutzername").fill("frieda")
    page.get_by_label("Passwort", exact=True).fill("Fahrdienst-2026!")
    page.get_by_label("Passwort bestätigen").fill("Fahrdienst-2026!")
    page.get_by_role("button", name="Konto anlegen").click()
    # Signed in as the new staff member, who may plan but not manage the team.
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Team")).to_have_count(0)
    logout(page)

    page.goto(url)
    expect(page.get_by_role("heading", name="Diese Einladung gilt nicht (mehr).")).to_be_visible()


def test_a_revoked_invitation_stops_working(phone):
    page = phone
    login(page, "alice")
    url = _invite(page, "Fahrer*in")
    row = page.get_by_role("row", name=re.compile("Fahrer\\*in"))
    row.get_by_role("button", name="widerrufen").click()
    expect(page.get_by_text("Die Einladung wurde widerrufen.")).to_be_visible()
    expect(page.get_by_text("Keine offenen Einladungen.")).to_be_visible()
    logout(page)
    page.goto(url)
    expect(page.get_by_role("heading", name="Diese Einladung gilt nicht (mehr).")).to_be_visible()
