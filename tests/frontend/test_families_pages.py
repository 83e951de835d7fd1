"""Families pages (issue 14 §2): list, new family, one family, consents.

alice (coordinator A) and bob (staff A) manage families, dave (driver A) is refused,
charlie (coordinator B) gets 404 for A's families, anonymous visitors go to the login.
"""

import datetime as dt
import io
import re

import pytest
import zxingcpp
from pypdf import PdfReader

from backend.families.models import Absence, ConsentRecord, Enrolment, Family, Participant
from backend.privacy.models import AuditEntry
from tests.conftest import TODAY
from tests.frontend.answers import sent_to_login

LIST = "/familien/"
NEW = "/familien/neu/"


def family_url(family: Family) -> str:
    return f"/familien/{family.pk}/"


def withdraw_url(consent: ConsentRecord) -> str:
    return f"/familien/einwilligungen/{consent.pk}/widerrufen/"


def new_family_data(**changes: str) -> dict[str, str]:
    data = {
        "family-reference": "F-NEU-1",
        "family-contact_name": "Sabine Beispiel",
        "family-phone": "+49 6561 2222",
        "family-preferred_language": "tr",
        "family-street": "Schulweg 5",
        "family-postcode": "54636",
        "family-town": "Wolsfeld",
        "child-first_name": "Emre",
        "child-birth_year": "2017",
        "child-birth_month": "3",
        "child-needs_booster": "on",
        "consent-purposes": ["transport", "calendar"],
        "consent-given_on": TODAY.isoformat(),
        "enrolment-offer": "",
        "enrolment-joined_on": TODAY.isoformat(),
        "enrolment-transport": "both",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "method,url,user,expected",
    [
        ("get", LIST, "alice", 200),
        ("get", LIST, "bob", 200),
        ("get", LIST, "charlie", 200),
        ("get", LIST, "dave", 403),
        ("get", NEW, "alice", 200),
        ("get", NEW, "bob", 200),
        ("get", NEW, "dave", 403),
        ("post", NEW, "dave", 403),
        ("get", "{family}", "alice", 200),
        ("get", "{family}", "bob", 200),
        ("get", "{family}", "dave", 403),
        ("get", "{family}", "charlie", 404),
        ("post", "{family}einwilligung/", "dave", 403),
        ("post", "{family}einwilligung/", "charlie", 404),
        ("post", "{family}mitglied/", "dave", 403),
        ("post", "{family}mitglied/", "charlie", 404),
        ("post", "{withdraw}", "dave", 403),
        ("post", "{withdraw}", "charlie", 404),
        ("get", "{withdraw}", "alice", 405),
    ],
)
def test_permissions(world, pages, method, url, user, expected):
    family = world["a"]["family"]
    consent = family.consents.get()
    url = url.format(family=family_url(family), withdraw=withdraw_url(consent))
    assert getattr(pages[user], method)(url).status_code == expected
    assert consent.__class__.objects.get(pk=consent.pk).withdrawn_on is None


@pytest.mark.parametrize("url", [LIST, NEW, "/familien/{pk}/"])
def test_anonymous_visitors_are_sent_to_the_login(world, pages, url):
    answer = pages["anon"].get(url.format(pk=world["a"]["family"].pk))
    assert sent_to_login(answer)


def test_the_list_shows_only_the_own_families_and_finds_by_child(world, pages):
    page = pages["alice"].get(LIST).content.decode()
    assert "F-A-1" in page and "F-B-1" not in page
    assert "F-A-1" in pages["alice"].get(LIST, {"q": "milaa"}).content.decode()
    assert "Keine Familie gefunden." in pages["alice"].get(LIST, {"q": "MilaB"}).content.decode()
    offer_b = world["b"]["offer"].pk
    assert "F-A-1" not in pages["alice"].get(LIST, {"gruppe": offer_b}).content.decode()


def test_a_new_family_is_stored_with_child_consents_and_enrolment(world, pages):
    offer = world["a"]["offer"]
    answer = pages["bob"].post(NEW, new_family_data(**{"enrolment-offer": str(offer.pk)}))
    family = Family.objects.get(reference="F-NEU-1")
    assert answer.status_code == 302 and answer["Location"] == family_url(family)
    assert family.organisation == world["a"]["org"]
    assert family.latitude is not None  # placed by its postcode, so it can be planned
    child = family.participants.get()
    assert (child.first_name, child.needs_booster, child.kind) == ("Emre", True, "child")
    enrolment = Enrolment.objects.get(participant=child)
    assert (enrolment.offer, enrolment.joined_on, enrolment.transport) == (offer, TODAY, "both")
    consents = family.consents.order_by("purpose")
    assert [c.purpose for c in consents] == ["calendar", "transport"]
    assert {c.recorded_by for c in consents} == {world["users"]["bob"]}


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"family-reference": "F-A-1"}, "family-reference", "Diese Kennung ist schon vergeben."),
        ({"family-contact_name": ""}, "family-contact_name", "Dieses Feld ist zwingend"),
        ({"child-birth_month": ""}, "child-birth_year", "Geburtsjahr und -monat"),
        ({"child-birth_month": "13"}, "child-birth_month", "kleiner oder gleich 12"),
        ({"enrolment-joined_on": ""}, "enrolment-joined_on", "Bitte ein Datum angeben."),
        ({"enrolment-offer": "{foreign}"}, "enrolment-offer", "Bitte eine Gruppe aus der Liste"),
        ({"consent-given_on": "1999-01-01"}, "consent-given_on", "2000"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, pages, changes, field, message):
    offer = world["a"]["offer"]
    data = new_family_data(**{"enrolment-offer": str(offer.pk)})
    data.update({k: v.format(foreign=world["b"]["offer"].pk) for k, v in changes.items()})
    answer = pages["alice"].post(NEW, data)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    assert f'name="{field}"' in html
    assert 'value="Sabine Beispiel"' in html or field == "family-contact_name"
    assert not Family.objects.filter(reference="F-NEU-1").exists()
    assert Participant.objects.filter(first_name="Emre").count() == 0


