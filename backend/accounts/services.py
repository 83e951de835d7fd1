"""Issuing and checking API tokens and invitations."""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import ApiToken, Invitation
from backend.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
HINT_LENGTH = 6
# A token's last use is written at most this often, so that reads stay reads.
LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> tuple[str, str, str]:
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    return secret, hash_secret(secret), secret[:HINT_LENGTH]


# --- API tokens ----------------------------------------------------------------------


def token_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def latest_expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once


def issue_token(user: User, *, name: str = "", days: int | None = None) -> IssuedToken:
    now = timezone.now()
    lifetime = dt.timedelta(days=days) if days else token_ttl()
    key, digest, hint = _new_secret()
    token = ApiToken.objects.create(
        user=user,
        key_hash=digest,
        hint=hint,
        name=name,
        expires_at=min(now + lifetime, latest_expiry(now)),
    )
    logger.info("api token %s issued for user %s", token.pk, user.pk)
    return IssuedToken(token=token, key=key)


def find_token(key: str) -> ApiToken | None:
    """The token for `key`, expired or not (the caller decides); None if unknown."""
    digest = hash_secret(key)
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    return token


def mark_used(token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- Invitations ---------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once

    @property
    def accept_url(self) -> str:
        return settings.SITE_URL + reverse("invitation-accept", kwargs={"token": self.token})


@transaction.atomic
def invite(org: Organisation, role: str, email: str, by: User) -> IssuedInvitation:
    """A one-time link for a new account in `org`; e-mailed if an address is given."""
    token, digest, hint = _new_secret()
    invitation = Invitation.objects.create(
        organisation=org,
        role=role,
        email=email,
        token_hash=digest,
        hint=hint,
        created_by=by,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
    )
    issued = IssuedInvitation(invitation=invitation, token=token)
    if email:
        transaction.on_commit(lambda: _send_invitation(issued))
    logger.info("invitation %s created for organisation %s", invitation.pk, org.pk)
    return issued


def _send_invitation(issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    subject = _("Einladung zu Lotse: %(org)s") % {"org": invitation.organisation.name}
    body = _(
        "Guten Tag,\n\n%(org)s lädt Sie ein, bei Lotse mitzuarbeiten "
        "(Rolle: %(role)s).\n\nÜber diesen Link legen Sie Ihr Konto an. Er gilt "
        "einmal und bis zum %(until)s:\n\n%(url)s\n\n"
        "Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.\n"
    ) % {
        "org": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "until": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
        "url": issued.accept_url,
    }
    send_mail(subject, body, None, [invitation.email])


def find_open_invitation(token: str) -> Invitation | None:
    """The invitation behind `token` if it can still be accepted, else None."""
    if not token:
        return None
    digest = hash_secret(token)
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=digest).first()
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None
    return invitation if invitation.is_open(timezone.now()) else None


class InvitationGone(Exception):
    """The invitation was used, revoked or expired meanwhile."""


@transaction.atomic
def accept_invitation(invitation: Invitation, username: str, password: str) -> User:
    """Create the new account and its membership. An invitation never adds an existing one."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if not locked.is_open(now):
        raise InvitationGone
    user = User.objects.create_user(username=username, password=password, email=locked.email)
    Membership.objects.create(user=user, organisation=locked.organisation, role=locked.role)
    locked.accepted_at = now
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    logger.info("invitation %s accepted by new user %s", locked.pk, user.pk)
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation) -> Invitation:
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
