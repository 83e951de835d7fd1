"""Planning-run API: roles, tenants, input errors (issue 4 §2–3)."""

import pytest

from backend.planning.models import PlanningRun, Publication
from tests.planning.conftest import TUESDAY, tom_left_out

MANUAL = PlanningRun.Trigger.MANUAL


@pytest.fixture
def runs(world):
    a = PlanningRun.objects.create(
        organisation=world["a"]["org"], date_from=TUESDAY, date_to=TUESDAY, status="done"
    )
    b = PlanningRun.objects.create(
        organisation=world["b"]["org"], date_from=TUESDAY, date_to=TUESDAY, status="done"
    )
    return {"a": a, "b": b}


@pytest.mark.parametrize(
    "method,url,user,expected",
    [
        ("get", "/api/planning-runs/", "alice", 200),
        ("get", "/api/planning-runs/", "bob", 200),
        ("get", "/api/planning-runs/", "dave", 403),
        ("get", "/api/planning-runs/", "anon", 403),
        ("get", "/api/planning-runs/{a}/", "bob", 200),
        ("get", "/api/planning-runs/{a}/", "dave", 403),
        ("get", "/api/planning-runs/{a}/", "charlie", 404),
        ("post", "/api/planning-runs/", "dave", 403),
        ("post", "/api/planning-runs/{a}/publish/", "alice", 200),
        ("post", "/api/planning-runs/{a}/publish/", "bob", 403),
        ("post", "/api/planning-runs/{a}/publish/", "dave", 403),
        ("post", "/api/planning-runs/{a}/publish/", "charlie", 404),
        ("delete", "/api/planning-runs/{a}/", "alice", 405),
        ("get", "/api/publications/", "bob", 200),
        ("get", "/api/publications/", "dave", 403),
    ],
)
def test_permissions(clients, runs, method, url, user, expected):
    answer = getattr(clients[user], method)(url.format(a=runs["a"].pk), format="json")
    assert answer.status_code == expected


def test_lists_show_only_the_own_organisation(clients, runs):
    ids = [r["id"] for r in clients["alice"].get("/api/planning-runs/").data["results"]]
    assert ids == [runs["a"].pk]


def test_publishing_keeps_history(clients, runs):
    first = clients["alice"].post(f"/api/planning-runs/{runs['a'].pk}/publish/")
    assert first.data["published_dates"] == ["2026-11-24"]
    second = PlanningRun.objects.create(
        organisation=runs["a"].organisation, date_from=TUESDAY, date_to=TUESDAY, status="done"
    )
    clients["alice"].post(f"/api/planning-runs/{second.pk}/publish/")
    listed = clients["bob"].get("/api/publications/", {"date": "2026-11-24"}).data["results"]
    assert [(p["run"], p["superseded_at"] is None) for p in listed] == [
        (second.pk, True),
        (runs["a"].pk, False),
    ]
    assert Publication.objects.filter(superseded_at__isnull=True).count() == 1


def test_only_done_runs_can_be_published(clients, world):
    failed = PlanningRun.objects.create(
        organisation=world["a"]["org"], date_from=TUESDAY, date_to=TUESDAY, status="failed"
    )
    answer = clients["alice"].post(f"/api/planning-runs/{failed.pk}/publish/")
    assert answer.status_code == 400
    assert "fertige" in answer.data["detail"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"date": "gestern"}, "date"),
        ({}, "date_from"),
        ({"date_from": "2026-11-24"}, "date_to"),
        ({"date_from": "2026-11-24", "date_to": "2026-11-20"}, "date_to"),
        ({"date_from": "2026-11-01", "date_to": "2026-12-31"}, "date_to"),
        ({"date": "2026-11-24", "date_from": "2026-11-24"}, "date"),
        ({"date": "2026-11-24", "time_limit": 0}, "time_limit"),
        ({"date": "2026-11-24", "time_limit": 601}, "time_limit"),
        ({"date": "2026-11-24", "options": {"max_ride": 0}}, "options"),
        ({"date": "2026-11-24", "options": "fast"}, "options"),
        ({"date": "2026-11-22"}, "date_from"),  # yesterday: the past is not planned
    ],
)
def test_bad_input_is_400_per_field(clients, world, payload, field):
    answer = clients["alice"].post("/api/planning-runs/", payload, format="json")
    assert answer.status_code == 400
    assert field in answer.data
    assert not PlanningRun.objects.exists()


def test_staff_may_plan_but_not_ask_to_publish(clients, world):
    answer = clients["bob"].post(
        "/api/planning-runs/", {"date": "2026-11-24", "publish": True}, format="json"
    )
    assert answer.status_code == 400 and "publish" in answer.data


