"""Memberships come only by invitation: a one-time link that creates a new account.

An existing account can never be claimed, and no answer tells whether a username exists.
"""

import datetime as dt
import re

from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from backend.accounts.models import Invitation
from backend.accounts.services import invite
from backend.organisations.models import Membership, Role

NEW_PASSWORD = "Sonnenblume-Eifel-42"


def _accept_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_coordinator_invites_by_e_mail(clients, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["alice"].post(
            "/api/invitations/", {"role": "staff", "email": "neu@example.org"}, format="json"
        )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open" and body["accept_url"].startswith("http")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@example.org"]
    assert "Träger A" in message.subject and body["accept_url"] in message.body
    # Shown once: the list and the detail do not carry the link.
    listing = clients["alice"].get("/api/invitations/").json()
    assert "accept_url" not in str(listing)


def test_accepting_creates_a_new_account_with_the_role(client, world):
    issued = invite(world["a"]["org"], Role.STAFF, "", world["users"]["alice"])
    path = _accept_path(issued.accept_url)
    page = client.get(path)
    assert page.status_code == 200
    assert "Träger A lädt Sie ein" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(
        path, {"username": "frieda", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    frieda = User.objects.get(username="frieda")
    assert frieda.memberships.get().organisation == world["a"]["org"]
    assert frieda.memberships.get().role == Role.STAFF
    assert client.session["_auth_user_id"] == str(frieda.pk)
    # One time only.
    assert client.get(path).status_code == 404


def test_an_existing_account_cannot_be_claimed(client, world):
    """Choosing an existing username creates nothing and moves nobody."""
    issued = invite(world["a"]["org"], Role.COORDINATOR, "", world["users"]["alice"])
    admin = User.objects.create_superuser("admin", password="admin-pass-123")
    for taken in ("admin", "charlie", "Charlie"):
        response = client.post(
            _accept_path(issued.accept_url),
            {"username": taken, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 400
        assert "nicht verfügbar" in response.content.decode()
    assert not admin.memberships.exists()
    assert list(
        world["users"]["charlie"].memberships.values_list("organisation__slug", flat=True)
    ) == ["traeger-b"]
    assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is None


def test_memberships_cannot_be_created_or_moved_through_the_api(clients, world):
    """The old path (POST a username) is gone, so it can reveal nothing either."""
    response = clients["alice"].post(
        "/api/memberships/", {"user": "charlie", "role": "staff"}, format="json"
    )
    assert response.status_code == 405
    bob = world["users"]["bob"].memberships.get()
    response = clients["alice"].put(
        f"/api/memberships/{bob.pk}/", {"user": "charlie", "role": "staff"}, format="json"
    )
    assert response.status_code == 200
    assert Membership.objects.get(pk=bob.pk).user == world["users"]["bob"]
    assert not Membership.objects.filter(
        user=world["users"]["charlie"], organisation=world["a"]["org"]
    ).exists()


def test_revoked_expired_and_unknown_links_answer_the_same_404(client, world):
    org, alice = world["a"]["org"], world["users"]["alice"]
    revoked = invite(org, Role.STAFF, "", alice)
    revoked.invitation.revoked_at = timezone.now()
    revoked.invitation.save(update_fields=["revoked_at"])
    expired = invite(org, Role.STAFF, "", alice)
    Invitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    bodies = set()
    for url in (revoked.accept_url, expired.accept_url, "http://x/einladung/" + "A" * 43 + "/"):
        response = client.get(_accept_path(url))
        assert response.status_code == 404
        bodies.add(response.content.split(b"<main>")[1])  # the header has the path
    assert len(bodies) == 1


def test_revoke_through_the_api(clients, world, client):
    issued = invite(world["a"]["org"], Role.DRIVER, "", world["users"]["alice"])
    response = clients["alice"].post(f"/api/invitations/{issued.invitation.pk}/revoke/")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert client.get(_accept_path(issued.accept_url)).status_code == 404
