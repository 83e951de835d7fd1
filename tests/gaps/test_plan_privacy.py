"""The plan of help is the family's data: it is in the Art. 15 export and goes with
retention (anonymising) like everything personal."""

import datetime as dt
import io

from django.core.management import call_command
from pypdf import PdfReader

from backend.families.models import ConsentRecord, Enrolment, Involvement
from tests.conftest import TODAY


def _plan(family) -> None:
    ConsentRecord.objects.create(family=family, purpose="bundle", given_on=TODAY)
    Involvement.objects.create(
        family=family,
        name="Suchtberatung der Mutter",
        sector="addiction",
        contact="Beratungsstelle Bitburg",
        since=dt.date(2026, 10, 1),
    )


def test_the_export_holds_the_plan_of_help(clients, world):
    family = world["a"]["family"]
    _plan(family)
    data = clients["alice"].get(f"/api/privacy/families/{family.pk}/export/").json()
    assert data["plan_of_help"] == [
        {
            "name": "Suchtberatung der Mutter",
            "sector": "Suchthilfe",
            "contact": "Beratungsstelle Bitburg",
            "since": "2026-10-01",
            "note": "",
        }
    ]
    pdf = clients["alice"].get(f"/api/privacy/families/{family.pk}/pdf/").content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Hilfeplan" in text and "Suchtberatung der Mutter" in text


def test_retention_deletes_the_plan_of_help(world, settings):
    settings.RETENTION_MONTHS = 24
    family = world["a"]["family"]
    _plan(family)
    Enrolment.objects.filter(participant__family=family).update(
        joined_on=dt.date(2024, 1, 1), left_on=dt.date(2024, 10, 1)
    )
    call_command("retention", stdout=io.StringIO())
    assert not Involvement.objects.filter(family=family).exists()
