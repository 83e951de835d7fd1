"""The coordination office's pages (issue 15 §3): who gets in, what they show, the forms.

olga (coordinator of the office) manages the register; providers' users are refused the
office's pages, and the office is refused the providers' pages. Another office's entry
answers 404. Nothing personal of any provider ever appears.
"""

import pytest

from backend.district.models import Partner, RegisterOffer
from backend.offers.models import GroupOffer
from backend.organisations.models import Membership, Organisation, Role
from tests.frontend.answers import sent_to_login
from tests.personal import personal_values

OVERVIEW = "/bezirk/"
REFERRALS = "/bezirk/zugangswege/"
NEW_OFFER = "/bezirk/angebote/neu/"
NEW_PARTNER = "/bezirk/partner/neu/"


def offer_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Kinder-Sprechstunde",
        "sector": "health",
        "audience": "children",
        "target_group": "Kinder psychisch erkrankter Eltern",
        "min_age": "6",
        "max_age": "14",
        "provider_name": "Kinder- und Jugendpsychiatrie Eifel (Demo)",
        "street": "Krankenhausstraße 1",
        "postcode": "54634",
        "town": "Bitburg",
        "contact_phone": "06561 0000 77",
        "contact_email": "",
        "website": "",
        "note": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "url,user,expected",
    [
        (OVERVIEW, "olga", 200),
        (REFERRALS, "olga", 200),
        (NEW_OFFER, "olga", 200),
        (NEW_PARTNER, "olga", 200),
        ("/bezirk/bestand.csv", "olga", 200),
        ("/bezirk/bestand.xlsx", "olga", 200),
        ("/bezirk/bestand.pdf", "olga", 404),
        ("{offer}", "olga", 200),
        ("{partner}", "olga", 200),
        *[
            (url, user, 403)
            for url in (OVERVIEW, REFERRALS, NEW_OFFER, "/bezirk/bestand.csv", "{offer}")
            for user in ("alice", "bob", "dave", "charlie")
        ],
    ],
)
def test_only_the_office_gets_in(pages, register, url, user, expected):
    url = url.format(
        offer=f"/bezirk/angebote/{register['offer'].pk}/",
        partner=f"/bezirk/partner/{register['partner'].pk}/",
    )
    assert pages[user].get(url).status_code == expected


@pytest.mark.parametrize("url", [OVERVIEW, REFERRALS, NEW_OFFER, "/bezirk/bestand.csv"])
def test_anonymous_visitors_are_sent_to_the_login(pages, url):
    assert sent_to_login(pages["anon"].get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/planung/",
        "/gruppen/",
        "/gruppen/orte/",
        "/familien/",
        "/familien/neu/",
        "/fahrdienst/",
        "/anwesenheit/",
        "/organisation/",
        "/datenschutz/",
        "/fahrer/",
    ],
)
def test_the_office_is_refused_the_providers_pages(pages, url):
    assert pages["olga"].get(url).status_code == 403


def test_the_office_lands_on_its_pages_and_keeps_its_team_page(pages):
    answer = pages["olga"].get("/")
    assert answer.status_code == 302 and answer["Location"] == OVERVIEW
    team = pages["olga"].get("/team/")
    assert team.status_code == 200
    assert 'href="/bezirk/"' in team.content.decode()  # the office's navigation
    assert 'href="/planung/"' not in team.content.decode()


def test_another_offices_entries_answer_404(pages, register, world):
    other = Organisation.objects.create(
        slug="andere-stelle", name="Andere Stelle", kind=Organisation.Kind.COORDINATION
    )
    Membership.objects.create(user=world["users"]["charlie"], organisation=other, role="staff")
    charlie = pages["charlie"]
    headers = {"X-Organisation": "andere-stelle"}
    offer, partner = register["offer"], register["partner"]
    assert charlie.get(OVERVIEW, headers=headers).status_code == 200
    for url in (f"/bezirk/angebote/{offer.pk}/", f"/bezirk/partner/{partner.pk}/"):
        assert charlie.get(url, headers=headers).status_code == 404
        assert charlie.post(url, offer_data(), headers=headers).status_code == 404
        assert charlie.post(url + "entfernen/", headers=headers).status_code == 404
    assert (
        "Suchtberatung Elterngruppe" not in charlie.get(OVERVIEW, headers=headers).content.decode()
    )
    assert RegisterOffer.objects.filter(pk=offer.pk, name=offer.name).exists()
    assert Partner.objects.filter(pk=partner.pk).exists()


