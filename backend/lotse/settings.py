"""Lotse settings. Everything that differs between machines comes from the environment.

See README.md ("Configuration") for the variables.
"""

import datetime as dt
import importlib.util
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(envstr("LOTSE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A key generated once and kept under var/, for local use only."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Public base URL: used in feed links, QR codes and calendar UIDs.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "backend.lotse",
    "backend.organisations",
    "backend.accounts",
    "backend.offers",
    "backend.families",
    "backend.fleet",
    "backend.geo",
    "backend.planning",
    "backend.publishing",
    "backend.feeds",
    "backend.guide",
    "backend.reports",
    "backend.district",
    "backend.gaps",
    "backend.demo",
    "backend.privacy",
    "backend.api",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Oversized bodies and query strings are refused before anything reads them.
    "backend.lib.limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs reads and writes of families' personal data (backend/privacy/audit.py).
    "backend.privacy.audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a lockout flagged during authentication into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.lotse.urls"
WSGI_APPLICATION = "backend.lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lotse.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Background planning runs write from another thread; wait instead of failing at once.
    options["timeout"] = 20
    # Take the write lock when a transaction begins: a transaction that reads first and
    # writes later (e.g. two planning runs started at once) would otherwise fail with
    # "database is locked" instead of waiting for the other one.
    options["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes watches every authenticate() call (login form, admin, token endpoint).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = envstr("LANGUAGE_CODE", "de")
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("English")),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "backend" / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Leaflet (leaflet/leaflet.js, leaflet.css) from the django-leaflet package. Only its
# static files are used: the app itself needs GeoDjango, so it is not installed.
_LEAFLET = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [Path(_LEAFLET.origin).parent / "static"] if _LEAFLET and _LEAFLET.origin else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# None: after logging out, people see "Sie sind abgemeldet." (registration/logged_out.html),
# which matters on a phone that several drivers share.
LOGOUT_REDIRECT_URL = None

# Production hardening: set HTTPS=1 behind TLS.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Our own pages get the full referrer and forms carry their real Origin (Django's CSRF
# check needs it); other sites get nothing, so secret family links never leak. Set only
# here: a <meta name="referrer"> in a template would override it (see base.html).
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "frontend.errors.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from our own origin, never inline;
# inline styles are allowed (templates carry small <style> blocks, no user input).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login protection (backend/accounts/lockout.py). Behind a reverse proxy, PROXY_COUNT is
# the number of proxies that append to X-Forwarded-For, so that the client's address
# (not the proxy's) is what gets locked out and throttled.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
# Lock the pair (username, address): a stranger cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "backend.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "backend.accounts.lockout.client_ip"
AXES_VERBOSE = False
# Log failed attempts, not every successful login (that would be a log of who works when).
AXES_DISABLE_ACCESS_LOG = True
LOGIN_RATE = envstr("LOGIN_RATE", "10/minute")

# API tokens expire; invitations too.
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 30)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
INVITATION_DAYS = envint("INVITATION_DAYS", 14)

# Request bounds (backend/lib/limits.py).
REQUEST_MAX_BODY_BYTES = envint("REQUEST_MAX_BODY_BYTES", 256 * 1024)
REQUEST_MAX_QUERY_BYTES = envint("REQUEST_MAX_QUERY_BYTES", 4096)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES

# Cache: per-process memory by default; Redis (shared by all workers) when CACHE_URL is set.
CACHE_URL = envstr("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lotse"}
    )
}

# E-mail (invitations): printed to the console unless an SMTP server is configured.
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "lotse@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "backend.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "backend.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
    ],
    # The browsable API only for development: in production the API answers JSON only.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_THROTTLE_RATES": {"login": LOGIN_RATE},
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lotse API",
    "DESCRIPTION": "Groups, sessions, families, drivers, vehicles and shuttle planning.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not a CDN: works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "deepLinking": True},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.api.schema.plain_local_times",
        "backend.api.schema.error_responses",
    ],
    # Several models have a `kind` field; give their choice sets stable names.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "backend.organisations.models.Organisation.Kind",
        "ParticipantKindEnum": "backend.families.models.Participant.Kind",
        "FeedLinkKindEnum": "backend.feeds.models.FeedLink.Kind",
        "StopKindEnum": "backend.planning.models.Stop.Kind",
        "CoordinatesSourceEnum": "backend.lib.address.CoordinateSource",
    },
}

