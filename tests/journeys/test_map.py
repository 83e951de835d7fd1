"""The plan on a map: one line per route, one marker per stop, the venue marked.

Tiles are off (no tile server here), so this is also the offline case: Leaflet draws
the routes and stops on the plain background.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.journeys.kit import TUESDAY, berlin, login, shoot


def test_the_run_page_shows_the_routes_on_a_map(desktop, published_tuesday):
    page = desktop
    login(page, "alice")
    page.goto(reverse("planning-run", args=[published_tuesday.pk]))
    expect(page.get_by_role("heading", name="Karte")).to_be_visible()
    the_map = page.locator("[data-map]")
    expect(the_map).to_have_attribute("data-ready", "true")

    # Start → Wolsfeld → the venue (drop-off, and pickup after the session) → Wolsfeld →
    # end, numbered as on the route sheet: stops 2 and 5 are one place, one marker
    # "2/5"; so are 3 and 4 at the venue.
    stops = published_tuesday.routes.get().stops.exclude(kind__in=["start", "end"])
    assert stops.count() == 4
    expect(the_map.locator("path.map-line")).to_have_count(1)
    expect(the_map.locator(".map-marker-stop")).to_have_text(["2/5", "3/4"])
    expect(the_map.locator(".map-marker-venue")).to_have_count(1)
    expect(the_map.locator(".leaflet-tile")).to_have_count(0)

    the_map.locator(".map-marker-stop", has_text="2/5").click()
    popup = the_map.locator(".leaflet-popup")
    expect(popup).to_contain_text("Anna A · 2. 14:43 Abholen; 5. 16:41 Absetzen")
    the_map.locator(".map-marker-stop", has_text="3/4").click()
    expect(popup.last).to_contain_text("Anna A · 3. 14:55 Absetzen; 4. 16:30 Abholen")
    shoot(page, "run-map")


def test_the_map_fits_a_phone(phone, published_tuesday):
    page = phone
    login(page, "alice")
    page.goto(reverse("planning-run", args=[published_tuesday.pk]))
    box = page.locator("[data-map]").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 200


def test_the_drivers_sheet_shows_its_route_on_a_map(phone, published_tuesday, clock):
    """The driver's sheet, on a phone: the same route, its stops numbered as on the sheet."""
    clock.travel(berlin(TUESDAY, 7, 30))
    page = phone
    login(page, "dave")
    page.get_by_role("link", name=re.compile(r"^Heute, 24\.11\.")).click()
    the_map = page.locator("[data-map]")
    expect(the_map).to_have_attribute("data-ready", "true")
    expect(the_map.locator("path.map-line")).to_have_count(1)
    # The markers carry the sheet's stop numbers: 2 and 5 at home, 3 and 4 at the venue.
    expect(the_map.locator(".map-marker-stop")).to_have_text(["2/5", "3/4"])
    expect(the_map.locator(".map-marker-venue")).to_have_count(1)
    home = page.locator("li.stop", has_text="Dorfstraße 3, 54636 Wolsfeld")
    expect(home.locator(".stop-num")).to_have_text(["2", "5"])
    venue = page.locator("li.stop", has_text="Hauptstraße 1, 54634 Bitburg")
    expect(venue.locator(".stop-num")).to_have_text(["3", "4"])
    box = the_map.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 200
    shoot(page, "driver-sheet-map")
