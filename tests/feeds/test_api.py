"""The feed-link API for staff: create (token shown once), list, rotate, revoke."""

import json

import pytest

from backend.feeds.models import FeedLink

pytestmark = pytest.mark.django_db

URL = "/api/feed-links/"


def create(client, **payload):
    return client.post(URL, payload, format="json")


def test_creating_a_family_link_shows_the_token_and_urls_once(clients, world, calendar_consent):
    family = world["a"]["family"]
    response = create(clients["bob"], kind="family", family=family.pk)
    assert response.status_code == 201, response.json()
    data = response.json()
    token = data["token"]
    assert data["feed_url"] == f"http://127.0.0.1:8000/feeds/{token}.ics"
    assert data["webcal_url"] == f"webcal://127.0.0.1:8000/feeds/{token}.ics"
    assert data["subscribe_url"] == f"http://127.0.0.1:8000/familie/{token}/"
    assert (data["kind"], data["family"], data["active"]) == ("family", family.pk, True)
    assert data["token_hint"] == token[:4]

    listed = clients["alice"].get(URL)
    retrieved = clients["alice"].get(f"{URL}{data['id']}/")
    assert listed.status_code == retrieved.status_code == 200
    assert listed.json()["results"][0]["id"] == data["id"]
    for answer in (listed, retrieved):
        assert token not in json.dumps(answer.json())
        assert "feed_url" not in json.dumps(answer.json())


def test_the_created_urls_work(client, clients, world, calendar_consent):
    data = create(clients["alice"], kind="family", family=world["a"]["family"].pk).json()
    path = data["feed_url"].removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    page = data["subscribe_url"].removeprefix("http://127.0.0.1:8000")
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"kind": "family"}, "family", "bitte die Familie angeben"),
        ({"kind": "driver"}, "driver", "bitte die Person angeben"),
        ({"kind": "organisation", "driver": "DRIVER"}, "driver", "Nur Fahrer*innen-Links"),
        ({"kind": "family", "family": "FAMILY"}, "family", "keine aktive Einwilligung"),
        ({"kind": "weekly"}, "kind", "keine gültige Option"),
        ({"kind": "family", "family": "FOREIGN"}, "family", "existiert nicht"),
        ({"kind": "driver", "driver": 2**70}, "driver", ""),
        ({}, "kind", ""),
    ],
)
def test_bad_input_answers_400_per_field(clients, world, payload, field, message):
    ids = {
        "DRIVER": world["a"]["driver"].pk,
        "FAMILY": world["a"]["family"].pk,
        "FOREIGN": world["b"]["family"].pk,
    }
    payload = {key: ids.get(value, value) for key, value in payload.items()}
    response = create(clients["alice"], **payload)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert message in " ".join(errors[field])
    assert not FeedLink.objects.exists()


def test_one_active_link_each(clients, world):
    assert create(clients["alice"], kind="organisation").status_code == 201
    second = create(clients["alice"], kind="organisation")
    assert second.status_code == 400
    assert "schon einen aktiven Link" in second.json()["kind"][0]
    driver = world["a"]["driver"].pk
    assert create(clients["alice"], kind="driver", driver=driver).status_code == 201
    assert create(clients["bob"], kind="driver", driver=driver).status_code == 400


def test_rotate_replaces_the_token_and_the_old_url_stops_working(client, clients, world):
    old = create(clients["alice"], kind="driver", driver=world["a"]["driver"].pk).json()
    response = clients["bob"].post(f"{URL}{old['id']}/rotate/")
    assert response.status_code == 200
    new = response.json()
    assert new["id"] == old["id"] and new["token"] != old["token"]
    assert new["rotated_at"] is not None
    assert client.get(f"/feeds/{old['token']}.ics").status_code == 404
    assert client.get(f"/feeds/{new['token']}.ics").status_code == 200


def test_revoke_stops_the_feed_and_a_new_link_can_be_created(client, clients, world):
    first = create(clients["alice"], kind="organisation").json()
    revoked = clients["alice"].post(f"{URL}{first['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    assert "token" not in revoked.json()
    assert client.get(f"/feeds/{first['token']}.ics").status_code == 404
    again = clients["alice"].post(f"{URL}{first['id']}/revoke/")
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    rotate = clients["alice"].post(f"{URL}{first['id']}/rotate/")
    assert rotate.status_code == 400
    assert create(clients["alice"], kind="organisation").status_code == 201
    active = clients["alice"].get(URL, {"active": "true"}).json()["results"]
    assert [link["active"] for link in active] == [True]


def test_other_organisations_see_nothing_and_drivers_are_refused(clients, world):
    link = create(clients["alice"], kind="organisation").json()
    assert clients["charlie"].get(URL).json()["results"] == []
    assert clients["charlie"].get(f"{URL}{link['id']}/").status_code == 404
    assert clients["charlie"].post(f"{URL}{link['id']}/revoke/").status_code == 404
    assert clients["dave"].get(URL).status_code == 403


@pytest.mark.parametrize("field", ["family", "driver"])
def test_filtering_by_another_organisations_id_looks_like_a_missing_id(clients, world, field):
    """Another org's family/driver id must answer like an id that does not exist."""
    foreign = world["b"][field].pk
    missing = max(foreign, world["a"][field].pk) + 1000
    answers = [clients["alice"].get(URL, {field: pk}) for pk in (foreign, missing)]
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["results"] for a in answers] == [[], []]
    assert clients["alice"].get(URL, {field: "abc"}).status_code == 400
    assert clients["alice"].get(URL, {field: 2**63}).status_code == 400


def test_the_admin_lists_links_and_revokes_them_but_cannot_show_tokens(client, clients):
    from django.contrib.auth.models import User

    issued = create(clients["alice"], kind="organisation").json()
    client.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    listing = client.get("/admin/feeds/feedlink/")
    assert listing.status_code == 200
    assert issued["token"] not in listing.content.decode()
    assert client.get(f"/admin/feeds/feedlink/{issued['id']}/change/").status_code == 200
    assert client.get("/admin/feeds/feedlink/add/").status_code == 403
    client.post(
        "/admin/feeds/feedlink/",
        {"action": "revoke", "_selected_action": [issued["id"]]},
    )
    assert FeedLink.objects.get(pk=issued["id"]).revoked_at is not None
