"""What a person does on Lotse's pages, in a few words: log in, look, wait, take a picture.

Journey tests import these; the fixtures (browser, pages, clock, published plans) are in
conftest.py next to this file. See README.md here for how to write a journey.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import zoneinfo
from pathlib import Path

from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.conftest import TODAY, password_for

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# The base world's group meets on Tuesdays 15:00–16:30; TODAY is the Monday before.
TUESDAY = TODAY + dt.timedelta(days=1)
# Set to a folder to keep screenshots of the journeys (`shoot`), e.g. for a review.
SHOTS_ENV = "LOTSE_SHOTS"
# How long a person waits for a planning run (the planner gets 1 s per day in journeys).
RUN_TIMEOUT_MS = 60_000
# The button on a family's page that reports an absence from a session.
ABSENCE_BUTTON = "Ihr Kind kann nicht kommen"


def berlin(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the login form, as a person types it; fails on a refused login."""
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password or password_for(username))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    expect(page, "the login was refused").not_to_have_url(re.compile(r"/accounts/login/"))


def logout(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Sie sind abgemeldet.")).to_be_visible()


def nav(page: Page, name: str) -> None:
    """Follow a link of the navigation bar at the top ("Planung", "Touren", "Meine Touren")."""
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()


def wait_for_run(page: Page, status: str = "fertig") -> None:
    """On a planning run's page: wait for the run's status, as the page refreshes itself."""
    badge = page.locator(".summary dd .badge").first
    expect(badge).to_have_text(status, timeout=RUN_TIMEOUT_MS)


def session_entry(page: Page, day: str) -> Locator:
    """On a family's page: the entry of the session on `day` ("Di, 24.11.") under
    "Nächste Termine – abmelden", with its absence button or badge."""
    section = page.locator("section", has_text="Nächste Termine")
    return section.get_by_role("listitem").filter(has_text=re.compile(rf"^\s*{re.escape(day)} "))


def report_absence(page: Page, day: str) -> Locator:
    """On a family's page: report that the child misses the session on `day` ("Di, 24.11.")
    and see the confirmation; returns the session's entry."""
    entry = session_entry(page, day)
    entry.get_by_role("button", name=ABSENCE_BUTTON).click()
    expect(page.get_by_text("Danke, die Abmeldung ist eingetragen.")).to_be_visible()
    return entry


def field_error(page: Page, label: str) -> Locator:
    """A form field's error box, found by the field's label text (the forms mark it .has-error)."""
    return page.locator(".has-error", has_text=label)


def reload_until(page: Page, locator: Locator, *, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Reload the page until `locator` shows, the way a person waits for a change elsewhere."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not locator.is_visible():
        assert time.monotonic() < deadline, f"still not shown after {timeout_ms} ms: {locator}"
        page.wait_for_timeout(500)
        page.reload()


def main_text(page: Page) -> str:
    """The text of the page's main part, whitespace collapsed (for messages and `in` checks)."""
    return " ".join(page.locator("main").inner_text().split())


def fits_width(page: Page) -> bool:
    """No horizontal scrolling: the page is as wide as the screen (or narrower)."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return width <= page.viewport_size["width"]


def shoot(page: Page, name: str) -> list[Path]:
    """Full-page screenshots `<name>-390.png` and `<name>-1280.png` in $LOTSE_SHOTS.

    Both widths whatever the page's own, so one journey shows the phone and the desktop
    layout. Nothing happens (and no time is spent) when $LOTSE_SHOTS is unset.
    """
    folder = os.environ.get(SHOTS_ENV)
    if not folder:
        return []
    own = page.viewport_size
    paths = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        path = Path(folder) / f"{name}-{size['width']}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(own)
    return paths
