"""`lotse backup FILE`: a consistent backup of the whole database (see backend/privacy/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.privacy.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite online backup or pg_dump)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if file.exists():
            raise CommandError(f"{file} exists; choose a new file name")
        try:
            backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        file.chmod(0o600)
        self.stdout.write(f"backup written to {file} ({file.stat().st_size} bytes)")
