"""Backup and restore of the whole database: SQLite's online backup, pg_dump for PostgreSQL.

`lotse backup FILE` may run while Lotse is serving: SQLite's backup API copies a
consistent snapshot page by page, and pg_dump reads one transaction snapshot.
`lotse restore FILE --yes` replaces the database's contents with the backup; stop the
web server and workers first. Backups hold all personal data: store them encrypted,
with access as restricted as the database's, and delete them on the same schedule
(docs/privacy.md).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, in one line."""


def _database() -> dict:
    return connections["default"].settings_dict


def is_sqlite() -> bool:
    return _database()["ENGINE"].endswith("sqlite3")


def sqlite_backup(source: Path, target: Path) -> None:
    """A consistent copy of `source` at `target` (SQLite's online backup API)."""
    if not source.exists():
        raise BackupError(f"database file not found: {source}")
    _copy(source, target)


def sqlite_restore(backup: Path, target: Path) -> None:
    """Replace the contents of `target` with `backup` (same API, the other way round)."""
    _check_sqlite_file(backup)
    _copy(backup, target)


def _copy(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        raise BackupError(f"backup file not found: {path}")
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in check.execute("select name from sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"not an SQLite backup: {path} ({exc})") from None
    finally:
        check.close()
    if "django_migrations" not in tables:
        raise BackupError(f"not a Lotse backup (no django_migrations table): {path}")


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    if shutil.which(program) is None:
        raise BackupError(f"{program} not found: install the PostgreSQL client tools")
    db = _database()
    args = [program, "--no-owner", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{args[0]}: {last}")


def backup(target: Path) -> None:
    connections["default"].close()
    if is_sqlite():
        sqlite_backup(Path(_database()["NAME"]), target)
        return
    args, env = _pg_command("pg_dump")
    _run([*args, "--format", "custom", "--file", str(target)], env)


def restore(source: Path) -> None:
    connections["default"].close()
    if is_sqlite():
        sqlite_restore(source, Path(_database()["NAME"]))
        return
    if not source.exists():
        raise BackupError(f"backup file not found: {source}")
    args, env = _pg_command("pg_restore")
    _run([*args, "--clean", "--if-exists", "--single-transaction", str(source)], env)
