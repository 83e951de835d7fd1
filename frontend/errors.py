"""Error pages that people see: German first, readable on a phone, with a way back.

Wired in `backend/lotse/urls.py` (handler400/403/404/500) and `CSRF_FAILURE_VIEW`.
Paths under /api/ answer JSON in the API's own shape (`{"detail": ...}`) instead,
with the texts of Django REST framework's exceptions, so scripts see one format.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from rest_framework import exceptions as api

API_PREFIX = "/api/"
FAMILY_PREFIX = "/familie/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(status: int, detail: object) -> JsonResponse:
    return JsonResponse({"detail": str(detail)}, status=status)


def _back_url(request: HttpRequest) -> str | None:
    """The page the person came from, if it is one of ours (the Referer, same origin).

    The site sends `Referrer-Policy: same-origin`, so browsers give us our own pages
    and nothing else. After a refused form that is the form's page, often at the same
    address; after a refused page view, the same address is no way back.
    """
    referer = request.headers.get("referer", "")
    if not referer:
        return None
    if request.method == "GET" and urlsplit(referer).path == request.path:
        return None
    ok = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if ok else None


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    context = {
        "status": status,
        "back_url": _back_url(request),
        "is_family_link": request.path.startswith(FAMILY_PREFIX),
        **context,
    }
    response = render(request, template, context, status=status)
    # Error pages may answer a secret link's URL: no cache keeps them.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(400, api.ParseError.default_detail)
    return _page(request, "frontend/errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(403, api.PermissionDenied.default_detail)
    login = f"{reverse('login')}?{urlencode({'next': request.path})}"
    return _page(request, "frontend/errors/403.html", 403, login_url=login)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json(404, api.NotFound.default_detail)
    return _page(request, "frontend/errors/404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid security token (old page, blocked cookies).

    The reason is logged by Django; people get an explanation and the way back to
    the form, which gives them a fresh token.
    """
    if _is_api(request):
        return _json(403, f"CSRF Failed: {reason}")
    no_cookie = "cookie" in reason.lower() and "not set" in reason.lower()
    return _page(request, "frontend/errors/csrf.html", 403, no_cookie=no_cookie)


def server_error(request: HttpRequest) -> HttpResponse:
    """The last resort: rendered without the request, so that no database is needed."""
    if _is_api(request):
        return _json(500, api.APIException.default_detail)
    body = render_to_string("frontend/errors/500.html", {"status": 500})
    response = HttpResponse(body, status=500)
    add_never_cache_headers(response)
    return response
