"""Route sheets: the view-model and the driver's web page under /fahrer/."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from backend.routesheets import sheets
from tests.routesheets import sheet_fixtures
from tests.routesheets.sheet_fixtures import DAY, SURNAME, TODAY

# Shared fixtures (tests/planning/conftest.py belongs to the planning runs).
sheet_world = sheet_fixtures.sheet_world


def build(route, role="driver", today=TODAY) -> sheets.Sheet:
    route = sheets.sheet_routes(type(route).objects.filter(pk=route.pk)).get()
    with translation.override("de"):
        return sheets.sheet_for(route, role=role, today=today)


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(route, suffix="") -> str:
    return f"/fahrer/touren/{route.pk}/{suffix}"


# --- the view-model ---------------------------------------------------------------


def test_stops_are_in_route_order_with_berlin_times(sheet_world):
    """Stops are stored out of order and in UTC; the sheet orders them and shows local time."""
    sheet = build(sheet_world["dave_route"])
    assert [s.number for s in sheet.stops] == [1, 2, 3, 4, 5, 6]
    assert [f"{s.planned_at:%H:%M}" for s in sheet.stops] == [
        "14:20", "14:35", "14:50", "16:35", "16:52", "17:05",
    ]  # fmt: skip
    assert all(s.planned_at.utcoffset() == dt.timedelta(hours=1) for s in sheet.stops)
    assert [s.kind for s in sheet.stops] == [
        "start", "pickup", "dropoff", "pickup", "dropoff", "end",
    ]  # fmt: skip


def test_riders_get_on_and_off_with_first_names_and_needs(sheet_world):
    sheet = build(sheet_world["dave_route"])
    home, venue = sheet.stops[1], sheet.stops[2]
    assert [p.first_name for p in home.boarding] == ["Lio", "MilaA"]  # by first name
    assert home.alighting == ()
    assert {p.first_name for p in venue.alighting} == {"MilaA", "Lio"}
    needs = {p.first_name: [n.label for n in p.needs] for p in home.boarding}
    assert needs == {"MilaA": ["Kindersitz"], "Lio": ["Rollstuhl", "Begleitung"]}
    counts = {need.code: need.count for need in sheet.need_counts}
    assert counts == {"child_seat": 1, "wheelchair": 1, "escort": 1}
    assert sheet.rider_count == 2


def test_driver_note_is_on_the_sheet(sheet_world):
    sheet = build(sheet_world["erin_route"])
    assert [p.note for p in sheet.stops[1].boarding] == ["Steigt nur mit Kuscheltier ein"]
    assert [n.code for n in sheet.stops[1].boarding[0].needs] == ["booster"]


def test_navigation_links_are_geo_uri_and_osm_with_a_neutral_label(sheet_world):
    stop = build(sheet_world["dave_route"]).stops[1]
    family = sheet_world["a"]["family"]
    point = f"{family.latitude:.6f},{family.longitude:.6f}"
    assert stop.geo_uri == f"geo:{point}?q={point}(Halt%202)"
    assert stop.osm_url == (
        f"https://www.openstreetmap.org/?mlat={family.latitude:.6f}&mlon={family.longitude:.6f}"
        f"#map=17/{family.latitude:.6f}/{family.longitude:.6f}"
    )
    assert stop.address == "Dorfstraße 3, 54636 Wolsfeld"


def test_navigation_links_open_on_iphones_and_android_phones(sheet_world):
    """https links to Google Maps and Apple Maps directions; geo: stays as an extra."""
    stop = build(sheet_world["dave_route"]).stops[1]
    family = sheet_world["a"]["family"]
    point = f"{family.latitude:.6f}%2C{family.longitude:.6f}"
    assert stop.google_maps_url == (
        f"https://www.google.com/maps/dir/?api=1&destination={point}&travelmode=driving"
    )
    assert stop.apple_maps_url == f"https://maps.apple.com/?daddr={point}&dirflg=d"


def test_the_sheet_names_the_dispatch_phone_and_the_venue_address(sheet_world):
    org = sheet_world["a"]["org"]
    assert build(sheet_world["dave_route"]).dispatch_phone == ""
    org.dispatch_phone = "06561 000 190"
    org.save(update_fields=["dispatch_phone"])
    sheet = build(sheet_world["dave_route"])
    assert sheet.dispatch_phone == "06561 000 190"
    venue = sheet_world["a"]["venue"]
    assert sheet.venues == (sheets.VenuePlace("Familienzentrum A", venue.address_line),)


def test_a_stop_after_a_wait_shows_the_wait(sheet_world):
    """The fixture's stops are reached two minutes before their time; the venue pickup
    after the session waits from the end of the drop-off (14:52) to 16:35."""
    route = sheet_world["dave_route"]
    pickup = route.stops.get(position=3)
    pickup.arrival_at = route.stops.get(position=2).planned_at + dt.timedelta(minutes=2)
    pickup.save(update_fields=["arrival_at"])
    stops = build(route).stops
    assert [s.wait_minutes for s in stops] == [0, 2, 2, 103, 2, 0]
    assert stops[3].wait_label == "1 Std. 43 Min."
    assert stops[1].wait_label == "2 Min."


def test_venue_stops_show_the_session_time(sheet_world):
    sheet = build(sheet_world["dave_route"])
    venue = sheet.stops[2]
    assert venue.venue_name == "Familienzentrum A"
    assert [(s.title, f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}") for s in venue.sessions] == [
        ("Kindergruppe A", "15:00", "16:30")
    ]
    assert sheet.stops[1].sessions == ()


def test_totals_are_km_and_planned_end(sheet_world):
    sheet = build(sheet_world["dave_route"])
    assert sheet.distance_km == 23.5
    assert f"{sheet.ends_at:%H:%M}" == "17:05"
    assert sheet.duration_minutes == 90


def test_sheet_is_built_in_a_fixed_number_of_queries(sheet_world, django_assert_num_queries):
    """Route, stops, riders, the families' consents, sessions and the families' pickup
    addresses (are they approximate?): six queries however long the route is."""
    for name in ("dave_route", "erin_route"):
        routes = sheets.sheet_routes(sheets.Route.objects.filter(pk=sheet_world[name].pk))
        with django_assert_num_queries(6):
            sheets.sheet_for(routes.get(), role="driver", today=TODAY)


@pytest.mark.parametrize(
    ("role", "today", "shown"),
    [
        ("driver", DAY - dt.timedelta(days=1), True),
        ("driver", DAY, True),
        ("driver", DAY + dt.timedelta(days=1), False),
        ("staff", DAY + dt.timedelta(days=30), True),
        ("coordinator", DAY + dt.timedelta(days=30), True),
    ],
)
def test_family_phone_is_shown_until_the_end_of_the_route_day(sheet_world, role, today, shown):
    sheet = build(sheet_world["dave_route"], role=role, today=today)
    phones = [s.phone for s in sheet.stops if s.phone]
    assert phones == (["+49 6561 0000", "+49 6561 0000"] if shown else [])
    assert sheet.phones_shown is shown


def test_base_and_venue_stops_carry_no_phone(sheet_world):
    sheet = build(sheet_world["dave_route"])
    assert [bool(s.phone) for s in sheet.stops] == [False, True, False, False, True, False]


# --- the pages --------------------------------------------------------------------

PAGE_MATRIX = [
    # (user, route, expected status)
    ("dave", "dave_route", 200),
    ("erin", "erin_route", 200),
    ("dave", "erin_route", 404),
    ("erin", "dave_route", 404),
    ("alice", "dave_route", 200),
    ("bob", "erin_route", 200),
    ("charlie", "dave_route", 404),
    ("alice", "b_route", 404),
    ("dave", "b_route", 404),
    ("dave", "draft_route", 404),
    ("alice", "draft_route", 404),
    ("dave", "superseded_route", 404),
    ("charlie", "b_route", 200),
]


@pytest.mark.parametrize(("user", "route", "status"), PAGE_MATRIX)
@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_page_access_matrix(sheet_world, user, route, status, suffix):
    response = browser(sheet_world["users"][user]).get(url(sheet_world[route], suffix))
    assert response.status_code == status


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_anonymous_is_sent_to_login(sheet_world, suffix):
    target = url(sheet_world["dave_route"], suffix)
    response = browser().get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"


def test_route_list_shows_the_drivers_own_coming_routes(sheet_world):
    response = browser(sheet_world["users"]["dave"]).get("/fahrer/")
    assert response.status_code == 200
    assert list(response.context["routes"]) == [sheet_world["dave_route"]]
    assert url(sheet_world["dave_route"]).encode() in response.content
    assert url(sheet_world["erin_route"]).encode() not in response.content
    assert url(sheet_world["past_route"]).encode() not in response.content


def test_route_list_of_staff_shows_all_drivers_of_the_org(sheet_world):
    response = browser(sheet_world["users"]["bob"]).get("/fahrer/")
    routes = list(response.context["routes"])
    assert routes == [sheet_world["dave_route"], sheet_world["erin_route"]]
    assert b"Ben Zweit" in response.content


def test_route_list_needs_login(sheet_world):
    assert browser().get("/fahrer/")["Location"] == "/accounts/login/?next=/fahrer/"


def test_sheet_page_shows_times_names_needs_and_links(sheet_world):
    response = browser(sheet_world["users"]["dave"]).get(url(sheet_world["dave_route"]))
    page = response.content.decode()
    for text in ["14:35", "16:52", "17:05", "MilaA", "Lio", "Kindersitz", "Rollstuhl",
                 "Begleitung", "Dorfstraße 3, 54636 Wolsfeld", "Familienzentrum A",
                 "15:00–16:30", "23,5 km",
                 'href="tel:+4965610000"', 'href="geo:49.970000,6.520000?q=49.970000,6.520000(Halt%203)"',
                 "https://www.openstreetmap.org/?mlat=50.020000&amp;mlon=6.570000#map=17/50.020000/6.570000",
                 "https://www.google.com/maps/dir/?api=1&amp;destination=50.020000%2C6.570000&amp;travelmode=driving",
                 "https://maps.apple.com/?daddr=50.020000%2C6.570000&amp;dirflg=d",
                 url(sheet_world["dave_route"], "pdf/")]:  # fmt: skip
        assert text in page, text
    assert "13:35" not in page  # the UTC value never shows


def test_sheet_page_keeps_families_private(sheet_world):
    """No surnames, no other family's phone, no cache, no index."""
    response = browser(sheet_world["users"]["dave"]).get(url(sheet_world["dave_route"]))
    page = response.content.decode()
    assert SURNAME not in page
    assert "Sabine" not in page
    assert "+49 6561 2222" not in page and "4965612222" not in page
    assert "Tom" not in page
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_past_sheet_has_no_phone_numbers(sheet_world):
    response = browser(sheet_world["users"]["dave"]).get(url(sheet_world["past_route"]))
    assert response.status_code == 200
    assert b"tel:" not in response.content
    assert b"6561 0000" not in response.content


