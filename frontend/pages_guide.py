"""The public offer guide (Angebotswegweiser), mounted at /angebote/: no login.

Search and filters are the guide's one search (`backend.guide.search`), the offers'
texts one view-model (`backend.guide.cards`), shared with the JSON API and the brochure.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from backend.guide import printing
from backend.guide.cards import card, day_label, next_dates
from backend.guide.search import Hit, SearchForm, find_offers, listed_offers
from backend.organisations.models import Organisation
from frontend import maps

FILTERS = ("weekday", "sector", "audience", "registration_required", "shuttle_offered")


def _public(response: HttpResponse) -> HttpResponse:
    # A PDF is the same for everyone (German, no form, no token), but it changes with
    # the offers: a short cache. HTML pages are not marked: they carry a CSRF token.
    response["Cache-Control"] = "public, max-age=300"
    return response


def venue_map(cards: list) -> maps.MapData:
    """One marker per venue, numbered like the list; several offers share one marker."""
    places: dict[tuple[float, float], list[str]] = {}
    numbers: dict[tuple[float, float], list[str]] = {}
    for number, c in enumerate(cards, start=1):
        if c.latitude is None or c.longitude is None:
            continue
        where = (c.latitude, c.longitude)
        places.setdefault(where, []).append(f"{number}. {c.title} ({c.town})")
        numbers.setdefault(where, []).append(str(number))
    markers = [
        maps.Marker(lat, lon, "; ".join(places[(lat, lon)]), "place", ",".join(numbers[(lat, lon)]))
        for (lat, lon) in places
    ]
    return maps.MapData(
        markers=markers, label=_("Karte der Orte, an denen die Angebote stattfinden")
    )


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    searched = form.is_bound
    if searched and form.is_valid():
        hits = find_offers(form.criteria())
    else:
        hits = [Hit(offer, None) for offer in listed_offers()] if not searched else []
    cards = [card(hit) for hit in hits]
    more_open = searched and any(request.GET.get(name) for name in FILTERS)
    context = {
        "form": form,
        "searched": searched,
        "cards": cards,
        "map": venue_map(cards).as_json(),
        "more_open": more_open or bool(form.errors),
        "more_fields": [form[name] for name in FILTERS],
    }
    return render(request, "frontend/guide/list.html", context)


@require_safe
def offer_page(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = listed_offers().filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    the_card = card(Hit(offer, None))
    dates = [
        {"day": day_label(d.starts_at), "date": d, "moved": d.moved_elsewhere}
        for d in next_dates(offer)
    ]
    context = {
        "card": the_card,
        "dates": dates,
        "feed_url": request.build_absolute_uri(the_card.feed_path),
        "map": venue_map([the_card]).as_json(),
    }
    return render(request, "frontend/guide/offer.html", context)


def _provider(request: HttpRequest) -> Organisation | None:
    """`?provider=<slug>`: one provider's offers; none for the whole district."""
    slug = request.GET.get("provider", "")
    if not slug:
        return None
    provider = Organisation.objects.filter(slug=slug).first()
    if provider is None:
        raise Http404
    return provider


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return _public(response)


@require_safe
def brochure(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    name = f"angebote-{provider.slug}.pdf" if provider else "angebote.pdf"
    return _pdf(printing.brochure_pdf(provider), name)


@require_safe
def poster(request: HttpRequest) -> HttpResponse:
    provider = _provider(request)
    size = "A3" if request.GET.get("size", "").upper() == "A3" else "A4"
    return _pdf(printing.poster_pdf(provider, size), f"plakat-{size.lower()}.pdf")


urlpatterns = [
    path("", guide, name="guide"),
    path("<int:offer_id>/", offer_page, name="guide-offer"),
    path("broschuere.pdf", brochure, name="guide-brochure"),
    path("plakat.pdf", poster, name="guide-poster"),
]