# --- what the overview shows -----------------------------------------------------------


def test_the_overview_shows_the_register_and_the_listed_offers_of_sharing_providers(
    pages, register, world
):
    page = pages["olga"].get(OVERVIEW).content.decode()
    assert "Suchtberatung Elterngruppe" in page and "Grundschule Bitburg-Süd" in page
    assert "Kindergruppe A" in page and "Kindergruppe B" in page
    # grouped by sector: the headings of the sectors that have entries
    assert "Suchthilfe" in page and "Schule" in page and "Kinder- und Jugendhilfe" in page

    world["b"]["org"].shares_with_office = False
    world["b"]["org"].save(update_fields=["shares_with_office"])
    GroupOffer.objects.filter(pk=world["a"]["offer"].pk).update(listed=False)
    page = pages["olga"].get(OVERVIEW).content.decode()
    assert "Kindergruppe A" not in page  # not listed
    assert "Kindergruppe B" not in page  # its provider does not share


def test_the_overview_groups_by_municipality_and_filters(pages, register):
    page = pages["olga"].get(OVERVIEW, {"nach": "ort"}).content.decode()
    assert page.index("<h2>Bitburg</h2>") < page.index("<h2>Prüm</h2>")
    offer, partner = ">Suchtberatung Elterngruppe</a>", ">Grundschule Bitburg-Süd</a>"
    page = pages["olga"].get(OVERVIEW, {"ort": "Prüm"}).content.decode()
    assert offer in page and partner not in page
    page = pages["olga"].get(OVERVIEW, {"bereich": "school"}).content.decode()
    assert offer not in page and partner in page


def test_the_map_has_a_marker_per_place(pages, register):
    answer = pages["olga"].get(OVERVIEW)
    markers = answer.context["map"]["markers"]
    labels = " ".join(m["label"] for m in markers)
    assert "Suchtberatung Elterngruppe (Prüm)" in labels
    assert "Grundschule Bitburg-Süd – Schule / Schulsozialarbeit (Bitburg)" in labels
    assert "Kindergruppe A" in labels


@pytest.mark.parametrize("url", [OVERVIEW, REFERRALS, "/bezirk/bestand.csv", "{partner}"])
def test_no_office_page_contains_personal_data_of_a_provider(pages, register, world, url):
    register["partner"].lotse_offers.add(world["a"]["offer"])
    world["a"]["family"].referral_note = "Frau Schmitz, Schulsozialarbeit"
    world["a"]["family"].referral_kind = "school"
    world["a"]["family"].save(update_fields=["referral_note", "referral_kind"])
    answer = pages["olga"].get(url.format(partner=f"/bezirk/partner/{register['partner'].pk}/"))
    text = answer.content.decode("utf-8-sig")
    for value in [*personal_values(world), "Frau Schmitz", world["a"]["venue"].street]:
        assert value not in text, value


# --- the forms -------------------------------------------------------------------------


