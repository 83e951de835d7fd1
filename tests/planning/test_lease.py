"""The lease of a planning run: a run whose worker is gone is failed, and never run twice.

The real thing (processes killed with SIGKILL) is in tests/faults/; these tests set
the lease's rows by hand and move the clock.
"""

import datetime as dt
import os
import time

import pytest
from django.test import Client

from backend.planning import lease
from backend.planning import runs as runs_module
from backend.planning.models import PlanningRun
from backend.planning.services import RunConflict, start_run
from backend.publishing.services import publish_run
from tests.planning.conftest import TUESDAY

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
MANUAL = PlanningRun.Trigger.MANUAL
# A live worker on another machine: its pid means nothing here.
ELSEWHERE = "other-host/0a1b2c3d-4026531836/4242/cafe0001"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def queued(org) -> PlanningRun:
    return start_run(org, TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1, enqueue=False)


def held(org, owner: str, *, status="solving", beat=NOW, attempts=1) -> PlanningRun:
    """A run that a worker has taken up and last renewed at `beat`."""
    run = queued(org)
    PlanningRun.objects.filter(pk=run.pk).update(
        status=status, lease_owner=owner, heartbeat_at=beat, started_at=beat, attempts=attempts
    )
    return PlanningRun.objects.get(pk=run.pk)


def ended_process_here() -> str:
    """The lease owner of a process on this machine that has ended."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    host, machine, _pid, token = lease.me().split("/")
    return f"{host}/{machine}/{pid}/{token}"


def test_a_run_whose_heartbeat_stopped_is_failed_after_the_lease(day, clock, settings):
    """A silent worker elsewhere: failed once the lease has run out, then the org plans again."""
    org = day["org"]
    run = held(org, ELSEWHERE)
    clock.move_to(NOW + dt.timedelta(seconds=settings.PLANNING_LEASE_SECONDS - 1), tick=False)
    with pytest.raises(RunConflict):
        queued(org)
    clock.move_to(NOW + dt.timedelta(seconds=settings.PLANNING_LEASE_SECONDS + 1), tick=False)
    again = queued(org)
    run.refresh_from_db()
    assert run.status == "failed"
    assert (
        run.error
        == "Planung abgebrochen: Seit 61 Sekunden kein Lebenszeichen vom berechnenden Prozess."
    )
    assert run.finished_at == NOW + dt.timedelta(seconds=61)
    assert again.status == "queued"


def test_a_run_whose_process_ended_on_this_machine_is_failed_at_once(day, clock):
    org = day["org"]
    run = held(org, ended_process_here())
    assert lease.expire_stale(org) == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", lease.HOLDER_ENDED)


def test_a_live_worker_keeps_its_run(day, clock, settings):
    org = day["org"]
    run = held(org, lease.me(), beat=NOW - dt.timedelta(seconds=10))
    other = held(day["org"].__class__.objects.get(slug="traeger-b"), ELSEWHERE)
    assert lease.expire_stale() == []
    run.refresh_from_db()
    other.refresh_from_db()
    assert (run.status, other.status) == ("solving", "solving")


def test_the_api_shows_a_run_without_a_worker_as_failed(day, clock, clients):
    run = held(day["org"], ended_process_here())
    answer = clients["bob"].get(f"/api/planning-runs/{run.pk}/")
    assert answer.data["status"] == "failed"
    assert answer.data["error"].startswith("Planung abgebrochen")


# --- deliveries of a run's task -------------------------------------------------------


def test_a_finished_run_is_never_run_again(day, clock):
    run = runs_module.execute_run(queued(day["org"]).pk)
    assert run.status == "done"
    routes = sorted(run.routes.values_list("pk", flat=True))
    again = runs_module.execute_run(run.pk)
    assert (again.status, again.attempts, again.finished_at) == ("done", 1, run.finished_at)
    assert sorted(again.routes.values_list("pk", flat=True)) == routes


def test_a_run_held_by_a_live_worker_is_left_to_it(day, clock):
    run = held(day["org"], ELSEWHERE)
    assert runs_module.execute_run(run.pk).status == "solving"
    run.refresh_from_db()
    assert (run.lease_owner, run.attempts, run.routes.exists()) == (ELSEWHERE, 1, False)


def test_a_run_whose_worker_died_is_planned_again_once(day, clock):
    """The second delivery of a lost run's task plans it from the start; a third fails it."""
    org = day["org"]
    run = held(org, ended_process_here())
    resumed = runs_module.execute_run(run.pk)
    assert (resumed.status, resumed.attempts) == ("done", 2), resumed.error
    assert resumed.lease_owner == lease.me()

    lost_twice = held(org, ended_process_here(), attempts=2)
    failed = runs_module.execute_run(lost_twice.pk)
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert (
        failed.error == "Planung abgebrochen: Der Lauf hat 2 Versuche lang keinen Prozess überlebt."
    )
    assert not failed.routes.exists()


def test_a_worker_that_lost_its_lease_stores_nothing(day, clock, monkeypatch):
    """Failed while it searched (it stalled): its result is dropped, the published plan stays."""
    org = day["org"]
    published = runs_module.execute_run(queued(org).pk)
    publish_run(published)
    real_solve = runs_module._solve

    def stalled(problem, time_limit, progress):
        plan = real_solve(problem, time_limit, progress)
        PlanningRun.objects.filter(status="solving").update(
            status="failed", error=lease.HOLDER_SILENT % {"seconds": 99}
        )
        return plan

    monkeypatch.setattr(runs_module, "_solve", stalled)
    run = runs_module.execute_run(queued(org).pk)
    assert (run.status, run.error) == ("failed", lease.HOLDER_SILENT % {"seconds": 99})
    assert not run.routes.exists() and not run.unserved.exists() and run.figures == {}
    assert org.publications.current_on(TUESDAY).run_id == published.pk


# --- the heartbeat ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_renewed_while_the_run_is_held(day, settings):
    """Renewed by a thread of the process, with no write of the run's own (the planner may be
    searching for minutes without a better plan to report)."""
    settings.PLANNING_HEARTBEAT_SECONDS = 1
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    run = held(day["org"], lease.me(), beat=long_ago)
    with lease.holding(run.pk):
        deadline = time.monotonic() + 10
        while run.heartbeat_at == long_ago and time.monotonic() < deadline:
            time.sleep(0.1)
            run.refresh_from_db()
    assert run.heartbeat_at > long_ago
    assert run.status == "solving"


def test_the_planning_pages_show_a_run_without_a_worker_as_failed(day, world, clock):
    run = held(day["org"], ended_process_here())
    browser = Client()
    browser.force_login(world["users"]["bob"])
    page = browser.get(f"/planung/laeufe/{run.pk}/").content.decode()
    assert "fehlgeschlagen" in page
    assert "Planung abgebrochen: Der Prozess, der den Lauf berechnete" in page
    assert "Der veröffentlichte Plan bleibt unverändert." in page
