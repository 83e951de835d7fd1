"""A coordinator's groups: create a group without RRULE and see its sessions; cancel,
reinstate and move a session; venues with a pin on the map; closures with their
effect shown before saving; the menu; the organisation's settings."""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from backend.offers.models import ClosurePeriod, GroupOffer, Session, Venue
from backend.organisations.models import Organisation
from tests.journeys.kit import field_error, login, main_text, nav, shoot


def session_row(page: Page, day: str):
    return page.locator("ul.sessions > li", has_text=day)


def test_coordinator_creates_a_group_and_manages_its_sessions(desktop, world):
    page = desktop
    login(page, "alice")
    nav(page, "Gruppen")
    expect(page.get_by_role("heading", name="Gruppenangebote")).to_be_visible()
    expect(page.get_by_role("link", name="Kindergruppe A")).to_be_visible()
    page.get_by_role("link", name="Neue Gruppe").click()

    page.get_by_label("Titel", exact=True).fill("Mittwochsgruppe")
    page.get_by_label("Titel im Kalender").fill("Treffpunkt")
    page.get_by_label("Ort", exact=True).select_option(label="Familienzentrum A, Bitburg")
    page.get_by_label("Wochentag").select_option(label="Donnerstag")
    page.get_by_label("Alle … Wochen").fill("2")
    page.get_by_label("Beginn").fill("16:00")
    page.get_by_label("Dauer (Minuten)").fill("90")
    page.get_by_label("Erster Termin").fill("2026-11-26")
    page.get_by_label("Letzter Termin").fill("2026-11-01")  # before the first: refused
    page.get_by_label("Mindestalter").fill("8")
    page.get_by_label("Höchstalter").fill("12")
    page.get_by_label("Plätze").fill("8")
    page.get_by_label("Suchthilfe").check()
    page.get_by_label("Anmeldung nötig").check()
    page.get_by_role("button", name="Gruppe anlegen").click()
    expect(field_error(page, "Letzter Termin")).to_contain_text(
        "Der letzte Termin liegt vor dem ersten."
    )
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Mittwochsgruppe")  # kept
    assert not GroupOffer.objects.filter(title="Mittwochsgruppe").exists()
    shoot(page, "group-form-error")

    page.get_by_label("Letzter Termin").fill("")
    page.get_by_role("button", name="Gruppe anlegen").click()
    expect(page.get_by_text("Die Gruppe „Mittwochsgruppe“ wurde angelegt.")).to_be_visible()
    expect(page.locator(".schedule")).to_have_text("Alle 2 Wochen am Donnerstag, 16:00–17:30 Uhr")
    assert "Suchthilfe" in main_text(page) and "8–12 Jahre" in main_text(page)
    expect(session_row(page, "26.11.2026")).to_contain_text("16:00–17:30")
    expect(session_row(page, "10.12.2026")).to_be_visible()
    expect(page.get_by_text("Kalender der Familien")).to_be_visible()
    shoot(page, "group-detail")

    first = session_row(page, "26.11.2026")
    first.get_by_label("Grund").fill("Krankheit")
    first.get_by_role("button", name="Absagen").click()
    expect(page.get_by_text("Der Termin am 26.11.2026 16:00 ist abgesagt.")).to_be_visible()
    expect(session_row(page, "26.11.2026")).to_contain_text("abgesagt")
    expect(session_row(page, "26.11.2026")).to_contain_text("Grund: Krankheit")
    session_row(page, "26.11.2026").get_by_role("button", name="Wieder ansetzen").click()
    expect(page.get_by_text("Der Termin am 26.11.2026 16:00 findet wieder statt.")).to_be_visible()

    session_row(page, "10.12.2026").get_by_role("link", name="Verschieben").click()
    page.get_by_label("Datum").fill("2026-12-11")
    page.get_by_label("Beginn").fill("15:00")
    page.get_by_label("Ende").fill("14:00")  # before the start: refused
    page.get_by_role("button", name="Verschieben").click()
    expect(field_error(page, "Ende")).to_contain_text("Das Ende liegt vor dem Beginn.")
    page.get_by_label("Ende").fill("16:30")
    page.get_by_role("button", name="Verschieben").click()
    expect(page.get_by_text("Der Termin wurde auf 11.12.2026 15:00 verschoben.")).to_be_visible()
    expect(session_row(page, "11.12.2026")).to_contain_text("verschoben vom 10.12.")
    offer = GroupOffer.objects.get(title="Mittwochsgruppe")
    moved = offer.sessions.get(occurrence_date="2026-12-10")
    assert moved.sequence == 1 and moved.status == Session.Status.SCHEDULED

    page.get_by_role("link", name="Bearbeiten").click()
    expect(page.get_by_label("Wochentag")).to_have_value("3")
    expect(page.get_by_label("Alle … Wochen")).to_have_value("2")
    page.get_by_label("Höchstalter").fill("7")  # under the minimum: refused
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "Höchstalter")).to_contain_text(
        "Das Höchstalter liegt unter dem Mindestalter."
    )
    page.get_by_label("Höchstalter").fill("13")
    page.get_by_label("Titel", exact=True).fill("Donnerstagsgruppe")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name="Donnerstagsgruppe")).to_be_visible()
    assert "8–13 Jahre" in main_text(page)


