"""Drive Debian's Chromium headless against the live test server.

Used by page tests: the page is rendered by a real browser, and the test reads the
DOM Chromium built (after running any JavaScript) or a screenshot.
"""

import os
import shutil
import subprocess
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Ask for German like our users' phones do; the default en-US would get the English UI.
    "--accept-lang=de-DE,de",
]

# Locally a missing browser skips page tests; in CI (CI=true) .ci/run installs it, so
# a missing browser there must fail loudly instead of skipping silently.
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)


def _run(args: list[str], timeout: int = 60) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def dump_dom(url: str, *, window: str = "390,844") -> str:
    """The DOM after load, as Chromium serialises it (a phone-sized window by default)."""
    result = _run([f"--window-size={window}", "--dump-dom", url])
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(url: str, path: str, *, window: str = "390,844") -> None:
    result = _run([f"--window-size={window}", f"--screenshot={path}", url])
    assert result.returncode == 0, result.stderr[-2000:]
