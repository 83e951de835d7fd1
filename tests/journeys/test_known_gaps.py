"""Journeys that describe what issue 10 still asks for; they fail today, on purpose.

Each is `xfail(strict=True)`: it must fail now, and it turns into an error once the
behaviour is built ("XPASS(strict)"). Then delete its marker, and let it guard the
behaviour from then on. Texts of buttons and labels here are proposals; adjust them
with the feature if it words things differently, not the times.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.journeys.kit import (
    ABSENCE_BUTTON,
    TUESDAY,
    login,
    main_text,
    nav,
    reload_until,
    report_absence,
    shoot,
)

pytestmark = pytest.mark.usefixtures("published_tuesday")


def test_a_family_takes_back_an_absence_until_the_session_starts(phone, family_page_url):
    page = phone
    page.goto(family_page_url)
    tuesday = report_absence(page, "Di, 24.11.")

    take_back = tuesday.get_by_role("button", name=re.compile("zurücknehmen"))
    assert take_back.count() == 1, "no button to take the absence back"
    shoot(page, "family-take-back")
    take_back.click()
    expect(page.get_by_text("Die Abmeldung ist zurückgenommen.")).to_be_visible()
    expect(tuesday.get_by_role("button", name=ABSENCE_BUTTON)).to_be_visible()
    # The day re-plans in the background, with the child again; the family reloads.
    pickups = page.locator("section", has_text="Nächste Abholzeiten")
    reload_until(page, pickups.filter(has_text="Di, 24.11. 14:43 Abholung"))


def test_a_replan_that_moves_pickups_waits_for_the_coordinators_review(
    new_page, world, family_page_url
):
    """The session of 24.11. moves to 16:30–18:00 after the plan was published.

    MilaA cannot keep her 14:43 pickup: she would ride for over an hour (the limit).
    Her family agreed to be called, so the coordinator sees its number in the list.
    """
    world["a"]["family"].consents.create(purpose="phone", given_on=dt.date(2026, 9, 1))
    session = world["a"]["offer"].sessions.get(occurrence_date=TUESDAY)
    session.starts_at += dt.timedelta(minutes=90)
    session.ends_at += dt.timedelta(minutes=90)
    session.save(update_fields=["starts_at", "ends_at"])  # re-plans the day in the worker

    coordinator = new_page("desktop")
    login(coordinator, "alice")
    nav(coordinator, "Planung")
    automatic = coordinator.get_by_role("row", name=re.compile("Termin"))
    reload_until(coordinator, automatic.filter(has_text="fertig"))
    expect(automatic.filter(has_text="fertig")).to_contain_text("wartet auf Freigabe")
    waiting = coordinator.locator("section", has_text="Neuplanungen, die auf Freigabe warten")
    expect(waiting).to_contain_text("verschiebt die Abholzeit von 1 Familie um mehr")
    shoot(coordinator, "planning-waiting")

    family = new_page("phone")
    family.goto(family_page_url)
    pickups = family.locator("section", has_text="Nächste Abholzeiten")
    # Until a coordinator publishes, the family keeps the published time.
    expect(pickups).to_contain_text("Di, 24.11. 14:43 Abholung", timeout=1000)

    automatic.get_by_role("link").first.click()
    changes = main_text(coordinator)
    assert "F-A-1" in changes and "MilaA" in changes and "+49 6561 0000" in changes
    assert re.search(r"Hinfahrt.*14:43 → 1[56]:\d\d", changes), changes
    shoot(coordinator, "run-waiting")
    coordinator.get_by_role("button", name="Veröffentlichen").click()
    family.reload()
    expect(pickups).to_contain_text("neue Abholzeit bisher 14:43", timeout=1000)
    expect(pickups).not_to_contain_text("Di, 24.11. 14:43 Abholung")
    shoot(family, "family-new-pickup")
    nav(coordinator, "Planung")
    expect(coordinator.get_by_text("wartet auf Freigabe")).to_have_count(0)
