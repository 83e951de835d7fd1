"""The family feed: the family's own sessions and rides, and nothing else."""

import datetime as dt

import pytest

from backend.families.models import Participant
from backend.families.services import report_absence
from backend.offers.models import Session
from tests.conftest import TODAY, add_child, add_family
from tests.feeds.conftest import at, feed_path, get_calendar, parse, publish

pytestmark = pytest.mark.django_db


def family_feed(client, issued):
    return parse(get_calendar(client, feed_path(issued)).content)


def sessions_of(part):
    return list(part["offer"].sessions.order_by("starts_at"))


def session_days(feed) -> list[dt.date]:
    return sorted(
        e.decoded("DTSTART").date() for uid, e in feed.events.items() if uid.startswith("session-")
    )


def second_family(part, first_name="Jonas") -> Participant:
    """A child of another family of the same organisation."""
    family = add_family(part["org"], "F-A-2", 49.99, 6.55, consent=False, street="Bergweg 9")
    return add_child(family, part["offer"], first_name, born=(2017, 3))


def test_sessions_of_the_family_with_neutral_wording(client, world, family_link):
    part = world["a"]
    feed = family_feed(client, family_link)
    family = part["family"]
    assert sorted(feed.events) == sorted(
        f"session-{s.pk}-family-{family.pk}@127.0.0.1" for s in sessions_of(part)
    )
    event = next(iter(feed.events.values()))
    assert str(event["SUMMARY"]) == "Kindergruppe A"
    assert "Dabei: Ihr Kind" in str(event["DESCRIPTION"])
    assert part["child"].first_name.encode() not in feed.calendar.to_ical()


def test_first_names_only_when_the_family_opted_in(client, world, family_link):
    family = world["a"]["family"]
    family.show_first_names_in_calendar = True
    family.save(update_fields=["show_first_names_in_calendar", "updated_at"])
    event = next(iter(family_feed(client, family_link).events.values()))
    assert "Dabei: MilaA" in str(event["DESCRIPTION"])


def test_a_join_date_in_the_window_starts_the_events_there(client, world, family_link):
    enrolment = world["a"]["enrolment"]
    enrolment.joined_on = dt.date(2026, 12, 1)
    enrolment.left_on = dt.date(2026, 12, 8)
    enrolment.save(update_fields=["joined_on", "left_on"])
    days = session_days(family_feed(client, family_link))
    assert days == [dt.date(2026, 12, 1), dt.date(2026, 12, 8)]


def test_an_absence_removes_the_session_and_its_rides(client, world, family_link):
    part = world["a"]
    first, second = sessions_of(part)[:2]
    for session in (first, second):
        publish(part, session, pickup=at(session.local_date, 14, 30), published_at=at(TODAY, 7))
    report_absence(part["child"], first, source="family")
    feed = family_feed(client, family_link)
    assert dt.date(2026, 11, 24) not in session_days(feed)
    assert len(session_days(feed)) == 3
    rides = [e for uid, e in feed.events.items() if uid.startswith("ride-")]
    assert {e.decoded("DTSTART").date() for e in rides} == {dt.date(2026, 12, 1)}


