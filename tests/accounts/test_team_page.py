"""The coordinators' team page: members, inviting by e-mail or one-time link, revoking."""

import re

from django.core import mail

from backend.accounts.models import Invitation


def test_coordinator_invites_from_the_team_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["users"]["alice"])
    page = client.get("/team/")
    assert page.status_code == 200
    assert "bob" in page.content.decode() and "Fachkraft" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/team/", {"role": "driver", "email": "fahrer@example.org"})
    html = response.content.decode()
    link = re.search(r'value="(http[^"]+/einladung/[^"]+/)"', html).group(1)
    assert "Die Einladung wurde an fahrer@example.org geschickt." in html
    assert mail.outbox[0].to == ["fahrer@example.org"] and link in mail.outbox[0].body
    assert response["Cache-Control"] == "private, no-store"
    # The link is shown once: reloading the page does not show it again.
    assert link not in client.get("/team/").content.decode()
    invitation = Invitation.objects.get()
    assert client.post(f"/team/einladungen/{invitation.pk}/widerrufen/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_bad_e_mail_is_a_400_with_the_field_message(client, world):
    client.force_login(world["users"]["alice"])
    response = client.post("/team/", {"role": "staff", "email": "kein-at"})
    assert response.status_code == 400
    assert "Gib eine gültige E-Mail Adresse an." in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_the_own_coordinators_use_the_team_page(client, world):
    from backend.accounts.services import invite

    issued = invite(world["a"]["org"], "staff", "", world["users"]["alice"])
    client.force_login(world["users"]["bob"])
    assert client.get("/team/").status_code == 403
    client.force_login(world["users"]["charlie"])
    revoke = client.post(f"/team/einladungen/{issued.invitation.pk}/widerrufen/")
    assert revoke.status_code == 404
