"""`lotse import_population FILE [--office SLUG]`: population figures per municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.gaps.population import PopulationImportError, import_population
from backend.organisations.models import Organisation


class Command(BaseCommand):
    help = "Einwohnerzahlen je Gemeinde aus einer CSV-Datei einlesen (alles oder nichts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV: gemeinde oder ags; kinder_3_5 … kinder_0_17")
        parser.add_argument(
            "--office", help="Kurzname der Koordinierungsstelle (nötig, wenn es mehrere gibt)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        office = self._office(options["office"])
        data = self._read(options["file"])
        try:
            summary = import_population(
                office, data, progress=lambda n: self.stdout.write(f"… {n} Zeilen geprüft")
            )
        except PopulationImportError as exc:
            raise CommandError("Nichts gespeichert. " + " ".join(exc.errors)) from None
        self.stdout.write(summary.line())

    def _read(self, name: str) -> bytes:
        path = Path(name)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Die Datei {path} lässt sich nicht lesen: {exc.strerror}") from None

    def _office(self, slug: str | None) -> Organisation:
        offices = Organisation.objects.filter(kind=Organisation.Kind.COORDINATION)
        if slug:
            offices = offices.filter(slug=slug)
        found = list(offices[:2])
        if len(found) != 1:
            which = f"„{slug}“ ist " if slug else "Es gibt "
            raise CommandError(
                which + "keine Koordinierungsstelle (oder mehrere: --office SLUG angeben)."
            )
        return found[0]
