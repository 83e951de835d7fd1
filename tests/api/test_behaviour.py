"""What the endpoints do, beyond who may call them."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User

from backend.families.models import Absence
from backend.offers.models import Session
from tests.api.permission_table import TABLES


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_driver_lists_only_their_own_record(api_world, clients):
    rows = results(clients["dave"].get("/api/drivers/"))
    assert [r["id"] for r in rows] == [api_world["a"]["driver"].pk]


def test_certificate_status_flags_missing_and_expired(api_world, clients):
    a = api_world["a"]
    a["other_driver"].certificate_date = dt.date(2015, 1, 1)
    a["other_driver"].save(update_fields=["certificate_date"])
    by_id = {r["id"]: r for r in results(clients["alice"].get("/api/drivers/"))}
    assert by_id[a["driver"].pk]["certificate_status"] == "valid"
    assert by_id[a["other_driver"].pk]["certificate_status"] == "expired"
    a["other_driver"].certificate_date = None
    a["other_driver"].save(update_fields=["certificate_date"])
    response = clients["alice"].get(f"/api/drivers/{a['other_driver'].pk}/")
    assert response.json()["certificate_status"] == "missing"


MY_ROWS = [row for app in ("organisations", "offers", "families", "fleet") for row in TABLES[app]]
LIST_URLS = sorted(
    {row.url({}) for row in MY_ROWS if row.action == "list" and row.basename != "public-offer"}
)


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_show_nothing_of_another_organisation(url, api_world, clients):
    """charlie (org B) and alice (org A) see disjoint rows on every list endpoint."""
    ids_a = {r["id"] for r in results(clients["alice"].get(url))}
    ids_b = {r["id"] for r in results(clients["charlie"].get(url))}
    assert ids_a and ids_b
    assert not ids_a & ids_b


def test_cancel_move_and_reinstate_keep_the_session_and_count_changes(api_world, clients):
    session = api_world["a"]["session"]
    client = clients["bob"]
    url = f"/api/sessions/{session.pk}/"
    cancelled = client.post(url + "cancel/", {"reason": "Krankheit"}, format="json").json()
    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["sequence"]) == (
        "cancelled",
        "Krankheit",
        1,
    )
    reinstated = client.post(url + "reinstate/", {}, format="json").json()
    assert (reinstated["status"], reinstated["sequence"]) == ("scheduled", 2)
    spare = api_world["a"]["spare_venue"]
    moved = client.post(
        url + "move/",
        {
            "starts_at": "2026-11-25T10:00:00+01:00",
            "ends_at": "2026-11-25T11:00:00+01:00",
            "venue": spare.pk,
        },
        format="json",
    ).json()
    assert (moved["id"], moved["venue"], moved["sequence"]) == (session.pk, spare.pk, 3)
    assert moved["occurrence_date"] == session.occurrence_date.isoformat()
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def test_sessions_filter_by_offer_date_range_and_status(api_world, clients):
    offer = api_world["a"]["offer"]
    client = clients["alice"]
    in_december = results(
        client.get(
            "/api/sessions/",
            {"offer": offer.pk, "date_from": "2026-12-01", "date_to": "2026-12-31"},
        )
    )
    assert in_december and all(r["starts_at"].startswith("2026-12") for r in in_december)
    cancelled = results(client.get("/api/sessions/", {"status": "cancelled"}))
    assert [r["id"] for r in cancelled] == [api_world["a"]["cancelled_session"].pk]


def test_materialise_adds_missing_sessions_once(api_world, clients):
    offer = api_world["a"]["offer"]
    url = f"/api/group-offers/{offer.pk}/materialise/"
    first = clients["bob"].post(url, {"weeks": 12}, format="json")
    assert first.status_code == 200 and first.json()["created"] > 0
    again = clients["bob"].post(url, {"weeks": 12}, format="json")
    assert again.json() == {"created": 0}


def test_group_offer_has_a_german_schedule_summary(api_world, clients):
    offer = api_world["a"]["offer"]
    body = clients["alice"].get(f"/api/group-offers/{offer.pk}/").json()
    assert body["schedule_summary"] == "Jeden Dienstag, 15:00–16:30 Uhr"


def test_group_offer_can_be_paired_with_a_parents_group(api_world, clients):
    a = api_world["a"]
    response = clients["bob"].patch(
        f"/api/group-offers/{a['offer'].pk}/",
        {"paired_offer": a["parents_offer"].pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["paired_offer"] == a["parents_offer"].pk


def test_withdrawing_consent_takes_effect_today_and_notifies(
    api_world, clients, django_capture_on_commit_callbacks, withdrawals
):
    consent = api_world["a"]["consent"]
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["bob"].post(
            f"/api/consents/{consent.pk}/withdraw/", {"on": "2026-11-23"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["withdrawn_on"] == "2026-11-23"
    assert withdrawals == [consent.pk]
    consent.refresh_from_db()
    assert not consent.is_active_on(dt.date(2026, 11, 23))
    assert consent.is_active_on(dt.date(2026, 11, 22))


def test_consent_records_who_recorded_it(api_world, clients):
    family = api_world["a"]["family"]
    response = clients["bob"].post(
        "/api/consents/",
        {"family": family.pk, "purpose": "phone", "given_on": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["recorded_by"] == "bob"


def test_reporting_an_absence_twice_keeps_one(api_world, clients):
    a = api_world["a"]
    payload = {"participant": a["child"].pk, "session": a["sessions"][2].pk, "source": "family"}
    first = clients["bob"].post("/api/absences/", payload, format="json")
    second = clients["bob"].post("/api/absences/", payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Absence.objects.filter(session=a["sessions"][2]).count() == 1


def test_absence_before_joining_is_refused(api_world, clients):
    """Join anytime: sessions before the enrolment date do not count for it."""
    a = api_world["a"]
    a["enrolment"].joined_on = dt.date(2026, 12, 1)
    a["enrolment"].save(update_fields=["joined_on"])
    session = Session.objects.get(offer=a["offer"], occurrence_date=dt.date(2026, 11, 24))
    response = clients["bob"].post(
        "/api/absences/", {"participant": a["child"].pk, "session": session.pk}, format="json"
    )
    assert response.status_code == 400
    assert "participant" in response.json()


def test_last_coordinator_cannot_be_removed(api_world, clients):
    alice = api_world["users"]["alice"].memberships.get()
    response = clients["alice"].delete(f"/api/memberships/{alice.pk}/")
    assert response.status_code == 400
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


def test_coordinator_changes_organisation_settings(api_world, clients):
    org = api_world["a"]["org"]
    response = clients["alice"].patch(
        f"/api/organisations/{org.pk}/", {"detour_factor": 1.5, "slug": "neu"}, format="json"
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert (org.detour_factor, org.slug) == (1.5, "traeger-a")  # the slug is read-only


def test_coordinator_sets_the_dispatch_phone_for_the_route_sheets(api_world, clients):
    org = api_world["a"]["org"]
    url = f"/api/organisations/{org.pk}/"
    response = clients["alice"].patch(url, {"dispatch_phone": "+49 6561 000-190"}, format="json")
    assert response.status_code == 200
    assert response.json()["dispatch_phone"] == "+49 6561 000-190"
    assert clients["bob"].patch(url, {"dispatch_phone": "0"}, format="json").status_code == 403


def test_the_admin_edits_the_dispatch_phone(api_world, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    org = api_world["a"]["org"]
    page = client.get(f"/admin/organisations/organisation/{org.pk}/change/")
    assert page.status_code == 200
    assert 'name="dispatch_phone"' in page.content.decode()


def test_ordering_and_pagination(api_world, clients):
    response = clients["alice"].get("/api/sessions/", {"ordering": "-starts_at", "page": 1})
    body = response.json()
    starts = [r["starts_at"] for r in body["results"]]
    assert starts == sorted(starts, reverse=True)
    assert set(body) == {"count", "next", "previous", "results"}


def test_huge_id_in_a_filter_is_a_400_not_a_500(api_world, clients):
    response = clients["alice"].get("/api/sessions/", {"offer": "9" * 30})
    assert response.status_code == 400


# --- Token login --------------------------------------------------------------


def test_token_login_returns_a_working_token(api_world, client):
    response = client.post(
        "/api/auth/token/",
        json.dumps({"username": "bob", "password": "bob-pass-123"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/organisations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"username": "bob", "password": "falsch"}, "non_field_errors"),
        ({"username": "bob"}, "password"),
        ({"password": "x"}, "username"),
    ],
)
def test_token_login_with_bad_credentials_is_a_400(api_world, client, payload, field):
    response = client.post("/api/auth/token/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_user_without_organisation_gets_nothing(api_world):
    from tests.conftest import api_client

    loner = api_client(User.objects.create_user("loner", password="loner-pass-123"))
    assert loner.get("/api/families/").status_code == 403


def test_filtering_by_another_organisations_id_looks_like_an_unknown_id(api_world, clients):
    """Filters never reveal that another organisation's object exists."""
    foreign = clients["alice"].get("/api/sessions/", {"offer": api_world["b"]["offer"].pk})
    unknown = clients["alice"].get("/api/sessions/", {"offer": 987654})
    assert (foreign.status_code, foreign.json()["count"]) == (200, 0)
    assert (unknown.status_code, unknown.json()["count"]) == (200, 0)


def test_a_venue_in_use_cannot_be_deleted(api_world, clients):
    venue = api_world["a"]["venue"]
    response = clients["alice"].delete(f"/api/venues/{venue.pk}/")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert type(venue).objects.filter(pk=venue.pk).exists()
