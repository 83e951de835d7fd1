"""The public group feed, and the correctness rules every feed shares."""

import datetime as dt

import pytest

from backend.offers.models import ClosurePeriod, GroupOffer, Session
from backend.offers.services import materialise_sessions
from tests.conftest import TODAY
from tests.feeds.conftest import at, get_calendar, parse, publish

pytestmark = pytest.mark.django_db


def group_feed(client, offer) -> bytes:
    return get_calendar(client, f"/feeds/group/{offer.pk}.ics").content


def weekly_offer(part: dict, rrule: str, first: dt.date, **kwargs) -> GroupOffer:
    return GroupOffer.objects.create(
        organisation=part["org"],
        venue=part["venue"],
        title="Mittwochsgruppe",
        rrule=rrule,
        start_time=dt.time(15, 0),
        duration_minutes=90,
        first_date=first,
        **{"listing_approved": True, **kwargs},
    )


def test_one_event_per_session_in_berlin_time(client, world):
    offer = world["a"]["offer"]
    body = group_feed(client, offer)
    feed = parse(body)
    sessions = list(offer.sessions.order_by("starts_at"))
    assert len(feed.events) == len(sessions) == 4
    event = feed.events[f"session-{sessions[0].pk}@127.0.0.1"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == at(dt.date(2026, 11, 24), 15)
    assert event.decoded("DTEND") == at(dt.date(2026, 11, 24), 16, 30)
    assert str(event["SUMMARY"]) == "Kindergruppe A"
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (0, "CONFIRMED")
    assert "Familienzentrum A, Hauptstraße 1" in str(event["LOCATION"])
    assert [tz["TZID"] for tz in feed.calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body


def test_dtstamp_and_last_modified_come_from_the_data(client, world):
    session = world["a"]["offer"].sessions.order_by("starts_at").first()
    event = parse(group_feed(client, world["a"]["offer"])).one(f"session-{session.pk}@")
    newest = max(session.updated_at, session.offer.updated_at).replace(microsecond=0)
    assert event.decoded("DTSTAMP") == newest
    assert event.decoded("LAST-MODIFIED") == newest


def test_calendar_title_is_used_and_the_provider_page_linked(client, world):
    offer = world["a"]["offer"]
    offer.calendar_title = "Treffen am Dienstag"
    offer.save(update_fields=["calendar_title", "updated_at"])
    org = world["a"]["org"]
    org.website = "https://traeger-a.example/angebote"
    org.save(update_fields=["website"])
    feed = parse(group_feed(client, offer))
    assert set(feed.summaries()) == {"Treffen am Dienstag"}
    event = next(iter(feed.events.values()))
    assert "https://traeger-a.example/angebote" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://traeger-a.example/angebote"
    assert b"Kindergruppe A" not in group_feed(client, offer)


def test_a_session_across_the_dst_change_keeps_its_local_time(client, world, clock):
    """Weekly Tuesday 15:00 before and after 2026-10-25: 15:00 local both times."""
    offer = weekly_offer(world["a"], "FREQ=WEEKLY;BYDAY=TU", dt.date(2026, 10, 13))
    materialise_sessions(offer, dt.date(2026, 10, 13), 2)
    clock.today = dt.date(2026, 10, 26)
    feed = parse(group_feed(client, offer))
    starts = sorted(e.decoded("DTSTART") for e in feed.events.values())
    assert [s.date() for s in starts] == [
        dt.date(2026, 10, 13),
        dt.date(2026, 10, 20),
        dt.date(2026, 10, 27),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(15, 0)}
    assert [s.utcoffset() for s in starts] == [dt.timedelta(hours=h) for h in (2, 2, 1)]
    assert [s.astimezone(dt.UTC).hour for s in starts] == [13, 13, 14]


def test_a_public_holiday_and_a_closure_produce_no_event(client, world):
    """Fridays: 25.12. and 1.1. are holidays, 8.1. is in the winter closure."""
    part = world["a"]
    ClosurePeriod.objects.create(
        organisation=part["org"],
        name="Winterpause",
        start_date=dt.date(2027, 1, 4),
        end_date=dt.date(2027, 1, 10),
    )
    offer = weekly_offer(part, "FREQ=WEEKLY;BYDAY=FR", dt.date(2026, 12, 18))
    materialise_sessions(offer, dt.date(2026, 11, 23), 8)
    feed = parse(group_feed(client, offer))
    days = sorted(e.decoded("DTSTART").date() for e in feed.events.values())
    assert days == [dt.date(2026, 12, 18), dt.date(2027, 1, 15)]


def test_a_cancelled_session_stays_cancelled_with_a_higher_sequence(client, world):
    offer = world["a"]["offer"]
    session = offer.sessions.order_by("starts_at").first()
    earlier = at(dt.date(2026, 11, 1), 9)
    Session.objects.filter(pk=session.pk).update(updated_at=earlier)
    GroupOffer.objects.filter(pk=offer.pk).update(updated_at=earlier)
    before = parse(group_feed(client, offer)).one(f"session-{session.pk}@")
    assert before.decoded("DTSTAMP") == earlier
    session.refresh_from_db()
    session.cancel("Fachkraft krank")
    after = parse(group_feed(client, offer)).one(f"session-{session.pk}@")
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["SUMMARY"]) == "Abgesagt: Kindergruppe A"
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    # The public feed does not repeat the reason: it may be personal.
    assert "krank" not in str(after.get("DESCRIPTION", ""))


def test_a_moved_session_keeps_its_uid_and_raises_its_sequence(client, world):
    offer = world["a"]["offer"]
    session = offer.sessions.order_by("starts_at").first()
    session.move(at(dt.date(2026, 11, 26), 10), at(dt.date(2026, 11, 26), 11), session.venue)
    feed = parse(group_feed(client, offer))
    event = feed.events[f"session-{session.pk}@127.0.0.1"]
    assert event.decoded("DTSTART") == at(dt.date(2026, 11, 26), 10)
    assert int(event["SEQUENCE"]) == 1
    assert len(feed.events) == 4


def test_the_window_runs_from_four_weeks_back_to_six_months_ahead(client, world, settings):
    offer = world["a"]["offer"]
    materialise_sessions(offer, dt.date(2026, 10, 1), 40)
    days = {e.decoded("DTSTART").date() for e in parse(group_feed(client, offer)).events.values()}
    assert min(days) == dt.date(2026, 10, 27)  # 2026-10-26 is the first day of the window
    assert max(days) == dt.date(2027, 5, 18)  # the window ends on 2027-05-23
    settings.FEED_WEEKS_BACK = 1
    settings.FEED_MONTHS_AHEAD = 1
    days = {e.decoded("DTSTART").date() for e in parse(group_feed(client, offer)).events.values()}
    assert (min(days), max(days)) == (dt.date(2026, 11, 17), dt.date(2026, 12, 22))


def test_the_group_feed_contains_no_personal_data(client, world):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(part, session, pickup=at(session.local_date, 14, 30), published_at=at(TODAY, 7))
    session.cancel("Mila A ist krank")
    body = group_feed(client, part["offer"]).decode()
    family, child, driver = part["family"], part["child"], part["driver"]
    for private in (
        child.first_name,
        family.reference,
        family.contact_name,
        family.street,
        family.phone,
        driver.name.split()[0],
        "Abholung",
    ):
        assert private not in body


def test_an_unknown_offer_answers_404(client, world):
    assert client.get("/feeds/group/999999.ics").status_code == 404
    assert client.get(f"/feeds/group/{2**70}.ics").status_code == 404


def test_an_ended_offer_has_no_public_feed_like_the_catalogue(client, world):
    """One rule for the public (GroupOffer.objects.public()): an offer whose last date has
    passed is neither in the catalogue nor served as a feed; one ending today still is."""
    offer = world["a"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(last_date=TODAY)
    assert client.get(f"/feeds/group/{offer.pk}.ics").status_code == 200
    GroupOffer.objects.filter(pk=offer.pk).update(last_date=TODAY - dt.timedelta(days=1))
    assert client.get(f"/feeds/group/{offer.pk}.ics").status_code == 404
    assert offer.pk not in {o["id"] for o in client.get("/api/public/offers/").json()["results"]}
