"""Staff record a family's referral path (issue 15 §4): on the new-family form, the family's
page and edit form, and in the families API. It stays with the provider."""

from backend.families.models import Family
from backend.lib import clock
from backend.privacy.retention import anonymise
from tests.conftest import api_client
from tests.frontend.test_families_pages import new_family_data


def test_a_new_family_is_taken_on_with_its_referral_path(world, pages):
    form = pages["bob"].get("/familien/neu/").content.decode()
    assert "Wie kam die Familie zu uns?" in form and "Suchtberatung" in form
    data = new_family_data(
        **{
            "family-referral_kind": "addiction_counselling",
            "family-referral_note": "Suchtberatung Prüm",
        }
    )
    assert pages["bob"].post("/familien/neu/", data).status_code == 302
    family = Family.objects.get(reference="F-NEU-1")
    assert (family.referral_kind, family.referral_note) == (
        "addiction_counselling",
        "Suchtberatung Prüm",
    )
    page = pages["bob"].get(f"/familien/{family.pk}/").content.decode()
    assert "Suchtberatung" in page and "Suchtberatung Prüm" in page


def test_without_a_choice_the_path_is_unknown_and_an_edit_keeps_it(world, pages):
    assert pages["bob"].post("/familien/neu/", new_family_data()).status_code == 302
    assert Family.objects.get(reference="F-NEU-1").referral_kind == "unknown"
    family = world["a"]["family"]
    edit = f"/familien/{family.pk}/bearbeiten/"
    data = {
        "family-reference": "F-A-1",
        "family-contact_name": "Kontakt A",
        "family-preferred_language": "de",
        "family-street": "Dorfstraße 3",
        "family-postcode": "54636",
        "family-town": "Wolsfeld",
        "family-referral_kind": "school",
    }
    assert pages["bob"].post(edit, data).status_code == 302
    family.refresh_from_db()
    assert family.referral_kind == "school"
    bad = pages["bob"].post(edit, {**data, "family-referral_kind": "orakel"})
    assert bad.status_code == 400 and "orakel" in bad.content.decode()
    del data["family-referral_kind"]
    assert pages["bob"].post(edit, data).status_code == 302
    family.refresh_from_db()
    assert family.referral_kind == "school"


def test_the_families_api_reads_and_writes_the_referral_path(world):
    family = world["a"]["family"]
    client = api_client(world["users"]["bob"])
    answer = client.patch(
        f"/api/families/{family.pk}/",
        {"referral_kind": "psag", "referral_note": "PSAG Bitburg"},
        format="json",
    )
    assert answer.status_code == 200
    assert (answer.json()["referral_kind"], answer.json()["referral_note"]) == (
        "psag",
        "PSAG Bitburg",
    )
    bad = client.patch(f"/api/families/{family.pk}/", {"referral_kind": "x"}, format="json")
    assert bad.status_code == 400 and "referral_kind" in bad.json()
    family.refresh_from_db()
    assert family.referral_kind == "psag"


def test_retention_empties_the_note_and_keeps_the_path_for_the_figures(world):
    family = world["a"]["family"]
    family.referral_kind, family.referral_note = "school", "Frau Beispiel, Schule Wolsfeld"
    family.save(update_fields=["referral_kind", "referral_note"])
    anonymise(family, clock.now())
    family.refresh_from_db()
    assert (family.referral_kind, family.referral_note) == ("school", "")
