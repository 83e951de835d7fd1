"""API tokens expire, can be listed and revoked by their owner and by a coordinator
of the owner's organisation; only a hash is stored."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.accounts.services import issue_token
from backend.lib.tokens import digest


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_login_issues_an_expiring_token_stored_as_a_hash(world):
    response = APIClient().post(
        "/api/auth/token/",
        {"username": "bob", "password": "bob-pass-123", "name": "Auswertung", "days": 7},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(user=world["users"]["bob"])
    assert token.key_hash == digest(body["token"]) != body["token"]
    assert token.name == "Auswertung"
    lifetime = token.expires_at - token.created_at
    assert dt.timedelta(days=6, hours=23) < lifetime <= dt.timedelta(days=7)
    assert _client(body["token"]).get("/api/families/").status_code == 200


def test_an_expired_token_is_refused_and_says_why(world):
    issued = issue_token(world["users"]["bob"])
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = _client(issued.key).get("/api/families/")
    assert response.status_code == 403
    assert "abgelaufen" in response.json()["detail"]


def test_owner_lists_own_tokens_without_secrets(world):
    mine = issue_token(world["users"]["bob"], name="Laptop")
    issue_token(world["users"]["alice"])
    listing = _client(mine.key).get("/api/tokens/").json()
    assert [row["name"] for row in listing["results"]] == ["Laptop"]
    row = listing["results"][0]
    assert row["current"] is True and row["hint"] == mine.key[:6]
    assert mine.key not in str(listing)


def test_owner_revokes_a_token_and_it_stops_at_once(world):
    first, second = issue_token(world["users"]["bob"]), issue_token(world["users"]["bob"])
    response = _client(second.key).delete(f"/api/tokens/{first.token.pk}/")
    assert response.status_code == 204
    assert _client(first.key).get("/api/families/").status_code == 403
    assert _client(second.key).get("/api/families/").status_code == 200


def test_coordinator_manages_the_tokens_of_the_organisations_members(world):
    bobs = issue_token(world["users"]["bob"], name="Skript")
    charlies = issue_token(world["users"]["charlie"])
    alice = _client(issue_token(world["users"]["alice"]).key)
    listed = alice.get("/api/tokens/?user=bob").json()["results"]
    assert [row["id"] for row in listed] == [bobs.token.pk]
    # Another organisation's member's token does not exist for alice.
    assert alice.get(f"/api/tokens/{charlies.token.pk}/").status_code == 404
    until = (timezone.now() + dt.timedelta(days=2)).isoformat()
    changed = alice.patch(f"/api/tokens/{bobs.token.pk}/", {"expires_at": until}, format="json")
    assert changed.status_code == 200
    assert alice.delete(f"/api/tokens/{bobs.token.pk}/").status_code == 204
    assert _client(bobs.key).get("/api/families/").status_code == 403


def test_staff_cannot_touch_a_colleagues_token(world):
    alices = issue_token(world["users"]["alice"])
    bob = _client(issue_token(world["users"]["bob"]).key)
    assert bob.delete(f"/api/tokens/{alices.token.pk}/").status_code == 404


def test_expiry_must_be_in_the_future_and_within_the_maximum(world):
    issued = issue_token(world["users"]["bob"])
    client = _client(issued.key)
    url = f"/api/tokens/{issued.token.pk}/"
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    far = (timezone.now() + dt.timedelta(days=400)).isoformat()
    for value in (past, far):
        response = client.patch(url, {"expires_at": value}, format="json")
        assert response.status_code == 400
        assert "expires_at" in response.json()


def test_tokens_invitations_and_the_audit_log_are_listed_read_only_in_the_admin(client, world):
    from django.contrib.auth.models import User

    from backend.accounts.services import invite

    issue_token(world["users"]["bob"])
    invite(world["a"]["org"], "staff", "", world["users"]["alice"])
    client.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    for model in ("accounts/apitoken", "accounts/invitation", "privacy/auditentry"):
        page = client.get(f"/admin/{model}/")
        assert page.status_code == 200
        assert client.get(f"/admin/{model}/add/").status_code == 403
    assert b"key_hash" not in client.get("/admin/accounts/apitoken/").content