# Background jobs: Celery with a real broker when CELERY_BROKER_URL is set,
# otherwise an in-process worker thread (no extra server needed).
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
# A task is acknowledged when it has run, not when it starts: a worker that dies
# mid-task (killed, out of memory) leaves it to be delivered again. The run's lease
# (backend/planning/lease.py) makes a second delivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task out again after this many seconds. A run whose
# worker died is failed by its lease within PLANNING_LEASE_SECONDS anyway; a run that
# takes longer than this gets a second delivery, which sees the live lease and stops.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 900),
}
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
# "" = Celery when CELERY_BROKER_URL is set, else an in-process worker thread.
# "inline" runs jobs synchronously and exists for unit tests only.
TRANSPORT_JOBS = envstr("TRANSPORT_JOBS", "")

# Transport planning.
OSRM_URL = envstr("OSRM_URL", "")
OSRM_TIMEOUT = envint("OSRM_TIMEOUT", 10)
GEOCODER = envstr("GEOCODER", "offline")  # offline | nominatim | photon
GEOCODER_URL = envstr("GEOCODER_URL", "")
GEOCODER_USER_AGENT = envstr("GEOCODER_USER_AGENT", "lotse")
PLANNING_TIME_LIMIT = envint("PLANNING_TIME_LIMIT", 30)
# The planner's search: "native" (the compiled ALNS core, threads; falls back to
# "ortools" when it is not built) or "ortools" (OR-Tools' search in forked processes).
PLANNER_ENGINE = envstr("PLANNER_ENGINE", "native")
# A running planning run holds a lease: its worker renews a heartbeat this often, and a
# run whose heartbeat is older than the lease is failed ("Planung abgebrochen") so that
# the organisation can plan again (backend/planning/lease.py).
PLANNING_HEARTBEAT_SECONDS = envint("PLANNING_HEARTBEAT_SECONDS", 10)
PLANNING_LEASE_SECONDS = envint("PLANNING_LEASE_SECONDS", 60)

# Maps (Leaflet). Tiles come from this server; empty = no tiles (routes and stops are
# still drawn, on a plain background). Use your own tile server in production if the
# OpenStreetMap tile usage policy does not fit your traffic.
MAP_TILE_URL = envstr("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = envstr("MAP_TILE_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
if MAP_TILE_URL:
    # The browser loads the tiles straight from the tile server: allow its origin for images.
    _tiles = urlsplit(MAP_TILE_URL.replace("{s}", "a"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# Calendar feeds.
FEED_WEEKS_BACK = envint("FEED_WEEKS_BACK", 4)
FEED_MONTHS_AHEAD = envint("FEED_MONTHS_AHEAD", 6)
# Cached validators and bodies (backend/feeds/cache.py); 0 turns the validator cache off.
FEED_VALIDATOR_CACHE_SECONDS = envint("FEED_VALIDATOR_CACHE_SECONDS", 60)
FEED_BODY_CACHE_SECONDS = envint("FEED_BODY_CACHE_SECONDS", 3600)

SESSION_HORIZON_WEEKS = envint("SESSION_HORIZON_WEEKS", 12)

# GDPR (docs/privacy.md): families are anonymised RETENTION_MONTHS after their last
# enrolment ended (`lotse retention`, daily); audit entries expire after AUDIT_LOG_DAYS.
RETENTION_MONTHS = envint("RETENTION_MONTHS", 24)
AUDIT_LOG_DAYS = envint("AUDIT_LOG_DAYS", 365)

# Logs carry ids and counts, never names, addresses or health data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Feed URLs carry a secret token in the path; Django logs paths (backend/lib/logging.py).
    "filters": {"redact_tokens": {"()": "backend.lib.logging.RedactTokensFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        },
        # Django's default runserver access log, with the filter.
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {
        "backend": {"level": envstr("LOG_LEVEL", "INFO"), "propagate": True},
        # On the loggers too, so that Django's own handlers (mail_admins) get redacted records.
        "django.request": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
    },
}

if not DEBUG and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off")
