"""The provider's workspace pages for groups, venues, closures, drivers, vehicles and the
organisation: who gets which answer, bad input on every form, and the rules they share
with the API.

alice (coordinator A) manages everything, bob (staff A) manages groups and venues and
reads closures and the fleet, dave (driver A) gets 403, charlie (coordinator B) gets
404 for A's objects, anonymous visitors are sent to the login.
"""

import datetime as dt

import pytest

from backend.accounts.models import Invitation
from backend.accounts.services import accept_invitation
from backend.fleet.models import Availability, Driver, Vehicle
from backend.fleet.services import invite_driver
from backend.offers.models import ClosurePeriod, GroupOffer, Session, Venue
from tests.conftest import TODAY, add_closure
from tests.frontend.answers import sent_to_login

LOGIN = "login"
USERS = ["alice", "bob", "dave", "charlie", "anon"]

# (method, url template, data, answers for alice, bob, dave, charlie, anon)
TABLE = [
    ("get", "/gruppen/", None, (200, 200, 403, 200, LOGIN)),
    ("get", "/gruppen/neu/", None, (200, 200, 403, 200, LOGIN)),
    ("get", "/gruppen/{offer}/", None, (200, 200, 403, 404, LOGIN)),
    ("get", "/gruppen/{offer}/bearbeiten/", None, (200, 200, 403, 404, LOGIN)),
    ("post", "/gruppen/{offer}/bearbeiten/", {}, (400, 400, 403, 404, LOGIN)),
    (
        "post",
        "/gruppen/termine/{session}/absagen/",
        {"reason": "Krank"},
        (302, 302, 403, 404, LOGIN),
    ),
    ("post", "/gruppen/termine/{session}/wieder-ansetzen/", {}, (302, 302, 403, 404, LOGIN)),
    ("get", "/gruppen/termine/{session}/verschieben/", None, (200, 200, 403, 404, LOGIN)),
    ("post", "/gruppen/termine/{session}/verschieben/", {}, (400, 400, 403, 404, LOGIN)),
    ("get", "/gruppen/orte/", None, (200, 200, 403, 200, LOGIN)),
    ("get", "/gruppen/orte/{venue}/", None, (200, 200, 403, 404, LOGIN)),
    ("post", "/gruppen/orte/{venue}/", {}, (400, 400, 403, 404, LOGIN)),
    ("post", "/gruppen/orte/neu/", {}, (400, 400, 403, 400, LOGIN)),
    ("get", "/gruppen/schliesszeiten/", None, (200, 200, 403, 200, LOGIN)),
    ("post", "/gruppen/schliesszeiten/", {}, (400, 403, 403, 400, LOGIN)),
    ("post", "/gruppen/schliesszeiten/{closure}/entfernen/", {}, (302, 403, 403, 404, LOGIN)),
    ("get", "/fahrdienst/", None, (200, 200, 403, 200, LOGIN)),
    ("get", "/fahrdienst/fahrer/neu/", None, (200, 403, 403, 200, LOGIN)),
    ("post", "/fahrdienst/fahrer/neu/", {}, (400, 403, 403, 400, LOGIN)),
    ("get", "/fahrdienst/fahrer/{driver}/", None, (200, 200, 403, 404, LOGIN)),
    ("post", "/fahrdienst/fahrer/{driver}/", {}, (400, 403, 403, 404, LOGIN)),
    ("post", "/fahrdienst/fahrer/{driver}/zeiten/", {}, (400, 403, 403, 404, LOGIN)),
    ("post", "/fahrdienst/zeiten/{window}/entfernen/", {}, (302, 403, 403, 404, LOGIN)),
    ("post", "/fahrdienst/fahrer/{driver}/zugang/", {}, (302, 403, 403, 404, LOGIN)),
    ("get", "/fahrdienst/fahrzeuge/", None, (200, 200, 403, 200, LOGIN)),
    ("get", "/fahrdienst/fahrzeuge/neu/", None, (200, 403, 403, 200, LOGIN)),
    ("get", "/fahrdienst/fahrzeuge/{vehicle}/", None, (200, 403, 403, 404, LOGIN)),
    ("post", "/fahrdienst/fahrzeuge/{vehicle}/", {}, (400, 403, 403, 404, LOGIN)),
    ("get", "/organisation/", None, (200, 403, 403, 200, LOGIN)),
    ("post", "/organisation/", {}, (400, 403, 403, 400, LOGIN)),
]
CASES = [
    pytest.param(method, url, data, user, answers[n], id=f"{method} {url} {user}")
    for method, url, data, answers in TABLE
    for n, user in enumerate(USERS)
]