@pytest.mark.parametrize("user", ["bob", "alice"])
def test_publish_cannot_be_smuggled_in_through_the_options(clients, world, user):
    """Publishing is only the checked top-level flag: `options.publish` is 400 for everyone."""
    answer = clients[user].post(
        "/api/planning-runs/", {"date": "2026-11-24", "options": {"publish": True}}, format="json"
    )
    assert answer.status_code == 400
    assert "publish" in answer.data["options"]
    assert not PlanningRun.objects.exists()


def test_the_checked_publish_flag_is_kept_with_the_run(clients, world):
    answer = clients["alice"].post(
        "/api/planning-runs/", {"date": "2026-11-24", "publish": True}, format="json"
    )
    assert answer.status_code == 202
    assert answer.data["options"]["publish"] is True
    PlanningRun.objects.filter(pk=answer.data["id"]).update(status="failed")
    bob = clients["bob"].post("/api/planning-runs/", {"date": "2026-11-25"}, format="json")
    assert "publish" not in PlanningRun.objects.get(pk=bob.data["id"]).options


@pytest.mark.parametrize(
    "url,param",
    [
        ("/api/publications/", "run"),
        ("/api/planning-runs/", "status"),
    ],
)
def test_filters_do_not_reveal_other_organisations_ids(clients, runs, url, param):
    """Another organisation's run id answers like a nonexistent one: 200 and empty."""
    clients["charlie"].post(f"/api/planning-runs/{runs['b'].pk}/publish/")
    clients["alice"].post(f"/api/planning-runs/{runs['a'].pk}/publish/")
    if param == "run":
        own = clients["alice"].get(url, {"run": runs["a"].pk}).data["results"]
        assert [p["run"] for p in own] == [runs["a"].pk]
        for other in (runs["b"].pk, 999_999):
            answer = clients["alice"].get(url, {"run": other})
            assert (answer.status_code, answer.data["results"]) == (200, [])
        assert clients["alice"].get(url, {"run": "x"}).status_code == 400
    else:
        listed = clients["alice"].get(url, {"status": "done"}).data["results"]
        assert [r["id"] for r in listed] == [runs["a"].pk]


def test_unserved_reasons_are_shown_in_german(clients, day):
    from backend.planning.runs import NO_DRIVER, execute_run
    from backend.planning.services import start_run

    day["driver"].is_active = False
    day["driver"].save(update_fields=["is_active"])
    run = execute_run(
        start_run(
            day["org"], TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False
        ).pk
    )
    unserved = clients["alice"].get(f"/api/planning-runs/{run.pk}/").data["unserved"]
    assert unserved and {u["reason"] for u in unserved} == {NO_DRIVER}
    reasons = {u["reason_display"] for u in unserved}
    assert {r.split(": ", 1)[1] for r in reasons} == {
        "an diesem Tag kein Fahrer verfügbar (Verfügbarkeit, gültiges Führungszeugnis, "
        "Fahrzeug, Koordinaten)"
    }
    # Each names the child and the direction, in plain words.
    assert all(r.startswith(("Hinfahrt von ", "Rückfahrt von ")) for r in reasons)


def _done(org, served: int, requested: int) -> PlanningRun:
    return PlanningRun.objects.create(
        organisation=org,
        date_from=TUESDAY,
        date_to=TUESDAY,
        status="done",
        figures={"total": {"children_served": served, "children_requested": requested}},
    )


def test_publishing_unserved_rides_needs_confirmation_and_nobody_served_is_refused(clients, day):
    run = _done(day["org"], 2, 3)
    tom_left_out(run, day)
    url = f"/api/planning-runs/{run.pk}/publish/"
    refused = clients["alice"].post(url, {}, format="json")
    assert refused.status_code == 400
    assert "Bitte bestätigen" in refused.data["detail"]
    assert not Publication.objects.exists()
    confirmed = clients["alice"].post(url, {"confirm_unserved": True}, format="json")
    assert confirmed.status_code == 200 and confirmed.data["published_dates"] == ["2026-11-24"]

    nobody = _done(day["org"], 0, 3)
    answer = clients["alice"].post(
        f"/api/planning-runs/{nobody.pk}/publish/", {"confirm_unserved": True}, format="json"
    )
    assert answer.status_code == 400 and "kein einziges Kind" in answer.data["detail"]


def test_the_planner_seconds_are_the_organisations_setting(clients, world):
    org = world["a"]["org"]
    assert org.planning_time_limit >= 1
    bad = clients["alice"].patch(
        f"/api/organisations/{org.pk}/", {"planning_time_limit": 0}, format="json"
    )
    assert bad.status_code == 400 and "planning_time_limit" in bad.data
    good = clients["alice"].patch(
        f"/api/organisations/{org.pk}/", {"planning_time_limit": 2}, format="json"
    )
    assert good.status_code == 200 and good.data["planning_time_limit"] == 2
    answer = clients["alice"].post("/api/planning-runs/", {"date": "2026-11-24"}, format="json")
    assert answer.status_code == 202 and answer.data["time_limit"] == 2
