"""`lotse restore FILE --yes`: replace the database's contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.privacy.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from FILE (made by `lotse backup`). Stop the server first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current database"
        )

    def handle(self, *args, file: Path, yes: bool, **options) -> None:
        if not yes:
            raise CommandError("restore replaces the whole database; add --yes to go ahead")
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"database restored from {file}; run `lotse migrate` if Lotse is newer")
