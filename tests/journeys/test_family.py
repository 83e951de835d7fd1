"""A family on a phone: open the private link, see the pickup times, report an absence.

Org A's plan for Tuesday 24.11. was published on Monday morning; it is Monday 08:00.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from backend.planning.models import PlanningRun
from tests.journeys.kit import (
    ABSENCE_BUTTON,
    fits_width,
    login,
    main_text,
    nav,
    reload_until,
    report_absence,
    session_entry,
    shoot,
    wait_for_run,
)

pytestmark = pytest.mark.usefixtures("published_tuesday")


def absent_on_tuesday_then_planning(new_page, family_page_url) -> Page:
    """The family reports on a phone that its child misses Tuesday; then alice opens
    "Planung" on a desktop: her page."""
    family = new_page("phone")
    family.goto(family_page_url)
    report_absence(family, "Di, 24.11.")
    page = new_page("desktop")
    login(page, "alice")
    nav(page, "Planung")
    return page


def test_a_family_reports_an_absence_and_sees_the_confirmation(phone, family_page_url):
    page = phone
    page.goto(family_page_url)
    expect(
        page.get_by_role("heading", name="Ihr Kalender für Gruppentermine und Fahrten")
    ).to_be_visible()
    pickups = page.locator("section", has_text="Nächste Abholzeiten")
    expect(pickups).to_contain_text(
        "Di, 24.11. 14:43 Abholung – Dorfstraße 3, 54636 Wolsfeld – Fahrer*in Anna"
    )
    expect(pickups).to_contain_text("zu Hause etwa 16:41 – Fahrer*in Anna")
    tuesday = session_entry(page, "Di, 24.11.")
    expect(tuesday).to_contain_text("Kindergruppe A · Familienzentrum A")
    expect(page.get_by_role("button", name=ABSENCE_BUTTON)).to_have_count(4)
    assert fits_width(page)
    shoot(page, "family")

    report_absence(page, "Di, 24.11.")
    expect(session_entry(page, "Di, 24.11.")).to_contain_text("Ihr Kind: abgemeldet")
    expect(session_entry(page, "Di, 01.12.").get_by_role("button")).to_have_text(ABSENCE_BUTTON)
    expect(page.get_by_role("button", name=ABSENCE_BUTTON)).to_have_count(3)
    expect(pickups).to_contain_text("Für die nächsten zwei Wochen ist noch keine Fahrt geplant.")
    shoot(page, "family-absent")


def test_the_absence_replans_the_day_and_the_driver_drops_the_ride(
    new_page, family_page_url, world
):
    """The organisation re-plans on its own (its setting): Anna's Tuesday has no ride left."""
    coordinator = absent_on_tuesday_then_planning(new_page, family_page_url)
    automatic = coordinator.get_by_role("row", name=re.compile("Abwesenheit"))
    reload_until(coordinator, automatic.filter(has_text="fertig"))
    automatic.get_by_role("link").click()
    assert "Anlass Abwesenheit" in main_text(coordinator)
    assert "Veröffentlicht 24.11." in main_text(coordinator)
    expect(coordinator.get_by_text("Dieser Lauf hat keine Touren.")).to_be_visible()
    assert PlanningRun.objects.filter(trigger="absence", status="done").count() == 1


def test_a_coordinator_replans_a_day_flagged_by_an_absence(new_page, family_page_url, world):
    """Without automatic re-planning the day is flagged, and one click re-plans it."""
    org = world["a"]["org"]
    org.auto_replan_on_absence = False
    org.save(update_fields=["auto_replan_on_absence"])
    page = absent_on_tuesday_then_planning(new_page, family_page_url)
    tuesday = page.get_by_role("row", name=re.compile(r"^Di, 24\.11\."))
    expect(tuesday).to_contain_text("Neu planen")
    expect(tuesday).to_contain_text("Abmeldung nach der Veröffentlichung")
    tuesday.get_by_role("button", name="jetzt neu planen").click()
    wait_for_run(page)
    expect(page.get_by_text("Dieser Lauf hat keine Touren.")).to_be_visible()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Veröffentlicht für 24.11.2026.")).to_be_visible()
    nav(page, "Planung")
    expect(page.get_by_role("row", name=re.compile(r"^Di, 24\.11\."))).not_to_contain_text(
        "Neu planen"
    )
