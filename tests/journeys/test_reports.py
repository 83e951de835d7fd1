"""A coordinator opens the year's report, switches to a group and takes the PDF and the
XLSX home; the coordination office sees the district's anonymous figures.

History: October 2026 of provider A (tests/reports/history.py) and the plan of Tuesday
24.11. published the usual way, whose figures the report reads back.
"""

import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.journeys.kit import fits_width, login, logout, nav, shoot
from tests.reports import history


def _cell(page: Page, table: str, row: str) -> str:
    """The value of a row of one of the report's tables, as the page shows it."""
    line = page.locator(
        f'table[data-table="{table}"] tr', has=page.get_by_role("rowheader", name=row, exact=True)
    )
    return line.locator("td").first.inner_text().strip()


def _choose_year(page: Page) -> None:
    page.get_by_label("Art des Zeitraums").select_option(label="Jahr")
    page.get_by_label("Jahr", exact=True).fill("2026")
    page.get_by_role("button", name="Bericht anzeigen").click()


def test_a_coordinator_takes_the_years_report_home(desktop, clock, world, published_tuesday):
    history.build(world)
    page = desktop
    login(page, "alice")
    nav(page, "Berichte")
    expect(page.get_by_role("heading", name="Berichte")).to_be_visible()
    _choose_year(page)
    expect(page.get_by_text("Zeitraum: Jahr 2026")).to_be_visible()
    expect(page.get_by_role("heading", name="Träger A", exact=True)).to_be_visible()
    # October's 6 rides and Tuesday's 2 (Mila there and back, published the usual way).
    assert _cell(page, "fahrdienst", "Fahrten (ein Kind, eine Richtung)") == "8"
    assert _cell(page, "reichweite", "Kinder") == "4"  # Mila, Ben, Lea and Tom (left 15.09.)
    expect(page.locator("figure img")).to_have_count(4)
    assert fits_width(page)
    shoot(page, "reports-provider")

    page.get_by_label("Für").select_option(label="Kindergruppe A")
    page.get_by_role("button", name="Bericht anzeigen").click()
    expect(page.get_by_role("heading", name="Träger A – Kindergruppe A")).to_be_visible()
    total = _cell(page, "fahrdienst", "Kosten insgesamt (€)")
    rides = _cell(page, "fahrdienst", "Fahrten (ein Kind, eine Richtung)")
    km = _cell(page, "fahrdienst", "Kilometer")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF herunterladen").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "Träger A – Kindergruppe A" in text and "Jahr 2026" in text
    assert f"Kosten insgesamt (€) {total}" in text
    assert f"Kilometer {km}" in text

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Excel (XLSX)").click()
    book = load_workbook(io.BytesIO(xlsx.value.path().read_bytes()))
    sheet = {r[0]: r[1] for r in book["fahrdienst"].iter_rows(min_row=3, values_only=True)}
    assert str(sheet["Fahrten (ein Kind, eine Richtung)"]) == rides
    assert f"{sheet['Kosten insgesamt (€)']:.2f}".replace(".", ",") == total.replace(".", "")
    logout(page)


def test_the_office_sees_the_district_anonymous(phone, clock, world, office):
    history.build(world)
    page = phone
    login(page, "olga")
    nav(page, "Berichte")
    _choose_year(page)
    expect(
        page.get_by_role("heading", name="Koordinierungsstelle: Träger im Landkreis")
    ).to_be_visible()
    assert _cell(page, "reichweite", "Kinder") == "5"  # four of A, one of B
    assert _cell(page, "reichweite", "Familien") == "< 5"  # three of A, one of B
    assert "Mila" not in page.content() and "Kindergruppe" not in page.content()
    expect(page.get_by_label("Für")).to_have_count(0)  # no group switch for the district
    assert fits_width(page)
    shoot(page, "reports-office")
