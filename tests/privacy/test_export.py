"""Art. 15 export: everything about one family, as JSON and as a readable German PDF,
for coordinators only, and logged."""

import io

import pytest
from pypdf import PdfReader

from backend.privacy.models import AuditEntry


def _url(family, kind: str) -> str:
    return f"/api/privacy/families/{family.pk}/{'export' if kind == 'json' else 'pdf'}/"


def test_the_json_export_holds_the_familys_data(clients, world, route):
    family = world["a"]["family"]
    response = clients["alice"].get(_url(family, "json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="auskunft-F-A-1-')
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["family"]["contact_name"] == "Kontakt A"
    assert data["family"]["street"] == "Dorfstraße 3"
    child = data["participants"][0]
    assert child["first_name"] == "MilaA" and child["needs"] == ["Kindersitz"]
    assert child["enrolments"][0]["offer"] == "Kindergruppe A"
    assert data["consents"] == [
        {"purpose": "Fahrdienst", "given_on": "2026-09-01", "withdrawn_on": None}
    ]
    assert {ride["driver"] for ride in data["rides"]} == {"Anna A"}
    assert data["controller"]["name"] == "Träger A"
    # Nothing of the other organisation, no secrets.
    assert "Kontakt B" not in response.content.decode()
    assert "token" not in response.content.decode().lower()


def test_the_pdf_export_is_readable_german(clients, world):
    response = clients["alice"].get(_url(world["a"]["family"], "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Auskunft über gespeicherte Daten",
        "Art. 15 DSGVO",
        "Kontakt A",
        "MilaA",
        "Kindergruppe A",
        "Einwilligungen",
        "Fahrdienst",
        "01.09.2026",
    ):
        assert expected in text


@pytest.mark.parametrize("user, status", [("bob", 403), ("dave", 403), ("charlie", 404)])
def test_only_the_own_coordinators_may_export(clients, world, user, status):
    assert clients[user].get(_url(world["a"]["family"], "json")).status_code == status
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_every_export_is_logged(clients, client, world):
    family = world["a"]["family"]
    clients["alice"].get(_url(family, "pdf"))
    client.force_login(world["users"]["alice"])
    assert client.get(f"/datenschutz/familien/{family.pk}/auskunft.json").status_code == 200
    logged = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk")
    assert [(e.username, e.family_reference, e.channel, e.detail) for e in logged] == [
        ("alice", "F-A-1", "api", "PDF"),
        ("alice", "F-A-1", "page", "JSON"),
    ]


def test_the_export_lists_earlier_accesses(clients, world):
    family = world["a"]["family"]
    clients["bob"].get(f"/api/families/{family.pk}/")
    data = clients["alice"].get(_url(family, "json")).json()
    assert [entry["action"] for entry in data["access_log"]] == ["Familie angesehen"]
    assert "bob" not in str(data["access_log"])
