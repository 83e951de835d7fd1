"""Background execution of planning runs.

- settings.CELERY_BROKER_URL set: a Celery task (`tasks.py`), for production.
- otherwise: one in-process daemon worker thread with a queue, so that a single
  `lotse serve` needs no extra server. The process holds the lease of every run in
  its queue (`lease.reserve`); if it dies, the runs are failed like any run whose
  worker is gone (`lease.expire_stale`).
- settings.TRANSPORT_JOBS = "inline": run at once in the caller (unit tests only).

Runs are handed over with `transaction.on_commit` (see services.start_run).
"""

from __future__ import annotations

import logging
import queue
import threading

from django.conf import settings
from django.db import connection

from backend.planning import lease
from backend.planning.runs import execute_run
from backend.planning.tasks import execute_run_task

logger = logging.getLogger(__name__)

_queue: queue.Queue[int] = queue.Queue()
_lock = threading.Lock()
_worker: threading.Thread | None = None


def mode() -> str:
    explicit = getattr(settings, "TRANSPORT_JOBS", "")
    if explicit:
        return explicit
    return "celery" if settings.CELERY_BROKER_URL else "thread"


def enqueue(run_id: int) -> None:
    how = mode()
    if how == "celery":
        execute_run_task.delay(run_id)
    elif how == "inline":
        execute_run(run_id)
    else:
        lease.reserve(run_id)
        _ensure_worker()
        _queue.put(run_id)


def _ensure_worker() -> None:
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="lotse-planning", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        run_id = _queue.get()
        try:
            execute_run(run_id)
        except Exception:
            logger.exception("planning worker: run %s crashed", run_id)
        finally:
            lease.release(run_id)
            connection.close()
            _queue.task_done()


def wait_until_idle() -> None:
    """Block until every queued run has been executed (tests, shutdown)."""
    _queue.join()
