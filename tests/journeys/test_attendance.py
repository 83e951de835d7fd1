"""After the group, staff record on a phone who came: enrolled children and walk-ins.

Kindergruppe A met on Tuesday 24.11.2026, 15:00–16:30; it is 17:00 now.
"""

import re

from playwright.sync_api import expect

from tests.journeys.kit import TUESDAY, berlin, fits_width, login, shoot


def test_staff_record_attendance_on_a_phone(phone, clock):
    clock.travel(berlin(TUESDAY, 17))
    page = phone
    login(page, "bob")
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Anwesenheit").click()
    session = page.get_by_role("link", name=re.compile(r"Kindergruppe A\s+Di, 24\.11\. 15:00"))
    expect(session).to_contain_text("noch offen")
    assert fits_width(page)
    session.click()

    expect(page.get_by_role("heading", name="Kindergruppe A")).to_be_visible()
    page.get_by_label("MilaA").check()
    page.get_by_label("Kinder ohne Anmeldung").fill("-1")  # a slip of the thumb
    page.get_by_label("Erwachsene ohne Anmeldung").fill("1")
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.get_by_text("Dieser Wert muss größer oder gleich 0 sein.")).to_be_visible()
    expect(page.get_by_label("MilaA")).to_be_checked()
    assert fits_width(page)
    shoot(page, "attendance-error")

    page.get_by_label("Kinder ohne Anmeldung").fill("0")
    page.get_by_role("button", name="ein Kind mehr").click()  # two walk-ins: two taps
    page.get_by_role("button", name="ein Kind mehr").click()
    expect(page.get_by_label("Kinder ohne Anmeldung")).to_have_value("2")
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(
        page.get_by_text("Gespeichert: 3 Kinder, 1 Erwachsene (davon 3 ohne Anmeldung).")
    ).to_be_visible()
    expect(session).to_contain_text("3 Kinder, 1 Erw.")
    shoot(page, "attendance-list")

    session.click()
    expect(page.get_by_label("MilaA")).to_be_checked()
    expect(page.get_by_label("Kinder ohne Anmeldung")).to_have_value("2")
    shoot(page, "attendance-session")
