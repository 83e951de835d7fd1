"""Project-level checks: settings, migrations, and the planner's purity."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_no_missing_migrations():
    """Models and migrations agree (makemigrations --check)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_planner_imports_no_django():
    """planner/ is a pure library: importing it pulls in neither Django nor the backend."""
    code = (
        "import sys, planner; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework', 'backend')]; "
        "sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    """`lotse check --deploy` reports nothing when the production variables are set."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "lotse.example.org",
        "SITE_URL": "https://lotse.example.org",
        "HTTPS": "1",
        "LOTSE_VAR_DIR": str(tmp_path),
        # Checked, not connected to: PostgreSQL, a shared cache, SMTP, one TLS proxy.
        "DATABASE_URL": "postgres://lotse:secret@db.example.org:5432/lotse",
        "CACHE_URL": "redis://cache.example.org:6379/1",
        "EMAIL_HOST": "smtp.example.org",
        "PROXY_COUNT": "1",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "backend.lotse.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
