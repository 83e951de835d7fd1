"""Celery tasks of the planning app (used when CELERY_BROKER_URL is set).

The task is acknowledged only when it has run (`acks_late`), and given back to the
broker when its pool process dies (`reject_on_worker_lost`), so a run is never lost
with a worker. Every delivery goes through the run's lease (`lease.claim`): a finished
run is not run again, and a run whose worker died is planned again from the start or,
after `lease.MAX_ATTEMPTS`, failed. Each worker also fails the runs of workers that
are gone, from the moment it is ready (`lease.start_sweeper`).
"""

from typing import Any

from celery.signals import worker_ready

from backend.lotse.celery import app
from backend.planning import lease
from backend.planning.runs import execute_run


# The task keeps the name it had in the former transport app, so that runs queued in
# the broker before an upgrade are still executed after it.
@app.task(
    name="transport.execute_run", ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def execute_run_task(run_id: int) -> None:
    execute_run(run_id)


@worker_ready.connect
def _fail_runs_of_lost_workers(**kwargs: Any) -> None:
    lease.start_sweeper()
