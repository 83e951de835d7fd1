"""The shipped gunicorn.conf.py: a real gunicorn's access log carries no URL token.

Starts gunicorn exactly as the README's production command does (with its own
SQLite database), sends requests whose path or Referer holds a token, then reads the
access log gunicorn wrote.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = secrets.token_urlsafe(32)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "gunicorn exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, migrated_sqlite):
    var = tmp_path_factory.mktemp("var")
    migrated_sqlite(var / "lotse.sqlite3")
    env = {
        **os.environ,
        "LOTSE_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'lotse.sqlite3'}",
        "DEBUG": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = _free_port()
    access_log = var / "access.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--access-logfile", str(access_log), "--error-logfile", str(var / "error.log")]
    # Django's own log (the app's stderr) goes to a file too: it is read below.
    with open(var / "django.log", "w") as django_log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=django_log, stderr=django_log)
        try:
            _wait_for(port, proc)
            yield f"http://127.0.0.1:{port}", access_log
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _get(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_access_log_redacts_tokens(gunicorn):
    base, access_log = gunicorn
    paths = [f"/feeds/{TOKEN}.ics", f"/familie/{TOKEN}/", f"/einladung/{TOKEN}/"]
    assert [_get(base + path) for path in paths] == [404, 404, 404]
    assert _get(base + "/feeds/group/1.ics", Referer=f"{base}/familie/{TOKEN}/") == 404
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(access_log.read_text().splitlines()) < 4:
        time.sleep(0.05)
    lines = access_log.read_text().splitlines()
    assert len(lines) == 4, lines
    assert all(TOKEN not in line and TOKEN[:32] not in line for line in lines)
    assert '"GET /feeds/[redacted].ics HTTP/1.1" 404' in lines[0]
    assert "/familie/[redacted]/" in lines[1] and "/einladung/[redacted]/" in lines[2]
    assert f'"{base}/familie/[redacted]/"' in lines[3]  # the Referer
    errors = (access_log.parent / "error.log").read_text()
    assert TOKEN not in errors
    django_log = (access_log.parent / "django.log").read_text()
    assert "Not Found: /feeds/[redacted].ics" in django_log
    assert TOKEN not in django_log and TOKEN[:32] not in django_log
