"""Secrets that are shown once (API tokens, invitation links).

Only a SHA-256 digest and a short hint of a secret are stored, so a copy of the
database holds no usable secret. This module imports no app.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet

TOKEN_BYTES = 32  # 256 bits

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class NewSecret:
    value: str  # shown once, never stored
    digest: str
    hint: str  # the first characters, so that people can tell their secrets apart


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(hint_length: int) -> NewSecret:
    value = secrets.token_urlsafe(TOKEN_BYTES)
    return NewSecret(value=value, digest=digest(value), hint=value[:hint_length])


def find_by_secret(rows: "QuerySet[M]", field: str, secret: str) -> M | None:
    """The row whose `field` holds the digest of `secret`, or None.

    The digests are compared once more in constant time after the lookup.
    """
    hashed = digest(secret)
    row = rows.filter(**{field: hashed}).first()
    if row is None or not hmac.compare_digest(getattr(row, field), hashed):
        return None
    return row
