"""The office's gap page and bundle counts; the provider's plan of help on the family page.

olga works for the coordination office; alice (coordinator A), bob (staff A), dave (driver
A) and charlie (coordinator B) work for providers.
"""

import datetime as dt
import re

import pytest
from django.test import Client

from backend.district.models import RegisterOffer
from backend.families.models import ConsentRecord, Involvement
from backend.gaps.models import Municipality
from tests.conftest import TODAY
from tests.frontend.answers import sent_to_login
from tests.personal import personal_values

GAPS = "/bezirk/luecken/"
UPLOAD = "/bezirk/luecken/einwohner/"
BUNDLES = "/bezirk/hilfen/"


@pytest.fixture
def everyone(pages, olga) -> dict[str, Client]:
    return {**pages, "olga": olga}


@pytest.mark.parametrize(
    "method,url,user,expected",
    [
        ("get", GAPS, "olga", 200),
        ("get", BUNDLES, "olga", 200),
        ("get", GAPS, "alice", 403),
        ("get", GAPS, "bob", 403),
        ("get", GAPS, "dave", 403),
        ("get", BUNDLES, "alice", 403),
        ("get", BUNDLES, "charlie", 403),
        ("post", UPLOAD, "alice", 403),
        ("get", UPLOAD, "olga", 405),
    ],
)
def test_only_the_office_sees_the_district_pages(
    everyone, municipalities, method, url, user, expected
):
    assert getattr(everyone[user], method)(url).status_code == expected


@pytest.mark.parametrize("url", [GAPS, BUNDLES])
def test_anonymous_visitors_are_sent_to_the_login(pages, office, url):
    assert sent_to_login(pages["anon"].get(url))


def test_the_gap_page_lists_the_places_beyond_the_threshold(world, olga, municipalities):
    """Org A's group for 6–12 meets in Bitburg; Daleiden is about 30 km (35+ minutes) away."""
    page = olga.get(GAPS, {"minuten": "20", "alter": "6-9", "fuer": "children"}).content.decode()
    assert "1 Gemeinde weiter als 20 Minuten" in page
    assert places(page) == ["Daleiden"]
    assert "Kindergruppe A (Bitburg)" in page.split('<table class="gaps">')[1]
    page = olga.get(GAPS, {"minuten": "5", "alter": "6-9", "fuer": "children"}).content.decode()
    assert "2 Gemeinden weiter als 5 Minuten" in page  # Wolsfeld is about 9 minutes away


def test_teenagers_and_families_have_no_offer_at_all(world, olga, municipalities):
    page = olga.get(GAPS, {"minuten": "30", "alter": "14-17"}).content.decode()
    assert "3 Gemeinden weiter als 30 Minuten" in page
    assert "kein passendes Angebot" in page


def test_an_offer_of_the_offices_register_closes_a_gap(world, office, olga, municipalities):
    """A service outside Lotse that the office entered counts as an offer nearby."""
    RegisterOffer.objects.create(
        organisation=office["org"],
        name="Jugendtreff Daleiden",
        sector="youth_welfare",
        audience="children",
        min_age=12,
        max_age=17,
        provider_name="Ortsgemeinde Daleiden",
        postcode="54689",
        town="Daleiden",
        latitude=50.082,
        longitude=6.167,
    )
    page = olga.get(GAPS, {"minuten": "30", "alter": "14-17"}).content.decode()
    assert "2 Gemeinden weiter als 30 Minuten" in page
    assert sorted(places(page)) == ["Bitburg", "Wolsfeld"]
    assert "Jugendtreff Daleiden (Daleiden)" in page


def test_a_shuttle_serves_where_enrolled_children_are_picked_up(world, olga, municipalities):
    """Family A lives in Wolsfeld and its child is driven to Kindergruppe A."""
    offer = world["a"]["offer"]
    offer.shuttle_offered = True
    offer.save(update_fields=["shuttle_offered"])
    page = olga.get(GAPS, {"minuten": "5", "alter": "6-9"}).content.decode()
    shuttle = dict(re.findall(r'<th scope="row">([^<]+)</th>.*?<td>(ja|nein)</td>', page, re.S))
    assert shuttle == {"Wolsfeld": "ja", "Daleiden": "nein"}


