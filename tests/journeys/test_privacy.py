"""A coordinator does the GDPR duties from the pages: exports a family's data (PDF and
JSON), runs the retention dry run and reads the audit log, filtering and paging it."""

import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from backend.families.models import Enrolment, Family
from backend.privacy.models import AuditEntry
from tests.journeys.kit import login, nav, shoot


@pytest.fixture
def office(world, settings):
    """Family A's last enrolment ended two years ago; the log already holds 60 entries."""
    settings.RETENTION_MONTHS = 24
    family = world["a"]["family"]
    ended = timezone.localdate() - dt.timedelta(days=800)
    Enrolment.objects.filter(participant__family=family).update(
        joined_on=ended - dt.timedelta(days=100), left_on=ended
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            organisation=world["a"]["org"],
            at=timezone.now() - dt.timedelta(hours=n + 1),
            username="bob",
            family_reference="F-A-1",
            action=AuditEntry.Action.VIEW_FAMILY,
            channel=AuditEntry.Channel.API,
        )
        for n in range(60)
    )
    return world


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    return open(info.value.path(), "rb").read()  # noqa: SIM115 (Playwright's temp file)


def test_coordinator_exports_previews_retention_and_reads_the_log(phone, office):
    page = phone
    login(page, "alice")
    nav(page, "Organisation")
    page.get_by_role("link", name="Datenschutz").click()
    expect(page.get_by_role("heading", name="Auskunft nach Art. 15 DSGVO")).to_be_visible()

    page.get_by_label("Familie suchen").fill("Kontakt A")
    page.get_by_role("button", name="Suchen").click()
    row = page.get_by_role("row", name=re.compile("F-A-1"))
    expect(row).to_contain_text("Wolsfeld")
    shoot(page, "privacy-families")

    pdf = _download(page, "PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Auskunft über gespeicherte Daten" in text and "Kontakt A" in text and "MilaA" in text
    data = json.loads(_download(page, "JSON"))
    assert data["family"]["reference"] == "F-A-1"
    assert data["participants"][0]["first_name"] == "MilaA"

    page.get_by_role("link", name="Aufbewahrung").click()
    page.get_by_role("button", name="Probelauf starten").click()
    expect(page.get_by_text("Beim nächsten Lauf würde 1 Familie anonymisiert")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("F-A-1"))).to_be_visible()
    expect(page.get_by_text("Es wurde nichts verändert.")).to_be_visible()
    shoot(page, "privacy-retention")
    assert Family.objects.get(pk=office["a"]["family"].pk).anonymised_at is None

    page.get_by_role("link", name="Protokoll").click()
    expect(page.get_by_text("Seite 1 von 2")).to_be_visible()
    page.get_by_role("link", name="weiter →").click()
    expect(page.get_by_text("Seite 2 von 2")).to_be_visible()
    page.get_by_label("Aktion").select_option(label="Auskunft exportiert (Art. 15)")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_text("2 Einträge")).to_be_visible()
    rows = page.get_by_role("row").filter(has_text="Auskunft exportiert")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("alice")
    expect(rows.first).to_contain_text("F-A-1")
    expect(rows.first).to_contain_text("JSON")
    shoot(page, "privacy-audit")


def test_staff_see_no_privacy_area(phone, office):
    page = phone
    login(page, "bob")
    page.goto("/planung/")
    expect(page.get_by_role("link", name="Planung")).to_be_visible()
    expect(page.get_by_role("link", name="Datenschutz")).to_have_count(0)
    response = page.goto("/datenschutz/")
    assert response.status == 403
