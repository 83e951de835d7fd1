"""Django on a throw-away SQLite database in a temporary folder, for the benchmarks that
build their own data (imported by name: a benchmark runs as a script next to this file)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(tmp: str) -> None:
    """The settings pointed at `tmp` (its var folder and database), Django set up, migrated."""
    os.environ["LOTSE_VAR_DIR"] = tmp
    Path(tmp, "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT otherwise
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.lotse.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
