"""The coordination office takes stock of the district, and staff record referral paths.

olga is the office's coordinator (the `office` fixture); the base world's two providers
share with the office, and their groups (Kindergruppe A and B, Bitburg) are listed.
It is Monday 23.11.2026: the world's families joined on 01.09.2026 (Q3 2026).
"""

import csv
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.journeys.kit import fits_width, login, main_text, nav, shoot
from tests.personal import personal_values


def fill_offer(page: Page) -> None:
    page.get_by_label("Name des Angebots").fill("Sprechstunde für Kinder psychisch kranker Eltern")
    page.get_by_label("Bereich").select_option(label="Gesundheit")
    page.get_by_label("Für wen").select_option(label="Kinder")
    page.get_by_label("Zielgruppe").fill("Kinder mit einem psychisch erkrankten Elternteil")
    page.get_by_label("Alter von").fill("6")
    page.get_by_label("Alter bis").fill("17")
    page.get_by_label("Träger").fill("KJP-Ambulanz Westeifel (Demo)")
    page.get_by_label("Straße und Hausnummer").fill("Kalvarienbergstraße 4")
    page.get_by_label("Ort", exact=True).fill("Prüm")
    page.get_by_label("Telefon").fill("06551 000 420")


def test_the_office_enters_an_offer_and_a_partner_and_sees_them_on_the_map(
    new_page, office, tmp_path: Path
):
    page = new_page("desktop")
    login(page, "olga")
    # The office lands on its own pages, not on a provider's.
    expect(page).to_have_url(re.compile(r"/bezirk/$"))
    expect(page.get_by_role("heading", name="Angebote und Partner im Bezirk")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Planung")).to_have_count(0)
    expect(page.get_by_role("link", name="Kindergruppe A")).to_be_visible()  # listed, shared

    page.get_by_role("link", name="Angebot eintragen").click()
    fill_offer(page)
    page.get_by_role("button", name="Speichern").click()  # without a postcode
    expect(page.get_by_role("alert")).to_contain_text("PLZ: Bitte „PLZ“ angeben.")
    expect(page.get_by_label("Zielgruppe")).to_have_value(
        "Kinder mit einem psychisch erkrankten Elternteil"
    )
    shoot(page, "district-offer-error")
    page.get_by_label("PLZ").fill("54595")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("ist gespeichert.")).to_be_visible()

    page.get_by_role("link", name="Partner eintragen").click()
    page.get_by_label("Name", exact=True).fill("Grundschule Prüm (Demo)")
    page.get_by_label("Art des Partners").select_option(label="Schule / Schulsozialarbeit")
    page.get_by_label("Bereich").select_option(label="Schule")
    page.get_by_label("Ansprechstelle").fill("Schulsozialarbeit")
    page.get_by_label("PLZ").fill("54595")
    page.get_by_label("Ort", exact=True).fill("Prüm")
    page.get_by_role("checkbox", name="Sprechstunde für Kinder psychisch kranker Eltern").check()
    page.get_by_role("checkbox", name="Kindergruppe A (Bitburg, Träger A)").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("„Grundschule Prüm (Demo)“ ist gespeichert.")).to_be_visible()

    # In the table (grouped by sector) …
    health = page.locator("section.district-group", has_text="Gesundheit")
    expect(health.get_by_role("row", name=re.compile("Sprechstunde für Kinder"))).to_contain_text(
        "Prüm"
    )
    school = page.locator("section.district-group", has=page.get_by_role("heading", name="Schule"))
    partner_row = school.get_by_role("row", name=re.compile("Grundschule Prüm"))
    expect(partner_row).to_contain_text("Kindergruppe A, Sprechstunde für Kinder")
    # … and on the map: both in Prüm (one marker, "2"), the providers' groups in Bitburg.
    the_map = page.locator("[data-map]")
    expect(the_map).to_have_attribute("data-ready", "true")
    prum = the_map.locator(".map-marker-place", has_text="2")
    prum.click()
    popup = the_map.locator(".leaflet-popup")
    expect(popup).to_contain_text("Sprechstunde für Kinder psychisch kranker Eltern (Prüm)")
    expect(popup).to_contain_text("Grundschule Prüm (Demo) – Schule / Schulsozialarbeit (Prüm)")
    shoot(page, "district-overview")

    # By municipality; then the export of Prüm's entries.
    page.get_by_label("Gruppiert nach").select_option(label="Ort")
    page.get_by_label("Ort", exact=True).select_option(label="Prüm")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="Prüm", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kindergruppe A")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert [row[2] for row in rows[1:]] == [
        "Sprechstunde für Kinder psychisch kranker Eltern",
        "Grundschule Prüm (Demo)",
    ]

    # A change, then the partner and the offer are removed again.
    page.get_by_role("link", name="Sprechstunde für Kinder psychisch kranker Eltern").click()
    page.get_by_label("Telefon").fill("06551 000 421")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("ist gespeichert.")).to_be_visible()
    page.get_by_role("link", name="Grundschule Prüm (Demo)").click()
    page.get_by_label("Ansprechstelle").fill("Schulleitung")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("row", name=re.compile("Grundschule Prüm"))).to_contain_text(
        "Schulleitung"
    )
    page.get_by_role("link", name="Grundschule Prüm (Demo)").click()
    page.get_by_role("button", name="„Grundschule Prüm (Demo)“ entfernen").click()
    expect(page.get_by_text("„Grundschule Prüm (Demo)“ ist entfernt.")).to_be_visible()
    page.get_by_role("link", name="Sprechstunde für Kinder psychisch kranker Eltern").click()
    page.get_by_role("button", name=re.compile("entfernen")).click()
    expect(page.get_by_text("ist entfernt.")).to_be_visible()
    expect(page.get_by_role("link", name="Grundschule Prüm (Demo)")).to_have_count(0)


