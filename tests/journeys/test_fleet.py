"""The Fahrdienst pages: drivers with their certificate badge, weekly times, home base
and vehicle; vehicles; and a driver's own login by invitation, with which the driver
then opens their route sheet."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from backend.fleet.models import Driver, Vehicle
from tests.conftest import password_for
from tests.journeys.kit import field_error, login, main_text, nav, shoot


def test_coordinator_adds_a_driver_with_times_and_a_vehicle(desktop, world):
    page = desktop
    login(page, "alice")
    nav(page, "Fahrdienst")
    anna = page.locator("ul.drivers > li", has_text="Anna A")
    expect(anna).to_contain_text("Führungszeugnis gültig")
    expect(anna).to_contain_text("Di 13:00–19:00")
    expect(anna).to_contain_text("Bus A")

    page.get_by_role("link", name="Fahrzeuge").click()
    page.get_by_role("link", name="Neues Fahrzeug").click()
    page.get_by_label("Bezeichnung").fill("Kleinbus Prüm")
    page.get_by_label("Sitzplätze (Fahrgäste)").fill("0")  # no seat: refused
    page.get_by_label("Kindersitze").fill("2")
    page.get_by_label("Sitzerhöhungen").fill("1")
    page.get_by_label("Rollstuhlplätze").fill("1")
    page.get_by_label("Kosten je km (€)").fill("0.42")
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "Sitzplätze")).to_be_visible()
    assert not Vehicle.objects.filter(label="Kleinbus Prüm").exists()
    page.get_by_label("Sitzplätze (Fahrgäste)").fill("7")
    page.get_by_role("button", name="Speichern").click()
    row = page.get_by_role("row", name=re.compile("Kleinbus Prüm"))
    expect(row).to_contain_text("7")
    expect(row).to_contain_text("0,42")
    shoot(page, "vehicles")
    row.get_by_role("link", name="Kleinbus Prüm").click()
    page.get_by_label("Kosten je km (€)").fill("0.45")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("row", name=re.compile("Kleinbus Prüm"))).to_contain_text("0,45")

    page.get_by_role("link", name="Fahrer*innen").click()
    page.get_by_role("link", name="Neue Fahrer*in").click()
    page.get_by_label("Name").fill("Ben Berg")
    page.get_by_label("Telefon").fill("+49 6551 2222")
    page.get_by_label("Straße und Hausnummer").fill("Tiergartenstraße 5")
    page.get_by_label("PLZ").fill("00000")  # no such postcode: the address cannot be placed
    page.get_by_label("Ort").fill("Prüm")
    page.get_by_label("Fahrzeug").select_option(label="Kleinbus Prüm")
    page.get_by_label("Erweitertes Führungszeugnis vom").fill("2022-01-10")
    page.get_by_role("button", name="Speichern").click()
    expect(field_error(page, "PLZ")).to_be_visible()
    assert not Driver.objects.filter(name="Ben Berg").exists()
    page.get_by_label("PLZ").fill("54595")  # placed on save (the postcode's centre)
    page.get_by_label("ehrenamtlich").check()  # paid per tour, not per hour (reports)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("„Ben Berg“ wurde gespeichert.")).to_be_visible()
    assert Driver.objects.get(name="Ben Berg").volunteer
    expect(page.locator(".badge", has_text="Führungszeugnis läuft bald ab")).to_be_visible()
    expect(page.get_by_text("läuft ab am 10.01.2027")).to_be_visible()

    page.get_by_label("Wochentag").select_option(label="Mittwoch")
    page.get_by_label("von").fill("14:00")
    page.get_by_label("bis").fill("13:00")  # before the start: refused
    page.get_by_role("button", name="Zeit hinzufügen").click()
    expect(field_error(page, "bis")).to_contain_text("Das Ende liegt vor dem Beginn.")
    page.get_by_label("bis").fill("18:00")
    page.get_by_role("button", name="Zeit hinzufügen").click()
    expect(page.get_by_text("Mittwoch 14:00–18:00")).to_be_visible()
    page.get_by_label("Wochentag").select_option(label="Freitag")
    page.get_by_label("von").fill("08:00")
    page.get_by_label("bis").fill("12:00")
    page.get_by_role("button", name="Zeit hinzufügen").click()
    page.get_by_role("button", name="Freitag entfernen").click()
    expect(page.get_by_text("Die Zeit wurde entfernt.")).to_be_visible()
    expect(page.get_by_text("Freitag 08:00–12:00")).to_have_count(0)
    shoot(page, "driver")

    page.get_by_label("Telefon").fill("+49 6551 3333")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_label("Telefon")).to_have_value("+49 6551 3333")
    nav(page, "Fahrdienst")
    ben = page.locator("ul.drivers > li", has_text="Ben Berg")
    expect(ben).to_contain_text("Mi 14:00–18:00")
    expect(ben).to_contain_text("Prüm")
    expect(ben).to_contain_text("Kleinbus Prüm")
    expect(ben).to_contain_text("ohne Zugang")
    shoot(page, "drivers")
    page.get_by_label("Führungszeugnis").select_option(label="Führungszeugnis läuft bald ab")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("ul.drivers > li")).to_have_count(1)
    expect(page.locator("ul.drivers > li")).to_contain_text("Ben Berg")


def test_an_invited_driver_logs_in_and_sees_their_sheet(
    desktop, new_page, world, published_tuesday
):
    anna = world["a"]["driver"]
    anna.user = None  # Anna drives on Tuesday and has no login yet
    anna.save(update_fields=["user"])
    page = desktop
    login(page, "alice")
    nav(page, "Fahrdienst")
    page.get_by_role("link", name="Anna A").click()
    expect(page.get_by_text("Noch kein Zugang")).to_be_visible()
    page.get_by_role("button", name="Zugang anlegen").click()
    link = page.get_by_label("Zugangslink").input_value()
    assert "/einladung/" in link
    shoot(page, "driver-login-link")
    page.goto(f"/fahrdienst/fahrer/{anna.pk}/")
    expect(page.get_by_label("Zugangslink")).to_have_count(0)  # shown once
    expect(page.get_by_text("Eine Einladung ist offen")).to_be_visible()

    driver = new_page("phone")
    driver.goto(urlsplit(link).path)  # SITE_URL is not the test server
    driver.get_by_label("Benutzername").fill("anna.a")
    driver.get_by_label("Passwort", exact=True).fill(password_for("anna.a"))
    driver.get_by_label("Passwort bestätigen").fill(password_for("anna.a"))
    driver.get_by_role("button", name="Konto anlegen").click()
    expect(driver.get_by_role("heading", name="Meine Touren")).to_be_visible()
    driver.get_by_role("link", name=re.compile("24.11.")).click()
    assert "Dorfstraße 3" in main_text(driver) or "Wolsfeld" in main_text(driver)
    assert driver.goto("/fahrdienst/").status == 403

    page.goto(f"/fahrdienst/fahrer/{anna.pk}/")
    expect(page.get_by_text("Hat einen Zugang (Benutzername anna.a)")).to_be_visible()


def test_staff_read_the_fleet_without_changing_it(phone, world):
    page = phone
    login(page, "bob")
    nav(page, "Fahrdienst")
    expect(page.get_by_role("link", name="Neue Fahrer*in")).to_have_count(0)
    page.get_by_role("link", name="Anna A").click()
    expect(page.get_by_text("Ändern kann die Koordination.")).to_be_visible()
    expect(page.get_by_role("button", name="Speichern")).to_have_count(0)
    shoot(page, "driver-staff")
