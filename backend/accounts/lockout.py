"""Protection against password guessing: client address, throttle, axes lockout answer.

The login form, the admin login and `POST /api/auth/token/` all go through
`django.contrib.auth.authenticate`, which django-axes watches: after
`AXES_FAILURE_LIMIT` failures for one username from one address, that pair is locked
out for `AXES_COOLOFF_TIME`, and even the right password is refused meanwhile. The
token endpoint is also rate-limited per address (DRF throttle, scope "login").
"""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT proxies the address the
    outermost trusted proxy saw (the n-th entry from the right of X-Forwarded-For).

    The same rule as DRF's throttles (NUM_PROXIES), so both count the same client.
    """
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die "
        "Anmeldung für %(minutes)s Minuten gesperrt. Bitte versuchen Sie es danach erneut."
    ) % {"minutes": cooloff_minutes()}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429, as JSON for the API, as the login page otherwise."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        context = {"form": form, "lockout": lockout_message(), "next": request.POST.get("next")}
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
