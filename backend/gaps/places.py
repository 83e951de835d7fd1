"""The district's municipalities from a CSV file (`gemeinde;ags;lat;lon`): the demo's
list in fixtures/, or an office's own (`lotse import_municipalities FILE`). Found again
by name, so loading twice changes nothing; figures already entered stay. One bad row
and nothing is stored; the error names line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend.gaps.models import Municipality
from backend.gaps.population import PopulationImportError
from backend.organisations.models import Organisation

DEMO_MUNICIPALITIES = Path(settings.BASE_DIR) / "fixtures" / "municipalities_eifelkreis.csv"
COLUMNS = ("gemeinde", "lat", "lon")


def _coordinate(row: dict[str, str], column: str, line: int) -> float:
    value = (row.get(column) or "").strip().replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise PopulationImportError(
            [
                _("Zeile %(line)d, Spalte „%(column)s“: „%(value)s“ ist keine Koordinate.")
                % {"line": line, "column": column, "value": value[:40]}
            ]
        ) from None


def _row(office: Organisation, row: dict[str, str], line: int) -> None:
    name = (row.get("gemeinde") or "").strip()
    municipality = Municipality.objects.filter(organisation=office, name=name).first()
    municipality = municipality or Municipality(organisation=office, name=name)
    municipality.ags = (row.get("ags") or "").strip()
    municipality.latitude = _coordinate(row, "lat", line)
    municipality.longitude = _coordinate(row, "lon", line)
    try:
        municipality.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        column = {"name": "gemeinde", "latitude": "lat", "longitude": "lon"}
        raise PopulationImportError(
            [
                _("Zeile %(line)d, Spalte „%(column)s“: %(message)s")
                % {"line": line, "column": column.get(field, field), "message": " ".join(errors)}
                for field, errors in exc.message_dict.items()
            ]
        ) from None
    municipality.save()


@transaction.atomic
def load_municipalities(
    office: Organisation, path: Path = DEMO_MUNICIPALITIES, data: bytes | None = None
) -> int:
    text = (data if data is not None else path.read_bytes()).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    fields = [(f or "").strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    missing = [c for c in COLUMNS if c not in fields]
    if missing:
        raise PopulationImportError(
            [_("Zeile 1: Es fehlen die Spalten %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    count = 0
    for line, row in enumerate(reader, start=2):
        _row(office, row, line)
        count += 1
    return count
