"""Celery tasks of the planning app (used when CELERY_BROKER_URL is set)."""

from backend.lotse.celery import app
from backend.planning.runs import execute_run


# The task keeps the name it had in the former transport app, so that runs queued in
# the broker before an upgrade are still executed after it.
@app.task(name="transport.execute_run", ignore_result=True)
def execute_run_task(run_id: int) -> None:
    execute_run(run_id)