def test_the_family_page_shows_children_enrolments_and_consents(world, pages):
    page = pages["bob"].get(family_url(world["a"]["family"])).content.decode()
    assert "MilaA" in page and "Kindergruppe A" in page and "hin und zurück" in page
    assert "Fahrdienst" in page and "gültig" in page
    assert "aus dem veröffentlichten Fahrplan genommen" in page  # the effect is named
    assert "Datenauskunft" not in page  # coordinators only
    assert "Datenauskunft" in pages["alice"].get(family_url(world["a"]["family"])).content.decode()


def test_withdrawing_a_consent_takes_effect_today(world, pages, django_capture_on_commit_callbacks):
    consent = world["a"]["family"].consents.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = pages["bob"].post(withdraw_url(consent))
    assert answer.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY
    assert callbacks  # the consent_withdrawn signal went out after the commit
    page = pages["bob"].get(answer["Location"]).content.decode()
    assert "ist widerrufen" in page and "widerrufen am 23.11.2026" in page


def test_a_consent_is_recorded_with_who_and_when(world, pages):
    family = world["a"]["family"]
    data = {"consent-purpose": "phone", "consent-given_on": "2026-11-20"}
    assert pages["alice"].post(f"{family_url(family)}einwilligung/", data).status_code == 302
    consent = family.consents.get(purpose="phone")
    assert (consent.given_on, consent.recorded_by) == (
        dt.date(2026, 11, 20),
        world["users"]["alice"],
    )
    bad = pages["alice"].post(f"{family_url(family)}einwilligung/", {"consent-purpose": "x"})
    assert bad.status_code == 400
    assert "keine gültige Auswahl" in bad.content.decode()
    assert family.consents.count() == 2


def test_a_member_is_added_with_an_enrolment(world, pages):
    family, offer = world["a"]["family"], world["a"]["offer"]
    data = {
        "member-kind": "child",
        "member-first_name": "Jonas",
        "member-birth_year": "2019",
        "member-birth_month": "7",
        "enrolment-offer": str(offer.pk),
        "enrolment-joined_on": "2026-12-01",
        "enrolment-transport": "there",
        "enrolment-pickup_street": "Schulstraße 1",
        "enrolment-pickup_postcode": "54634",
        "enrolment-pickup_town": "Bitburg",
    }
    answer = pages["bob"].post(f"{family_url(family)}mitglied/", data)
    assert answer.status_code == 302
    enrolment = Enrolment.objects.get(participant__first_name="Jonas")
    assert enrolment.transport == "there" and enrolment.has_pickup_override
    bad = pages["bob"].post(
        f"{family_url(family)}mitglied/",
        {**data, "member-first_name": "Lea", "member-birth_year": ""},
    )
    assert bad.status_code == 400
    assert not Participant.objects.filter(first_name="Lea").exists()


# --- the family's link and letter ------------------------------------------------------


def _calendar_consent(family: Family) -> None:
    ConsentRecord.objects.create(family=family, purpose="calendar", given_on=dt.date(2026, 9, 1))


def _issued_url(answer) -> str:
    match = re.search(
        r'id="family-url" type="text" readonly value="([^"]+)"', answer.content.decode()
    )
    assert match, "the link is shown for copying"
    return match.group(1)


