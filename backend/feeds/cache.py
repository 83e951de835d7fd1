"""Cached feed validators and rendered feeds (Django's cache framework).

Calendar apps poll all day, and nearly every poll is a conditional GET whose answer
is 304. So both steps of a feed answer are cached:

- the **validator** (ETag, Last-Modified) per feed and window, for at most
  FEED_VALIDATOR_CACHE_SECONDS, under a *generation* number that every save or
  delete of a model the feeds read raises: an edit reaches the next poll at once.
  Writes that send no signals (bulk updates, e.g. publishing a plan) reach it when
  the entry expires. A 304 is then the token lookup plus two cache reads.
- the **rendered body**, keyed by the feed's kind and ETag (the ETag hashes
  everything the body depends on), for FEED_BODY_CACHE_SECONDS.

The cache is per process (local memory) by default and shared by all workers when
CACHE_URL points at Redis. Secret tokens never go into a key: keys name the feed
kind and the subject's id.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from backend.families.models import Absence, ConsentRecord, Enrolment, Family, Participant
from backend.feeds.content import Feed, Validator, Window
from backend.fleet.models import Driver
from backend.offers.models import GroupOffer, Session, Venue
from backend.organisations.models import Organisation
from backend.planning.models import Publication, Route, Stop, StopPassenger

GENERATION_KEY = "feeds:generation"
WATCHED = (
    Organisation,
    Venue,
    GroupOffer,
    Session,
    Family,
    ConsentRecord,
    Participant,
    Enrolment,
    Absence,
    Driver,
    Publication,
    Route,
    Stop,
    StopPassenger,
)


def _generation() -> int:
    return int(cache.get_or_set(GENERATION_KEY, 0, timeout=None) or 0)


def invalidate(**_kwargs) -> None:
    """A model the feeds read changed: every cached validator is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (yet, or evicted)
        cache.set(GENERATION_KEY, 1, timeout=None)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(invalidate, sender=model, dispatch_uid=f"feeds-cache-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"feeds-cache-{model.__name__}")


def _validator_key(identity: str, window: Window) -> str:
    start, end = window  # moves with the day (and with the window settings)
    return f"feeds:validator:{identity}:{start:%Y%m%d}-{end:%Y%m%d}:{_generation()}"


def cached_validator(identity: str, window: Window) -> Validator | None:
    """The validator of the feed named `identity`, if the cache has a fresh one."""
    if settings.FEED_VALIDATOR_CACHE_SECONDS <= 0:
        return None
    cached = cache.get(_validator_key(identity, window))
    if cached is None:
        return None
    etag, stamp = cached
    return Validator(etag=etag, last_modified=dt.datetime.fromtimestamp(stamp, dt.UTC))


def store_validator(identity: str, window: Window, validator: Validator) -> None:
    seconds = settings.FEED_VALIDATOR_CACHE_SECONDS
    if seconds > 0 and validator.last_modified is not None:
        value = (validator.etag, validator.last_modified.timestamp())
        cache.set(_validator_key(identity, window), value, timeout=seconds)


def body(identity: str, etag: str, feed: Callable[[], Feed]) -> bytes:
    """The rendered feed for this ETag, rendered at most once per cache lifetime."""
    key = f"feeds:body:{identity.split(':')[0]}:{etag}"
    cached = cache.get(key)
    if cached is None:
        cached = feed().render()
        cache.set(key, cached, timeout=settings.FEED_BODY_CACHE_SECONDS)
    return cached