def test_unlisted_offers_and_providers_that_do_not_share_are_left_out(world, olga, municipalities):
    a = world["a"]["org"]
    a.shares_with_office = False
    a.save(update_fields=["shares_with_office"])
    world["b"]["offer"].listing_approved = False
    world["b"]["offer"].save(update_fields=["listing_approved"])
    page = olga.get(GAPS, {"minuten": "30", "alter": "6-9"}).content.decode()
    assert "3 Gemeinden weiter als 30 Minuten" in page


@pytest.mark.parametrize(
    "sort,first",
    [("name", "Daleiden"), ("-name", "Wolsfeld"), ("zeit", "Daleiden"), ("-zeit", "Wolsfeld")],
)
def test_the_table_sorts_by_its_columns(world, olga, municipalities, sort, first):
    page = olga.get(GAPS, {"minuten": "5", "alter": "6-9", "sort": sort}).content.decode()
    assert places(page)[0] == first, places(page)


def test_the_office_page_shows_no_personal_data(world, olga, municipalities):
    offer = world["a"]["offer"]
    offer.shuttle_offered = True
    offer.save(update_fields=["shuttle_offered"])
    pages = [
        olga.get(GAPS, {"minuten": "5", "alter": band}).content.decode() for band in ("3-5", "6-9")
    ]
    pages.append(olga.get(BUNDLES).content.decode())
    towns = {world[side]["family"].town for side in ("a", "b")}  # also municipality names
    for personal in set(personal_values(world)) - towns:
        assert all(personal not in page for page in pages), personal


def test_uploading_population_figures_shows_the_children(world, olga, municipalities):
    upload = _csv("gemeinde;kinder_6_9\nDaleiden;23\n")
    answer = olga.post(UPLOAD, {"datei": upload}, follow=True)
    page = answer.content.decode()
    assert "1 Zeilen gelesen, 1 Gemeinden aktualisiert" in page
    assert "Dort leben 23 Kinder im Alter von 6–9 Jahren" in page
    assert Municipality.objects.get(name="Daleiden").children_6_9 == 23


def test_a_bad_upload_names_the_line_and_stores_nothing(world, olga, municipalities):
    answer = olga.post(UPLOAD, {"datei": _csv("gemeinde;kinder_6_9\nDaleiden;23\nXdorf;2\n")})
    assert answer.status_code == 400
    assert (
        "Zeile 3, Spalte „gemeinde“: Die Gemeinde „Xdorf“ ist nicht bekannt."
        in answer.content.decode()
    )
    assert Municipality.objects.get(name="Daleiden").children_6_9 is None
    assert olga.post(UPLOAD, {}).status_code == 400


def places(page: str) -> list[str]:
    """The municipalities in the table, in its order."""
    return re.findall(r'<th scope="row">([^<]+)</th>', page.split('<table class="gaps">')[1])


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("einwohner.csv", text.encode(), content_type="text/csv")


# --- plans of help -----------------------------------------------------------------------


def _consent(family) -> ConsentRecord:
    return ConsentRecord.objects.create(family=family, purpose="bundle", given_on=TODAY)


def _entry(**changes: str) -> dict[str, str]:
    data = {
        "help-name": "Suchtberatung der Mutter",
        "help-offer": "",
        "help-sector": "addiction",
        "help-contact": "Beratungsstelle Bitburg",
        "help-since": "01.10.2026",
        "help-note": "",
    }
    data.update(changes)
    return data