def test_pickup_and_drop_off_appear_when_a_plan_is_published(client, world, family_link):
    part = world["a"]
    session = sessions_of(part)[0]
    # A ride's DTSTAMP is the newer of its publication and its session's last change;
    # the fixtures' change time is the real clock, so pin it before the publication.
    Session.objects.filter(pk=session.pk).update(updated_at=at(dt.date(2026, 11, 1), 9))
    assert not [u for u in family_feed(client, family_link).events if u.startswith("ride-")]
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    feed = family_feed(client, family_link)
    child = part["child"]
    there = feed.events[f"ride-{session.pk}-{child.pk}-there@127.0.0.1"]
    back = feed.events[f"ride-{session.pk}-{child.pk}-back@127.0.0.1"]
    assert str(there["SUMMARY"]) == "Abholung 14:35 – Fahrer*in Anna"
    assert there.decoded("DTSTART") == at(session.local_date, 14, 35)
    assert there["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(there["LOCATION"]) == part["family"].address_line
    assert str(back["SUMMARY"]) == "Heimfahrt 16:30, zu Hause etwa 16:55 – Fahrer*in Anna"
    assert back.decoded("DTEND") == at(session.local_date, 16, 55)
    assert there.decoded("DTSTAMP") == at(TODAY, 7)
    assert "Für: Ihr Kind" in str(there["DESCRIPTION"])


def test_ride_events_start_on_the_whole_minute_their_title_names(client, world, family_link):
    """Rides are planned to the second; the calendar shows the minute of the title."""
    part = world["a"]
    session = sessions_of(part)[0]
    pickup = at(session.local_date, 14, 23) + dt.timedelta(seconds=40)
    publish(part, session, pickup=pickup, published_at=at(TODAY, 7))
    feed = family_feed(client, family_link)
    there = feed.events[f"ride-{session.pk}-{part['child'].pk}-there@127.0.0.1"]
    assert str(there["SUMMARY"]) == "Abholung 14:23 – Fahrer*in Anna"
    assert there.decoded("DTSTART") == at(session.local_date, 14, 23)
    assert there.decoded("DTEND").second == 0


def test_a_changed_pickup_time_raises_the_sequence(client, world, family_link):
    part = world["a"]
    session = sessions_of(part)[0]
    child = part["child"]
    there, back = (f"ride-{session.pk}-{child.pk}-{d}@127.0.0.1" for d in ("there", "back"))

    def sequences():
        events = family_feed(client, family_link).events
        return int(events[there]["SEQUENCE"]), int(events[back]["SEQUENCE"])

    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    assert sequences() == (0, 0)
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 8))
    assert sequences() == (0, 0), "re-published unchanged: no change"
    publish(part, session, pickup=at(session.local_date, 14, 20), published_at=at(TODAY, 9))
    assert sequences() == (1, 0)
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 10))
    assert sequences() == (2, 0), "changed back is a change too"
    session.cancel("Ausfall")
    assert sequences() == (3, 1)


def test_a_cancelled_session_and_its_rides_are_cancelled(client, world, family_link):
    part = world["a"]
    session = sessions_of(part)[0]
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    session.cancel("Die Gruppe fällt wegen Krankheit aus")
    feed = family_feed(client, family_link)
    cancelled = [e for uid, e in feed.events.items() if f"-{session.pk}-" in uid]
    assert len(cancelled) == 3
    assert {str(e["STATUS"]) for e in cancelled} == {"CANCELLED"}
    assert all(str(e["SUMMARY"]).startswith("Abgesagt: ") for e in cancelled)
    assert all(int(e["SEQUENCE"]) >= 1 for e in cancelled)


def test_the_family_feed_never_contains_another_familys_data(client, world, family_link):
    part, other = world["a"], world["b"]
    jonas = second_family(part)
    session = sessions_of(part)[0]
    pickup = at(session.local_date, 14, 35)
    publish(
        part,
        session,
        pickup=pickup,
        published_at=at(TODAY, 7),
        riders=[(part["child"], pickup), (jonas, pickup - dt.timedelta(minutes=10))],
    )
    publish(
        other,
        sessions_of(other)[0],
        pickup=pickup,
        published_at=at(TODAY, 7),
    )
    for family in (jonas.family, other["family"]):
        family.show_first_names_in_calendar = True
        family.save(update_fields=["show_first_names_in_calendar", "updated_at"])
    body = family_feed(client, family_link).calendar.to_ical().decode()
    for foreign in (
        jonas.first_name,
        jonas.family.reference,
        jonas.family.contact_name,
        jonas.family.street,
        other["child"].first_name,
        other["family"].reference,
        other["family"].contact_name,
        other["offer"].title,
        "14:25",
    ):
        assert foreign not in body
    assert body.count("BEGIN:VEVENT") == 4 + 2


def test_several_children_are_told_apart_without_names(client, world, family_link):
    part = world["a"]
    sibling = add_child(part["family"], part["offer"], "Ben", born=(2016, 1))
    session = sessions_of(part)[0]
    pickup = at(session.local_date, 14, 35)
    riders = [(part["child"], pickup), (sibling, pickup)]
    publish(part, session, pickup=pickup, published_at=at(TODAY, 7), riders=riders)
    feed = family_feed(client, family_link)
    description = str(feed.one(f"session-{session.pk}-").get("DESCRIPTION"))
    assert "Dabei: Ihr Kind 1, Ihr Kind 2" in description
    summaries = sorted(s for s in feed.summaries() if s.startswith("Abholung"))
    assert summaries == [
        "Abholung 14:35 – Fahrer*in Anna (Ihr Kind 1)",
        "Abholung 14:35 – Fahrer*in Anna (Ihr Kind 2)",
    ]
    assert "Ben" not in feed.calendar.to_ical().decode()


def test_a_feed_without_an_active_calendar_consent_answers_404(
    client, world, family_link, calendar_consent
):
    calendar_consent.withdrawn_on = TODAY
    calendar_consent.save(update_fields=["withdrawn_on"])
    assert client.get(feed_path(family_link)).status_code == 404
