"""Real processes for the fault-injection tests: start them, find their children, kill them.

The processes (a web server, `lotse plan`, Celery workers) run against the test
database (a file for SQLite, see tests/conftest.py) with short lease settings, and on
the real clock: time-machine cannot reach into another process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from django.db import connection

from backend.lib.processes import is_running
from backend.planning.models import PlanningRun

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
# Short enough for quick tests, long enough for a busy 2-core machine.
HEARTBEAT_SECONDS = 1
LEASE_SECONDS = 15

T = TypeVar("T")


def database_url() -> str:
    """The test database, as DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "PLANNING_", "TRANSPORT_", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="backend.lotse.settings",
        PLANNING_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
        PLANNING_LEASE_SECONDS=str(LEASE_SECONDS),
        OSRM_URL="",
        # OR-Tools' search forks processes: the tests see them die with their parent.
        # (The native search runs in threads, which die with the process anyway.)
        PLANNER_ENGINE="ortools",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def wait_for(what: str, check: Callable[[], T | None], seconds: float = 30) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child process whose output goes to a file (shown when a test fails)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logs: Path):
        self.name, self.log = name, logs / f"{name}.log"
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own commands
                args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9, and reap it."""
        os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def running(name: str, args: list[str], env: dict[str, str], logs: Path) -> Iterator[Process]:
    process = Process(name, args, env, logs)
    try:
        yield process
    finally:
        process.stop()


def web_server(env: dict[str, str], logs: Path, port: int) -> contextlib.AbstractContextManager:
    """Django's own server, one process (no autoreloader), threads for requests and jobs."""
    args = [str(BIN / "lotse"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    return running(f"web-{port}", args, env, logs)


def wait_listening(port: int, process: Process, seconds: float = 30) -> None:
    def listening() -> bool:
        assert process.popen.poll() is None, process.output()
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    wait_for(f"server on port {port}", listening, seconds)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


def all_gone(pids: list[int], seconds: float = 5) -> bool:
    """True once none of `pids` runs any more (zombies count as gone)."""
    wait_for(f"processes {pids} to end", lambda: not any(is_running(p) for p in pids), seconds)
    return True


def run_status(run_id: int) -> PlanningRun:
    return PlanningRun.objects.get(pk=run_id)


def solving(run_id: int, seconds: float = 60) -> PlanningRun:
    """Wait until the run is in the planner's search."""
    return wait_for(
        f"run {run_id} solving",
        lambda: (run := run_status(run_id)).status == PlanningRun.Status.SOLVING and run,
        seconds,
    )


def finished(run_id: int, seconds: float = 60) -> PlanningRun:
    return wait_for(
        f"run {run_id} finished",
        lambda: (run := run_status(run_id)).status in ("done", "failed") and run,
        seconds,
    )


def heartbeat_moves(run_id: int) -> dt.datetime:
    """The run's heartbeat is renewed while the planner searches (no progress writes needed)."""
    first = run_status(run_id).heartbeat_at
    assert first is not None
    return wait_for(
        "a newer heartbeat",
        lambda: (beat := run_status(run_id).heartbeat_at) is not None and beat > first and beat,
        HEARTBEAT_SECONDS * 4 + 2,
    )
