"""The driver pages in a real browser (Debian's headless Chromium).

Chromium's command line cannot carry a session cookie, so the logged-in sheet is
rendered by Django's test client, saved next to its stylesheets and laid out by
Chromium from a file:// URL; the login page is loaded from the live server.
"""

from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from tests.browser import dump_dom, requires_chromium, screenshot
from tests.routesheets import sheet_fixtures

# Shared fixtures (tests/planning/conftest.py belongs to the planning runs).
fast_password_hashing = sheet_fixtures.fast_password_hashing
sheet_world = sheet_fixtures.sheet_world

STATIC = Path(__file__).resolve().parents[2] / "frontend" / "static"
ACCENT = (0x1F, 0x6F, 0x78)  # the navigation button's colour in lotse.css
PHONE_WIDTH = 390

pytestmark = [pytest.mark.browser, requires_chromium]


def test_login_page_renders_a_usable_form(live_server):
    dom = dump_dom(live_server.url + "/accounts/login/?next=/fahrer/")
    assert 'name="username"' in dom and 'type="password"' in dom
    assert 'autocomplete="current-password"' in dom
    assert 'name="next" value="/fahrer/"' in dom
    assert '<button type="submit" class="primary">' in dom


def test_sheet_lays_out_in_one_phone_column(sheet_world, tmp_path):
    client = Client()
    client.force_login(sheet_world["users"]["dave"])
    html = client.get(f"/fahrer/touren/{sheet_world['dave_route'].pk}/").content.decode()
    page = tmp_path / "sheet.html"
    page.write_text(html.replace('href="/static/', f'href="{STATIC.as_uri()}/'))
    shot = tmp_path / "sheet.png"

    screenshot(page.as_uri(), str(shot), window=f"{PHONE_WIDTH},1600")

    image = Image.open(shot).convert("RGB")
    assert image.width == PHONE_WIDTH
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 50, "the page is blank"
    accent = sum(
        n for n, rgb in colours if all(abs(a - b) < 6 for a, b in zip(rgb, ACCENT, strict=True))
    )
    # Full-width navigation buttons: the accent colour covers a real area, which it only
    # does when the stylesheet loaded and the buttons are laid out as large tap targets.
    assert accent > PHONE_WIDTH * 40, accent
    dom = dump_dom(page.as_uri())
    assert dom.count('class="button"') == 6
    assert "geo:" in dom and "openstreetmap.org" in dom
