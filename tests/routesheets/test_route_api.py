"""/api/routes/: published routes and their sheets, scoped to the requesting user."""

import io

import pypdf
import pytest

from tests.conftest import api_client
from tests.routesheets import sheet_fixtures
from tests.routesheets.sheet_fixtures import DAY, LAST_WEEK, SURNAME

# Shared fixtures (tests/planning/conftest.py belongs to the planning runs).
sheet_world = sheet_fixtures.sheet_world


@pytest.fixture
def api(sheet_world):
    clients = {name: api_client(user) for name, user in sheet_world["users"].items()}
    clients["anon"] = api_client(None)
    return clients


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def route_ids(sheet_world, *names) -> list[int]:
    return [sheet_world[name].pk for name in names]


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("dave", ["past_route", "dave_route"]),
        ("erin", ["erin_route"]),
        ("alice", ["past_route", "dave_route", "erin_route"]),
        ("bob", ["past_route", "dave_route", "erin_route"]),
        ("charlie", ["b_route"]),
    ],
)
def test_list_shows_published_routes_the_user_may_see(sheet_world, api, user, visible):
    """Drivers see their own routes, staff the org's; drafts and superseded plans never."""
    assert ids(api[user].get("/api/routes/")) == route_ids(sheet_world, *visible)


@pytest.mark.parametrize("suffix", ["", "{pk}/", "{pk}/sheet/", "{pk}/pdf/"])
def test_anonymous_is_refused(sheet_world, api, suffix):
    """403 (session authentication comes first, so DRF sends no 401 challenge); no data."""
    url = "/api/routes/" + suffix.format(pk=sheet_world["dave_route"].pk)
    response = api["anon"].get(url)
    assert response.status_code == 403
    assert "results" not in response.json() and "stops" not in response.json()


DETAIL_MATRIX = [
    ("dave", "dave_route", 200),
    ("dave", "erin_route", 404),
    ("erin", "dave_route", 404),
    ("alice", "erin_route", 200),
    ("bob", "dave_route", 200),
    ("charlie", "dave_route", 404),
    ("alice", "b_route", 404),
    ("dave", "draft_route", 404),
    ("alice", "superseded_route", 404),
]


@pytest.mark.parametrize(("user", "route", "status"), DETAIL_MATRIX)
@pytest.mark.parametrize("suffix", ["", "sheet/", "pdf/"])
def test_detail_sheet_and_pdf_access(sheet_world, api, user, route, status, suffix):
    response = api[user].get(f"/api/routes/{sheet_world[route].pk}/{suffix}")
    assert response.status_code == status


