"""What the coordination office may see of the providers: written once, here.

A provider shares with the office unless it switched `shares_with_office` off. What it
shares are its listed offers as the public guide shows them, and anonymous figures
(`backend/lib/counts.py`), never a family, child, driver or route. One Lotse
installation serves one district, so the office sees every provider that shares.
"""

from __future__ import annotations

from django.db.models import QuerySet

from backend.guide.search import listed_offers
from backend.offers.models import GroupOfferQuerySet
from backend.organisations.models import Organisation


def sharing_providers() -> QuerySet[Organisation]:
    return Organisation.objects.sharing_with_office()


def shared_offers() -> GroupOfferQuerySet:
    """The listed and approved offers of the providers that share (as the guide shows them)."""
    return listed_offers().filter(organisation__in=sharing_providers())
