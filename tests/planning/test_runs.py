"""Planning runs end to end: plan, publish, an absence re-plans, failures leave the plan alone."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from backend.planning import runs as runs_module
from backend.planning.models import PlanningRun, Publication, Route, StopPassenger
from backend.planning.services import RunConflict, start_run
from backend.publishing.queries import published_routes
from backend.publishing.services import publish_run
from tests.planning.conftest import TUESDAY

NEXT_TUESDAY = TUESDAY + dt.timedelta(days=7)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
MANUAL = PlanningRun.Trigger.MANUAL


def pickups(org, day) -> dict[str, dt.datetime]:
    """request id → planned pickup of the published plan."""
    rows = StopPassenger.objects.filter(
        stop__route__in=published_routes(org, day, day), action="board"
    ).select_related("stop")
    return {row.request_id: row.stop.planned_at for row in rows}


def plan_and_publish(org, day=TUESDAY, last=None) -> PlanningRun:
    run = start_run(org, day, last or day, by=None, trigger=MANUAL, time_limit=1, enqueue=False)
    run = runs_module.execute_run(run.pk)
    assert run.status == "done", run.error
    publish_run(run)
    return run


def test_enrol_plan_publish_absence_replan(day, clients, django_capture_on_commit_callbacks):
    """The absent child is gone, the others keep their times, the affected list says who changed."""
    org, session = day["org"], day["session"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = clients["alice"].post(
            "/api/planning-runs/", {"date": "2026-11-24", "time_limit": 1}, format="json"
        )
    assert answer.status_code == 202, answer.data
    assert answer.data["status"] == "queued"
    run_id = answer.data["id"]
    run = clients["bob"].get(f"/api/planning-runs/{run_id}/").data
    assert run["status"] == "done", run["error"]
    total = run["figures"]["total"]
    assert (total["children_served"], total["children_requested"]) == (4, 4)
    assert (total["served"], total["requests"]) == (8, 8)
    assert total["vehicles_used"] == 1 and total["km"] > 0
    assert total["ride_max_minutes"] <= 60
    assert run["unserved"] == []
    assert clients["alice"].post(f"/api/planning-runs/{run_id}/publish/").status_code == 200
    before = pickups(org, TUESDAY)
    assert len(before) == 8

    tom = day["tom"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = clients["bob"].post(
            "/api/absences/", {"participant": tom.pk, "session": session.pk}, format="json"
        )
    assert answer.status_code == 201, answer.data

    replan = PlanningRun.objects.exclude(pk=run_id).get()
    assert (replan.trigger, replan.status) == ("absence", "done")
    assert org.publications.current_on(TUESDAY).run_id == replan.pk
    after = pickups(org, TUESDAY)
    toms = {f"p{tom.pk}-s{session.pk}-there", f"p{tom.pk}-s{session.pk}-back"}
    assert set(after) == set(before) - toms
    for request_id, planned in after.items():
        assert abs((planned - before[request_id]).total_seconds()) <= 5 * 60, request_id
    families = replan.affected["families"]
    assert [(f["family"], f["reference"]) for f in families] == [(day["third"].pk, "F-A-3")]
    assert {c["change"] for c in families[0]["changes"]} == {"removed"}
    assert [d["driver"] for d in replan.affected["drivers"]] == [day["driver"].pk]
    # The first plan stays as history.
    history = Publication.objects.filter(organisation=org, date=TUESDAY)
    assert [(p.run_id, p.superseded_at is None) for p in history.order_by("pk")] == [
        (run_id, False),
        (replan.pk, True),
    ]


def test_siblings_at_one_address_are_one_stop(day):
    run = plan_and_publish(day["org"])
    ben, lea = day["ben"], day["lea"]
    stops = {
        p.participant_id: p.stop_id
        for p in StopPassenger.objects.filter(
            stop__route__run=run, direction="there", action="board"
        )
    }
    assert stops[ben.pk] == stops[lea.pk]
    route = Route.objects.get(run=run)
    kinds = [s.kind for s in route.stops.all()]
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert route.plan_vehicle == f"d{day['driver'].pk}"


def test_without_auto_replan_an_absence_marks_the_day_pending(
    day, django_capture_on_commit_callbacks
):
    from backend.families.services import report_absence

    org = day["org"]
    org.auto_replan_on_absence = False
    org.save(update_fields=["auto_replan_on_absence"])
    plan_and_publish(org)
    with django_capture_on_commit_callbacks(execute=True):
        report_absence(day["ben"], day["session"], "staff")
    publication = org.publications.current_on(TUESDAY)
    assert publication.needs_replan is True
    assert PlanningRun.objects.count() == 1


def test_a_run_that_fails_partway_leaves_the_published_plan(day, monkeypatch):
    org = day["org"]
    published = plan_and_publish(org)
    before = pickups(org, TUESDAY)
    real_solve, calls = runs_module._solve, []

    def crash_on_second_day(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("solver crashed")
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(runs_module, "_solve", crash_on_second_day)
    run = start_run(
        org, TUESDAY, NEXT_TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False
    )
    run = runs_module.execute_run(run.pk)
    assert (run.status, run.error) == ("failed", "solver crashed")
    assert len(calls) == 2
    assert not run.routes.exists() and not run.unserved.exists()
    assert org.publications.current_on(TUESDAY).run_id == published.pk
    assert pickups(org, TUESDAY) == before
    with pytest.raises(Exception, match="Nur fertige"):
        publish_run(run)


def test_a_second_run_is_rejected_while_one_is_active(day, clients):
    org = day["org"]
    first = start_run(org, TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False)
    with pytest.raises(RunConflict, match=f"Planungslauf {first.pk}"):
        start_run(
            org, NEXT_TUESDAY, NEXT_TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False
        )
    answer = clients["alice"].post("/api/planning-runs/", {"date": "2026-11-24"}, format="json")
    assert answer.status_code == 409
    assert "läuft bereits" in answer.data["detail"]
    # The other organisation is not blocked.
    start_run(
        day["org"].__class__.objects.get(slug="traeger-b"),
        TUESDAY,
        TUESDAY,
        by=None,
        trigger=MANUAL,
        time_limit=1,
        enqueue=False,
    )


def test_the_database_refuses_two_active_runs(day):
    PlanningRun.objects.create(organisation=day["org"], date_from=TUESDAY, date_to=TUESDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanningRun.objects.create(organisation=day["org"], date_from=TUESDAY, date_to=TUESDAY)


def test_a_run_whose_worker_vanished_expires(day, time_machine):
    org = day["org"]
    time_machine.move_to(NOW, tick=False)
    lost = start_run(org, TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False)
    time_machine.move_to(NOW + dt.timedelta(minutes=5), tick=False)
    with pytest.raises(RunConflict):
        start_run(org, TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False)
    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)
    start_run(org, TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False)
    lost.refresh_from_db()
    assert lost.status == "failed" and "Zeitüberschreitung" in lost.error


def test_a_day_without_drivers_reports_every_child(day):
    day["driver"].is_active = False
    day["driver"].save(update_fields=["is_active"])
    run = start_run(
        day["org"], TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False
    )
    run = runs_module.execute_run(run.pk)
    assert run.status == "done"
    assert run.unserved.count() == 8
    assert {u.reason for u in run.unserved.all()} == {runs_module.NO_DRIVER}


def test_cli_plans_and_publishes(day, capsys):
    call_command(
        "plan", "--date", "2026-11-24", "--org", "traeger-a", "--time-limit", "1", "--publish"
    )
    captured = capsys.readouterr()
    assert "4 von 4 Kindern gefahren" in captured.out
    assert "Veröffentlicht" in captured.out
    assert "Tag 1/1" in captured.err
    assert day["org"].publications.current_on(TUESDAY) is not None


@pytest.mark.parametrize(
    "args,message",
    [
        (["--date", "24.11.2026", "--org", "traeger-a"], "not a date"),
        (["--date", "2026-11-24", "--org", "nope"], "no organisation"),
        (["--date", "2026-11-24"], "choose one with --org"),
        (["--date", "2026-11-24", "--org", "traeger-a", "--time-limit", "0"], "time_limit"),
        (["--date", "2026-11-24", "--to", "2026-11-20", "--org", "traeger-a"], "date_to"),
    ],
)
def test_cli_errors_are_one_line(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("plan", *args)


def test_a_cancelled_session_replans_its_day(day, django_capture_on_commit_callbacks):
    org = day["org"]
    plan_and_publish(org)
    with django_capture_on_commit_callbacks(execute=True):
        day["session"].cancel("Heizung defekt")
    publication = org.publications.current_on(TUESDAY)
    assert publication.run.trigger == "cancelled"
    assert not published_routes(org, TUESDAY, TUESDAY).exists()


def test_demo_week_plans_publishes_and_prints_the_figures(day):
    from io import StringIO

    from backend.demo.planning import plan_demo_week

    out = StringIO()
    runs = plan_demo_week(dt.date(2026, 11, 23), time_limit=1, stdout=out)
    assert len(runs) == 2  # both organisations have sessions that week
    run = next(r for r in runs if r.organisation_id == day["org"].pk)
    assert run.date_to == dt.date(2026, 11, 29)
    assert day["org"].publications.current_on(TUESDAY).run_id == run.pk
    text = out.getvalue()
    assert "4 von 4 Kindern gefahren" in text and "8/8 Fahrten" in text and " km" in text
    assert "veröffentlicht" in text
