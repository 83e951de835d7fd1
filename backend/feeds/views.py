"""Feed endpoints: parse the URL, find the feed, answer 304 or render."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from backend.feeds import cache, services
from backend.feeds.content import Feed, GroupFeed
from backend.offers.models import GroupOffer

CONTENT_TYPE = "text/calendar; charset=utf-8"
# One body for every unknown, revoked or withdrawn link: it must not tell them apart.
NOT_FOUND = b"Not Found\n"
MAX_AGE = 3600
MAX_ID = 2**63 - 1


def not_found() -> HttpResponse:
    return HttpResponseNotFound(NOT_FOUND, content_type="text/plain; charset=utf-8")


def respond(request: HttpRequest, feed: Feed, *, public: bool) -> HttpResponse:
    """304 when the client's copy is current (no rendering), otherwise the whole feed."""
    validator = cache.validator(feed)
    etag = quote_etag(validator.etag)
    last_modified = int(validator.last_modified.timestamp()) if validator.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(cache.body(feed, validator.etag), content_type=CONTENT_TYPE)
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


@require_safe
def group_feed(request: HttpRequest, offer_id: int) -> HttpResponse:
    if offer_id > MAX_ID:
        return not_found()
    offer = GroupOffer.objects.select_related("organisation").filter(pk=offer_id).first()
    if offer is None:
        return not_found()
    return respond(request, GroupFeed(offer, services.today()), public=True)


@require_safe
def token_feed(request: HttpRequest, token: str) -> HttpResponse:
    link = services.find_link(token)
    feed = services.feed_for_link(link, services.today()) if link else None
    if feed is None:
        return not_found()
    return respond(request, feed, public=False)
