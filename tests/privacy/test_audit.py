"""The audit log records who read or changed which family's data, when and how."""

import pytest

from backend.privacy.models import AuditEntry

Action = AuditEntry.Action


def entries(**filters) -> list[tuple]:
    rows = AuditEntry.objects.filter(**filters).order_by("pk")
    return list(rows.values_list("username", "family_reference", "action", "channel"))


def test_reading_a_family_through_the_api_is_logged(clients, world):
    family = world["a"]["family"]
    assert clients["bob"].get(f"/api/families/{family.pk}/").status_code == 200
    assert entries() == [("bob", "F-A-1", Action.VIEW_FAMILY, "api")]
    entry = AuditEntry.objects.get()
    assert entry.organisation == world["a"]["org"] and entry.family == family


def test_a_refused_read_is_not_logged_as_a_read(clients, world):
    family = world["a"]["family"]
    assert clients["charlie"].get(f"/api/families/{family.pk}/").status_code == 404
    assert clients["dave"].get(f"/api/families/{family.pk}/").status_code == 403
    assert entries() == []


def test_writes_are_logged_with_the_user(clients, world):
    family, child = world["a"]["family"], world["a"]["child"]
    clients["alice"].patch(f"/api/families/{family.pk}/", {"phone": "+49 1"}, format="json")
    clients["bob"].patch(f"/api/participants/{child.pk}/", {"needs_booster": True}, format="json")
    assert entries(action=Action.CHANGE_FAMILY) == [
        ("alice", "F-A-1", Action.CHANGE_FAMILY, "api"),
        ("bob", "F-A-1", Action.CHANGE_FAMILY, "api"),
    ]
    assert AuditEntry.objects.filter(username="bob").get().detail.endswith("geändert")


def test_deleting_a_family_keeps_the_reference_in_the_log(clients, world):
    family = world["b"]["family"]
    assert clients["charlie"].delete(f"/api/families/{family.pk}/").status_code == 204
    deleted = AuditEntry.objects.get(action=Action.DELETE_FAMILY)
    assert (deleted.username, deleted.family_reference, deleted.family) == (
        "charlie",
        "F-B-1",
        None,
    )
    assert deleted.organisation == world["b"]["org"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/routes/{pk}/sheet/",
        "/api/routes/{pk}/pdf/",
        "/fahrer/touren/{pk}/",
        "/fahrer/touren/{pk}/pdf/",
    ],
)
def test_addresses_on_route_sheets_are_logged(client, clients, world, route, url):
    """A driver opening their sheet (page, PDF or API) sees the family's address: logged."""
    path = url.format(pk=route.pk)
    if path.startswith("/api/"):
        response = clients["dave"].get(path)
    else:
        client.force_login(world["users"]["dave"])
        response = client.get(path)
    assert response.status_code == 200
    assert entries() == [("dave", "F-A-1", Action.VIEW_SHEET, "api" if "/api/" in path else "page")]


def test_writes_outside_a_request_are_not_attributed(world):
    world["a"]["family"].save()
    assert entries() == []


def test_check_deploy_warns_on_weak_settings(settings, monkeypatch):
    from backend.privacy import checks
    from backend.privacy.checks import deploy_checks

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setattr(checks, "database_engine", lambda: "django.db.backends.sqlite3")
    assert {w.id for w in deploy_checks()} >= {
        "lotse.privacy.W001",
        "lotse.privacy.W002",
        "lotse.privacy.W003",
    }
    monkeypatch.setattr(checks, "database_engine", lambda: "django.db.backends.postgresql")
    settings.CACHE_URL = "redis://127.0.0.1:6379/1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.HTTPS, settings.PROXY_COUNT = True, 1
    assert deploy_checks() == []
    settings.RETENTION_MONTHS = 0
    assert [e.id for e in deploy_checks()] == ["lotse.privacy.E001"]


def test_the_browsable_api_is_off_without_debug(client, world):
    client.force_login(world["users"]["alice"])
    response = client.get("/api/families/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406 or response["Content-Type"] == "application/json"
    assert b"<html" not in response.content
