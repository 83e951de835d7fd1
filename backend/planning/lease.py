"""The lease of a planning run: which process executes it, and proof that it still does.

A worker that takes a run up (`claim`) writes its identity into `lease_owner`, and a
background thread of its process renews `heartbeat_at` every
`PLANNING_HEARTBEAT_SECONDS` while it holds the run (`holding`). Every write the worker
makes to the run is conditional on still holding the lease (`write`, `still_held`):
a worker that lost it (it stalled, and its run was failed meanwhile) changes nothing,
and above all never stores a result over a failed run.

A run whose holder is gone is failed with "Planung abgebrochen …" (`expire_stale`):

- at once, when the holder ran on this machine (same kernel, same pid namespace) and
  its process has ended: `kill -9`, the OOM killer, a crash;
- otherwise when its heartbeat is older than `PLANNING_LEASE_SECONDS` (a worker on
  another machine, or one that hangs).

`expire_stale` runs when a run is started and when runs are read (API and pages). In
the background it runs once per heartbeat in every process that holds a lease and in
every Celery worker's main process (`start_sweeper`), but there with the lease alone:
a pool process that died has its task given back by Celery at once, and its successor
should find the run to take over, not a run just failed. A queued run that no process
holds (it waits in Celery's broker) expires after its time budget plus `QUEUE_MARGIN`.

A second delivery of a run's task (Celery redelivers the task of a lost worker) goes
through `claim` as well: a finished run is never run again, a run held by a live
worker is left to it, and a run whose holder is gone is taken over and planned from
the start (nothing of the lost attempt was stored), at most `MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction

from backend.lib import clock, processes
from backend.organisations.models import Organisation
from backend.planning.models import ACTIVE_STATUSES, PlanningRun

logger = logging.getLogger(__name__)

# A run is taken up at most this often: a run that kills its worker every time (it
# runs out of memory, say) fails instead of being delivered for ever.
MAX_ATTEMPTS = 2
# A queued run no process holds (Celery) may wait this long beyond its time budget.
QUEUE_MARGIN = dt.timedelta(minutes=10)

ABORTED = "Planung abgebrochen: "
HOLDER_ENDED = ABORTED + "Der Prozess, der den Lauf berechnete, wurde unerwartet beendet."
HOLDER_SILENT = ABORTED + "Seit %(seconds)s Sekunden kein Lebenszeichen vom berechnenden Prozess."
TOO_MANY = ABORTED + "Der Lauf hat %(n)s Versuche lang keinen Prozess überlebt."
NEVER_STARTED = "Zeitüberschreitung: Der Planungslauf wurde nicht begonnen."


class LeaseLost(Exception):
    """This process no longer holds the run: it was failed or taken over meanwhile."""


def heartbeat_seconds() -> int:
    return settings.PLANNING_HEARTBEAT_SECONDS


def lease_seconds() -> int:
    return settings.PLANNING_LEASE_SECONDS


# --- who we are ----------------------------------------------------------------------

_identity: tuple[int, str] | None = None


def me() -> str:
    """This process as a lease owner: host / machine id / pid / a random token.

    The token tells a process apart from a later one with the same pid; it is made
    anew in a forked child (Celery's pool processes, gunicorn's workers).
    """
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        host = socket.gethostname().replace("/", "-")
        owner = f"{host}/{processes.machine_id()}/{pid}/{secrets.token_hex(4)}"
        _identity = (pid, owner)
    return _identity[1]


def holder_ended(owner: str) -> bool:
    """Whether `owner` ran in this pid namespace and its process is gone."""
    parts = owner.split("/")
    if len(parts) != 4 or not parts[1] or not parts[2].isdigit():
        return False
    return parts[1] == processes.machine_id() and not processes.is_running(int(parts[2]))


# --- reading the lease ---------------------------------------------------------------


def _why_stale(run: PlanningRun, now: dt.datetime, *, at_once: bool = True) -> str | None:
    """Why `run` (active) has lost its worker, or None while it has one.

    `at_once`: a holder on this machine whose process has ended counts at once;
    otherwise only the lease's running out does.
    """
    if run.lease_owner:
        if at_once and holder_ended(run.lease_owner):
            return HOLDER_ENDED
        silent = (now - (run.heartbeat_at or run.created_at)).total_seconds()
        if silent > lease_seconds():
            return HOLDER_SILENT % {"seconds": int(silent)}
        return None
    budget = dt.timedelta(seconds=run.time_limit * len(run.days())) + QUEUE_MARGIN
    return NEVER_STARTED if now - run.created_at > budget else None


def expire_stale(org: Organisation | None = None, *, at_once: bool = True) -> list[int]:
    """Fail the active runs (of `org`, or of everybody) whose worker is gone; their ids.

    `at_once=False` (background sweeps): only runs whose lease has run out.
    """
    now = clock.now()
    runs = PlanningRun.objects.active() if org is None else org.planning_runs.active()
    expired = []
    for run in runs.order_by("pk"):
        reason = _why_stale(run, now, at_once=at_once)
        if reason is None:
            continue
        # Only if nobody renewed or took the run up since it was read.
        unchanged = PlanningRun.objects.filter(
            pk=run.pk,
            status=run.status,
            lease_owner=run.lease_owner,
            heartbeat_at=run.heartbeat_at,
        )
        if _fail_rows(unchanged, run, reason, now):
            logger.warning("planning run %s failed: its worker is gone", run.pk)
            expired.append(run.pk)
    return expired


def _fail_rows(rows, run: PlanningRun, reason: str, now: dt.datetime) -> bool:
    progress = {**run.progress, "phase": "failed"}
    return bool(
        rows.update(
            status=PlanningRun.Status.FAILED,
            error=reason[:2000],
            finished_at=now,
            progress=progress,
        )
    )


def start_sweeper() -> None:
    """A thread that fails the runs whose worker is gone, once per heartbeat, for ever."""
    threading.Thread(target=_sweep, name="lotse-planning-sweeper", daemon=True).start()


def _sweep() -> None:
    pause = threading.Event()
    while True:
        try:
            expire_stale(at_once=False)
        except Exception as exc:  # noqa: BLE001 - the sweeper must outlive a bad moment
            logger.warning("planning sweep failed (%s)", exc.__class__.__name__)
            connection.close()
        pause.wait(heartbeat_seconds())


# --- taking a run up -----------------------------------------------------------------


def reserve(run_id: int) -> None:
    """Hold a queued run that waits in this process's own queue (the worker thread)."""
    now = clock.now()
    PlanningRun.objects.filter(pk=run_id, status=PlanningRun.Status.QUEUED, lease_owner="").update(
        lease_owner=me(), heartbeat_at=now
    )
    _keeper().hold(run_id)


