"""The Team page's member forms: change a role, remove a member.

alice (coordinator A) may; bob (staff A) and dave (driver A) get 403; charlie
(coordinator B) gets 404 for A's memberships; anonymous visitors go to the login.
Nobody changes or removes their own membership here, and the last coordinator stays.
"""

import pytest

from backend.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


def _membership(world, name: str) -> Membership:
    return Membership.objects.get(user=world["users"][name])


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 302), ("bob", 403), ("dave", 403), ("charlie", 404), ("anon", 302)],
)
def test_who_may_change_a_role(pages, world, user, expected):
    bob = _membership(world, "bob")
    response = pages[user].post(f"/team/mitglieder/{bob.pk}/rolle/", {"role": "coordinator"})
    assert response.status_code == expected
    bob.refresh_from_db()
    assert bob.role == (Role.COORDINATOR if user == "alice" else Role.STAFF)
    if user == "anon":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("user", "expected"),
    [("alice", 302), ("bob", 403), ("dave", 403), ("charlie", 404), ("anon", 302)],
)
def test_who_may_remove_a_member(pages, world, user, expected):
    dave = _membership(world, "dave")
    response = pages[user].post(f"/team/mitglieder/{dave.pk}/entfernen/")
    assert response.status_code == expected
    assert Membership.objects.filter(pk=dave.pk).exists() == (user != "alice")


def test_nobody_changes_or_removes_their_own_membership_here(pages, world):
    alice = _membership(world, "alice")
    assert (
        pages["alice"].post(f"/team/mitglieder/{alice.pk}/rolle/", {"role": "staff"}).status_code
        == 404
    )
    assert pages["alice"].post(f"/team/mitglieder/{alice.pk}/entfernen/").status_code == 404
    alice.refresh_from_db()
    assert alice.role == Role.COORDINATOR


def test_an_unknown_role_is_refused_and_nothing_changes(pages, world):
    bob = _membership(world, "bob")
    response = pages["alice"].post(
        f"/team/mitglieder/{bob.pk}/rolle/", {"role": "boss"}, follow=True
    )
    assert "Bitte eine Rolle wählen." in response.content.decode()
    bob.refresh_from_db()
    assert bob.role == Role.STAFF


def test_the_last_coordinator_stays(pages, world):
    """bob, made coordinator, cannot demote or remove alice once she is the only one
    left: here alice is demoted by bob while two coordinators exist, then bob cannot
    remove himself (own row) and cannot demote alice back below one coordinator."""
    bob = _membership(world, "bob")
    alice = _membership(world, "alice")
    pages["alice"].post(f"/team/mitglieder/{bob.pk}/rolle/", {"role": "coordinator"})
    assert (
        pages["bob"].post(f"/team/mitglieder/{alice.pk}/rolle/", {"role": "staff"}).status_code
        == 302
    )
    alice.refresh_from_db()
    assert alice.role == Role.STAFF
    # Now bob is the only coordinator: alice (staff) cannot act, and the API refuses too.
    assert pages["alice"].post(f"/team/mitglieder/{bob.pk}/entfernen/").status_code == 403
    from django.core.exceptions import ValidationError

    from backend.organisations.services import remove_member

    with pytest.raises(ValidationError, match="mindestens eine Koordination"):
        remove_member(bob)
    assert Membership.objects.filter(pk=bob.pk).exists()
