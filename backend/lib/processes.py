"""Processes that end with their parent, and telling whether a process still runs.

A process killed with SIGKILL (the OOM killer, `kill -9`, a container stop that
times out) cannot clean up after itself: the search processes the planner forks
(`planner/portfolio.py`) would run on as orphans. On Linux the kernel can send a
child a signal when its parent dies (`prctl(PR_SET_PDEATHSIG)`); the child must ask
for it itself, right after the fork. Celery's prefork pool does this for its pool
processes (billiard's `set_pdeathsig`, which is used here too).

- `children_die_with_this_thread()`: processes forked by this thread inside the
  block ask for it in an at-fork hook, so the planner, a pure library, needs no
  change for it (`backend/planning/runs.py` wraps the solve in it).
- `die_with_parent()`: the request itself.

Elsewhere than on Linux both do nothing; children then end when their own time
limit does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from billiard.util import set_pdeathsig

_local = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


def die_with_parent(parent: int | None = None) -> bool:
    """Have the kernel SIGKILL this process when its parent ends (Linux; else False).

    The signal follows the *thread* that forked this process: fork from a thread that
    lives as long as the work does. `parent` is the pid that forked this process; if
    it died before the request was made, nobody would send the signal, so this
    process ends at once.
    """
    try:
        set_pdeathsig(signal.SIGKILL)
    except OSError:  # not Linux
        return False
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return True


@contextlib.contextmanager
def children_die_with_this_thread() -> Iterator[None]:
    """Processes this thread forks inside the block are killed when this process dies."""
    _install_hook()
    _local.parent = os.getpid()
    try:
        yield
    finally:
        _local.parent = None


def _install_hook() -> None:
    global _hook_installed
    with _hook_lock:
        if not _hook_installed:
            os.register_at_fork(after_in_child=_after_fork_in_child)
            _hook_installed = True


def _after_fork_in_child() -> None:
    # Only the forking thread survives a fork, so its thread-local value is the one seen.
    parent = getattr(_local, "parent", None)
    if parent is not None:
        _local.parent = None  # the child's own children are its business
        die_with_parent(parent)


def is_running(pid: int) -> bool:
    """Whether a process with this pid exists in this pid namespace (zombies count as ended)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def machine_id() -> str:
    """Who can compare pids with us: the same kernel (boot id) and the same pid namespace.

    Empty when unknown (not Linux); then pids of other processes are never compared.
    """
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as boot:
            boot_id = boot.read().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    digits = "".join(ch for ch in namespace if ch.isdigit())
    return f"{boot_id[:8]}-{digits}"
