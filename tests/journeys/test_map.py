"""The plan on a map: one line per route, one marker per stop, the venue marked.

Tiles are off (no tile server here), so this is also the offline case: Leaflet draws
the routes and stops on the plain background.
"""

from django.urls import reverse
from playwright.sync_api import expect

from tests.journeys.kit import login, shoot


def test_the_run_page_shows_the_routes_on_a_map(desktop, published_tuesday):
    page = desktop
    login(page, "alice")
    page.goto(reverse("planning-run", args=[published_tuesday.pk]))
    expect(page.get_by_role("heading", name="Karte")).to_be_visible()
    the_map = page.locator("[data-map]")
    expect(the_map).to_have_attribute("data-ready", "true")

    # Wolsfeld → the venue (drop-off, and pickup after the session) → Wolsfeld: stops 1
    # and 4 are one place, one marker "1/4"; so are 2 and 3 at the venue.
    stops = published_tuesday.routes.get().stops.exclude(kind__in=["start", "end"])
    assert stops.count() == 4
    expect(the_map.locator("path.map-line")).to_have_count(1)
    expect(the_map.locator(".map-marker-stop")).to_have_text(["1/4", "2/3"])
    expect(the_map.locator(".map-marker-venue")).to_have_count(1)
    expect(the_map.locator(".leaflet-tile")).to_have_count(0)

    the_map.locator(".map-marker-stop", has_text="1/4").click()
    popup = the_map.locator(".leaflet-popup")
    expect(popup).to_contain_text("Anna A · 1. 14:43 Abholen; 4. 16:41 Absetzen")
    the_map.locator(".map-marker-stop", has_text="2/3").click()
    expect(popup.last).to_contain_text("Anna A · 2. 14:55 Absetzen; 3. 16:30 Abholen")
    shoot(page, "run-map")


def test_the_map_fits_a_phone(phone, published_tuesday):
    page = phone
    login(page, "alice")
    page.goto(reverse("planning-run", args=[published_tuesday.pk]))
    box = page.locator("[data-map]").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 200
