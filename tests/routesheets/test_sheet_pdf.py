"""The route sheet as an A4 PDF, in German, from the page and from the API."""

import io

import pypdf
from django.test import Client

from tests.routesheets import sheet_fixtures
from tests.routesheets.sheet_fixtures import SURNAME

# Shared fixtures (tests/planning/conftest.py belongs to the planning runs).
sheet_world = sheet_fixtures.sheet_world

A4_POINTS = (595, 842)


def pdf_text(content: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def get_pdf(sheet_world, user: str, route: str):
    client = Client()
    client.force_login(sheet_world["users"][user])
    return client.get(f"/fahrer/touren/{sheet_world[route].pk}/pdf/")


def test_pdf_renders_on_a4_with_stops_names_and_times(sheet_world):
    response = get_pdf(sheet_world, "dave", "dave_route")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader, text = pdf_text(response.content)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == A4_POINTS
    for expected in [
        "Tourenblatt",
        "Dienstag, 24. November 2026",
        "Familienzentrum A",
        "Dorfstraße 3, 54636 Wolsfeld",
        "Hauptstraße 1, 54634 Bitburg",
        "14:35",
        "17:05",
        "MilaA",
        "Lio",
        "Kindersitz",
        "Rollstuhl",
        "Kindergruppe A: 15:00–16:30",
        "+49 6561 0000",
        "23,5 km",
    ]:
        assert expected in text, expected
    assert "13:35" not in text


def test_pdf_is_german_even_when_the_page_is_english(sheet_world):
    client = Client()
    client.force_login(sheet_world["users"]["dave"])
    client.cookies["django_language"] = "en"
    response = client.get(f"/fahrer/touren/{sheet_world['dave_route'].pk}/pdf/")
    _, text = pdf_text(response.content)
    assert "Tourenblatt" in text and "Abholen" in text


def test_pdf_keeps_families_private(sheet_world):
    response = get_pdf(sheet_world, "dave", "dave_route")
    _, text = pdf_text(response.content)
    assert SURNAME not in text and "Sabine" not in text
    assert "Tom" not in text and "2222" not in text
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline; filename=")


def test_past_pdf_has_no_phone_numbers(sheet_world):
    _, text = pdf_text(get_pdf(sheet_world, "dave", "past_route").content)
    assert "Dorfstraße 3" in text
    assert "6561 0000" not in text