def objects_of(world) -> dict[str, int]:
    a = world["a"]
    return {
        "offer": a["offer"].pk,
        "session": a["sessions"][0].pk,
        "venue": a["venue"].pk,
        "driver": a["driver"].pk,
        "window": a["driver"].availability.get().pk,
        "vehicle": a["vehicle"].pk,
        "closure": ClosurePeriod.objects.get_or_create(
            organisation=a["org"],
            name="Herbstferien",
            start_date=dt.date(2027, 10, 11),
            end_date=dt.date(2027, 10, 22),
        )[0].pk,
    }


@pytest.mark.parametrize("method,url,data,user,expected", CASES)
def test_who_gets_which_answer(pages, world, method, url, data, user, expected):
    target = url.format(**objects_of(world))
    client = pages[user]
    response = client.get(target) if method == "get" else client.post(target, data)
    if expected == LOGIN:
        assert sent_to_login(response)
    else:
        assert response.status_code == expected


def test_the_drivers_own_pages_stay_theirs(pages):
    """dave keeps his route list; the workspace's menu is not his."""
    assert pages["dave"].get("/fahrer/").status_code == 200
    assert 'href="/gruppen/"' not in pages["dave"].get("/fahrer/").content.decode()


# --- bad input: a message on the field, nothing stored --------------------------------


