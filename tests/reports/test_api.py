"""/api/reports/: the page's report as JSON and files, for the same people."""

import io

from openpyxl import load_workbook

from tests.conftest import api_client
from tests.reports import history

OCTOBER = "zeitraum=monat&jahr=2026&monat=10"


def _table(data, key) -> dict:
    table = next(t for t in data["tables"] if t["key"] == key)
    return {row[0]: row[1:] for row in table["rows"]}


def test_the_provider_gets_its_figures(world):
    history.build(world)
    data = api_client(world["users"]["alice"]).get(f"/api/reports/?{OCTOBER}").json()
    assert data["period"] == "Oktober 2026" and not data["district"]
    assert _table(data, "fahrdienst")["Kosten insgesamt (€)"] == [70.0]
    assert _table(data, "reichweite")["Kinder"] == [3]


def test_the_office_gets_the_district_anonymous(world, office):
    history.build(world)
    client = api_client(office["olga"])
    data = client.get(f"/api/reports/?{OCTOBER}").json()
    assert data["district"]
    assert _table(data, "reichweite")["Kinder"] == ["< 5"]
    assert "Mila" not in str(data) and "Herbstferien" not in str(data)
    book = load_workbook(io.BytesIO(client.get(f"/api/reports/xlsx/?{OCTOBER}").content))
    assert {r[0]: r[1] for r in book["reichweite"].iter_rows(min_row=3, values_only=True)}[
        "Kinder"
    ] == "< 5"


def test_bad_parameters_answer_400_per_field(world):
    client = api_client(world["users"]["alice"])
    answer = client.get("/api/reports/?zeitraum=quartal&quartal=9")
    assert answer.status_code == 400
    assert answer.json() == {"quartal": ["Bitte eine Zahl von 1 bis 4 angeben."]}
    assert client.get("/api/reports/?gruppe=abc").status_code == 400
    assert client.get("/api/reports/?gruppe=99999999999999999999").status_code == 400