def _qr_texts(pdf: bytes) -> list[str]:
    images = [image.image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    return [code.text for image in images for code in zxingcpp.read_barcodes(image)]


def test_the_letter_carries_the_link_as_a_qr_code_and_rotating_kills_it(world, pages, settings):
    settings.SITE_URL = "https://lotse.example"
    family = world["a"]["family"]
    family.preferred_language = "en"
    family.save(update_fields=["preferred_language"])
    _calendar_consent(family)
    first = pages["bob"].post(f"{family_url(family)}link/")
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-store"
    url = _issued_url(first)
    assert url.startswith("https://lotse.example/familie/")
    token = url.rstrip("/").rsplit("/", 1)[1]

    letter = pages["bob"].post(f"{family_url(family)}brief/", {"token": token})
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(letter.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Ihr Zugang zu unseren Gruppen" in text and "Your access to our groups" in text
    assert _qr_texts(letter.content) == [url]
    assert pages["anon"].get(url.removeprefix("https://lotse.example")).status_code == 200

    second = pages["alice"].post(f"{family_url(family)}link/")
    assert "Der alte Link und der alte Brief funktionieren nicht mehr." in second.content.decode()
    assert _issued_url(second) != url
    assert pages["anon"].get(url.removeprefix("https://lotse.example")).status_code == 404
    stale = pages["bob"].post(f"{family_url(family)}brief/", {"token": token})
    assert stale.status_code == 302
    assert "Dieser Link gilt nicht mehr." in pages["bob"].get(stale["Location"]).content.decode()


def test_no_link_without_calendar_consent_and_none_for_another_family(world, pages):
    family = world["a"]["family"]
    answer = pages["bob"].post(f"{family_url(family)}link/")
    assert answer.status_code == 302
    assert "keine aktive Einwilligung" in pages["bob"].get(answer["Location"]).content.decode()
    assert not family.feed_links.exists()
    _calendar_consent(family)
    token = _issued_url(pages["bob"].post(f"{family_url(family)}link/")).rstrip("/").rsplit("/")[-1]
    other = world["b"]["family"]
    assert pages["charlie"].post(f"{family_url(family)}link/").status_code == 404
    assert pages["charlie"].post(f"{family_url(other)}brief/", {"token": token}).status_code == 302
    assert pages["dave"].post(f"{family_url(family)}brief/", {"token": token}).status_code == 403


def test_editing_a_family_places_a_new_address_again(world, pages):
    family = world["a"]["family"]
    edit = f"{family_url(family)}bearbeiten/"
    assert pages["dave"].get(edit).status_code == 403
    assert pages["charlie"].post(edit).status_code == 404
    form = pages["bob"].get(edit)
    assert form.status_code == 200 and 'value="Kontakt A"' in form.content.decode()
    data = {
        "family-reference": "F-A-1",
        "family-contact_name": "Kontakt A",
        "family-preferred_language": "de",
        "family-street": "Am Markt 1",
        "family-postcode": "54634",
        "family-town": "Bitburg",
    }
    bad = pages["bob"].post(edit, {**data, "family-reference": "F-B-1", "family-email": "x"})
    assert bad.status_code == 400 and "gültige E-Mail Adresse" in bad.content.decode()
    family.refresh_from_db()
    assert family.street == "Dorfstraße 3"  # nothing stored
    assert pages["bob"].post(edit, data).status_code == 302
    family.refresh_from_db()
    assert (family.street, family.coordinates_source) == ("Am Markt 1", "approximate")
    assert round(family.latitude, 1) == 50.0  # Bitburg's postcode area


def test_staff_report_an_absence_for_an_upcoming_session(world, pages):
    family, child = world["a"]["family"], world["a"]["child"]
    session = world["a"]["sessions"][0]
    page = pages["bob"].get(family_url(family)).content.decode()
    assert "MilaA abmelden" in page
    report = f"{family_url(family)}abmelden/"
    answer = pages["bob"].post(report, {"session": session.pk, "participant": child.pk})
    assert answer.status_code == 302
    absence = Absence.objects.get(participant=child, session=session)
    assert (absence.source, absence.reported_by) == ("staff", world["users"]["bob"])
    page = pages["bob"].get(answer["Location"]).content.decode()
    assert "MilaA ist für Di, 24.11. 15:00 abgemeldet." in page and "(Fachkraft)" in page
    other = world["b"]["sessions"][0]
    refused = pages["bob"].post(report, {"session": other.pk, "participant": child.pk})
    assert (
        "kann hier nicht (mehr) abgemeldet werden"
        in pages["bob"].get(refused["Location"]).content.decode()
    )
    assert (
        pages["charlie"].post(report, {"session": session.pk, "participant": child.pk}).status_code
        == 404
    )
    assert (
        pages["dave"].post(report, {"session": session.pk, "participant": child.pk}).status_code
        == 403
    )
    assert Absence.objects.count() == 1


def test_looking_at_a_family_is_in_the_audit_log(world, pages):
    family = world["a"]["family"]
    pages["bob"].get(family_url(family))
    pages["bob"].get(LIST)
    entries = AuditEntry.objects.filter(organisation=world["a"]["org"])
    assert {(e.action, e.family_id) for e in entries} >= {
        (AuditEntry.Action.VIEW_FAMILY, family.pk),
        (AuditEntry.Action.LIST_FAMILIES, None),
    }


def test_no_letter_once_the_calendar_consent_is_withdrawn(world, pages):
    family = world["a"]["family"]
    _calendar_consent(family)
    url = _issued_url(pages["bob"].post(f"{family_url(family)}link/"))
    consent = family.consents.get(purpose="calendar")
    assert pages["bob"].post(withdraw_url(consent)).status_code == 302
    answer = pages["bob"].post(
        f"{family_url(family)}brief/", {"token": url.rstrip("/").rsplit("/")[-1]}
    )
    assert answer.status_code == 302 and answer["Location"] == family_url(family)