def group_data(world, **changes):
    data = {
        "title": "Neue Gruppe",
        "venue": world["a"]["venue"].pk,
        "audience": "children",
        "weekday": "2",
        "interval": "1",
        "start_time": "15:00",
        "duration_minutes": "90",
        "first_date": "2026-11-25",
        "holiday_region": "RP",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes,field,text",
    [
        ({"interval": "0"}, "interval", "INTERVAL"),
        ({"duration_minutes": "5"}, "duration_minutes", "15"),
        ({"first_date": "gestern"}, "first_date", "Datum"),
        ({"venue": "venue_b"}, "venue", "gültige Auswahl"),
        ({"paired_offer": "offer_a"}, "paired_offer", "gültige Auswahl"),
        ({"capacity": "100000"}, "capacity", "kleiner oder gleich"),
        (
            {"min_age": "10", "max_age": "8"},
            "max_age",
            "Das Höchstalter liegt unter dem Mindestalter.",
        ),
    ],
)
def test_a_bad_group_is_refused_on_its_field(pages, world, changes, field, text):
    ids = {"venue_b": world["b"]["venue"].pk, "offer_a": world["a"]["offer"].pk}
    changes = {k: ids.get(v, v) for k, v in changes.items()}
    response = pages["alice"].post("/gruppen/neu/", group_data(world, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    error = html.split(f'id="id_{field}_error">', 1)[1].split("</span>", 1)[0]
    assert text in error
    assert not GroupOffer.objects.filter(title="Neue Gruppe").exists()


def test_a_group_created_on_the_page_gets_its_sessions(pages, world):
    response = pages["bob"].post(
        "/gruppen/neu/", group_data(world, interval="2", sectors=["school"])
    )
    offer = GroupOffer.objects.get(title="Neue Gruppe")
    assert response.status_code == 302 and response["Location"] == f"/gruppen/{offer.pk}/"
    assert offer.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert offer.organisation == world["a"]["org"] and offer.sectors == ["school"]
    assert offer.sessions.filter(occurrence_date=dt.date(2026, 11, 25)).exists()
    assert offer.sessions.filter(occurrence_date=dt.date(2026, 12, 9)).exists()


def test_a_cancel_without_reason_changes_nothing(pages, world):
    session = world["a"]["sessions"][0]
    response = pages["alice"].post(
        f"/gruppen/termine/{session.pk}/absagen/", {"reason": " "}, follow=True
    )
    assert "Bitte einen Grund für die Absage angeben" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED and session.sequence == 0


def test_a_move_to_another_organisations_venue_is_refused(pages, world):
    session = world["a"]["sessions"][0]
    data = {"day": "2026-11-25", "start": "15:00", "end": "16:30", "venue": world["b"]["venue"].pk}
    response = pages["alice"].post(f"/gruppen/termine/{session.pk}/verschieben/", data)
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.sequence == 0 and session.venue == world["a"]["venue"]


def test_a_venue_that_cannot_be_placed_is_refused_on_the_field(pages, world):
    """Neither coordinates nor a postcode: the address cannot be placed (no 500)."""
    response = pages["bob"].post("/gruppen/orte/neu/", {"name": "Ohne Lage", "town": "Prüm"})
    assert response.status_code == 400
    assert "Keine Postleitzahl angegeben" in response.content.decode()
    assert not Venue.objects.filter(name="Ohne Lage").exists()


def test_a_closure_is_previewed_first_then_saved(pages, world, django_capture_on_commit_callbacks):
    data = {"name": "Ferien", "start_date": "2026-11-24", "end_date": "2026-11-30"}
    preview = pages["alice"].post("/gruppen/schliesszeiten/", data)
    assert preview.status_code == 200 and "1 Termin fällt aus" in preview.content.decode()
    assert not ClosurePeriod.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = pages["alice"].post("/gruppen/schliesszeiten/", {**data, "confirm": "1"})
    assert saved.status_code == 302
    session = world["a"]["sessions"][0]
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.cancel_reason == "Ferien"
    assert world["b"]["sessions"][0].status == Session.Status.SCHEDULED  # B is not closed


def test_removing_a_closure_reinstates_its_sessions_but_not_others(
    pages, world, django_capture_on_commit_callbacks
):
    """Two closures cover Tuesday 24.11.; removing one leaves that session cancelled
    (the other still closes it); removing the second reinstates it. A session cancelled
    for another reason stays cancelled."""
    org, sessions = world["a"]["org"], world["a"]["sessions"]
    first, later = sessions[0], sessions[1]
    with django_capture_on_commit_callbacks(execute=True):
        one = add_closure(org, "Ferien", first.local_date, later.local_date)
        two = add_closure(org, "Betriebsausflug", first.local_date)
    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.status, later.status) == ("cancelled", "cancelled")
    assert (first.cancel_reason, later.cancel_reason) == ("Ferien", "Ferien")
    with django_capture_on_commit_callbacks(execute=True):
        response = pages["alice"].post(f"/gruppen/schliesszeiten/{one.pk}/entfernen/", follow=True)
    assert "Die Schließzeit „Ferien“ ist entfernt; 1 Termin findet wieder statt." in (
        response.content.decode()
    )
    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.status, later.status) == ("cancelled", "scheduled")
    assert first.cancel_reason == "Betriebsausflug"  # now closed by the other one
    with django_capture_on_commit_callbacks(execute=True):
        pages["alice"].post(f"/gruppen/schliesszeiten/{two.pk}/entfernen/")
    first.refresh_from_db()
    assert first.status == "scheduled"
    later.cancel("Fachkraft krank")
    with django_capture_on_commit_callbacks(execute=True):
        again = add_closure(org, "Fachkraft krank", first.local_date)
        pages["alice"].post(f"/gruppen/schliesszeiten/{again.pk}/entfernen/")
    later.refresh_from_db()
    assert (later.status, later.cancel_reason) == ("cancelled", "Fachkraft krank")
    assert not ClosurePeriod.objects.filter(organisation=org).exists()


def test_a_closure_ending_before_it_starts_is_refused(pages, world):
    data = {"name": "Ferien", "start_date": "2026-11-24", "end_date": "2026-11-20", "confirm": "1"}
    response = pages["alice"].post("/gruppen/schliesszeiten/", data)
    assert response.status_code == 400
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    assert not ClosurePeriod.objects.exists()


