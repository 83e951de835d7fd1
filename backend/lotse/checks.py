"""System checks for Lotse's own settings: `lotse check` (and every start) names bad values.

Ids are stable (`lotse.E001` …) so that operators can look them up in
docs/architecture.md ("Settings checks") and silence a warning on purpose
(`SILENCED_SYSTEM_CHECKS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.http.request import validate_host

from backend.organisations.models import MAX_TIME_LIMIT
from planner.params import ENGINES

GEOCODERS = ("offline", "nominatim", "photon")
JOB_MODES = ("", "thread", "celery", "inline")


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@register()
def check_urls(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.OSRM_URL and not _is_web_url(settings.OSRM_URL):
        errors.append(
            Error(
                f"OSRM_URL={settings.OSRM_URL!r} is not an http(s) URL with a host.",
                hint="Write it with its scheme, e.g. OSRM_URL=http://osrm.internal:5000",
                id="lotse.E001",
            )
        )
    if not _is_web_url(settings.SITE_URL):
        errors.append(
            Error(
                f"SITE_URL={settings.SITE_URL!r} is not an http(s) URL with a host.",
                hint="Feed links, QR codes and calendar UIDs are built from it, "
                "e.g. SITE_URL=https://lotse.example.org",
                id="lotse.E003",
            )
        )
    elif not validate_host(urlsplit(settings.SITE_URL).hostname or "", settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"The host of SITE_URL ({urlsplit(settings.SITE_URL).hostname}) is not in "
                "ALLOWED_HOSTS.",
                hint="Links handed out to families and drivers would answer 400. "
                "Add the host to ALLOWED_HOSTS.",
                id="lotse.E004",
            )
        )
    elif settings.HTTPS and urlsplit(settings.SITE_URL).scheme != "https":
        errors.append(
            Warning(
                "HTTPS=1 but SITE_URL starts with http://: feed and family links are handed "
                "out unencrypted.",
                hint="Use SITE_URL=https://…",
                id="lotse.W001",
            )
        )
    return errors


@register()
def check_security(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.HTTPS and settings.DEBUG:
        return [
            Error(
                "HTTPS=1 (production) together with DEBUG=1.",
                hint="DEBUG shows settings and data in error pages; turn it off in production.",
                id="lotse.E002",
            )
        ]
    return []


@register()
def check_geocoder(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    kind = settings.GEOCODER.strip().lower()
    if kind not in GEOCODERS:
        return [
            Error(
                f"GEOCODER={settings.GEOCODER!r} is unknown.",
                hint=f"One of: {', '.join(GEOCODERS)}.",
                id="lotse.E005",
            )
        ]
    if kind != "offline" and not _is_web_url(settings.GEOCODER_URL):
        return [
            Error(
                f"GEOCODER={kind} needs GEOCODER_URL, an http(s) URL with a host "
                f"(got {settings.GEOCODER_URL!r}).",
                hint="The address of your Nominatim or Photon server.",
                id="lotse.E006",
            )
        ]
    return []


@register()
def check_planning(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if not 1 <= settings.PLANNING_TIME_LIMIT <= MAX_TIME_LIMIT:
        errors.append(
            Error(
                f"PLANNING_TIME_LIMIT={settings.PLANNING_TIME_LIMIT} is outside 1…"
                f"{MAX_TIME_LIMIT} seconds.",
                hint="Every planning run would be refused with this default.",
                id="lotse.E007",
            )
        )
    if settings.TRANSPORT_JOBS not in JOB_MODES:
        errors.append(
            Error(
                f"TRANSPORT_JOBS={settings.TRANSPORT_JOBS!r} is unknown.",
                hint="Leave it empty (Celery with CELERY_BROKER_URL, else a worker thread).",
                id="lotse.E008",
            )
        )
    if settings.OSRM_TIMEOUT < 1:
        errors.append(
            Error(
                f"OSRM_TIMEOUT={settings.OSRM_TIMEOUT} must be at least 1 second.",
                id="lotse.E009",
            )
        )
    errors += _check_lease()
    return errors


def _check_lease() -> list[CheckMessage]:
    beat, lease = settings.PLANNING_HEARTBEAT_SECONDS, settings.PLANNING_LEASE_SECONDS
    if beat >= 1 and lease >= 3 * beat:
        return []
    return [
        Error(
            f"PLANNING_HEARTBEAT_SECONDS={beat} and PLANNING_LEASE_SECONDS={lease}: the "
            "heartbeat must be at least 1 second and the lease at least three heartbeats.",
            hint="Otherwise one late heartbeat fails a run whose worker is alive "
            "(defaults: 10 and 60).",
            id="lotse.E011",
        )
    ]


@register()
def check_planner_engine(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.PLANNER_ENGINE in ENGINES:
        return []
    return [
        Error(
            f"PLANNER_ENGINE={settings.PLANNER_ENGINE!r} is not one of {', '.join(ENGINES)}.",
            hint="Leave it unset for the native search.",
            id="lotse.E012",
        )
    ]


@register()
def check_windows(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    limits = {"FEED_WEEKS_BACK": 0, "FEED_MONTHS_AHEAD": 1, "SESSION_HORIZON_WEEKS": 1}
    return [
        Error(
            f"{name}={getattr(settings, name)} must be at least {least}.",
            id="lotse.E010",
        )
        for name, least in limits.items()
        if getattr(settings, name) < least
    ]
