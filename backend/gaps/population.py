"""Importing population figures per municipality from a CSV file (page form and
`lotse import_population FILE`).

The file names each municipality by `gemeinde` (its name) or `ags` (the 8-digit official
key) and gives children's counts in any of the columns `kinder_3_5`, `kinder_6_9`,
`kinder_10_13`, `kinder_14_17`, `kinder_0_17`; optional `quelle` and `stand`
(date). Separator `;` or `,`, UTF-8 (with or without BOM). An empty cell means "not
known". Every error names its line and column; one error and nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from backend.gaps.models import Municipality
from backend.organisations.models import Organisation

COUNT_COLUMNS = {
    "kinder_3_5": "children_3_5",
    "kinder_6_9": "children_6_9",
    "kinder_10_13": "children_10_13",
    "kinder_14_17": "children_14_17",
    "kinder_0_17": "children_0_17",
}
KEY_COLUMNS = ("gemeinde", "ags")
MAX_ROWS = 5000
MAX_ERRORS = 20
MAX_COUNT = 1_000_000
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


class PopulationImportError(Exception):
    """The file was refused; `errors` are German lines naming line and column."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    updated: int
    columns: tuple[str, ...]

    def line(self) -> str:
        return _("%(rows)d Zeilen gelesen, %(updated)d Gemeinden aktualisiert (%(columns)s).") % {
            "rows": self.rows,
            "updated": self.updated,
            "columns": ", ".join(self.columns),
        }


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationImportError(
            [_("Die Datei ist nicht in UTF-8 gespeichert. Bitte als „CSV UTF-8“ speichern.")]
        ) from None


def _reader(text: str) -> csv.DictReader[str]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = [(f or "").strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    if not any(f in fields for f in KEY_COLUMNS):
        raise PopulationImportError(
            [
                _("Zeile 1: Die Spalte „gemeinde“ oder „ags“ fehlt (gefunden: %(found)s).")
                % {"found": ", ".join(fields) or "–"}
            ]
        )
    if not any(f in fields for f in COUNT_COLUMNS):
        raise PopulationImportError(
            [_("Zeile 1: Es fehlt eine Spalte mit Zahlen, z. B. „kinder_6_9“ oder „kinder_0_17“.")]
        )
    return reader


def _count(value: str, line: int, column: str, errors: list[str]) -> int | None:
    value = value.strip().replace(".", "").replace(" ", "")
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_COUNT:
        errors.append(
            _("Zeile %(line)d, Spalte „%(column)s“: „%(value)s“ ist keine ganze Zahl ab 0.")
            % {"line": line, "column": column, "value": value[:40]}
        )
        return None
    return int(value)


def _date(value: str, line: int, errors: list[str]) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    errors.append(
        _("Zeile %(line)d, Spalte „stand“: „%(value)s“ ist kein Datum (TT.MM.JJJJ).")
        % {"line": line, "value": value[:40]}
    )
    return None


def _find(
    row: dict[str, str], line: int, by_name: dict, by_ags: dict, errors: list[str]
) -> Municipality | None:
    ags = (row.get("ags") or "").strip()
    name = (row.get("gemeinde") or "").strip()
    if ags:
        found = by_ags.get(ags)
        column, value = "ags", ags
    else:
        found = by_name.get(name.casefold())
        column, value = "gemeinde", name
    if found is None:
        errors.append(
            _("Zeile %(line)d, Spalte „%(column)s“: Die Gemeinde „%(value)s“ ist nicht bekannt.")
            % {"line": line, "column": column, "value": value[:80] or "–"}
        )
    return found


def import_population(
    office: Organisation,
    data: bytes,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Check the whole file, then store all of it (atomic) or nothing."""
    reader = _reader(_text(data))
    columns = tuple(c for c in COUNT_COLUMNS if c in (reader.fieldnames or []))
    municipalities = list(Municipality.objects.for_org(office))
    by_name = {m.name.casefold(): m for m in municipalities}
    by_ags = {m.ags: m for m in municipalities if m.ags}
    errors: list[str] = []
    changes: dict[int, Municipality] = {}
    rows = 0
    for line, row in enumerate(reader, start=2):
        rows += 1
        if rows > MAX_ROWS:
            raise PopulationImportError([_("Höchstens %(n)d Zeilen je Datei.") % {"n": MAX_ROWS}])
        found = _find(row, line, by_name, by_ags, errors)
        counts = {COUNT_COLUMNS[c]: _count(row.get(c) or "", line, c, errors) for c in columns}
        stand = _date(row.get("stand") or "", line, errors)
        if found is not None:
            for attr, value in counts.items():
                setattr(found, attr, value)
            found.figures_source = (row.get("quelle") or "").strip()[:200]
            found.figures_date = stand
            changes[found.pk] = found
        if progress is not None and rows % 100 == 0:
            progress(rows)
        if len(errors) >= MAX_ERRORS:
            errors.append(_("Weitere Fehler nicht gezeigt."))
            break
    if errors:
        raise PopulationImportError(errors)
    if not rows:
        raise PopulationImportError([_("Die Datei enthält keine Zeilen unter der Kopfzeile.")])
    fields = [*(COUNT_COLUMNS[c] for c in columns), "figures_source", "figures_date"]
    with transaction.atomic():
        Municipality.objects.bulk_update(list(changes.values()), fields)
    return ImportSummary(rows, len(changes), columns)
