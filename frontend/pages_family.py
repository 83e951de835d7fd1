"""Family pages, mounted at /familie/: the subscribe page of a family feed link.

The link's token is the only key: no login. Unknown, revoked or withdrawn links all
answer the same 404 page (frontend/errors.py), so they cannot be told apart.
"""

import functools
from collections.abc import Callable

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import re_path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from backend.families.models import Family
from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.feeds.services import TOKEN_PATTERN
from backend.lib import clock
from backend.selfservice.family import (
    next_pickups,
    report_family_absence,
    take_back_family_absence,
    upcoming_sessions,
)
from frontend.families_forms import AbsenceForm


def _family_link(token: str) -> FeedLink:
    link = services.find_link(token, kind=FeedLink.Kind.FAMILY)
    if link is None or link.family is None:
        raise Http404
    if not services.has_calendar_consent(link.family, clock.today()):
        raise Http404
    return link


def _family(link: FeedLink) -> Family:
    """The family of a link from `_family_link` (a family link always has one)."""
    assert link.family is not None
    return link.family


def _qr_svg(url: str) -> str:
    # segno escapes nothing user-provided here: the URL is ours (site URL + token).
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#1d2733"))  # noqa: S308


def _render(
    request: HttpRequest, link: FeedLink, token: str, *, errors=None, status: int = 200
) -> HttpResponse:
    urls = services.link_urls(link, token)
    now = clock.now()
    context = {
        "token": token,
        "feed_url": urls["feed_url"],
        "webcal_url": urls["webcal_url"],
        "qr_svg": _qr_svg(urls["webcal_url"]),
        "upcoming": upcoming_sessions(_family(link), now),
        "pickups": next_pickups(_family(link), now),
        "errors": errors or {},
    }
    response = render(request, "frontend/family/subscribe.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


FamilyView = Callable[[HttpRequest, FeedLink, str], HttpResponse]


def family_page(view: FamilyView) -> Callable[[HttpRequest, str], HttpResponse]:
    """Give `view` the family's link; an unknown, revoked or withdrawn one is the 404 page."""

    @functools.wraps(view)
    def with_link(request: HttpRequest, token: str) -> HttpResponse:
        return view(request, _family_link(token), token)

    return with_link


@never_cache
@require_safe
@family_page
def subscribe(request: HttpRequest, link: FeedLink, token: str) -> HttpResponse:
    return _render(request, link, token)


@never_cache
@require_POST
@family_page
def absence(request: HttpRequest, link: FeedLink, token: str) -> HttpResponse:
    """Report that a family member will miss a session, then back to the page (303)."""
    return _change_absence(
        request,
        link,
        token,
        lambda family, session_id, participant_id: report_family_absence(
            family, session_id, participant_id, clock.now()
        )[1],  # whether it was new
        done=_("Danke, die Abmeldung ist eingetragen."),
        already=_("Diese Abmeldung war schon eingetragen."),
    )


@never_cache
@require_POST
@family_page
def absence_take_back(request: HttpRequest, link: FeedLink, token: str) -> HttpResponse:
    """Take back an absence the family reported ("kommt doch"), then back to the page (303)."""
    return _change_absence(
        request,
        link,
        token,
        lambda family, session_id, participant_id: take_back_family_absence(
            family, session_id, participant_id, clock.now()
        ),
        done=_("Die Abmeldung ist zurückgenommen."),
        already=_("Diese Abmeldung war schon zurückgenommen."),
    )


def _change_absence(
    request: HttpRequest,
    link: FeedLink,
    token: str,
    change: Callable[[Family, int, int], bool],
    *,
    done: str,
    already: str,
) -> HttpResponse:
    """Apply `change` to the form's session and participant; `change` says whether
    anything changed (`done`) or it had been so already (`already`)."""
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        return _render(request, link, token, errors=form.errors, status=400)
    try:
        changed = change(
            _family(link), form.cleaned_data["session"], form.cleaned_data["participant"]
        )
    except ValidationError as exc:
        return _render(request, link, token, errors=exc.message_dict, status=400)
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, already)
    return _back_to_page(token)


def _back_to_page(token: str) -> HttpResponse:
    response = HttpResponseRedirect(reverse("family-subscribe", kwargs={"token": token}))
    response.status_code = 303
    return response


urlpatterns = [
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/$", subscribe, name="family-subscribe"),
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/abmelden/$", absence, name="family-absence"),
    re_path(
        rf"^(?P<token>{TOKEN_PATTERN})/abmeldung-zuruecknehmen/$",
        absence_take_back,
        name="family-absence-take-back",
    ),
]
