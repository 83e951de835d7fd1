"""The letter that hands a family its link: one A4 page with the QR code (WeasyPrint).

German first, then the same text in the family's language where Lotse has it
(settings.LANGUAGES). The token is never stored, so the letter is made right after the
link is issued or rotated, from the token the staff member has in hand; rotating the
link makes every earlier letter useless.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from backend.families.models import Family
from backend.feeds.models import FeedLink
from backend.feeds.services import link_urls

TEMPLATE = "frontend/pdf/family_letter.html"


@dataclass(frozen=True)
class Part:
    """The letter's text in one language (rendered in that language)."""

    language: str
    html: str


def qr_png_data_uri(url: str) -> str:
    """The QR code as a PNG data URI: an image in the PDF that any scanner reads."""
    png = segno.make(url, error="m").png_data_uri(scale=10, border=4)
    assert png.startswith("data:image/png;base64,")
    base64.b64decode(png.split(",", 1)[1], validate=True)  # well-formed, never a URL
    return png


def letter_languages(family: Family) -> list[str]:
    available = {code for code, _name in settings.LANGUAGES}
    extra = family.preferred_language
    return ["de"] + ([extra] if extra != "de" and extra in available else [])


def letter_html(family: Family, link: FeedLink, token: str) -> str:
    urls = link_urls(link, token)
    context = {
        "family": family,
        "org": family.organisation,
        "url": urls["subscribe_url"],
        "qr": qr_png_data_uri(urls["subscribe_url"]),
    }
    parts = []
    for language in letter_languages(family):
        with translation.override(language):
            html = render_to_string("frontend/pdf/_family_letter_part.html", context)
        parts.append(Part(language, html))
    with translation.override("de"):
        return render_to_string(TEMPLATE, {**context, "parts": parts})


def letter_pdf(family: Family, link: FeedLink, token: str) -> bytes:
    # Self-contained: the fetcher allows data URIs only (no network, no files).
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=letter_html(family, link, token), url_fetcher=fetcher).write_pdf()
