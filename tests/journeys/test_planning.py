"""Coordinators plan, review and publish the shuttle; staff plan but never publish.

The base world: org A's Kindergruppe A meets on Tuesdays 15:00–16:30 at Familienzentrum A
in Bitburg; MilaA (child seat) lives in Wolsfeld; Anna A drives Bus A. It is Monday
23.11.2026, 08:00.
"""

import re

from playwright.sync_api import expect

from tests.journeys.kit import login, main_text, nav, shoot, wait_for_run


def start_planning_tuesday(page) -> None:
    """From any page: open Planung, plan Tuesday 24.11. and wait for the run to finish."""
    nav(page, "Planung")
    expect(page.get_by_role("heading", name="Fahrdienst planen")).to_be_visible()
    tuesday = page.get_by_role("row", name=re.compile(r"^Di, 24\.11\."))
    expect(tuesday).to_contain_text("1")  # one session
    expect(tuesday).to_contain_text("nicht veröffentlicht")
    page.get_by_label("Von").fill("2026-11-24")
    shoot(page, "planning")
    page.get_by_role("button", name="Planung starten").click()
    expect(page.get_by_text(re.compile(r"Planungslauf \d+ wurde gestartet\."))).to_be_visible()
    wait_for_run(page)


def test_a_coordinator_plans_reviews_and_publishes_a_day(desktop):
    page = desktop
    login(page, "alice")
    start_planning_tuesday(page)

    expect(page.get_by_role("heading", name=re.compile(r"^Planungslauf \d+$"))).to_be_visible()
    figures = main_text(page)
    assert "Zeitraum 24.11.2026" in figures
    assert "Anlass von Hand" in figures
    assert "Veröffentlicht nein" in figures
    assert "Kinder gefahren 1 / 1" in figures
    assert "Fahrten 2 / 2" in figures
    route = page.get_by_role("row", name=re.compile("Anna A"))
    expect(route).to_contain_text("Bus A")
    expect(route).to_contain_text("14:27–16:58")
    expect(route).to_contain_text("Tourenblatt nach dem Veröffentlichen")
    shoot(page, "run")

    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Veröffentlicht für 24.11.2026.")).to_be_visible()
    expect(page.get_by_text("aktueller Plan")).to_be_visible()
    expect(page.get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    assert "Veröffentlicht 24.11." in main_text(page)

    page.get_by_role("link", name="Tourenblatt").click()
    expect(page.get_by_role("heading", name="Dienstag, 24. November 2026")).to_be_visible()
    pickup = page.locator("li.stop", has_text="Dorfstraße 3, 54636 Wolsfeld").first
    expect(pickup).to_contain_text("14:43")
    expect(pickup).to_contain_text("Abholen")
    expect(pickup).to_contain_text("MilaA")

    nav(page, "Planung")
    tuesday = page.get_by_role("row", name=re.compile(r"^Di, 24\.11\."))
    expect(tuesday).to_contain_text(re.compile(r"Lauf \d+\s+seit 23\.11\. 08:0\d"))


def test_staff_plan_a_day_but_cannot_publish_it(desktop):
    page = desktop
    login(page, "bob")
    nav(page, "Planung")
    expect(page.get_by_text("Veröffentlichen darf nur die Koordination.")).to_be_visible()
    start_planning_tuesday(page)

    assert "Kinder gefahren 1 / 1" in main_text(page)
    expect(page.get_by_role("row", name=re.compile("Anna A"))).to_contain_text("14:27–16:58")
    expect(page.get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    assert "Veröffentlicht nein" in main_text(page)

    # Even a hand-made request is refused, with the German page and a way back.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        page.url + "veroeffentlichen/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert answer.status == 403
    assert "Kein Zugriff" in answer.text()
    page.reload()
    assert "Veröffentlicht nein" in main_text(page)
