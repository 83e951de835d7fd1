"""Coordinators and staff take a family from first contact to a planned ride, and back out.

The base world: org A's Kindergruppe A meets on Tuesdays 15:00–16:30 in Bitburg; Anna A
drives Bus A. It is Monday 23.11.2026, 08:00.
"""

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from backend.families.models import ConsentRecord
from tests.journeys.kit import SHOTS_ENV, fits_width, login, main_text, shoot, wait_for_run


def open_families(page: Page) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Familien", exact=True).click()
    expect(page.get_by_role("heading", name="Familien", exact=True)).to_be_visible()


def fill_new_family(page: Page) -> None:
    page.get_by_label("Kennung").fill("F-A-7")
    page.get_by_label("Kontaktperson").fill("Sabine Beispiel")
    page.get_by_label("Telefon", exact=True).fill("+49 6561 2222")
    page.get_by_label("Bevorzugte Sprache").select_option(label="Türkçe")
    page.get_by_label("Straße und Hausnummer").first.fill("Schulweg 5")
    page.get_by_label("PLZ").first.fill("54636")
    page.get_by_label("Ort", exact=True).first.fill("Wolsfeld")
    page.get_by_label("Vorname oder Alias").fill("Emre")
    page.get_by_label("Geburtsjahr").fill("2017")
    page.get_by_label("Geburtsmonat").fill("3")
    page.get_by_label("Kindersitz").check()
    page.get_by_role("checkbox", name="Fahrdienst").check()
    page.get_by_role("checkbox", name="Kalender-Abo").check()
    page.get_by_label("Gruppe").select_option(label="Kindergruppe A")
    page.get_by_label("dabei seit").fill("2026-11-23")
    page.get_by_role("combobox", name="Fahrdienst").select_option(label="hin und zurück")


def test_a_new_family_reaches_a_planned_ride(desktop):
    """Create (with one mistake first), consent, enrol, plan the day, see the child on a route."""
    page = desktop
    login(page, "alice")
    open_families(page)
    expect(page.get_by_role("link", name=re.compile("F-A-1"))).to_be_visible()
    page.get_by_role("link", name="Neue Familie aufnehmen").click()
    fill_new_family(page)
    page.get_by_label("Geburtsmonat").fill("13")  # a typo
    page.get_by_role("button", name="Familie anlegen").click()
    expect(page.get_by_text("Es wurde nichts gespeichert.")).to_be_visible()
    expect(page.get_by_text("kleiner oder gleich 12")).to_be_visible()
    expect(page.get_by_label("Kontaktperson")).to_have_value("Sabine Beispiel")
    shoot(page, "family-new-error")

    page.get_by_label("Geburtsmonat").fill("3")
    page.get_by_role("checkbox", name="Fahrdienst").check()
    page.get_by_role("checkbox", name="Kalender-Abo").check()
    page.get_by_role("button", name="Familie anlegen").click()
    expect(page.get_by_text("Familie F-A-7 ist angelegt.")).to_be_visible()
    text = main_text(page)
    assert "Sabine Beispiel" in text and "Türkçe" in text
    assert "Kindergruppe A seit 23.11.2026 · Fahrdienst: hin und zurück" in text
    assert "erfasst von alice" in text
    expect(page.get_by_role("button", name="„Fahrdienst“ widerrufen")).to_be_visible()
    shoot(page, "family-detail")

    # One more consent, recorded on the family's page.
    page.get_by_label("Zweck").select_option(label="Kontakt per Telefon")
    page.get_by_role("button", name="Einwilligung erfassen").click()
    expect(page.get_by_text("Einwilligung „Kontakt per Telefon“ ist erfasst.")).to_be_visible()

    # Plan Tuesday: Emre rides with MilaA.
    page.goto("/planung/")
    page.get_by_label("Von").fill("2026-11-24")
    page.get_by_role("button", name="Planung starten").click()
    wait_for_run(page)
    text = main_text(page)
    assert "Kinder gefahren 2 / 2" in text, text[text.find("Kinder gefahren") :][:600]
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Veröffentlicht für 24.11.2026.")).to_be_visible()
    page.get_by_role("link", name="Tourenblatt").click()
    expect(page.locator("li.stop", has_text="Schulweg 5").first).to_contain_text("Emre")

    # The family's page now shows the next pickup.
    open_families(page)
    page.get_by_label("Suche").fill("emre")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("link", name=re.compile("F-A-7")).click()
    expect(
        page.get_by_text(re.compile(r"Di, 24\.11\. \d\d:\d\d Emre – Abholung zur Gruppe"))
    ).to_be_visible()


