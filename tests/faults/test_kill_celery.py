"""Fault injection with Celery and Redis: `kill -9` a pool process, or the whole worker.

Real `celery worker` processes (prefork pool, one process) against the Redis of
CELERY_TEST_BROKER_URL (the PostgreSQL + Redis pass of `.ci/run`; skipped without it).

- A killed pool process: Celery gives the task back (acks_late, reject on worker
  lost), a new pool process takes it, finds the run's holder gone and plans the run
  again from the start. It ends done, once; delivering its task again changes nothing.
- A killed worker: its pool process ends with it (and so would the planner's search
  processes, but a pool process may not fork: the planner then searches in one
  process, `planner/portfolio.py`); the next worker fails the run once its lease
  has run out (PLANNING_LEASE_SECONDS after its last heartbeat), and the organisation
  plans again at once.
  When Redis hands the unacknowledged task out again, the next worker leaves the
  failed run alone.
"""

from __future__ import annotations

import os

import pytest

from backend.planning.models import PlanningRun
from backend.planning.services import start_run
from tests.faults import harness

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not BROKER, reason="needs CELERY_TEST_BROKER_URL (Redis)"),
]

MANUAL = PlanningRun.Trigger.MANUAL


@pytest.fixture
def redis_broker(fault_settings):
    """This process sends tasks to the test broker, which starts empty."""
    import redis

    from backend.lotse.celery import app

    fault_settings.TRANSPORT_JOBS = ""
    fault_settings.CELERY_BROKER_URL = BROKER
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = BROKER, False
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    yield client
    client.flushdb()
    app.conf.broker_url, app.conf.task_always_eager = previous


def worker(name: str, logs, **env: str):
    args = [str(harness.BIN / "celery"), "-A", "backend.lotse.celery", "worker"]
    args += ["--pool", "prefork", "--concurrency", "1", "--hostname", f"{name}@faults"]
    args += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    environment = harness.environment(CELERY_BROKER_URL=BROKER, **env)
    return harness.running(name, args, environment, logs)


def pool_process(main: harness.Process) -> int:
    """The one pool process, once the worker is ready (before, it may run `uname`)."""
    harness.wait_for("the worker to be ready", lambda: "ready." in main.output(), 60)
    pool = harness.wait_for("the pool process", lambda: harness.children(main.pid))
    assert len(pool) == 1, pool
    return pool[0]


def solving(main: harness.Process, org, day, time_limit: int) -> tuple[PlanningRun, int, list[int]]:
    """Start a run of `day` once `main` is ready and wait until its pool process plans it:
    the run, the pool process and the planner's search processes below it."""
    pool = pool_process(main)
    run = start_run(org, day, day, by=None, trigger=MANUAL, time_limit=time_limit)
    harness.solving(run.pk)
    return run, pool, harness.children(pool)


def broker_empty(client) -> bool:
    """No task waiting, none handed out and unacknowledged."""
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def test_killed_pool_process_gives_the_run_to_its_successor(fault_day, redis_broker, tmp_path):
    org, day = fault_day["org"], fault_day["day"]
    with worker("pool", tmp_path) as main:
        run, first_pool, solvers = solving(main, org, day, time_limit=5)
        os.kill(first_pool, 9)
        assert harness.all_gone([first_pool, *solvers])

        done = harness.finished(run.pk, 90)
        assert (done.status, done.attempts) == ("done", 2), main.output()
        routes = sorted(done.routes.values_list("pk", flat=True))
        assert routes

        # A second delivery of the finished run's task leaves it alone.
        from backend.planning.tasks import execute_run_task

        execute_run_task.delay(run.pk)
        harness.wait_for("the task to be taken", lambda: broker_empty(redis_broker))
        harness.wait_for("its log line", lambda: "not run again" in main.output())
    again = harness.run_status(run.pk)
    assert (again.finished_at, again.attempts) == (done.finished_at, 2)
    assert sorted(again.routes.values_list("pk", flat=True)) == routes


def test_killed_worker_takes_its_processes_along_and_fails_the_run(
    fault_day, redis_broker, tmp_path
):
    org, day = fault_day["org"], fault_day["day"]
    with worker("first", tmp_path) as main:
        run, pool, solvers = solving(main, org, day, time_limit=120)
        main.kill()
    assert harness.all_gone([pool, *solvers])
    assert redis_broker.hlen("unacked") == 1  # the task waits for its visibility timeout

    with worker("second", tmp_path) as second:
        # The next worker fails the lost run once its lease has run out.
        failed = harness.wait_for(
            "the run failed", lambda: (r := harness.run_status(run.pk)).status == "failed" and r
        )
        assert failed.error.startswith("Planung abgebrochen: Seit "), failed.error
        silent = (failed.finished_at - failed.heartbeat_at).total_seconds()
        assert harness.LEASE_SECONDS < silent < harness.LEASE_SECONDS + 15
        new = start_run(org, day, day, by=None, trigger=MANUAL, time_limit=1)
        assert harness.finished(new.pk).status == "done", second.output()

    # Redis hands the lost task out again (here after 1 s, by default after 15 minutes).
    with worker("third", tmp_path, CELERY_VISIBILITY_TIMEOUT="1") as third:
        harness.wait_for("the lost task delivered again", lambda: broker_empty(redis_broker), 60)
        harness.wait_for("its log line", lambda: "not run again" in third.output())
    assert harness.run_status(run.pk).finished_at == failed.finished_at
    assert not harness.run_status(run.pk).routes.exists()
