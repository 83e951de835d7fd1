"""The public catalogue: all organisations' offers, no login, nothing personal."""

import datetime as dt
import json

import pytest

from backend.offers.models import GroupOffer

PUBLIC_FIELDS = {
    "id",
    "title",
    "public_description",
    "town",
    "weekday",
    "weekday_name",
    "start_time",
    "duration_minutes",
    "schedule_summary",
    "audience",
    "min_age",
    "max_age",
    "sectors",
    "join_anytime",
    "registration_required",
    "free_of_charge",
    "paired_offer",
    "organisation",
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
    assert set(row) == PUBLIC_FIELDS
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
    for side in ("a", "b"):
        w = api_world[side]
        personal = [
            w["family"].reference,
            w["family"].contact_name,
            w["family"].phone,
            w["family"].street,
            w["family"].town,
            w["child"].first_name,
            w["driver"].name,
            w["driver"].phone,
            w["venue"].street,  # the town is enough to find a group; the house is not
        ]
        for value in personal:
            assert value not in text, value
    for username in api_world["users"]:
        assert username not in text


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