def test_staff_add_a_child_and_withdraw_transport_consent_on_a_phone(phone, published_tuesday):
    """The child leaves the published plan at once; the effects are named before and after."""
    page = phone
    login(page, "bob")
    open_families(page)
    page.get_by_role("link", name=re.compile("F-A-1")).click()
    expect(page.get_by_role("heading", name="Familie F-A-1")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Di, 24\.11\. 14:\d\d MilaA – Abholung zur Gruppe"))
    ).to_be_visible()
    assert fits_width(page)

    # The phone number changed.
    page.get_by_role("link", name="Angaben ändern").click()
    page.get_by_label("Telefon", exact=True).fill("+49 6561 9999")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Angaben sind gespeichert.")).to_be_visible()
    assert "+49 6561 9999" in main_text(page)

    # MilaA's mother called: not next week.
    page.get_by_text("Abmeldung eintragen").click()
    next_week = page.locator("li.upcoming", has_text="Di, 01.12. 15:00")
    next_week.get_by_role("button", name="MilaA abmelden").click()
    expect(page.get_by_text("MilaA ist für Di, 01.12. 15:00 abgemeldet.")).to_be_visible()
    assert "Di, 01.12. 15:00 Kindergruppe A: MilaA (Fachkraft)" in main_text(page)

    # A sibling, enrolled from next week without transport; first without a birth year.
    page.get_by_label("Vorname oder Alias").fill("Jonas")
    page.get_by_label("Geburtsmonat").fill("7")
    page.get_by_label("Gruppe").select_option(label="Kindergruppe A")
    page.get_by_label("dabei seit").fill("2026-12-01")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_text("Für Kinder sind Geburtsjahr und -monat nötig.")).to_be_visible()
    page.get_by_label("Geburtsjahr").fill("2019")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_text("Jonas ist eingetragen.")).to_be_visible()
    assert "Kindergruppe A seit 01.12.2026 · Fahrdienst: kein Fahrdienst" in main_text(page)

    expect(
        page.get_by_text(
            "Beim Widerruf: Die Familie wird ab heute aus dem veröffentlichten Fahrplan genommen"
        )
    ).to_be_visible()
    shoot(page, "family-withdraw")
    page.get_by_role("button", name="„Fahrdienst“ widerrufen").click()
    expect(page.get_by_text("Einwilligung „Fahrdienst“ ist widerrufen.")).to_be_visible()
    expect(page.get_by_text("widerrufen am 23.11.2026")).to_be_visible()
    expect(
        page.get_by_text("Keine veröffentlichten Fahrten in den nächsten zwei Wochen.")
    ).to_be_visible()


def test_staff_hand_the_family_its_link_and_letter_then_renew_it(new_page, world, post_log):
    """Link for copying, the letter as PDF, and renewing: the old link stops working."""
    family = world["a"]["family"]
    ConsentRecord.objects.create(family=family, purpose="calendar", given_on=dt.date(2026, 9, 1))
    page = new_page("phone")
    login(page, "bob")
    page.goto(f"/familien/{family.pk}/")
    expect(page.get_by_text("Die Familie hat noch keinen Link.")).to_be_visible()
    page.get_by_role("button", name="Link und Brief erstellen").click()
    expect(page.get_by_text("Der Link ist erstellt.")).to_be_visible()
    old_url = urlsplit(page.get_by_label("Link der Familie").input_value()).path
    assert old_url.startswith("/familie/")
    shoot(page, "family-link")
    with page.expect_download() as download:
        page.get_by_role("button", name="Brief als PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "families-letter" in post_log.accepted()  # the form check sees the download
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        (Path(folder) / "family-letter.pdf").write_bytes(pdf)

    family_view = new_page("phone")
    family_view.goto(old_url)
    expect(family_view.get_by_role("heading", name="Ihr Kalender")).to_be_visible()

    page.get_by_role("link", name="Familie F-A-1").click()
    expect(page.get_by_text(re.compile("Ein Link ist aktiv"))).to_be_visible()
    page.get_by_role("button", name="Link erneuern und Brief erstellen").click()
    expect(
        page.get_by_text("Der alte Link und der alte Brief funktionieren nicht mehr.")
    ).to_be_visible()
    new_url = urlsplit(page.get_by_label("Link der Familie").input_value()).path
    assert new_url != old_url
    family_view.goto(old_url)
    expect(family_view.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    family_view.goto(new_url)
    expect(family_view.get_by_role("heading", name="Ihr Kalender")).to_be_visible()
