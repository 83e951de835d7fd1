"""The family's subscribe page: webcal link, QR code, instructions, pickups, absences."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from backend.families.models import Absence
from backend.feeds import services
from tests.conftest import TODAY
from tests.feeds.conftest import at, publish

pytestmark = pytest.mark.django_db


def page_url(issued) -> str:
    return f"/familie/{issued.token}/"


def absence_url(issued) -> str:
    return f"/familie/{issued.token}/abmelden/"


def without_tokens(response, link_token: str) -> str:
    """The page without what differs by design: the (randomly masked) CSRF token and
    the requested address, which the language switch sends back."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page.replace(link_token, "TOKEN")


def test_the_page_shows_the_webcal_link_qr_code_and_instructions(client, world, family_link):
    response = client.get(page_url(family_link))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="webcal://127.0.0.1:8000/feeds/{family_link.token}.ics"' in html
    assert f"http://127.0.0.1:8000/feeds/{family_link.token}.ics" in html
    assert "<svg" in html and "<script" not in html
    for text in ("Google", "iPhone", "Outlook", "nur alle paar Stunden"):
        assert text in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_page_lists_the_next_pickups_and_upcoming_sessions(client, world, family_link):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    html = client.get(page_url(family_link)).content.decode()
    assert "Nächste Abholzeiten" in html
    assert "14:35" in html and "Fahrer*in Anna" in html
    assert "zu Hause etwa 16:55" in html
    assert html.count("Ihr Kind kann nicht kommen") == 4
    assert part["child"].first_name not in html


def test_a_moved_pickup_shows_as_a_new_pickup_time_with_the_old_one(client, world, family_link):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    html = client.get(page_url(family_link)).content.decode()
    assert "neue Abholzeit</span>" not in html
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 8))
    assert "neue Abholzeit</span>" not in client.get(page_url(family_link)).content.decode()
    publish(part, session, pickup=at(session.local_date, 14, 12), published_at=at(TODAY, 9))
    html = client.get(page_url(family_link)).content.decode()
    assert "14:12" in html
    assert re.search(r"neue Abholzeit</span>\s*bisher <s>14:35</s>", html)


def test_the_absence_button_writes_an_absence_once(client, world, family_link):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    data = {"session": session.pk, "participant": part["child"].pk}
    response = client.post(absence_url(family_link), data)
    assert response.status_code == 303
    assert response["Location"] == page_url(family_link)
    absence = Absence.objects.get()
    assert (absence.session, absence.participant, absence.source) == (
        session,
        part["child"],
        "family",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Danke, die Abmeldung ist eingetragen." in page
    assert "Ihr Kind: abgemeldet" in page
    assert page.count("Ihr Kind kann nicht kommen") == 3
    again = client.post(absence_url(family_link), data, follow=True)
    assert "war schon eingetragen" in again.content.decode()
    assert Absence.objects.count() == 1


def test_the_absence_form_needs_a_csrf_token(world, family_link):
    from django.test import Client

    part = world["a"]
    session = part["offer"].sessions.first()
    strict = Client(enforce_csrf_checks=True)
    data = {"session": session.pk, "participant": part["child"].pk}
    assert strict.post(absence_url(family_link), data).status_code == 403
    assert not Absence.objects.exists()


def test_sessions_of_other_families_or_the_past_cannot_be_reported(
    client, world, family_link, clock
):
    a, b = world["a"], world["b"]
    cases = [
        ({"session": b["sessions"][0].pk, "participant": a["child"].pk}, "nicht (mehr)"),
        ({"session": a["sessions"][0].pk, "participant": b["child"].pk}, "nicht dabei"),
        ({"session": "x", "participant": a["child"].pk}, "ganze Zahl"),
        ({"participant": a["child"].pk}, "erforderlich"),
    ]
    for data, message in cases:
        response = client.post(absence_url(family_link), data)
        assert response.status_code == 400, data
        assert message in response.content.decode()
    clock.now = at(dt.date(2026, 11, 24), 15, 30)  # the first session has begun
    late = {"session": a["sessions"][0].pk, "participant": a["child"].pk}
    assert client.post(absence_url(family_link), late).status_code == 400
    a["sessions"][1].cancel("Ausfall")
    cancelled = {"session": a["sessions"][1].pk, "participant": a["child"].pk}
    assert "ohnehin aus" in client.post(absence_url(family_link), cancelled).content.decode()
    assert not Absence.objects.exists()


def take_back_url(issued) -> str:
    return f"/familie/{issued.token}/abmeldung-zuruecknehmen/"


def test_a_family_takes_back_its_own_absence_until_the_session_starts(
    client, world, family_link, clock
):
    a = world["a"]
    data = {"session": a["sessions"][0].pk, "participant": a["child"].pk}
    client.post(absence_url(family_link), data)
    html = client.get(page_url(family_link)).content.decode()
    assert "Ihr Kind kommt doch: Abmeldung zurücknehmen" in html

    response = client.post(take_back_url(family_link), data, follow=True)
    assert response.redirect_chain == [(page_url(family_link), 303)]
    assert "Die Abmeldung ist zurückgenommen." in response.content.decode()
    assert not Absence.objects.exists()
    again = client.post(take_back_url(family_link), data, follow=True)
    assert "schon zurückgenommen" in again.content.decode()

    client.post(absence_url(family_link), data)
    clock.now = at(dt.date(2026, 11, 24), 15, 30)  # the session has begun
    late = client.post(take_back_url(family_link), data)
    assert late.status_code == 400
    assert "schon begonnen" in late.content.decode()
    assert Absence.objects.count() == 1


def test_an_absence_entered_by_staff_cannot_be_taken_back_by_the_family(client, world, family_link):
    a = world["a"]
    Absence.objects.create(
        participant=a["child"], session=a["sessions"][0], source=Absence.Source.STAFF
    )
    html = client.get(page_url(family_link)).content.decode()
    assert "zurücknehmen" not in html
    data = {"session": a["sessions"][0].pk, "participant": a["child"].pk}
    response = client.post(take_back_url(family_link), data)
    assert response.status_code == 400
    assert "bitte rufen Sie dort an" in response.content.decode()
    assert Absence.objects.count() == 1
    other = {"session": world["b"]["sessions"][0].pk, "participant": a["child"].pk}
    assert client.post(take_back_url(family_link), other).status_code == 400


def test_unknown_and_revoked_links_answer_404(client, world, family_link):
    unknown = client.get("/familie/" + "y" * 43 + "/")
    services.revoke_link(family_link.link, timezone.now())
    revoked = client.get(page_url(family_link))
    post = client.post(absence_url(family_link), {"session": 1, "participant": 1})
    assert unknown.status_code == revoked.status_code == post.status_code == 404
    assert without_tokens(unknown, "y" * 43) == without_tokens(revoked, family_link.token)
    assert "Dieser Link gilt nicht (mehr)." in unknown.content.decode()


def test_driver_and_organisation_links_have_no_subscribe_page(client, world):
    link = services.create_link(world["a"]["org"], "organisation", day=TODAY)
    assert client.get(page_url(link)).status_code == 404
