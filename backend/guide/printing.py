"""The guide on paper: a brochure of all listed offers and a poster, both with QR codes.

Generated from the data on request (WeasyPrint), always in German, with the edition's
date printed. Per district (every listed offer) or per provider (`provider=<slug>`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from backend.guide.cards import Card, card
from backend.guide.models import Poster
from backend.guide.search import Criteria, find_offers
from backend.lib import clock
from backend.offers.models import Audience
from backend.organisations.models import Organisation

# Age bands of the brochure, by the youngest age an offer takes.
AGE_BANDS = [
    (0, 5, _("Für Kinder bis 5 Jahre")),
    (6, 9, _("Für Kinder von 6 bis 9 Jahren")),
    (10, 13, _("Für Kinder von 10 bis 13 Jahren")),
    (14, 99, _("Für Jugendliche ab 14 Jahren")),
]
FOR_PARENTS = _("Für Eltern")
PAGE_SIZES = {"A4": "A4", "A3": "A3", "A5": "A5"}


def qr_svg(url: str, scale: int = 4) -> SafeString:
    # The URL is ours (SITE_URL and an id); segno writes the SVG.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, dark="#000"))  # noqa: S308


@dataclass(frozen=True)
class Item:
    card: Card
    qr: SafeString  # to the offer's page


@dataclass
class Band:
    label: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Area:
    town: str
    bands: list[Band]


def guide_url(provider: Organisation | None) -> str:
    url = settings.SITE_URL + reverse("guide")
    return f"{url}?provider={provider.slug}" if provider else url


def band_of(audience: str, min_age: int | None) -> str:
    if audience == Audience.PARENTS:
        return str(FOR_PARENTS)
    age = min_age or 0
    return next(str(label) for _low, high, label in AGE_BANDS if age <= high)


def areas(provider: Organisation | None) -> list[Area]:
    """Listed offers by town, then by age band (the bands in their order, parents last)."""
    hits = find_offers(Criteria(provider=provider.slug if provider else ""))
    order = [str(label) for _low, _high, label in AGE_BANDS] + [str(FOR_PARENTS)]
    towns: dict[str, dict[str, list[Item]]] = {}
    for hit in hits:
        c = card(hit)
        label = band_of(hit.offer.audience, hit.offer.min_age)
        towns.setdefault(c.town, {}).setdefault(label, []).append(Item(c, qr_svg(c.url, 2)))
    return [
        Area(town, [Band(label, bands[label]) for label in order if label in bands])
        for town, bands in sorted(towns.items())
    ]


def _pdf(html: str) -> bytes:
    # Self-contained HTML; the fetcher refuses anything else (no network, no files).
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def edition(today: dt.date) -> str:
    return date_format(today, "j. F Y")


def brochure_pdf(provider: Organisation | None) -> bytes:
    with translation.override("de"):
        today = clock.today()
        found = areas(provider)
        cover_url = guide_url(provider)
        html = render_to_string(
            "frontend/pdf/brochure.html",
            {
                "provider": provider,
                "areas": found,
                "count": sum(len(b.items) for a in found for b in a.bands),
                "edition": edition(today),
                "cover_url": cover_url,
                "cover_qr": qr_svg(cover_url, scale=5),
            },
        )
        return _pdf(html)


def poster_for(provider: Organisation | None) -> Poster:
    poster = Poster.objects.filter(organisation=provider).order_by("pk").first()
    return poster or Poster(organisation=provider)  # the default text, not stored


def poster_pdf(provider: Organisation | None, size: str = "A4") -> bytes:
    with translation.override("de"):
        url = guide_url(provider)
        html = render_to_string(
            "frontend/pdf/poster.html",
            {
                "provider": provider,
                "poster": poster_for(provider),
                "size": PAGE_SIZES.get(size, "A4"),
                "edition": edition(clock.today()),
                "url": url,
                "qr": qr_svg(url, scale=10),
            },
        )
        return _pdf(html)