def test_the_office_enters_an_offer_placed_by_its_postcode(pages, office):
    answer = pages["olga"].post(NEW_OFFER, offer_data())
    assert answer.status_code == 302 and answer["Location"] == OVERVIEW
    offer = RegisterOffer.objects.get(name="Kinder-Sprechstunde")
    assert offer.organisation == office["org"]
    assert offer.latitude is not None and offer.coordinates_source == "approximate"
    assert (offer.min_age, offer.max_age) == (6, 14)


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"name": ""}, "Name des Angebots</a>: Bitte „Name des Angebots“ angeben."),
        ({"postcode": ""}, "PLZ</a>: Bitte „PLZ“ angeben."),
        ({"postcode": "99999"}, "PLZ</a>: Die Postleitzahl 99999 ist nicht bekannt."),
        ({"sector": "astrology"}, "Bereich</a>: „Bereich“: Bitte nur aus der Liste wählen."),
        ({"min_age": "12", "max_age": "6"}, "Alter bis</a>: Das Höchstalter liegt unter"),
        ({"max_age": "40"}, "Alter bis</a>: Bitte ein Alter bis 27 Jahre angeben."),
        ({"min_age": "sechs"}, "Alter von</a>: „Alter von“: Bitte eine ganze Zahl angeben."),
        ({"contact_phone": "ruf an"}, "Telefon</a>: Bitte eine Telefonnummer angeben"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(pages, office, changes, message):
    answer = pages["olga"].post(NEW_OFFER, offer_data(**changes))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not RegisterOffer.objects.exists()


def test_a_partner_links_register_offers_and_listed_group_offers(pages, register, world):
    data = {
        "name": "Jugendamt Eifelkreis – ASD",
        "kind": "youth_office",
        "sector": "youth_welfare",
        "contact_name": "ASD Bitburg",
        "postcode": "54634",
        "town": "Bitburg",
        "register_offers": [str(register["offer"].pk)],
        "lotse_offers": [str(world["a"]["offer"].pk)],
    }
    assert pages["olga"].post(NEW_PARTNER, data).status_code == 302
    partner = Partner.objects.get(name="Jugendamt Eifelkreis – ASD")
    assert list(partner.register_offers.all()) == [register["offer"]]
    assert list(partner.lotse_offers.all()) == [world["a"]["offer"]]
    page = pages["olga"].get(OVERVIEW).content.decode()
    assert "Kindergruppe A, Suchtberatung Elterngruppe" in page  # "works with"

    # An unlisted provider's offer cannot be chosen (it is not offered either).
    GroupOffer.objects.filter(pk=world["b"]["offer"].pk).update(listed=False)
    data["lotse_offers"] = [str(world["b"]["offer"].pk)]
    answer = pages["olga"].post(f"/bezirk/partner/{partner.pk}/", data)
    assert answer.status_code == 400
    assert "„Arbeitet mit diesen Gruppen der Träger“: Bitte nur aus der Liste wählen." in (
        answer.content.decode()
    )
    assert list(partner.lotse_offers.all()) == [world["a"]["offer"]]


def test_a_link_to_an_offer_that_is_no_longer_listed_survives_an_edit(pages, register, world):
    partner = register["partner"]
    partner.lotse_offers.add(world["a"]["offer"])
    GroupOffer.objects.filter(pk=world["a"]["offer"].pk).update(listed=False)
    form = pages["olga"].get(f"/bezirk/partner/{partner.pk}/").content.decode()
    assert "Kindergruppe A" not in form
    data = {
        "name": partner.name,
        "kind": partner.kind,
        "sector": partner.sector,
        "postcode": partner.postcode,
        "town": partner.town,
    }
    assert pages["olga"].post(f"/bezirk/partner/{partner.pk}/", data).status_code == 302
    assert list(partner.lotse_offers.all()) == [world["a"]["offer"]]
    assert list(partner.register_offers.all()) == []


def test_the_office_removes_entries(pages, register):
    offer, partner = register["offer"], register["partner"]
    assert pages["olga"].get(f"/bezirk/angebote/{offer.pk}/entfernen/").status_code == 405
    assert pages["olga"].post(f"/bezirk/angebote/{offer.pk}/entfernen/").status_code == 302
    assert pages["olga"].post(f"/bezirk/partner/{partner.pk}/entfernen/").status_code == 302
    assert not RegisterOffer.objects.exists() and not Partner.objects.exists()


def test_a_staff_member_of_the_office_manages_the_register_but_not_the_team(pages, office):
    Membership.objects.filter(user=office["olga"]).update(role=Role.STAFF)
    assert pages["olga"].post(NEW_OFFER, offer_data()).status_code == 302
    assert pages["olga"].get("/team/").status_code == 403
