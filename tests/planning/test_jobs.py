"""Background jobs: the in-process worker thread, and a real Celery worker against Redis."""

import os
import time

import pytest

from backend.planning import jobs
from backend.planning.models import PlanningRun
from backend.planning.services import start_run
from tests.planning.conftest import TUESDAY

MANUAL = PlanningRun.Trigger.MANUAL


def wait_for(run_id: int, seconds: float = 60) -> PlanningRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = PlanningRun.objects.get(pk=run_id)
        if run.status in ("done", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run.status} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_without_broker_a_worker_thread_runs_the_job(day, settings):
    settings.TRANSPORT_JOBS = ""
    settings.CELERY_BROKER_URL = ""
    assert jobs.mode() == "thread"
    run = start_run(day["org"], TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1)
    jobs.wait_until_idle()
    run = wait_for(run.pk)
    assert run.status == "done", run.error
    assert run.routes.exists()


@pytest.mark.celery_redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("CELERY_TEST_BROKER_URL"), reason="needs CELERY_TEST_BROKER_URL (Redis)"
)
def test_a_real_celery_worker_runs_the_job(day, settings):
    from celery.contrib.testing.worker import start_worker

    from backend.lotse.celery import app

    broker = os.environ["CELERY_TEST_BROKER_URL"]
    settings.TRANSPORT_JOBS = ""
    settings.CELERY_BROKER_URL = broker
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    assert jobs.mode() == "celery"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        run = start_run(day["org"], TUESDAY, TUESDAY, by=None, trigger=MANUAL, time_limit=1)
        run = wait_for(run.pk)
    assert run.status == "done", run.error
    assert run.figures["total"]["requests"] == 8
