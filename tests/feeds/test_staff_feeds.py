"""The driver feed (published routes) and the organisation feed (all sessions)."""

import datetime as dt

import pytest
from django.utils import timezone

from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.offers.models import GroupOffer
from backend.offers.services import materialise_sessions
from tests.conftest import TODAY
from tests.feeds.conftest import at, feed_path, get_calendar, parse, publish

pytestmark = pytest.mark.django_db


def fetch(client, issued):
    response = get_calendar(client, feed_path(issued))
    assert "private" in response["Cache-Control"]
    return parse(response.content)


@pytest.fixture
def driver_link(world):
    a = world["a"]
    return services.create_link(a["org"], FeedLink.Kind.DRIVER, driver=a["driver"], day=TODAY)


@pytest.fixture
def org_link(world):
    return services.create_link(world["a"]["org"], FeedLink.Kind.ORGANISATION, day=TODAY)


def test_the_driver_feed_has_one_event_per_published_route_with_ordered_stops(
    client, world, driver_link
):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    assert fetch(client, driver_link).events == {}
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    feed = fetch(client, driver_link)
    driver = part["driver"]
    assert sorted(feed.events) == [f"route-{driver.pk}-2026-11-24-{n}@127.0.0.1" for n in (1, 2)]
    there = feed.events[f"route-{driver.pk}-2026-11-24-1@127.0.0.1"]
    assert str(there["SUMMARY"]) == "Fahrdienst: Hinfahrt"
    assert there.decoded("DTSTART") == at(session.local_date, 14, 20)
    lines = str(there["DESCRIPTION"]).splitlines()
    assert lines[0] == "14:20 Start"
    assert lines[1] == "14:35 Abholen: Dorfstraße 3, 54636 Wolsfeld – steigt ein: MilaA"
    assert lines[2].startswith("14:55 Absetzen: Familienzentrum A, Hauptstraße 1")
    assert lines[2].endswith("– steigt aus: MilaA")
    assert lines[3] == "15:10 Ende"
    assert str(there["LOCATION"]) == "Dorfstraße 3, 54636 Wolsfeld"
    back = feed.events[f"route-{driver.pk}-2026-11-24-2@127.0.0.1"]
    assert str(back["SUMMARY"]) == "Fahrdienst: Rückfahrt"
    # Only what a driver needs: no phone numbers, references or contact names.
    body = feed.calendar.to_ical().decode()
    for private in (part["family"].phone, part["family"].reference, part["family"].contact_name):
        assert private not in body


def test_a_republished_day_raises_the_route_sequence(client, world, driver_link):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    publish(part, session, pickup=at(session.local_date, 14, 30), published_at=at(TODAY, 9))
    feed = fetch(client, driver_link)
    event = feed.events[f"route-{part['driver'].pk}-2026-11-24-1@127.0.0.1"]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTAMP") == at(TODAY, 9)
    assert event.decoded("DTSTART") == at(session.local_date, 14, 15)
    assert len(feed.events) == 2, "the superseded plan is not shown"


def test_the_driver_feed_shows_only_this_drivers_routes(client, world, driver_link):
    from backend.fleet.models import Driver

    part = world["a"]
    other = Driver.objects.create(
        organisation=part["org"], name="Bernd Meier", latitude=49.9, longitude=6.5
    )
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(
        part,
        session,
        pickup=at(session.local_date, 14, 35),
        published_at=at(TODAY, 7),
        driver=other,
    )
    assert fetch(client, driver_link).events == {}


def test_the_organisation_feed_has_every_session_of_every_group(client, world, org_link):
    part = world["a"]
    second = GroupOffer.objects.create(
        organisation=part["org"],
        venue=part["venue"],
        title="Elterncafé",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        start_time=dt.time(9, 30),
        first_date=dt.date(2026, 11, 1),
    )
    materialise_sessions(second, TODAY, 2)
    session = part["offer"].sessions.order_by("starts_at").first()
    session.cancel("Raum belegt")
    feed = fetch(client, org_link)
    assert len(feed.events) == 4 + 2
    assert set(feed.summaries()) == {"Kindergruppe A", "Abgesagt: Kindergruppe A", "Elterncafé"}
    cancelled = feed.events[f"session-{session.pk}@127.0.0.1"]
    assert "Grund: Raum belegt" in str(cancelled["DESCRIPTION"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    body = feed.calendar.to_ical().decode()
    assert world["b"]["offer"].title not in body


def test_the_driver_feed_starts_today_past_routes_and_names_drop_out(
    client, clock, world, driver_link
):
    """A driver needs addresses and first names only for rides still to drive."""
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()  # Tuesday 2026-11-24
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    clock.today = session.local_date
    assert len(fetch(client, driver_link).events) == 2, "today's routes are still there"
    clock.today = session.local_date + dt.timedelta(days=1)
    response = client.get(feed_path(driver_link))
    feed = parse(response.content)
    assert feed.events == {}
    body = response.content.decode()
    assert part["child"].first_name not in body
    assert part["family"].street not in body


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"user": None}, id="user unlinked"),
    ],
)
def test_deactivating_or_unlinking_a_driver_revokes_their_feed_link(
    client, world, driver_link, change, django_capture_on_commit_callbacks
):
    driver = world["a"]["driver"]
    with django_capture_on_commit_callbacks(execute=True):
        for field, value in change.items():
            setattr(driver, field, value)
        driver.save(update_fields=list(change))
    driver_link.link.refresh_from_db()
    assert driver_link.link.revoked_at == timezone.now()
    assert client.get(feed_path(driver_link)).status_code == 404


def test_deleting_the_drivers_user_account_revokes_their_feed_link(client, world, driver_link):
    driver = world["a"]["driver"]
    assert driver.user is not None
    driver.user.delete()
    driver.refresh_from_db()
    assert driver.user is None, "the driver stays, without an account"
    driver_link.link.refresh_from_db()
    assert driver_link.link.revoked_at == timezone.now()
    assert client.get(feed_path(driver_link)).status_code == 404


def test_other_driver_changes_keep_the_feed_link(
    client, world, driver_link, django_capture_on_commit_callbacks
):
    driver = world["a"]["driver"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        driver.phone = "0651 123"
        driver.save()
        driver.is_active = True
        driver.save(update_fields=["is_active"])
    assert callbacks == []
    driver_link.link.refresh_from_db()
    assert driver_link.link.revoked_at is None
    assert client.get(feed_path(driver_link)).status_code == 200


def test_the_revocation_waits_for_the_commit(
    world, driver_link, django_capture_on_commit_callbacks
):
    driver = world["a"]["driver"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        driver.is_active = False
        driver.save(update_fields=["is_active"])
        driver_link.link.refresh_from_db()
        assert driver_link.link.revoked_at is None
    assert len(callbacks) == 1


def test_a_driver_deactivated_without_signals_gets_no_feed(client, world, driver_link):
    """A queryset update skips the receivers; the feed view checks is_active itself."""
    from backend.fleet.models import Driver

    Driver.objects.filter(pk=world["a"]["driver"].pk).update(is_active=False)
    assert client.get(feed_path(driver_link)).status_code == 404
