"""Celery tasks of the transport app (used when CELERY_BROKER_URL is set)."""

from backend.lotse.celery import app
from backend.transport.runs import execute_run


@app.task(name="transport.execute_run", ignore_result=True)
def execute_run_task(run_id: int) -> None:
    execute_run(run_id)
