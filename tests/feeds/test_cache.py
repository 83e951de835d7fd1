"""Cached validators and bodies: a repeated poll costs the token lookup and cache
reads, an edit reaches the next poll at once, and a revoked link still answers 404."""

import pytest
from django.utils import timezone

from backend.feeds.content import Feed, GroupFeed
from backend.feeds.models import FeedLink
from tests.feeds.conftest import KINDS, feed_path

pytestmark = pytest.mark.django_db


def _fail(*_args):
    pytest.fail("computed although cached")


@pytest.mark.parametrize("kind", KINDS)
def test_a_repeated_poll_is_answered_from_the_cache(
    client, urls, kind, monkeypatch, django_assert_max_num_queries
):
    first = client.get(urls[kind])
    monkeypatch.setattr(Feed, "render", _fail)
    for cls in Feed.__subclasses__():
        monkeypatch.setattr(cls, "validator", _fail)
    # Token feeds still look their link (and the family's consent) up, in one query:
    # revocation and withdrawal take effect at once. The group feed looks up its offer.
    with django_assert_max_num_queries(1):
        conditional = client.get(urls[kind], HTTP_IF_NONE_MATCH=first["ETag"])
    assert conditional.status_code == 304
    full = client.get(urls[kind])
    assert full.status_code == 200 and full.content == first.content


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_reaches_the_next_poll_at_once(client, world, urls, kind):
    first = client.get(urls[kind])
    session = world["a"]["offer"].sessions.order_by("starts_at").last()
    session.cancel("Raum belegt")
    after = client.get(urls[kind], HTTP_IF_NONE_MATCH=first["ETag"])
    if kind == "driver":  # the driver feed shows routes, not sessions
        assert after.status_code == 304
    else:
        assert after.status_code == 200
        assert after["ETag"] != first["ETag"]
        assert b"Abgesagt" in after.content


def test_a_revoked_link_answers_404_although_its_feed_is_cached(client, world, family_link):
    path = feed_path(family_link)
    assert client.get(path).status_code == 200
    FeedLink.objects.filter(pk=family_link.link.pk).update(revoked_at=timezone.now())
    assert client.get(path).status_code == 404


def test_the_cache_can_be_turned_off(client, urls, settings, monkeypatch):
    settings.FEED_VALIDATOR_CACHE_SECONDS = 0
    first = client.get(urls["group"])
    calls = []
    original = GroupFeed.validator
    monkeypatch.setattr(GroupFeed, "validator", lambda self: calls.append(1) or original(self))
    client.get(urls["group"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert calls == [1]
