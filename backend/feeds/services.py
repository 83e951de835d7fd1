"""Feed links: issuing, finding, rotating and revoking secret tokens; feed URLs.

A token is `secrets.token_urlsafe(32)` (256 bits). Only its SHA-256 is stored; the
token is shown once, when the link is created or rotated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backend.families.models import ConsentPurpose, ConsentRecord, Family
from backend.feeds.content import DriverFeed, FamilyFeed, Feed, OrganisationFeed
from backend.feeds.models import FeedLink
from backend.fleet.models import Driver
from backend.organisations.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
TOKEN_PATTERN = r"[A-Za-z0-9_-]{32,64}"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
HINT_LENGTH = 4

NO_CONSENT = _("Für diese Familie liegt keine aktive Einwilligung für das Kalender-Abo vor.")
ALREADY_ACTIVE = _("Es gibt schon einen aktiven Link. Bitte diesen erneuern oder widerrufen.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    """A link together with its token: only ever returned right after create/rotate."""

    link: FeedLink
    token: str

    @property
    def urls(self) -> dict[str, str]:
        return link_urls(self.link, self.token)


def link_urls(link: FeedLink, token: str) -> dict[str, str]:
    feed = settings.SITE_URL + reverse("feeds:token-feed", kwargs={"token": token})
    urls = {"feed_url": feed, "webcal_url": webcal(feed)}
    if link.kind == FeedLink.Kind.FAMILY:
        urls["subscribe_url"] = settings.SITE_URL + reverse(
            "family-subscribe", kwargs={"token": token}
        )
    return urls


def webcal(url: str) -> str:
    return re.sub(r"^https?://", "webcal://", url)


def find_link(token: str, kind: str | None = None) -> FeedLink | None:
    """The active link for `token`, or None. Callers answer None with a plain 404."""
    if not _TOKEN_RE.fullmatch(token or ""):
        return None
    digest = hash_token(token)
    links = FeedLink.objects.select_related(
        "organisation", "family__organisation", "driver__organisation"
    ).filter(token_hash=digest, revoked_at__isnull=True)
    if kind is not None:
        links = links.filter(kind=kind)
    link = links.first()
    # The lookup is by hash, so its timing says nothing about the token; compare anyway.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def has_calendar_consent(family: Family, day: dt.date) -> bool:
    return calendar_consent_active(family.pk, day)


def calendar_consents(day: dt.date) -> QuerySet[ConsentRecord]:
    """Calendar consents in force on `day` (ConsentRecord.is_active_on, as a query)."""
    consents = ConsentRecord.objects.filter(purpose=ConsentPurpose.CALENDAR, given_on__lte=day)
    return consents.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def calendar_consent_active(family_id: int, day: dt.date) -> bool:
    return calendar_consents(day).filter(family_id=family_id).exists()


@dataclass(frozen=True)
class ActiveLink:
    """A link that may be served today: the ids only, found in one small query."""

    pk: int
    kind: str
    organisation_id: int
    family_id: int | None
    driver_id: int | None

    @property
    def identity(self) -> str:
        """Names the feed in cache keys: its kind and subject, never the token."""
        subject = self.family_id or self.driver_id or self.organisation_id
        return f"{self.kind}:{subject}"


def find_active_link(token: str, day: dt.date) -> ActiveLink | None:
    """The link for `token` if its feed may be shown on `day`, else None (a plain 404).

    Not revoked; a family link needs an active calendar consent, a driver link an
    active driver (deactivating revokes the links, see receivers.py; this also covers
    queryset updates). One small query: every calendar poll runs it.
    """
    if not _TOKEN_RE.fullmatch(token or ""):
        return None
    digest = hash_token(token)
    consent = calendar_consents(day).filter(family_id=OuterRef("family_id"))
    row = (
        FeedLink.objects.filter(token_hash=digest, revoked_at__isnull=True)
        .annotate(consented=Exists(consent))
        .order_by()
        .values_list(
            "pk",
            "kind",
            "organisation_id",
            "family_id",
            "driver_id",
            "driver__is_active",
            "consented",
            "token_hash",
        )
        .first()
    )
    # The lookup is by hash, so its timing says nothing about the token; compare anyway.
    if row is None or not hmac.compare_digest(row[-1], digest):
        return None
    link = ActiveLink(*row[:5])
    driver_active, consented = row[5], row[6]
    if link.kind == FeedLink.Kind.FAMILY and not consented:
        return None
    if link.kind == FeedLink.Kind.DRIVER and not driver_active:
        return None
    return link


def feed_for(link: ActiveLink, day: dt.date) -> Feed:
    """The feed behind an active link (loads the subject)."""
    if link.kind == FeedLink.Kind.FAMILY and link.family_id is not None:
        return FamilyFeed(Family.objects.select_related("organisation").get(pk=link.family_id), day)
    if link.kind == FeedLink.Kind.DRIVER and link.driver_id is not None:
        return DriverFeed(Driver.objects.select_related("organisation").get(pk=link.driver_id), day)
    return OrganisationFeed(Organisation.objects.get(pk=link.organisation_id), day)


def _new_secret(link: FeedLink) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link.token_hash = hash_token(token)
    link.token_hint = token[:HINT_LENGTH]
    return token


def _check_subject(
    org: Organisation, kind: str, family: Family | None, driver: Driver | None, day: dt.date
) -> None:
    errors: dict[str, StrOrPromise] = {}
    if kind == FeedLink.Kind.FAMILY and family is None:
        errors["family"] = _("Für einen Familien-Link bitte die Familie angeben.")
    if kind != FeedLink.Kind.FAMILY and family is not None:
        errors["family"] = _("Nur Familien-Links gehören zu einer Familie.")
    if kind == FeedLink.Kind.DRIVER and driver is None:
        errors["driver"] = _("Für einen Fahrer*innen-Link bitte die Person angeben.")
    if kind != FeedLink.Kind.DRIVER and driver is not None:
        errors["driver"] = _("Nur Fahrer*innen-Links gehören zu einer Person.")
    for field, subject in (("family", family), ("driver", driver)):
        if subject is not None and subject.organisation_id != org.pk:
            errors[field] = _("Gehört nicht zu Ihrer Organisation.")
    if errors:
        raise ValidationError(errors)
    if family is not None and not has_calendar_consent(family, day):
        raise ValidationError({"family": NO_CONSENT})


@transaction.atomic
def create_link(
    org: Organisation,
    kind: str,
    *,
    family: Family | None = None,
    driver: Driver | None = None,
    user=None,
    day: dt.date,
) -> IssuedLink:
    """Issue a new link. A family needs an active calendar consent; one active link each."""
    _check_subject(org, kind, family, driver, day)
    active = org.feed_links.filter(kind=kind, family=family, driver=driver, revoked_at=None)
    if active.exists():
        raise ValidationError({"kind": ALREADY_ACTIVE})
    link = FeedLink(organisation=org, kind=kind, family=family, driver=driver, created_by=user)
    token = _new_secret(link)
    link.save()
    logger.info("feed link %s created (%s)", link.pk, kind)
    return IssuedLink(link=link, token=token)


@transaction.atomic
def rotate_link(link: FeedLink, at: dt.datetime) -> IssuedLink:
    """A new token for the same link; the old URL stops working at once."""
    if link.revoked_at is not None:
        raise ValidationError({"detail": _("Ein widerrufener Link kann nicht erneuert werden.")})
    token = _new_secret(link)
    link.rotated_at = at
    link.save(update_fields=["token_hash", "token_hint", "rotated_at"])
    logger.info("feed link %s rotated", link.pk)
    return IssuedLink(link=link, token=token)


@transaction.atomic
def revoke_link(link: FeedLink, at: dt.datetime) -> FeedLink:
    """Idempotent: revoking twice keeps the first time."""
    if link.revoked_at is None:
        link.revoked_at = at
        link.save(update_fields=["revoked_at"])
        logger.info("feed link %s revoked", link.pk)
    return link


@transaction.atomic
def revoke_family_links(family: Family, at: dt.datetime) -> int:
    count = family.feed_links.filter(revoked_at__isnull=True).update(revoked_at=at)
    logger.info("family %s: %d feed links revoked", family.pk, count)
    return count


@transaction.atomic
def revoke_driver_links(driver: Driver, at: dt.datetime) -> int:
    """A deactivated or unlinked driver keeps no working feed URL."""
    count = driver.feed_links.filter(revoked_at__isnull=True).update(revoked_at=at)
    logger.info("driver %s: %d feed links revoked", driver.pk, count)
    return count
