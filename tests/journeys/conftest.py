"""Journeys: a person's task done in a real browser (Playwright driving Debian's Chromium).

Kept small and self-contained so that it can move onto the shared journey kit:
`page` is a phone-sized German browser tab with downloads allowed, `log_in` types
into the real login form. Set JOURNEY_SCREENSHOTS=<dir> to keep screenshots.
"""

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    (setting up data, checking results) are still plain synchronous calls."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM or "/usr/bin/chromium", args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport=PHONE, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    """A logged-in session for `username`, as a cookie in the browser.

    Not through the login form yet: base.html's `<meta name="referrer"
    content="no-referrer">` makes Chromium send `Origin: null` on form posts, which
    Django's CSRF check refuses. Branch `journeys` fixes the referrer policy; then this
    helper types into the form instead.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )
    page.goto(f"{base_url}/")


def screenshot(page, name: str) -> None:
    """Phone and desktop screenshots when JOURNEY_SCREENSHOTS names a folder."""
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{folder}/{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=f"{folder}/{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
