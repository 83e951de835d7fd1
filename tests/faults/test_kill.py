"""Fault injection: `kill -9` the process that plans, and the organisation plans again at once.

Each test publishes a plan, starts a run in a real process (a web server with its
in-process job thread, or `lotse plan`), waits until the planner is searching, kills
that process with SIGKILL and then asserts:

- the planner's search processes ended with it (no orphan keeps a core busy);
- the run is failed with "Planung abgebrochen", as soon as anybody looks;
- the organisation can start a run again at once;
- the published plan is exactly what it was.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.accounts.services import issue_token
from backend.planning import lease
from backend.planning.models import PlanningRun, StopPassenger
from backend.planning.services import plan_now, start_run
from backend.publishing.queries import published_routes
from tests.faults import harness

pytestmark = pytest.mark.django_db(transaction=True)

LONG = 120  # seconds per day: the run is still searching when it is killed


def publish_a_plan(org, day) -> PlanningRun:
    run = plan_now(org, day, day, trigger=PlanningRun.Trigger.MANUAL, time_limit=1, publish=True)
    assert org.publications.current_on(day).run_id == run.pk, run.error
    return run


def published_stops(org, day) -> list[tuple]:
    rows = StopPassenger.objects.filter(stop__route__in=published_routes(org, day, day))
    return sorted(rows.values_list("stop__route__run", "request_id", "stop__planned_at"))


def post_run(port: int, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - our own test server
        f"http://127.0.0.1:{port}/api/planning-runs/",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_killed_web_worker_fails_its_run_and_the_next_start_succeeds(fault_day, tmp_path):
    org, day = fault_day["org"], fault_day["day"]
    published = publish_a_plan(org, day)
    before = published_stops(org, day)
    token = issue_token(fault_day["users"]["alice"]).key
    env = harness.environment()

    port = harness.free_port()
    with harness.web_server(env, tmp_path, port) as server:
        harness.wait_listening(port, server)
        status, body = post_run(port, token, {"date": day.isoformat(), "time_limit": LONG})
        assert status == 202, body
        harness.solving(body["id"])
        harness.heartbeat_moves(body["id"])
        solvers = harness.wait_for(
            "the planner's search process", lambda: harness.children(server.pid)
        )
        server.kill()
    assert harness.all_gone(solvers)

    port = harness.free_port()
    with harness.web_server(env, tmp_path, port) as server:
        harness.wait_listening(port, server)
        status, again = post_run(port, token, {"date": day.isoformat(), "time_limit": 1})
        assert status == 202, again
        killed = harness.run_status(body["id"])
        assert killed.status == "failed"
        assert killed.error.startswith("Planung abgebrochen"), killed.error
        assert not killed.routes.exists()
        assert harness.finished(again["id"]).status == "done", server.output()
    assert org.publications.current_on(day).run_id == published.pk
    assert published_stops(org, day) == before


def test_killed_plan_command_fails_its_run(fault_day, tmp_path):
    org, day = fault_day["org"], fault_day["day"]
    published = publish_a_plan(org, day)
    before = published_stops(org, day)
    args = [str(harness.BIN / "lotse"), "plan", "--date", day.isoformat(), "--org", org.slug]
    args += ["--time-limit", str(LONG), "--publish"]

    with harness.running("plan", args, harness.environment(), tmp_path) as plan:
        cli = org.planning_runs.filter(trigger=PlanningRun.Trigger.CLI)
        run_id = harness.wait_for(
            "the command's run", lambda: cli.values_list("pk", flat=True).first()
        )
        harness.solving(run_id)
        solvers = harness.wait_for(
            "the planner's search process", lambda: harness.children(plan.pid)
        )
        plan.kill()
    assert harness.all_gone(solvers)

    assert lease.expire_stale(org) == [run_id]
    killed = harness.run_status(run_id)
    assert (killed.status, killed.error) == ("failed", lease.HOLDER_ENDED)
    start_run(
        org, day, day, by=None, trigger=PlanningRun.Trigger.MANUAL, time_limit=1, enqueue=False
    )
    assert org.publications.current_on(day).run_id == published.pk
    assert published_stops(org, day) == before


def test_concurrent_starts_answer_409_and_never_500(fault_day, tmp_path):
    """Eight starts at once on a real server: one 202, seven 409 (SQLite and PostgreSQL)."""
    org, day = fault_day["org"], fault_day["day"]
    token = issue_token(fault_day["users"]["alice"]).key
    port = harness.free_port()
    together = threading.Barrier(8)

    def start(_: int) -> int:
        together.wait()
        return post_run(port, token, {"date": day.isoformat(), "time_limit": LONG})[0]

    with harness.web_server(harness.environment(), tmp_path, port) as server:
        harness.wait_listening(port, server)
        with ThreadPoolExecutor(8) as pool:
            statuses = sorted(pool.map(start, range(8)))
        assert statuses == [202] + [409] * 7, server.output()
    assert org.planning_runs.count() == 1
