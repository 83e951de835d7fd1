"""HTTP behaviour of the feeds: conditional GETs, stable bytes, 404s, query counts."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.http import http_date

from backend.families.models import ConsentRecord, Enrolment, Participant
from backend.families.services import report_absence, withdraw_consent
from backend.feeds import services
from backend.feeds.content import Feed
from backend.feeds.models import FeedLink
from backend.offers.models import GroupOffer
from backend.offers.services import materialise_sessions
from tests.conftest import TODAY
from tests.feeds.conftest import KINDS, at, feed_path, parse, publish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
def test_an_unchanged_feed_is_byte_identical_with_a_stable_etag(client, world, urls, kind):
    part = world["a"]
    session = part["offer"].sessions.order_by("starts_at").first()
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    first, second = client.get(urls[kind]), client.get(urls[kind])
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith('"') and first["ETag"].endswith('"')
    assert first["Last-Modified"] == second["Last-Modified"]
    parse(first.content)


@pytest.mark.parametrize("kind", KINDS)
def test_if_none_match_answers_304_without_rendering(
    client, world, urls, kind, monkeypatch, django_assert_max_num_queries
):
    etag = client.get(urls[kind])["ETag"]
    monkeypatch.setattr(Feed, "render", lambda self: pytest.fail("rendered on a 304"))
    with django_assert_max_num_queries(8):
        response = client.get(urls[kind], HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("kind", KINDS)
def test_if_modified_since_answers_304(client, world, urls, kind):
    last_modified = client.get(urls[kind])["Last-Modified"]
    assert client.get(urls[kind], HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
    assert client.get(urls[kind], HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_stale_etag_gets_the_new_feed(client, world, urls, clock):
    part = world["a"]
    etags = {kind: client.get(urls[kind])["ETag"] for kind in KINDS}
    session = part["offer"].sessions.order_by("starts_at").first()
    clock.now += dt.timedelta(minutes=1)
    session.cancel("Ausfall")
    for kind in ("group", "family", "organisation"):
        response = client.get(urls[kind], HTTP_IF_NONE_MATCH=etags[kind])
        assert response.status_code == 200, kind
        assert response["ETag"] != etags[kind]
    publish(part, session, pickup=at(session.local_date, 14, 35), published_at=at(TODAY, 7))
    assert client.get(urls["driver"], HTTP_IF_NONE_MATCH=etags["driver"]).status_code == 200


def test_an_absence_changes_the_family_etag(client, world, urls):
    part = world["a"]
    etag = client.get(urls["family"])["ETag"]
    report_absence(part["child"], part["offer"].sessions.first(), source="family")
    assert client.get(urls["family"], HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_etag_changes_with_the_day_the_window_moves(client, world, urls, clock):
    etag = client.get(urls["group"])["ETag"]
    clock.today = TODAY + dt.timedelta(days=1)
    assert client.get(urls["group"], HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_head_works_and_other_methods_are_refused(client, world, urls):
    assert client.head(urls["family"]).status_code == 200
    assert client.post(urls["family"]).status_code == 405


def test_unknown_revoked_and_rotated_tokens_all_answer_the_same_404(client, world, family_link):
    unknown = client.get("/feeds/" + "x" * 43 + ".ics")
    assert unknown.status_code == 404
    old_url = feed_path(family_link)
    rotated = services.rotate_link(family_link.link, timezone.now())
    rotated_old = client.get(old_url)
    assert client.get(feed_path(rotated)).status_code == 200
    services.revoke_link(family_link.link, timezone.now())
    revoked = client.get(feed_path(rotated))
    malformed = client.get("/feeds/short.ics")
    for response in (rotated_old, revoked, malformed):
        assert response.status_code == 404
    assert unknown.content == rotated_old.content == revoked.content


def test_withdrawing_the_calendar_consent_revokes_the_feed(
    client, world, family_link, calendar_consent, django_capture_on_commit_callbacks
):
    transport = ConsentRecord.objects.get(family=world["a"]["family"], purpose="transport")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(transport, TODAY)
    assert client.get(feed_path(family_link)).status_code == 200, "other purposes don't"
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(calendar_consent, TODAY)
    family_link.link.refresh_from_db()
    assert family_link.link.revoked_at is not None
    assert client.get(feed_path(family_link)).status_code == 404


def test_a_new_family_link_needs_an_active_calendar_consent(world):
    a = world["a"]
    with pytest.raises(Exception, match="Einwilligung"):
        services.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)


def test_tokens_are_long_random_and_stored_only_hashed(world, family_link):
    token = family_link.token
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    link = FeedLink.objects.get(pk=family_link.link.pk)
    assert token not in {link.token_hash, link.token_hint}
    assert link.token_hash == services.hash_token(token)
    assert len(link.token_hint) == 4


# --- Query counts on the full path ----------------------------------------------------


def big_family(part, children: int, weeks: int) -> None:
    """Several children in several weekly groups over the window, with published rides."""
    sessions = []
    for number in range(children):
        offer = GroupOffer.objects.create(
            organisation=part["org"],
            venue=part["venue"],
            title=f"Gruppe {number}",
            rrule=f"FREQ=WEEKLY;BYDAY={['MO', 'WE', 'TH'][number % 3]}",
            start_time=dt.time(15, 0),
            first_date=dt.date(2026, 10, 1),
        )
        materialise_sessions(offer, dt.date(2026, 10, 27), weeks)
        child = Participant.objects.create(
            family=part["family"], first_name=f"Kind{number}", birth_year=2018, birth_month=1
        )
        Enrolment.objects.create(
            participant=child, offer=offer, joined_on=dt.date(2026, 10, 1), transport="both"
        )
        sessions += [(s, child) for s in offer.sessions.all()]
    for session, child in sessions[:: max(1, len(sessions) // 12)]:
        pickup = session.starts_at - dt.timedelta(minutes=30)
        publish(part, session, pickup=pickup, published_at=at(TODAY, 7), riders=[(child, pickup)])


@pytest.mark.parametrize("kind", KINDS)
def test_the_full_path_runs_a_constant_number_of_queries(
    client, world, urls, kind, django_assert_max_num_queries
):
    big_family(world["a"], children=3, weeks=26)
    with django_assert_max_num_queries(16):
        response = client.get(urls[kind])
    assert response.status_code == 200
    events = parse(response.content).events
    assert len(events) >= {"group": 4, "family": 60, "driver": 12, "organisation": 60}[kind]
