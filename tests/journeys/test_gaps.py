"""The coordination office looks for places far from any offer; a provider keeps a
family's plan of help (issue 15 §5, §6).

Org A's Kindergruppe A (6–12 years) meets in Bitburg. The office knows three
municipalities: Bitburg, Wolsfeld (about 10 minutes away) and Daleiden (about 40).
"""

import re

from playwright.sync_api import expect

from backend.families.models import ConsentRecord
from backend.gaps.models import Municipality
from tests.conftest import TODAY
from tests.journeys.kit import fits_width, login, main_text, shoot

PLACES = [("Bitburg", 49.97, 6.52), ("Wolsfeld", 50.02, 6.57), ("Daleiden", 50.082, 6.167)]


def test_the_office_finds_the_places_beyond_a_threshold_and_adds_children_counts(
    phone, world, office, tmp_path
):
    for name, lat, lon in PLACES:
        Municipality.objects.create(
            organisation=office["org"], name=name, latitude=lat, longitude=lon
        )
    page = phone
    login(page, "olga")
    page.goto("/bezirk/luecken/")
    expect(page.get_by_role("heading", name="Wo Angebote fehlen")).to_be_visible()
    page.get_by_label("Fahrzeit höchstens (Minuten)").fill("20")
    page.get_by_label("Alter").select_option(label="6–9")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="1 Gemeinde weiter als 20 Minuten")).to_be_visible()
    table = page.locator("table.gaps")
    expect(table).to_contain_text("Daleiden")
    expect(table).to_contain_text("Kindergruppe A (Bitburg)")
    expect(table).not_to_contain_text("Wolsfeld")
    expect(page.locator(".map[data-ready=true]")).to_have_count(1)
    expect(page.locator(".map-pin-place")).to_have_count(3)  # one per municipality
    expect(page.locator(".map-pin-venue")).to_have_count(2)  # Kindergruppe A and B
    expect(page.get_by_text("Fahrzeiten: Luftlinie × Umwegfaktor.")).to_be_visible()
    assert fits_width(page)
    shoot(page, "gaps-map")

    page.get_by_label("Fahrzeit höchstens (Minuten)").fill("5")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="2 Gemeinden weiter als 5 Minuten")).to_be_visible()
    page.get_by_role("link", name="Gemeinde").click()  # sort by name
    expect(page.locator("table.gaps tbody th").first).to_have_text("Daleiden")

    csv = tmp_path / "einwohner.csv"
    csv.write_text("gemeinde;kinder_6_9;quelle\nDaleiden;23;Statistisches Landesamt\n")
    page.get_by_label("CSV-Datei mit Einwohnerzahlen").set_input_files(str(csv))
    page.get_by_role("button", name="Einlesen").click()
    expect(page.get_by_text("1 Zeilen gelesen, 1 Gemeinden aktualisiert")).to_be_visible()
    expect(page.get_by_text("Dort leben 23 Kinder im Alter von 6–9 Jahren")).to_be_visible()
    row = page.locator("table.gaps tr", has_text="Daleiden")
    expect(row).to_contain_text("23")
    assert "MilaA" not in main_text(page) and "Kontakt A" not in main_text(page)
    assert fits_width(page)
    shoot(page, "gaps-children")


def test_a_coordinator_records_a_plan_of_help_with_the_family_s_consent(desktop, world, office):
    family = world["a"]["family"]
    page = desktop
    login(page, "alice")
    page.goto(f"/familien/{family.pk}/")
    plan = page.locator("section.bundle")
    expect(plan).to_contain_text("braucht es die Einwilligung der Familie")
    ConsentRecord.objects.create(family=family, purpose="bundle", given_on=TODAY)
    page.reload()
    plan.get_by_label("Angebot oder Partner").fill("Suchtberatung der Mutter")
    plan.get_by_label("Bereich").select_option(label="Suchthilfe")
    plan.get_by_label("Kontakt").fill("Beratungsstelle Bitburg, Frau Weber")
    plan.get_by_label("dabei seit").fill("2026-10-01")
    plan.get_by_role("button", name="In den Hilfeplan").click()
    expect(page.get_by_text("„Suchtberatung der Mutter“ steht im Hilfeplan.")).to_be_visible()
    plan = page.locator("section.bundle")
    expect(plan).to_contain_text("Suchtberatung der Mutter")
    expect(plan).to_contain_text("seit 01.10.2026")
    plan.get_by_label("Angebot oder Partner").fill("Schulsozialarbeit")
    plan.get_by_label("Bereich").select_option(label="Schule")
    plan.get_by_role("button", name="In den Hilfeplan").click()
    expect(page.locator("section.bundle li")).to_have_count(2)
    shoot(page, "family-plan")

    page.get_by_role("button", name="„Schulsozialarbeit“ entfernen").click()
    expect(page.get_by_text("„Schulsozialarbeit“ ist aus dem Hilfeplan entfernt.")).to_be_visible()
    expect(page.locator("section.bundle li")).to_have_count(1)

    other = desktop.context.new_page()
    login(other, "olga")  # the office, in the same browser: one login at a time
    other.goto("/bezirk/hilfen/")
    expect(other.locator("table.counts")).to_contain_text("< 5")
    assert "Suchtberatung" not in main_text(other)
    assert re.search(r"1\s*< 5", main_text(other))