def referral_cell(page: Page, path: str, quarter: int) -> str:
    row = page.locator("tr", has=page.get_by_role("rowheader", name=path, exact=True))
    return row.get_by_role("cell").nth(quarter).inner_text()


def test_staff_record_a_referral_path_and_the_office_count_rises(new_page, world, office):
    olga = new_page("phone")
    login(olga, "olga")
    nav(olga, "Zugangswege")
    expect(olga.get_by_role("heading", name="Zugangswege")).to_be_visible()
    headers = olga.get_by_role("columnheader")
    expect(headers).to_have_text(["Zugangsweg", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"])
    assert referral_cell(olga, "Schule/Schulsozialarbeit", 2) == "0"  # Q3 2026
    assert referral_cell(olga, "unbekannt", 2) == "< 5"  # the world's two families

    bob = new_page("phone")
    login(bob, "bob")
    bob.goto("/familien/")
    bob.get_by_role("link", name=re.compile("F-A-1")).click()
    bob.get_by_role("link", name="Angaben ändern").click()
    bob.get_by_label("Wie kam die Familie zu uns?").select_option(label="Schule/Schulsozialarbeit")
    bob.get_by_label("Zugangsweg: Notiz").fill("Schulsozialarbeit Grundschule Wolsfeld")
    bob.get_by_role("button", name="Speichern").click()
    summary = bob.locator(".summary")
    expect(summary).to_contain_text("Schule/Schulsozialarbeit")
    expect(summary).to_contain_text("Schulsozialarbeit Grundschule Wolsfeld")
    shoot(bob, "district-family-referral")

    olga.reload()
    assert referral_cell(olga, "Schule/Schulsozialarbeit", 2) == "< 5"
    assert referral_cell(olga, "unbekannt", 2) == "< 5"  # one is left
    text = main_text(olga)
    for value in [*personal_values(world), "Grundschule Wolsfeld"]:
        assert value not in text, value
    assert fits_width(olga)
    shoot(olga, "district-referrals")