def test_venues_and_closures(desktop, world):
    page = desktop
    login(page, "alice")
    nav(page, "Gruppen")
    page.get_by_role("link", name="Orte").click()
    page.get_by_role("link", name="Neuer Ort").click()
    page.get_by_label("Name").fill("Jugendtreff Prüm")
    page.get_by_label("Straße und Hausnummer").fill("Hahnplatz 2")
    page.get_by_label("PLZ").fill("54595")
    page.get_by_label("Ort", exact=True).fill("Prüm")
    page.get_by_label("Breitengrad").fill("95")  # not on earth: refused
    page.get_by_label("Längengrad").fill("6.42")
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "Breitengrad")).to_be_visible()
    assert not Venue.objects.filter(name="Jugendtreff Prüm").exists()
    page.get_by_label("Breitengrad").fill("50.207")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Ort „Jugendtreff Prüm“ wurde gespeichert.")).to_be_visible()
    pin = page.locator("[data-map]")
    expect(pin).to_have_attribute("data-ready", "true")
    expect(pin.locator(".map-marker-venue")).to_have_count(1)
    shoot(page, "venue")
    page.get_by_label("Barrierefreiheit").fill("Rampe am Seiteneingang")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_label("Barrierefreiheit")).to_have_value("Rampe am Seiteneingang")
    page.get_by_role("link", name="Orte").click()
    page.get_by_label("Suchen").fill("Prüm")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator("ul.rows > li")).to_have_count(1)

    page.get_by_role("link", name="Schließzeiten").click()
    page.get_by_label("Bezeichnung").fill("Weihnachtsferien")
    page.get_by_label("von").fill("2026-12-01")
    page.get_by_label("bis einschließlich").fill("2026-11-30")  # before the start: refused
    page.get_by_role("button", name="Auswirkung prüfen").click()
    expect(field_error(page, "bis einschließlich")).to_be_visible()
    page.get_by_label("bis einschließlich").fill("2026-12-15")
    page.get_by_role("button", name="Auswirkung prüfen").click()
    # Kindergruppe A meets on Tuesdays: 1.12., 8.12. and 15.12. fall out.
    expect(page.get_by_text("3 Termine fallen aus")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("08.12.2026")
    assert not ClosurePeriod.objects.filter(name="Weihnachtsferien").exists()
    shoot(page, "closure-preview")
    page.get_by_role("button", name="Schließzeit speichern").click()
    expect(
        page.get_by_text(
            "Die Schließzeit „Weihnachtsferien“ ist gespeichert; 3 Termine wurden abgesagt."
        )
    ).to_be_visible()
    expect(page.locator("ul.rows").first).to_contain_text("01.12.2026–15.12.2026")
    offer = world["a"]["offer"]
    cancelled = offer.sessions.filter(status=Session.Status.CANCELLED)
    assert sorted(s.occurrence_date.day for s in cancelled) == [1, 8, 15]
    assert {s.cancel_reason for s in cancelled} == {"Weihnachtsferien"}

    # Entered by mistake: removed again, its sessions take place again.
    page.get_by_role("button", name="„Weihnachtsferien“ entfernen").click()
    expect(
        page.get_by_text(
            "Die Schließzeit „Weihnachtsferien“ ist entfernt; 3 Termine finden wieder statt."
        )
    ).to_be_visible()
    expect(page.get_by_text("Keine Schließzeiten geplant.")).to_be_visible()
    assert not offer.sessions.filter(status=Session.Status.CANCELLED).exists()


def test_the_menu_by_role_and_the_organisation_settings(phone, world):
    page = phone
    login(page, "alice")
    menu = page.get_by_role("navigation", name="Hauptmenü")
    for entry in ("Planung", "Gruppen", "Fahrdienst", "Organisation"):
        expect(menu.get_by_role("link", name=entry, exact=True)).to_be_visible()
    expect(page.locator('a[href="/admin/"]')).to_have_count(0)
    expect(page.locator('a[href="/api/docs/"]')).to_have_count(0)
    shoot(page, "start-coordinator")
    nav(page, "Organisation")
    page.get_by_label("E-Mail").fill("kein-at")
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "E-Mail")).to_be_visible()
    page.get_by_label("E-Mail").fill("info@traeger-a.example")
    page.get_by_label("Telefon").fill("+49 6561 12345")
    # The shuttle's cost model for the reports, and what the office may see.
    page.get_by_label("Fahrer*innen: Kosten je Stunde (€)").fill("-5")
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "Fahrer*innen: Kosten je Stunde")).to_be_visible()
    page.get_by_label("Fahrer*innen: Kosten je Stunde (€)").fill("18.50")
    page.get_by_label("Ehrenamtliche: Aufwandsentschädigung je Tour (€)").fill("8")
    page.get_by_label("Feste Kosten des Fahrdienstes je Monat (€)").fill("150")
    page.get_by_label("Mit der Koordinierungsstelle teilen").uncheck()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Einstellungen wurden gespeichert.")).to_be_visible()
    expect(page.get_by_label("Telefon")).to_have_value("+49 6561 12345")
    expect(page.get_by_label("Fahrer*innen: Kosten je Stunde (€)")).to_have_value("18.50")
    expect(page.get_by_label("Mit der Koordinierungsstelle teilen")).not_to_be_checked()
    org = Organisation.objects.get(slug="traeger-a")
    assert (org.driver_cost_per_hour, org.driver_allowance_per_trip) == (
        Decimal("18.50"),
        Decimal("8.00"),
    )
    assert org.fixed_costs_per_month == Decimal("150") and not org.shares_with_office
    shoot(page, "organisation")
    page.get_by_role("link", name=re.compile("Mitglieder")).click()
    expect(page.get_by_role("heading", name="Team")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("bob"))).to_contain_text("Fachkraft")
    page.locator("section", has_text="Jemanden einladen").get_by_label("Rolle").select_option(
        label="Fachkraft"
    )
    page.get_by_role("button", name="Einladung erstellen").click()
    expect(page.get_by_label("Einladungslink")).to_have_value(re.compile("/einladung/"))
    shoot(page, "team")
    page.goto("/team/")
    invitations = page.get_by_role("row").filter(has=page.get_by_role("button", name="widerrufen"))
    expect(invitations).to_have_count(1)
    invitations.get_by_role("button", name="widerrufen").click()
    expect(page.get_by_text("Die Einladung wurde widerrufen.")).to_be_visible()
    expect(page.get_by_text("Keine offenen Einladungen.")).to_be_visible()


def test_staff_see_no_organisation_menu(phone, world):
    page = phone
    login(page, "bob")
    menu = page.get_by_role("navigation", name="Hauptmenü")
    expect(menu.get_by_role("link", name="Gruppen", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Organisation", exact=True)).to_have_count(0)
    assert page.goto("/organisation/").status == 403
