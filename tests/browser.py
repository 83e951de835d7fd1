"""Debian's Chromium for tests: where it is, how it is started, when tests may skip.

Journey tests (tests/journeys) drive it through Playwright with `FLAGS`; the few
command-line checks (`run_headless`, e.g. the Swagger UI rendering offline) start it
directly. Never `playwright install`: the browser is Debian's package.
"""

import os
import shutil
import subprocess
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for any headless run on these machines (root, no GPU, small /dev/shm, no network
# beyond the test server).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Locally a missing browser skips browser tests; in CI (CI=true) .ci/run installs it,
# so a missing browser there must fail loudly instead of skipping silently.
MISSING = "Debian's chromium is not installed (apt-get install chromium)"
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason=MISSING
)


def run_headless(args: list[str], timeout: int = 60) -> subprocess.CompletedProcess:
    """Chromium's own headless mode on the command line (German, like our users' phones)."""
    assert CHROMIUM, MISSING
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", *FLAGS, "--accept-lang=de-DE,de", f"--user-data-dir={profile}"]
            + args,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
