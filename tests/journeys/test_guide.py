"""A parent on a phone finds a group in the public offer guide (/angebote/), no login.

Org A's group meets in Bitburg (54634); org B's (also named Bitburg) about 25 km south. It is Monday 23.11.2026.
"""

import re

from playwright.sync_api import expect

from backend.offers.models import Session
from tests.guide.pdfs import qr_codes
from tests.guide.pdfs import text_of as pdf_text
from tests.journeys.kit import fits_width, main_text, shoot


def test_a_parent_finds_a_group_for_a_7_year_old_near_a_postcode_and_adds_it_to_the_calendar(
    phone, world
):
    cancelled = Session.objects.filter(offer=world["a"]["offer"]).order_by("starts_at")[1]
    cancelled.cancel("Fortbildung")
    page = phone
    page.goto("/angebote/")
    expect(
        page.get_by_role("heading", name="Angebote für Kinder, Jugendliche und Eltern")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="2 Angebote")).to_be_visible()

    page.get_by_label("Alter des Kindes").fill("7")
    page.get_by_label("PLZ oder Ort").fill("54634")
    page.get_by_label("Umkreis (km)").fill("20")
    page.get_by_label("PLZ oder Ort").press("Enter")  # the keyboard submits the search
    expect(page.get_by_role("heading", name="1 Angebot", exact=True)).to_be_visible()
    results = page.locator("ol.offers")
    expect(results).to_contain_text("Kindergruppe A")
    expect(results).to_contain_text("Jeden Dienstag, 15:00–16:30 Uhr")
    expect(results).to_contain_text("Bitburg · etwa 1 km entfernt")
    expect(results).not_to_contain_text("Kindergruppe B")  # 25 km away
    expect(page.locator(".map[data-ready=true]")).to_have_count(1)
    assert fits_width(page)
    shoot(page, "guide-search")

    page.get_by_role("link", name="Kindergruppe A").click()
    expect(page.get_by_role("heading", name="Kindergruppe A", level=1)).to_be_visible()
    text = main_text(page)
    for expected in ("kostenlos", "ohne Anmeldung", "Kinder, 6 bis 12 Jahre", "Träger A"):
        assert expected in text, expected
    assert "Die genaue Adresse erfahren Sie beim Träger." in text
    assert "Hauptstraße" not in text  # the provider did not allow the street
    expect(page.locator("ul.dates li").first).to_contain_text(
        "Dienstag, 24. November 2026, 15:00–16:30"
    )
    expect(page.locator("ul.dates li.cancelled")).to_contain_text(
        "Dienstag, 1. Dezember 2026 fällt aus"
    )
    assert "Fortbildung" not in text  # the reason may be personal
    assert fits_width(page)
    shoot(page, "guide-offer")

    with page.expect_download() as download:
        page.get_by_role("link", name="In meinen Kalender").click()
    ics = download.value.path().read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Kindergruppe A" in ics
    assert re.search(r"SUMMARY:Abgesagt: Kindergruppe A", ics)


def test_bad_search_input_names_the_field(phone, world):
    page = phone
    page.goto("/angebote/")
    page.get_by_label("PLZ oder Ort").fill("Atlantis")
    page.get_by_role("button", name="Angebote suchen").click()
    expect(page.locator(".field-place .error")).to_have_text(
        "Den Ort „Atlantis“ kennen wir nicht. Bitte die Postleitzahl angeben."
    )
    expect(page.get_by_label("PLZ oder Ort")).to_have_attribute("aria-invalid", "true")


def test_the_guide_in_english_on_a_desktop(new_page, world):
    page = new_page("desktop", locale="en-GB")
    page.goto("/angebote/?age=7")
    expect(page.get_by_role("heading", name="2 offers")).to_be_visible()
    expect(page.locator("ol.offers").first).to_contain_text("Every Tuesday, 15:00–16:30")
    shoot(page, "guide-en")


def test_a_parent_scans_the_poster_lands_on_the_guide_and_downloads_the_brochure(
    phone, world, live_server, settings
):
    settings.SITE_URL = live_server.url
    page = phone
    poster = page.request.get("/angebote/plakat.pdf")
    assert poster.headers["content-type"] == "application/pdf"
    (scanned,) = qr_codes(poster.body())
    assert scanned == f"{live_server.url}/angebote/"

    page.goto(scanned)
    expect(
        page.get_by_role("heading", name="Angebote für Kinder, Jugendliche und Eltern")
    ).to_be_visible()
    link = page.get_by_role("link", name="Broschüre mit allen Angeboten (PDF, A5)")
    brochure = page.request.get(link.get_attribute("href") or "")
    text = pdf_text(brochure.body())
    for side in ("a", "b"):
        assert world[side]["offer"].title in text
    shoot(page, "guide-start")


def test_the_same_search_in_arabic_reads_right_to_left(new_page, world):
    page = new_page("phone", locale="ar")
    page.goto("/angebote/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", name="عروض للأطفال والشباب والآباء")).to_be_visible()
    page.get_by_label("عمر الطفل").fill("7")
    page.get_by_label("الرمز البريدي أو البلدة").fill("54634")
    page.get_by_role("button", name="ابحث عن عروض").click()
    expect(page.get_by_role("heading", name="عرض واحد")).to_be_visible()
    expect(page.locator("ol.offers")).to_contain_text("كل الثلاثاء، \u206615:00–16:30\u2069")
    # Right to left: the search button sits at the right edge of the form.
    form = page.locator("form.search").bounding_box()
    button = page.get_by_role("button", name="ابحث عن عروض").bounding_box()
    assert form and button and button["x"] + button["width"] > form["x"] + form["width"] - 40
    assert fits_width(page)
    shoot(page, "guide-ar")
    page.get_by_role("link", name="Kindergruppe A").click()
    expect(page.get_by_role("link", name="أضف إلى تقويمي")).to_be_visible()
    shoot(page, "guide-ar-offer")
