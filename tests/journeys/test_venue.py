"""Times at the venue, and finding the way: a family and a driver on their phones.

Org A's plan for Tuesday 24.11. was published on Monday. Kindergruppe A meets
15:00–16:30 at Familienzentrum A (Hauptstraße 1, 54634 Bitburg): the drop-off lies
between 14:40 and 14:55, the pickup after the session between 16:30 and 16:45. Anna A
(user dave) drives MilaA there and back and waits at the venue in between.
"""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.journeys.kit import TUESDAY, berlin, fits_width, login, main_text, shoot

pytestmark = pytest.mark.usefixtures("published_tuesday")

VENUE = "Familienzentrum A"
VENUE_ADDRESS = "Hauptstraße 1, 54634 Bitburg"
HOME = "Dorfstraße 3, 54636 Wolsfeld"
DISPATCH = "06561 000 190"


@pytest.fixture(autouse=True)
def dispatch_phone(world) -> None:
    """The provider has entered its dispatch number in its settings."""
    org = world["a"]["org"]
    org.dispatch_phone = DISPATCH
    org.save(update_fields=["dispatch_phone"])


def stops_at(page: Page, place: str) -> list[tuple[str, str]]:
    """(time, kind) of each stop on a route sheet whose text names `place`."""
    stops = page.locator("li.stop", has_text=place)
    return [
        (
            stop.locator(".stop-head .time").inner_text(),
            stop.locator(".stop-head .muted").inner_text(),
        )
        for stop in stops.all()
    ]


def family_times(page: Page) -> tuple[str, str]:
    """The family page's pickup time for the way there and for the way home."""
    text = " ".join(page.locator("section", has_text="Nächste Abholzeiten").inner_text().split())
    there = re.search(r"Di, 24\.11\. (\d\d:\d\d) Abholung", text)
    home = re.search(r"Di, 24\.11\. (\d\d:\d\d) Heimfahrt ab Familienzentrum A", text)
    assert there and home, text
    return there.group(1), home.group(1)


def test_the_venue_shows_a_drop_off_before_and_a_pickup_after_the_session(
    new_page, clock, family_page_url
):
    family = new_page("phone")
    family.goto(family_page_url)
    pickup_there, pickup_home = family_times(family)
    assert "16:30" <= pickup_home <= "16:45", pickup_home

    clock.travel(berlin(TUESDAY, 7, 30))
    driver = new_page("phone")
    login(driver, "dave")
    driver.get_by_role("link", name=re.compile(r"^Heute")).click()
    (drop_time, drop_kind), (pick_time, pick_kind) = stops_at(driver, VENUE_ADDRESS)
    assert drop_kind == "Absetzen" and "14:40" <= drop_time <= "14:55"
    assert pick_kind == "Abholen" and "16:30" <= pick_time <= "16:45"
    # The family and the driver read the same times.
    assert stops_at(driver, HOME)[0] == (pickup_there, "Abholen")
    assert pick_time == pickup_home
    # Anna waits at the venue from the end of the drop-off until the pickup.
    pickup = driver.locator("li.stop", has_text=VENUE_ADDRESS).last
    expect(pickup).to_contain_text(re.compile(r"Ankunft 14:\d\d, Wartezeit 1 Std\. \d+ Min\."))
    shoot(driver, "venue-stops")

    driver.get_by_role("link", name="Als PDF").click()
    pdf = driver.request.get(driver.url)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert f"{drop_time} Absetzen" in text and f"{pick_time} Abholen" in text, text
    assert "Absetzen und Abholen" not in text


def test_each_stop_opens_in_the_maps_app_of_any_phone(phone, clock):
    clock.travel(berlin(TUESDAY, 7, 30))
    page = phone
    login(page, "dave")
    page.get_by_role("link", name=re.compile(r"^Heute")).click()
    summary = main_text(page)
    assert f"Fahrdienst-Leitstelle: {DISPATCH}" in summary
    assert f"{VENUE} {VENUE_ADDRESS}" in summary
    expect(page.get_by_role("link", name=DISPATCH)).to_have_attribute("href", "tel:06561000190")

    home = page.locator("li.stop", has_text=HOME).first
    links = {
        name: home.get_by_role("link", name=name).get_attribute("href")
        for name in ("Google Maps", "Apple Karten", "OpenStreetMap", "Andere Karten-App")
    }
    assert links["Google Maps"].startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert links["Apple Karten"].startswith("https://maps.apple.com/?daddr=")
    assert links["OpenStreetMap"].startswith("https://www.openstreetmap.org/?mlat=")
    assert links["Andere Karten-App"].startswith("geo:")
    # Large tap targets, two side by side on a phone, nothing wider than the screen.
    box = home.get_by_role("link", name="Google Maps").bounding_box()
    assert box and box["height"] >= 44 and box["width"] > 150, box
    assert fits_width(page)
    shoot(page, "sheet-navigation")

    page.get_by_role("link", name="Als PDF").click()
    pdf = page.request.get(page.url)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert f"Fahrdienst-Leitstelle: {DISPATCH}" in text, text
    assert f"{VENUE}, {VENUE_ADDRESS}" in text, text
