"""Feed endpoints: parse the URL, find the feed, answer 304 or render."""

import datetime as dt
from collections.abc import Callable

from csp.decorators import csp_exempt
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from backend.feeds import cache, services
from backend.feeds.content import Feed, GroupFeed, feed_window
from backend.lib import clock
from backend.offers.models import GroupOffer

CONTENT_TYPE = "text/calendar; charset=utf-8"
# One body for every unknown, revoked or withdrawn link: it must not tell them apart.
NOT_FOUND = b"Not Found\n"
MAX_AGE = 3600
MAX_ID = 2**63 - 1


def not_found() -> HttpResponse:
    return HttpResponseNotFound(NOT_FOUND, content_type="text/plain; charset=utf-8")


class LazyFeed:
    """Builds the feed (loading its subject) only when the cache cannot answer."""

    def __init__(self, build: Callable[[], Feed]):
        self._build = build
        self._feed: Feed | None = None

    def __call__(self) -> Feed:
        if self._feed is None:
            self._feed = self._build()
        return self._feed


def respond(
    request: HttpRequest, identity: str, day: dt.date, feed: LazyFeed, *, public: bool
) -> HttpResponse:
    """304 when the client's copy is current (no rendering), otherwise the whole feed.

    The validator and the body come from the cache when they can (backend/feeds/cache.py),
    so a repeated poll neither loads the feed's data nor renders it.
    """
    window = feed_window(day)
    validator = cache.cached_validator(identity, window)
    if validator is None:
        validator = feed().validator()
        cache.store_validator(identity, window, validator)
    etag = quote_etag(validator.etag)
    last_modified = int(validator.last_modified.timestamp()) if validator.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        body = cache.body(identity, validator.etag, feed)
        response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if public:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        # The URL is a secret: shared caches must not keep the personal content.
        patch_cache_control(response, private=True, max_age=MAX_AGE)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


# Calendars are not pages: no Content-Security-Policy to build on every poll.
@csp_exempt()  # type: ignore[arg-type]  # django-csp types views as (request) -> response
@require_safe
def group_feed(request: HttpRequest, offer_id: int) -> HttpResponse:
    if offer_id > MAX_ID:
        return not_found()
    # The catalogue's rule: an ended offer has no public feed, like an unknown one.
    offer = GroupOffer.objects.public().select_related("organisation").filter(pk=offer_id).first()
    if offer is None:
        return not_found()
    day = clock.today()
    feed = LazyFeed(lambda: GroupFeed(offer, day))
    return respond(request, f"group:{offer.pk}", day, feed, public=True)


@csp_exempt()  # type: ignore[arg-type]  # django-csp types views as (request) -> response
@require_safe
def token_feed(request: HttpRequest, token: str) -> HttpResponse:
    day = clock.today()
    link = services.find_active_link(token, day)
    if link is None:
        return not_found()
    feed = LazyFeed(lambda: services.feed_for(link, day))
    return respond(request, link.identity, day, feed, public=False)