def release(run_id: int) -> None:
    _keeper().release(run_id)


def claim(run_id: int) -> PlanningRun | None:
    """Take the run up for this process, or None when it must not run here (logged)."""
    owner, now = me(), clock.now()
    with transaction.atomic():
        run = (
            PlanningRun.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=run_id)
            .first()
        )
        if run is None or not run.is_active:
            logger.info("planning run %s is not active; not run again", run_id)
            return None
        queued = run.status == PlanningRun.Status.QUEUED
        mine = run.lease_owner == owner
        held = run.lease_owner and not mine and _why_stale(run, now) is None
        if held or (mine and not queued):
            logger.info("planning run %s is held by a live worker; delivery ignored", run_id)
            return None
        if not queued and run.attempts >= MAX_ATTEMPTS:
            _fail_rows(
                PlanningRun.objects.filter(pk=run.pk), run, TOO_MANY % {"n": run.attempts}, now
            )
            logger.warning("planning run %s failed after %s attempts", run_id, run.attempts)
            return None
        if not queued:
            logger.warning("planning run %s lost its worker; planned again", run_id)
        run.status = PlanningRun.Status.BUILDING
        run.started_at = now
        run.lease_owner, run.heartbeat_at = owner, now
        run.attempts += 1
        run.progress = {"phase": "building", "days": len(run.days()), "days_done": 0}
        run.save(
            update_fields=[
                "status", "started_at", "lease_owner", "heartbeat_at", "attempts", "progress"
            ]
        )  # fmt: skip
    return run


@contextlib.contextmanager
def holding(run_id: int) -> Iterator[None]:
    """Renew the run's heartbeat from a background thread while the block runs."""
    keeper = _keeper()
    keeper.hold(run_id)
    try:
        yield
    finally:
        keeper.release(run_id)


# --- writing under the lease ---------------------------------------------------------


def write(run: PlanningRun, fields: list[str]) -> None:
    """Save `fields` of `run` only while this process holds it; else LeaseLost."""
    now = clock.now()
    values = {name: getattr(run, name) for name in fields}
    written = PlanningRun.objects.filter(
        pk=run.pk, lease_owner=me(), status__in=ACTIVE_STATUSES
    ).update(heartbeat_at=now, **values)
    if not written:
        raise LeaseLost(run.pk)
    run.heartbeat_at = now


def still_held(run: PlanningRun) -> None:
    """Inside a transaction: lock the run's row, or LeaseLost if this process lost it."""
    held = (
        PlanningRun.objects.select_for_update()
        .filter(pk=run.pk, lease_owner=me(), status__in=ACTIVE_STATUSES)
        .exists()
    )
    if not held:
        raise LeaseLost(run.pk)


# --- the heartbeat -------------------------------------------------------------------


class _Keeper:
    """One per process: a thread that renews the leases this process holds."""

    def __init__(self) -> None:
        self.held: dict[int, int] = {}  # run id → how many holders in this process
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def hold(self, run_id: int) -> None:
        with self.lock:
            self.held[run_id] = self.held.get(run_id, 0) + 1
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="lotse-planning-heartbeat", daemon=True
                )
                self.thread.start()

    def release(self, run_id: int) -> None:
        with self.lock:
            left = self.held.pop(run_id, 0) - 1
            if left > 0:
                self.held[run_id] = left

    def _run(self) -> None:
        pause = threading.Event()
        try:
            while True:
                pause.wait(heartbeat_seconds())
                with self.lock:
                    if not self.held:
                        self.thread = None  # under the lock: hold() starts a new one
                        return
                    ids = list(self.held)
                self._beat(ids)
        finally:
            with self.lock:
                if self.thread is threading.current_thread():
                    self.thread = None
            connection.close()

    def _beat(self, ids: list[int]) -> None:
        try:
            PlanningRun.objects.filter(
                pk__in=ids, lease_owner=me(), status__in=ACTIVE_STATUSES
            ).update(heartbeat_at=clock.now())
            expire_stale(at_once=False)
        except Exception as exc:  # noqa: BLE001 - the heartbeat must outlive a bad moment
            # The lease runs out if this goes on; the run is then failed, as it should be.
            logger.warning("planning heartbeat not written (%s)", exc.__class__.__name__)
            connection.close()


_keeper_lock = threading.Lock()
_the_keeper: _Keeper | None = None


def _keeper() -> _Keeper:
    global _the_keeper
    with _keeper_lock:
        if _the_keeper is None:
            _the_keeper = _Keeper()
        return _the_keeper


def _forget_after_fork() -> None:
    """A forked child has none of its parent's threads, and holds none of its runs."""
    global _keeper_lock, _the_keeper
    _keeper_lock = threading.Lock()
    _the_keeper = None


os.register_at_fork(after_in_child=_forget_after_fork)
