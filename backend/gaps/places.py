"""The district's municipalities from a CSV file (`gemeinde;ags;lat;lon`): the demo's
list in fixtures/, or an office's own. Found again by name, so loading twice changes
nothing; figures already entered stay."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.db import transaction

from backend.gaps.models import Municipality
from backend.organisations.models import Organisation

DEMO_MUNICIPALITIES = Path(settings.BASE_DIR) / "fixtures" / "municipalities_eifelkreis.csv"


@transaction.atomic
def load_municipalities(office: Organisation, path: Path = DEMO_MUNICIPALITIES) -> int:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
    count = 0
    for row in rows:
        municipality, _ = Municipality.objects.get_or_create(
            organisation=office,
            name=row["gemeinde"].strip(),
            defaults={"latitude": float(row["lat"]), "longitude": float(row["lon"])},
        )
        municipality.ags = (row.get("ags") or "").strip()
        municipality.latitude = float(row["lat"])
        municipality.longitude = float(row["lon"])
        municipality.full_clean()
        municipality.save()
        count += 1
    return count
