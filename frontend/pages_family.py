"""Family pages, mounted at /familie/: the subscribe page of a family feed link.

The link's token is the only key: no login. Unknown, revoked or withdrawn links all
answer the same 404 page (frontend/errors.py), so they cannot be told apart.
"""

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import re_path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from backend.feeds import services
from backend.feeds.family import next_pickups, report_family_absence, upcoming_sessions
from backend.feeds.models import FeedLink
from backend.feeds.services import TOKEN_PATTERN


class AbsenceForm(forms.Form):
    session = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    participant = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def _family_link(token: str) -> FeedLink:
    link = services.find_link(token, kind=FeedLink.Kind.FAMILY)
    if link is None or not services.has_calendar_consent(link.family, services.today()):
        raise Http404
    return link


def _qr_svg(url: str) -> str:
    # segno escapes nothing user-provided here: the URL is ours (site URL + token).
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#1d2733"))  # noqa: S308


def _render(
    request: HttpRequest, link: FeedLink, token: str, *, errors=None, status: int = 200
) -> HttpResponse:
    urls = services.link_urls(link, token)
    now = services.now()
    context = {
        "token": token,
        "feed_url": urls["feed_url"],
        "webcal_url": urls["webcal_url"],
        "qr_svg": _qr_svg(urls["webcal_url"]),
        "upcoming": upcoming_sessions(link.family, now),
        "pickups": next_pickups(link.family, now),
        "errors": errors or {},
    }
    response = render(request, "frontend/family/subscribe.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def subscribe(request: HttpRequest, token: str) -> HttpResponse:
    link = _family_link(token)
    return _render(request, link, token)


@never_cache
@require_POST
def absence(request: HttpRequest, token: str) -> HttpResponse:
    """Report that a family member will miss a session, then back to the page (303)."""
    link = _family_link(token)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        return _render(request, link, token, errors=form.errors, status=400)
    try:
        _absence, created = report_family_absence(
            link.family,
            form.cleaned_data["session"],
            form.cleaned_data["participant"],
            services.now(),
        )
    except ValidationError as exc:
        return _render(request, link, token, errors=exc.message_dict, status=400)
    if created:
        messages.success(request, _("Danke, die Abmeldung ist eingetragen."))
    else:
        messages.info(request, _("Diese Abmeldung war schon eingetragen."))
    response = HttpResponseRedirect(reverse("family-subscribe", kwargs={"token": token}))
    response.status_code = 303
    return response


urlpatterns = [
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/$", subscribe, name="family-subscribe"),
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/abmelden/$", absence, name="family-absence"),
]
