"""`lotse backup` and `lotse restore`, run as an operator would, on a real SQLite file
(CI runs this on every push); the PostgreSQL pass also round-trips through pg_dump."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def lotse(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backend.lotse.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def shell(env: dict, code: str) -> str:
    result = lotse(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def sqlite_env(tmp_path, migrated_sqlite) -> dict:
    """A fresh database file (as `lotse migrate` leaves it) and the environment to use it."""
    migrated_sqlite(tmp_path / "lotse.sqlite3")
    env = {**os.environ, "LOTSE_VAR_DIR": str(tmp_path), "DEBUG": "0"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'lotse.sqlite3'}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


COUNT = "from backend.organisations.models import Organisation as O; print(O.objects.count())"


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_sqlite(sqlite_env, tmp_path):
    env = sqlite_env
    shell(
        env,
        "from backend.organisations.models import Organisation as O; O.objects.create(slug='a', name='A')",
    )
    backup = tmp_path / "backup.sqlite3"
    done = lotse(env, "backup", str(backup))
    assert done.returncode == 0 and "backup written" in done.stdout
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    shell(
        env, "from backend.organisations.models import Organisation as O; O.objects.all().delete()"
    )
    assert shell(env, COUNT) == "0"
    refused = lotse(env, "restore", str(backup))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert lotse(env, "restore", str(backup), "--yes").returncode == 0
    assert shell(env, COUNT) == "1"


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_env, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("no database")
    result = lotse(sqlite_env, "restore", str(bogus), "--yes")
    assert result.returncode != 0
    assert "not an SQLite backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_will_not_overwrite_a_file(sqlite_env, tmp_path):
    existing = tmp_path / "old.sqlite3"
    existing.write_text("keep me")
    result = lotse(sqlite_env, "backup", str(existing))
    assert result.returncode != 0 and "exists" in result.stderr
    assert existing.read_text() == "keep me"


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL pass only")
def test_backup_and_restore_round_trip_on_postgresql(tmp_path):
    """pg_dump of a scratch database, then pg_restore into it after a change."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_backup_test"
    base = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    psql = ["psql", f"{base}/postgres", "-q", "-c"]
    # No NOTICE ("does not exist, skipping") on the test's stderr.
    quiet = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True, env=quiet)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, env=quiet)
    try:
        env = {**os.environ, "DATABASE_URL": f"{base}/{name}", "LOTSE_VAR_DIR": str(tmp_path)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        assert lotse(env, "migrate", "-v", "0").returncode == 0
        shell(
            env,
            "from backend.organisations.models import Organisation as O; O.objects.create(slug='a', name='A')",
        )
        dump = tmp_path / "lotse.dump"
        assert lotse(env, "backup", str(dump)).returncode == 0
        shell(
            env,
            "from backend.organisations.models import Organisation as O; O.objects.all().delete()",
        )
        restored = lotse(env, "restore", str(dump), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert shell(env, COUNT) == "1"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=False, env=quiet)
