"""`lotse import_municipalities FILE [--office SLUG]`: the district's municipalities."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from backend.gaps.management.commands.import_population import Command as PopulationCommand
from backend.gaps.places import load_municipalities
from backend.gaps.population import PopulationImportError


class Command(PopulationCommand):
    help = "Gemeinden des Bezirks aus einer CSV-Datei (gemeinde;ags;lat;lon) einlesen."

    def handle(self, *args: Any, **options: Any) -> None:
        office = self._office(options["office"])
        data = self._read(options["file"])
        try:
            count = load_municipalities(office, data=data)
        except (PopulationImportError, UnicodeDecodeError) as exc:
            errors = exc.errors if isinstance(exc, PopulationImportError) else ["kein UTF-8"]
            raise CommandError("Nichts gespeichert. " + " ".join(errors)) from None
        self.stdout.write(f"{count} Gemeinden eingelesen.")
