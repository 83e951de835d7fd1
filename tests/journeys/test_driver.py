"""A driver on a phone: log in, open today's route sheet, take the PDF along.

Org A's plan for Tuesday 24.11. was published on Monday; it is now Tuesday 07:30.
Anna A (user dave) drives MilaA from Wolsfeld to Kindergruppe A in Bitburg and back.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.journeys.kit import TUESDAY, berlin, fits_width, login, logout, main_text, shoot

pytestmark = pytest.mark.usefixtures("published_tuesday")


@pytest.fixture(autouse=True)
def tuesday_morning(clock) -> None:
    clock.travel(berlin(TUESDAY, 7, 30))


def test_a_driver_opens_todays_sheet_and_its_pdf(phone):
    page = phone
    login(page, "dave")
    expect(page.get_by_role("heading", name="Meine Touren")).to_be_visible()
    today = page.get_by_role("link", name=re.compile(r"^Heute, 24\.11\."))
    expect(today).to_contain_text("14:27–16:58")
    expect(today).to_contain_text("Bus A · 43,8 km")
    today.click()

    expect(page.get_by_role("heading", name="Dienstag, 24. November 2026")).to_be_visible()
    sheet = main_text(page)
    assert "Anna A · Bus A" in sheet
    assert "Start 14:27 Geplantes Ende 16:58 Strecke 43,8 km Fahrgäste 1" in sheet
    assert "Kindergruppe A: 15:00–16:30" in sheet
    assert "Mitnehmen: 1 × Kindersitz" in sheet
    pickup = page.locator("li.stop", has_text="Dorfstraße 3, 54636 Wolsfeld")
    expect(pickup.first).to_contain_text(re.compile(r"14:43\s+Abholen"))
    expect(pickup.first).to_contain_text(re.compile(r"Einsteigen:\s+MilaA\s+Kindersitz"))
    expect(pickup.last).to_contain_text(re.compile(r"16:41\s+Absetzen"))
    expect(pickup.last).to_contain_text(re.compile(r"Aussteigen:\s+MilaA"))
    expect(pickup.first.get_by_role("link", name="Anrufen")).to_have_attribute(
        "href", "tel:+4965610000"
    )
    assert "MilaB" not in sheet  # another organisation's child
    # One column on the phone, with large tap targets.
    assert fits_width(page)
    navigation = pickup.first.get_by_role("link", name="Google Maps").bounding_box()
    assert navigation["height"] >= 44 and navigation["width"] > 150, navigation
    shoot(page, "driver-sheet")

    # Chromium shows the PDF in its viewer, which keeps the bytes to itself; the test
    # fetches the same address with the same cookies to read what the driver sees.
    page.get_by_role("link", name="Als PDF").click()
    expect(page).to_have_url(re.compile(r"/fahrer/touren/\d+/pdf/$"))
    pdf = page.request.get(page.url)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "no-store" in pdf.headers["cache-control"]
    assert re.match(
        r'inline; filename="tour-2026-11-24-\d+\.pdf"', pdf.headers["content-disposition"]
    )
    pages = PdfReader(io.BytesIO(pdf.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    for expected in (
        "Tourenblatt – Dienstag, 24. November 2026",
        "Anna A · Bus A · Kindergruppe A 15:00–16:30",
        "14:43",
        "Dorfstraße 3, 54636 Wolsfeld",
        "MilaA",
        "16:41",
    ):
        assert expected in text, (expected, text)
    assert "MilaB" not in text


def test_a_driver_sees_only_their_own_routes(phone, world):
    """Another organisation's driver has no route that day; Anna's sheet is not theirs."""
    page = phone
    login(page, "dave")
    page.get_by_role("link", name=re.compile(r"^Heute")).click()
    sheet_url = page.url
    logout(page)

    login(page, "charlie")  # coordinator of org B
    page.goto(sheet_url)
    expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    assert "MilaA" not in main_text(page)