def test_other_drivers_sheet_has_their_familys_phone_only(sheet_world):
    page = browser(sheet_world["users"]["erin"]).get(url(sheet_world["erin_route"])).content
    assert b'href="tel:+4965612222"' in page
    assert b"6561 0000" not in page and b"4965610000" not in page
    assert b"Steigt nur mit Kuscheltier ein" in page


def test_sheet_page_works_without_javascript(sheet_world):
    """Everything a driver needs is HTML; scripts only draw the map below the stops."""
    page = browser(sheet_world["users"]["dave"]).get(url(sheet_world["dave_route"])).content
    scripts = re.findall(rb"<script[^>]*>", page)
    assert scripts, "the map's scripts"
    assert all(
        b"leaflet" in tag or b"map.js" in tag or b'type="application/json"' in tag
        for tag in scripts
    ), scripts
    assert page.index(b'class="stops"') < page.index(b"<script", page.index(b"</ol>"))


def test_user_without_organisation_gets_404_and_an_empty_list(sheet_world):
    nobody = User.objects.create_user("nobody", password="nobody-pass-123")
    assert browser(nobody).get(url(sheet_world["dave_route"])).status_code == 404
    response = browser(nobody).get("/fahrer/")
    assert response.status_code == 200
    assert list(response.context["routes"]) == []
    assert "keiner Organisation" in response.content.decode()