# --- the fleet --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "certificate,badge",
    [
        (dt.date(2024, 1, 10), "Führungszeugnis gültig"),
        (dt.date(2022, 1, 10), "Führungszeugnis läuft bald ab"),  # runs out 10.01.2027
        (dt.date(2021, 11, 23), "Führungszeugnis abgelaufen"),
        (None, "Führungszeugnis fehlt"),
    ],
)
def test_the_driver_list_shows_the_certificate_badge(pages, world, certificate, badge):
    driver = world["a"]["driver"]
    driver.certificate_date = certificate
    driver.save(update_fields=["certificate_date"])
    html = pages["bob"].get("/fahrdienst/").content.decode()
    assert badge in html and "Di 13:00–19:00" in html and "Bus A" in html


def test_certificate_state_boundaries():
    driver = Driver(certificate_date=dt.date(2022, 2, 23))  # runs out 23.02.2027
    assert driver.certificate_expires_on == dt.date(2027, 2, 23)
    assert driver.certificate_state(TODAY) == "expiring"  # exactly three months ahead
    assert driver.certificate_state(dt.date(2026, 11, 22)) == "valid"
    assert driver.certificate_state(dt.date(2027, 2, 23)) == "expired"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "Neu", "town": "Prüm"}, "Keine Postleitzahl angegeben"),
        (
            {
                "name": "Neu",
                "latitude": "50.2",
                "longitude": "6.4",
                "certificate_date": "2027-01-01",
            },
            "Das Datum liegt in der Zukunft.",
        ),
    ],
)
def test_a_bad_driver_is_refused_on_its_field(pages, world, data, message):
    response = pages["alice"].post("/fahrdienst/fahrer/neu/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Driver.objects.filter(name="Neu").exists()


def test_an_availability_ending_before_it_starts_is_refused(pages, world):
    driver = world["a"]["driver"]
    data = {"weekday": "3", "start_time": "15:00", "end_time": "14:00"}
    response = pages["alice"].post(f"/fahrdienst/fahrer/{driver.pk}/zeiten/", data)
    assert (
        response.status_code == 400
        and "Das Ende liegt vor dem Beginn." in response.content.decode()
    )
    assert Availability.objects.filter(driver=driver).count() == 1


def test_a_vehicle_with_no_seats_is_refused(pages, world):
    data = {
        "label": "Kleinbus",
        "seats": "0",
        "child_seats": "0",
        "boosters": "0",
        "wheelchair_places": "0",
        "cost_per_km": "0.35",
    }
    response = pages["alice"].post("/fahrdienst/fahrzeuge/neu/", data)
    assert response.status_code == 400
    assert not Vehicle.objects.filter(label="Kleinbus").exists()
    ok = pages["alice"].post(
        "/fahrdienst/fahrzeuge/neu/", {**data, "seats": "8", "is_active": "on"}
    )
    assert ok.status_code == 302
    assert Vehicle.objects.get(label="Kleinbus").organisation == world["a"]["org"]


def test_a_driver_invitation_becomes_the_drivers_login(world):
    driver = Driver.objects.create(
        organisation=world["a"]["org"], name="Neu", latitude=50.0, longitude=6.5
    )
    first = invite_driver(driver, "", world["users"]["alice"])
    second = invite_driver(driver, "", world["users"]["alice"])
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None  # only the newest link works
    user = accept_invitation(second.invitation, "fahrer-neu", "ein-langes-passwort-42")
    driver.refresh_from_db()
    assert driver.user == user
    assert user.memberships.get().role == "driver"


def test_a_team_invitation_links_no_driver(world):
    from backend.accounts.services import invite

    issued = invite(world["a"]["org"], "driver", "", world["users"]["alice"])
    accept_invitation(issued.invitation, "jemand", "ein-langes-passwort-42")
    assert not Driver.objects.filter(user__username="jemand").exists()
    assert Invitation.objects.get().accepted_at is not None
