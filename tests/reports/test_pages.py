"""The report pages and files: who sees what, and the files show the page's numbers."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.frontend.answers import sent_to_login
from tests.reports import history

OCTOBER = "zeitraum=monat&jahr=2026&monat=10"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def october(world):
    return history.build(world)


@pytest.mark.parametrize(
    "user,status", [("alice", 200), ("bob", 200), ("dave", 403), ("charlie", 200)]
)
def test_who_opens_the_report(world, october, user, status):
    assert _client(user).get(f"/berichte/?{OCTOBER}").status_code == status


def test_anonymous_goes_to_the_login(world):
    assert sent_to_login(Client().get("/berichte/"))


def test_another_providers_group_answers_404(world, october):
    group = world["a"]["offer"].pk
    assert _client("charlie").get(f"/berichte/?gruppe={group}").status_code == 404
    assert _client("charlie").get(f"/berichte/bericht.pdf?gruppe={group}").status_code == 404


def test_bad_period_is_named_on_the_form(world):
    response = _client("alice").get("/berichte/?zeitraum=monat&monat=13")
    assert response.status_code == 400
    assert "monat: Bitte eine Zahl von 1 bis 12 angeben." in response.content.decode()
    assert _client("alice").get("/berichte/bericht.xlsx?zeitraum=frei&von=x").status_code == 400


def test_the_page_shows_figures_and_plots(world, october):
    page = _client("alice").get(f"/berichte/?{OCTOBER}").content.decode()
    assert "Oktober 2026" in page
    assert "70,00" in page and "23,33" in page  # cost in total, per child
    assert page.count("data:image/svg+xml;base64,") == 4
    assert "Herbstferien" in page


def _page_cells(client, query) -> set[str]:
    import re

    page = client.get(f"/berichte/?{query}").content.decode()
    body = page.split('<table class="figures"', 1)[1]
    return set(re.findall(r'<td class="value">([^<]+)</td>', body))


def test_the_pdf_has_the_pages_numbers(world, october):
    client = _client("alice")
    response = client.get(f"/berichte/bericht.pdf?{OCTOBER}")
    assert response["Content-Type"] == "application/pdf"
    if os.environ.get("LOTSE_SHOTS"):  # kept for a look at the pages (pdftoppm)
        Path(os.environ["LOTSE_SHOTS"]).mkdir(parents=True, exist_ok=True)
        Path(os.environ["LOTSE_SHOTS"], "report.pdf").write_bytes(response.content)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Oktober 2026" in text and "Methodik" in text
    for cell in _page_cells(client, OCTOBER) - {"–"}:
        assert cell in text, cell


def test_the_xlsx_has_the_pages_numbers(world, october):
    client = _client("alice")
    response = client.get(f"/berichte/bericht.xlsx?{OCTOBER}")
    book = load_workbook(io.BytesIO(response.content))
    assert {"Bericht", "reichweite", "termine", "teilnahme", "fahrdienst"} <= set(book.sheetnames)
    costs = {row[0]: row[1] for row in book["fahrdienst"].iter_rows(min_row=3, values_only=True)}
    assert costs["Kosten insgesamt (€)"] == 70.0
    assert costs["Kosten je gefahrenem Kind (€)"] == 23.33
    reach = {row[0]: row[1] for row in book["reichweite"].iter_rows(min_row=3, values_only=True)}
    assert reach["Kinder"] == 3


def test_csv_zip_and_single_table(world, october):
    client = _client("alice")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/berichte/tabellen.zip?{OCTOBER}").content))
    assert "fahrdienst.csv" in archive.namelist()
    assert "Kosten insgesamt (€);70,00" in archive.read("fahrdienst.csv").decode("utf-8-sig")
    single = client.get(f"/berichte/tabelle/gemeinden.csv?{OCTOBER}").content.decode("utf-8-sig")
    assert "Bitburg;2;1" in single
    assert client.get(f"/berichte/tabelle/nix.csv?{OCTOBER}").status_code == 404


def test_the_office_sees_the_district_without_personal_data(world, office, october):
    client = _client("olga")
    page = client.get(f"/berichte/?{OCTOBER}").content.decode()
    pdf = client.get(f"/berichte/bericht.pdf?{OCTOBER}").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for content in (page, text):
        assert "&lt; 5" in content or "< 5" in content
        for personal in ("Mila", "Ben", "Lea", "F-A-2", "Hauptstraße", "Kontakt", "Herbstferien"):
            assert personal not in content
    assert world["a"]["offer"].title not in page
    assert client.get(f"/berichte/?gruppe={world['a']['offer'].pk}").status_code == 400