def test_a_nonexistent_route_looks_like_a_foreign_one(sheet_world, api):
    foreign = api["alice"].get(f"/api/routes/{sheet_world['b_route'].pk}/sheet/")
    missing = api["alice"].get("/api/routes/999999/sheet/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_routes_are_read_only(sheet_world, api):
    url = f"/api/routes/{sheet_world['dave_route'].pk}/"
    assert api["alice"].post("/api/routes/", {}).status_code == 405
    assert api["alice"].patch(url, {"distance_m": 1}).status_code == 405
    assert api["alice"].delete(url).status_code == 405
    # A driver may not write at all: the role check answers before the method check.
    assert api["dave"].delete(url).status_code == 403


def test_staff_filter_by_date_and_driver(sheet_world, api):
    erin_driver = sheet_world["erin_route"].driver_id
    assert ids(api["alice"].get(f"/api/routes/?date={DAY}")) == route_ids(
        sheet_world, "dave_route", "erin_route"
    )
    assert ids(api["alice"].get(f"/api/routes/?date_to={LAST_WEEK}")) == route_ids(
        sheet_world, "past_route"
    )
    assert ids(api["alice"].get(f"/api/routes/?driver={erin_driver}")) == route_ids(
        sheet_world, "erin_route"
    )


def test_driver_filter_cannot_reach_another_drivers_routes(sheet_world, api):
    erin_driver = sheet_world["erin_route"].driver_id
    assert ids(api["dave"].get(f"/api/routes/?driver={erin_driver}")) == []


def test_foreign_driver_id_looks_like_a_missing_one(sheet_world, api):
    foreign = api["alice"].get(f"/api/routes/?driver={sheet_world['b_route'].driver_id}")
    missing = api["alice"].get("/api/routes/?driver=999999")
    assert ids(foreign) == ids(missing) == []


@pytest.mark.parametrize(
    "query",
    [
        "date=morgen",
        "date_from=2026-13-01",
        "driver=abc",
        "driver=1.5",
        "driver=99999999999999999999",
    ],
)
def test_bad_filters_answer_400_per_field(sheet_world, api, query):
    response = api["alice"].get(f"/api/routes/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_sheet_json_has_local_times_riders_needs_links_and_phone(sheet_world, api):
    response = api["dave"].get(f"/api/routes/{sheet_world['dave_route'].pk}/sheet/")
    assert response.status_code == 200
    sheet = response.json()
    assert sheet["distance_km"] == 23.5
    assert sheet["ends_at"] == "2026-11-24T17:05:00+01:00"
    assert [s["time"] for s in sheet["stops"]] == [
        "14:20", "14:35", "14:50", "16:35", "16:52", "17:05",
    ]  # fmt: skip
    pickup = sheet["stops"][1]
    assert pickup["planned_at"] == "2026-11-24T14:35:00+01:00"
    assert pickup["phone"] == "+49 6561 0000"
    assert pickup["geo_uri"].startswith("geo:50.020000,6.570000?q=")
    assert pickup["osm_url"].startswith("https://www.openstreetmap.org/?mlat=50.020000")
    assert pickup["google_maps_url"].startswith("https://www.google.com/maps/dir/?api=1&")
    assert pickup["apple_maps_url"].startswith("https://maps.apple.com/?daddr=50.020000")
    assert pickup["wait_minutes"] == 2  # the fixture reaches each stop two minutes early
    assert sheet["dispatch_phone"] == ""
    assert sheet["venues"] == [
        {"name": "Familienzentrum A", "address": "Hauptstraße 1, 54634 Bitburg"}
    ]
    riders = {p["first_name"]: [n["code"] for n in p["needs"]] for p in pickup["boarding"]}
    assert riders == {"MilaA": ["child_seat"], "Lio": ["wheelchair", "escort"]}
    venue = sheet["stops"][2]
    assert venue["venue_name"] == "Familienzentrum A"
    assert venue["sessions"] == [
        {
            "title": "Kindergruppe A",
            "starts_at": "2026-11-24T15:00:00+01:00",
            "ends_at": "2026-11-24T16:30:00+01:00",
        }
    ]
    assert {c["code"]: c["count"] for c in sheet["need_counts"]} == {
        "child_seat": 1,
        "wheelchair": 1,
        "escort": 1,
    }


def test_sheet_json_keeps_families_private(sheet_world, api):
    response = api["dave"].get(f"/api/routes/{sheet_world['dave_route'].pk}/sheet/")
    body = response.content.decode()
    assert SURNAME not in body and "Sabine" not in body and "F-A-1" not in body
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_past_sheet_json_has_no_phone_for_the_driver_but_for_staff(sheet_world, api):
    url = f"/api/routes/{sheet_world['past_route'].pk}/sheet/"
    driver_view = api["dave"].get(url).json()
    staff_view = api["bob"].get(url).json()
    assert driver_view["phones_shown"] is False
    assert {s["phone"] for s in driver_view["stops"]} == {""}
    assert "+49 6561 0000" in {s["phone"] for s in staff_view["stops"]}


def test_pdf_through_the_api(sheet_world, api):
    response = api["dave"].get(
        f"/api/routes/{sheet_world['dave_route'].pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Familienzentrum A" in text and "Dorfstraße 3, 54636 Wolsfeld" in text


def test_pdf_errors_stay_json(sheet_world, api):
    response = api["dave"].get(
        f"/api/routes/{sheet_world['erin_route'].pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_schema_documents_the_route_endpoints(sheet_world, api):
    schema = api["alice"].get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/routes/{id}/sheet/" in paths
    assert "application/pdf" in paths["/api/routes/{id}/pdf/"]["get"]["responses"]["200"]["content"]