# --- login ------------------------------------------------------------------------


def test_login_page_has_a_german_form(db):
    page = browser().get("/accounts/login/?next=/fahrer/").content.decode()
    assert "Anmelden" in page
    assert 'name="username"' in page and 'name="password"' in page
    assert 'name="next" value="/fahrer/"' in page


def test_driver_logs_in_and_lands_on_the_requested_page(sheet_world):
    client = browser()
    response = client.post(
        "/accounts/login/",
        {"username": "dave", "password": "dave-pass-123", "next": "/fahrer/"},
    )
    assert response.status_code == 302 and response["Location"] == "/fahrer/"
    assert client.get("/fahrer/").status_code == 200


def test_wrong_password_shows_an_error_not_a_crash(sheet_world):
    response = browser().post("/accounts/login/", {"username": "dave", "password": "nope"})
    assert response.status_code == 200
    assert b'class="errorlist"' in response.content


# --- the start page ---------------------------------------------------------------


def test_start_page_sends_drivers_to_their_routes(sheet_world):
    response = browser(sheet_world["users"]["dave"]).get("/")
    assert response.status_code == 302 and response["Location"] == "/fahrer/"


@pytest.mark.parametrize("user", [None, "alice"])
def test_start_page_links_the_driver_pages_but_not_the_admin(sheet_world, user):
    """Everyday pages never send people to the Django admin or the Swagger UI."""
    response = browser(sheet_world["users"][user] if user else None).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/fahrer/"' in page
    assert 'href="/admin/"' not in page and 'href="/api/docs/"' not in page
