"""Addresses people must check, and publishing that asks before it leaves a child behind.

The base world (see test_planning.py): Kindergruppe A on Tuesday 24.11. 15:00–16:30 in
Bitburg, MilaA from Wolsfeld, Anna A with Bus A. It is Monday 23.11.2026, 08:00.
"""

import re

from playwright.sync_api import expect

from backend.families.models import Enrolment, Participant
from tests.journeys.kit import login, main_text, nav, shoot, wait_for_run

APPROXIMATE = "Adresse ungefähr – bitte prüfen"


def plan(page, day: str) -> None:
    nav(page, "Planung")
    page.get_by_label("Von").fill(day)
    page.get_by_role("button", name="Planung starten").click()


def test_a_day_in_the_past_cannot_be_planned_and_no_seconds_are_asked(desktop):
    page = desktop
    login(page, "alice")
    nav(page, "Planung")
    expect(page.get_by_label("Von")).to_be_visible()
    expect(page.get_by_text("Sekunden")).to_have_count(0)
    plan(page, "2026-11-20")
    expect(page.get_by_text("Der 20.11.2026 liegt in der Vergangenheit")).to_be_visible()
    expect(page.get_by_text("Noch keine Planungsläufe.")).to_be_visible()


def test_an_approximate_address_is_flagged_in_the_review_and_on_the_sheet(world, desktop):
    family = world["a"]["family"]
    # Saved with a new address and no coordinates: placed at the centre of its PLZ area.
    family.street, family.postcode, family.town = "Kirchweg 2", "54634", "Bitburg"
    family.latitude = family.longitude = None
    family.save()
    assert family.is_approximate

    page = desktop
    login(page, "alice")
    plan(page, "2026-11-24")
    wait_for_run(page)
    review = page.locator("section", has=page.get_by_text("Diese Adressen kennt Lotse nur"))
    expect(review).to_contain_text("F-A-1, Wohnadresse: Kirchweg 2, 54634 Bitburg")
    expect(review).to_contain_text(APPROXIMATE)
    shoot(page, "run-approximate")

    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Veröffentlicht für 24.11.2026.")).to_be_visible()
    page.get_by_role("link", name="Tourenblatt").click()
    stop = page.locator("li.stop", has_text="Kirchweg 2, 54634 Bitburg").first
    expect(stop).to_contain_text("MilaA")
    expect(stop).to_contain_text(APPROXIMATE)
    home = page.locator("li.stop", has_text="Familienzentrum A").first
    expect(home).not_to_contain_text(APPROXIMATE)
    shoot(page, "sheet-approximate")


def test_publishing_with_an_unserved_child_needs_a_confirmation(world, desktop):
    """Ida needs a wheelchair place, which no vehicle has: she cannot be driven."""
    a = world["a"]
    ida = Participant.objects.create(
        family=a["family"], first_name="Ida", birth_year=2017, birth_month=4, needs_wheelchair=True
    )
    Enrolment.objects.create(
        participant=ida, offer=a["offer"], joined_on="2026-09-01", transport="there"
    )

    page = desktop
    login(page, "alice")
    plan(page, "2026-11-24")
    wait_for_run(page)
    assert "Kinder gefahren 1 / 2" in main_text(page)
    unserved = page.get_by_role("row", name=re.compile("Ida"))
    expect(unserved).to_contain_text("kein Fahrzeug bietet: Rollstuhlplatz")
    expect(page.get_by_text("1 Fahrt wird nicht gefahren")).to_be_visible()

    page.get_by_role("button", name="Veröffentlichen").click()
    expect(
        page.get_by_text("Bitte bestätigen, dass trotzdem veröffentlicht werden soll.")
    ).to_be_visible()
    assert "Veröffentlicht nein" in main_text(page)

    page.get_by_label("Ich habe die nicht gefahrenen Fahrten geprüft").check()
    shoot(page, "run-confirm-unserved")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Veröffentlicht für 24.11.2026.")).to_be_visible()
    expect(page.get_by_text("aktueller Plan")).to_be_visible()


def test_a_run_that_drives_nobody_cannot_be_published(world, desktop):
    driver = world["a"]["driver"]
    driver.is_active = False
    driver.save(update_fields=["is_active"])

    page = desktop
    login(page, "alice")
    plan(page, "2026-11-24")
    wait_for_run(page)
    assert "Kinder gefahren 0 / 1" in main_text(page)
    expect(page.get_by_text("Dieser Lauf fährt kein einziges Kind")).to_be_visible()
    expect(page.get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    reason = page.get_by_role("row", name=re.compile("MilaA")).first
    expect(reason).to_contain_text("an diesem Tag kein Fahrer verfügbar")
    assert not re.search(r"p\d+-s\d+-(there|back)", main_text(page))


def test_the_admin_places_a_changed_address_and_takes_exact_coordinates(world, desktop):
    from django.contrib.auth.models import User

    User.objects.create_superuser("root", password="root-pass-123")
    family = world["a"]["family"]
    page = desktop
    page.goto("/admin/login/")
    page.get_by_label("Benutzername").fill("root")
    page.get_by_label("Passwort").fill("root-pass-123")
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"/admin/families/family/{family.pk}/change/")

    page.get_by_label("PLZ").fill("00000")
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.get_by_text("Die Postleitzahl 00000 ist nicht bekannt.")).to_be_visible()

    page.get_by_label("PLZ").fill("54595")
    page.get_by_label("Ort").fill("Prüm")
    page.get_by_label("Breitengrad").fill("")
    page.get_by_label("Längengrad").fill("")
    page.get_by_role("button", name="Sichern", exact=True).click()
    row = page.get_by_role("row", name=re.compile("F-A-1"))
    expect(row).to_contain_text(APPROXIMATE)
    shoot(page, "admin-families")

    row.get_by_role("link", name="F-A-1").click()
    page.get_by_label("Breitengrad").fill("50.2101")
    page.get_by_label("Längengrad").fill("6.4203")
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("F-A-1"))).to_contain_text(
        "von Hand eingetragen"
    )
    family.refresh_from_db()
    assert (family.latitude, family.longitude, family.postcode) == (50.2101, 6.4203, "54595")
