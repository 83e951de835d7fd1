"""The public catalogue: all organisations' offers, no login, nothing personal."""

import datetime as dt
import json

import pytest

from backend.guide.api import PublicOfferSerializer
from backend.offers.models import GroupOffer
from tests.personal import personal_values, venue_streets

# Fields of an offer that only its provider sees; the serializer declares what is public.
INTERNAL_FIELDS = {
    "venue",
    "calendar_title",
    "rrule",
    "first_date",
    "last_date",
    "capacity",
    "holiday_region",
    "listed",
    "listing_approved",
    "show_address",
    "created_at",
    "updated_at",
}


def catalogue(client, **params) -> list[dict]:
    response = client.get("/api/public/offers/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_lists_offers_of_all_organisations_without_login(api_world, client):
    titles = {row["title"] for row in catalogue(client)}
    assert {"Kindergruppe A", "Kindergruppe B", "Elterncafé"} <= titles


def test_shows_what_a_brochure_needs(api_world, client):
    a = api_world["a"]
    a["offer"].calendar_title = "Dienstagsgruppe"
    a["offer"].paired_offer = a["parents_offer"]
    a["offer"].save(update_fields=["calendar_title", "paired_offer"])
    row = next(r for r in catalogue(client) if r["id"] == a["offer"].pk)
    assert set(row) == set(PublicOfferSerializer.Meta.fields)
    assert not set(row) & INTERNAL_FIELDS
    assert row["title"] == "Dienstagsgruppe"  # the neutral calendar title
    assert (row["town"], row["weekday"], row["weekday_name"]) == ("Bitburg", 1, "Dienstag")
    assert row["schedule_summary"] == "Jeden Dienstag, 15:00–16:30 Uhr"
    assert (row["min_age"], row["max_age"], row["sectors"]) == (6, 12, ["youth_welfare"])
    assert row["paired_offer"] == a["parents_offer"].pk
    assert row["organisation"] == {
        "name": "Träger A",
        "email": "info@traeger-a.example",
        "phone": "",
        "website": "",
    }


def test_contains_nothing_personal(api_world, client):
    text = json.dumps(catalogue(client), ensure_ascii=False)
    # the town is enough to find a group; the house is not
    for value in [*personal_values(api_world), *venue_streets(api_world)]:
        assert value not in text, value


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"town": "bitburg"}, {"Kindergruppe A", "Kindergruppe B", "Elterncafé"}),
        ({"town": "Prüm"}, set()),
        ({"audience": "parents"}, {"Elterncafé"}),
        ({"sector": "youth_welfare"}, {"Kindergruppe A", "Kindergruppe B"}),
        ({"sector": "school"}, set()),
    ],
)
def test_filters_by_town_audience_and_sector(api_world, client, params, expected):
    assert {row["title"] for row in catalogue(client, **params)} == expected


def titles(client, **params) -> list[str]:
    return [row["title"] for row in catalogue(client, **params)]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"age": 7}, {"Kindergruppe A", "Kindergruppe B"}),  # 6–12; not the parents' café
        ({"age": 5}, set()),
        ({"age": 12}, {"Kindergruppe A", "Kindergruppe B"}),
        ({"age": 13}, set()),
        ({"weekday": 1}, {"Kindergruppe A", "Kindergruppe B", "Elterncafé"}),
        ({"weekday": 3}, set()),
        ({"registration_required": "true"}, set()),
        ({"registration_required": "false"}, {"Kindergruppe A", "Kindergruppe B", "Elterncafé"}),
        ({"shuttle_offered": "true"}, set()),
        ({"provider": "traeger-b"}, {"Kindergruppe B", "Elterncafé"}),
    ],
)
def test_filters_by_age_weekday_registration_shuttle_and_provider(
    api_world, client, params, expected
):
    assert set(titles(client, **params)) == expected


def test_an_age_counts_for_groups_without_limits_too(api_world, client):
    offer = api_world["a"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(min_age=None, max_age=None)
    assert "Kindergruppe A" in titles(client, age=3)


def test_shuttle_filter_finds_offers_with_a_shuttle(api_world, client):
    offer = api_world["b"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(shuttle_offered=True)
    assert titles(client, shuttle_offered="true") == ["Kindergruppe B"]


def test_place_and_radius_keep_the_near_offers_nearest_first(api_world, client):
    """Org A's venue is in Bitburg (54634), org B's about 25 km south."""
    near = catalogue(client, place="54634", radius_km=20)
    assert {row["title"] for row in near} == {"Kindergruppe A", "Elterncafé"}
    assert all(row["distance_km"] < 2 for row in near)
    wide = catalogue(client, place="54634", radius_km=40, age=7)
    assert [row["title"] for row in wide] == ["Kindergruppe A", "Kindergruppe B"]
    assert 20 < wide[1]["distance_km"] < 40


def test_place_can_be_a_town_with_a_venue(api_world, client):
    assert set(titles(client, place="bitburg", radius_km=5)) == {"Kindergruppe A", "Elterncafé"}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"age": "sieben"}, "age"),
        ({"age": -1}, "age"),
        ({"weekday": 9}, "weekday"),
        ({"place": "99999"}, "place"),
        ({"place": "Atlantis"}, "place"),
        ({"radius_km": 0}, "radius_km"),
        ({"registration_required": "vielleicht"}, "registration_required"),
    ],
)
def test_bad_search_values_name_the_field(api_world, client, params, field):
    response = client.get("/api/public/offers/", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_only_listed_and_approved_offers_are_public(api_world, client):
    a = api_world["a"]
    GroupOffer.objects.filter(pk=a["offer"].pk).update(listed=False)
    GroupOffer.objects.filter(pk=a["parents_offer"].pk).update(listing_approved=False)
    assert set(titles(client, provider="traeger-a")) == set()
    assert client.get(f"/api/public/offers/{a['offer'].pk}/").status_code == 404
    assert client.get(f"/feeds/group/{a['offer'].pk}.ics").status_code == 404


def test_the_street_only_where_the_provider_allows(api_world, client):
    a = api_world["a"]
    row = next(r for r in catalogue(client) if r["id"] == a["offer"].pk)
    assert row["street"] == ""
    GroupOffer.objects.filter(pk=a["offer"].pk).update(show_address=True)
    row = next(r for r in catalogue(client) if r["id"] == a["offer"].pk)
    assert row["street"] == "Hauptstraße 1"


def test_unknown_filter_value_is_a_400(api_world, client):
    response = client.get("/api/public/offers/", {"sector": "sport"})
    assert response.status_code == 400
    assert "sector" in response.json()


def test_leaves_out_ended_offers(api_world, client):
    offer = api_world["b"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(last_date=dt.date(2026, 10, 6))
    assert offer.pk not in {row["id"] for row in catalogue(client)}


def test_is_read_only(api_world, client):
    response = client.post("/api/public/offers/", {"title": "Spam"})
    assert response.status_code == 405


def test_ignores_a_stale_token(api_world, client):
    response = client.get("/api/public/offers/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 200