def test_without_consent_the_plan_asks_for_it_and_stores_nothing(world, pages):
    family = world["a"]["family"]
    page = pages["alice"].get(f"/familien/{family.pk}/").content.decode()
    assert "braucht es die Einwilligung der Familie „Hilfeplan (Hilfegebinde)“" in page
    answer = pages["alice"].post(f"/familien/{family.pk}/hilfeplan/", _entry())
    assert answer.status_code == 400
    assert not Involvement.objects.exists()


def test_with_consent_staff_record_an_entry_and_see_it_as_the_plan(world, pages):
    family = world["a"]["family"]
    _consent(family)
    answer = pages["bob"].post(f"/familien/{family.pk}/hilfeplan/", _entry(), follow=True)
    page = answer.content.decode()
    assert "„Suchtberatung der Mutter“ steht im Hilfeplan." in page
    entry = Involvement.objects.get()
    assert (entry.sector, entry.since, entry.recorded_by.username) == (
        "addiction",
        dt.date(2026, 10, 1),
        "bob",
    )
    group = pages["bob"].post(
        f"/familien/{family.pk}/hilfeplan/",
        _entry(
            **{
                "help-name": "",
                "help-offer": str(world["a"]["offer"].pk),
                "help-sector": "youth_welfare",
            }
        ),
    )
    assert group.status_code == 302
    assert "Kindergruppe A" in pages["bob"].get(f"/familien/{family.pk}/").content.decode()


def test_an_entry_needs_a_name_or_a_group_and_a_sector(world, pages):
    family = world["a"]["family"]
    _consent(family)
    answer = pages["alice"].post(
        f"/familien/{family.pk}/hilfeplan/", _entry(**{"help-name": "", "help-sector": ""})
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert (
        "Bitte ein Angebot oder einen Partner nennen" in page
        or "Dieses Feld ist zwingend erforderlich" in page
    )
    assert not Involvement.objects.exists()


def test_another_provider_neither_sees_nor_changes_the_plan(world, pages):
    family = world["a"]["family"]
    _consent(family)
    entry = Involvement.objects.create(family=family, name="Schulsozialarbeit", sector="school")
    assert pages["charlie"].post(f"/familien/{family.pk}/hilfeplan/", _entry()).status_code == 404
    assert pages["charlie"].post(f"/familien/hilfeplan/{entry.pk}/entfernen/").status_code == 404
    assert pages["dave"].post(f"/familien/hilfeplan/{entry.pk}/entfernen/").status_code == 403
    assert Involvement.objects.filter(pk=entry.pk).exists()
    assert pages["alice"].post(f"/familien/hilfeplan/{entry.pk}/entfernen/").status_code == 302
    assert not Involvement.objects.exists()


def test_withdrawing_the_consent_removes_the_plan(world, pages):
    family = world["a"]["family"]
    consent = _consent(family)
    Involvement.objects.create(family=family, name="Schulsozialarbeit", sector="school")
    pages["alice"].post(f"/familien/einwilligungen/{consent.pk}/widerrufen/")
    assert not Involvement.objects.exists()


def test_the_office_sees_only_anonymous_counts_of_sectors(world, olga):
    family = world["a"]["family"]
    _consent(family)
    for name, sector in [
        ("Suchtberatung", "addiction"),
        ("Schulsozialarbeit", "school"),
        ("Kita", "nursery"),
    ]:
        Involvement.objects.create(family=family, name=name, sector=sector)
    page = olga.get(BUNDLES).content.decode()
    rows = page.split("<tbody>")[1]
    assert '<th scope="row">3</th><td>&lt; 5</td>' in rows
    assert '<th scope="row">1</th><td>0</td>' in rows
    for personal in ("Suchtberatung", "Schulsozialarbeit", "F-A-1", "Träger A"):
        assert personal not in page


def test_a_bad_threshold_is_named_and_the_default_used(world, olga, municipalities):
    answer = olga.get(GAPS, {"minuten": "viele", "alter": "99"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Ganze Zahl eingeben." in page or "ganze Zahl" in page
    assert "1 Gemeinde weiter als 30 Minuten" in page
