"""`lotse check --deploy`: warnings on settings that weaken privacy or login protection.

Django's own deploy checks cover HTTPS, cookies, HSTS and DEBUG; these cover the rest.
"""

from typing import cast

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


def database_engine() -> str:
    return settings.DATABASES["default"]["ENGINE"]


@register(Tags.security, deploy=True)
def deploy_checks(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if database_engine().endswith("sqlite3"):
        found.append(
            Warning(
                "SQLite is the database.",
                hint="Set DATABASE_URL to PostgreSQL for production (backups: lotse backup).",
                id="lotse.privacy.W001",
            )
        )
    if not settings.CACHE_URL:
        found.append(
            Warning(
                "No shared cache: each worker counts login attempts and caches feeds itself.",
                hint="Set CACHE_URL=redis://…/1 so that the login throttle holds across workers.",
                id="lotse.privacy.W002",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        found.append(
            Warning(
                "E-mail goes to the console: invitation links would end up in the server log.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER/EMAIL_HOST_PASSWORD) for SMTP.",
                id="lotse.privacy.W003",
            )
        )
    if settings.HTTPS and settings.PROXY_COUNT == 0:
        found.append(
            Warning(
                "HTTPS=1 but PROXY_COUNT=0: behind a TLS proxy every client has the proxy's "
                "address, so one guesser locks everyone out of that account.",
                hint="Set PROXY_COUNT to the number of proxies in front of Lotse.",
                id="lotse.privacy.W004",
            )
        )
    renderers = cast(list[str], settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"])
    if any("BrowsableAPIRenderer" in r for r in renderers):
        found.append(
            Warning(
                "The browsable API is on (DEBUG).",
                hint="Leave DEBUG unset in production.",
                id="lotse.privacy.W005",
            )
        )
    for name in ("RETENTION_MONTHS", "AUDIT_LOG_DAYS", "API_TOKEN_TTL_DAYS"):
        if getattr(settings, name) <= 0:
            found.append(Error(f"{name} must be positive.", id="lotse.privacy.E001"))
    return found
