"""Bounds on what one request may make the server do.

A single request must never hold a worker for long: a multi-megabyte body, JSON nested
a thousand levels deep (which ends in a RecursionError in the parser) or a list with a
million entries are refused with a 400 and a clear message before any view runs.
`RequestLimitsMiddleware` checks the body size and the query string; `json_shape_error`
checks a parsed JSON document (used by the API's parser). This module imports no app.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# Defaults; settings may override them (REQUEST_MAX_BODY_BYTES etc.).
MAX_BODY_BYTES = 256 * 1024
MAX_QUERY_BYTES = 4096
MAX_JSON_DEPTH = 20
MAX_JSON_ITEMS = 1000  # entries of one list or object
MAX_JSON_VALUES = 10_000  # values in the whole document


def max_body_bytes() -> int:
    return getattr(settings, "REQUEST_MAX_BODY_BYTES", MAX_BODY_BYTES)


def body_too_large() -> str:
    return _("Die Anfrage ist zu groß (höchstens %(kb)s KB).") % {"kb": max_body_bytes() // 1024}


def json_shape_error(document: object) -> str | None:
    """Why `document` is too deep or too large, or None if it is within the bounds.

    Iterative, so that it cannot overflow the stack itself; it stops at the first
    violation, so a huge list costs one `len()`.
    """
    stack: list[tuple[object, int]] = [(document, 1)]
    values = 0
    while stack:
        item, depth = stack.pop()
        values += 1
        if values > MAX_JSON_VALUES:
            return _("Zu viele Werte (höchstens %(n)s).") % {"n": MAX_JSON_VALUES}
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            return _("Zu tief verschachtelt (höchstens %(n)s Ebenen).") % {"n": MAX_JSON_DEPTH}
        if len(item) > MAX_JSON_ITEMS:
            return _("Zu viele Einträge in einer Liste oder einem Objekt (höchstens %(n)s).") % {
                "n": MAX_JSON_ITEMS
            }
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return None


class JSONLimitError(ValueError):
    """A JSON document beyond the bounds; the message says which, in German."""


def load_bounded_json(raw: bytes | str) -> object:
    """Parse JSON within the bounds.

    Raises json.JSONDecodeError for bad syntax and JSONLimitError beyond the bounds.
    """
    try:
        document = json.loads(raw)
    except RecursionError:
        raise JSONLimitError(
            _("Zu tief verschachtelt (höchstens %(n)s Ebenen).") % {"n": MAX_JSON_DEPTH}
        ) from None
    problem = json_shape_error(document)
    if problem:
        raise JSONLimitError(problem)
    return document


def _request_problem(request: HttpRequest) -> str | None:
    length = request.META.get("CONTENT_LENGTH") or "0"
    try:
        size = int(length)
    except ValueError:
        return _("Ungültige Längenangabe (Content-Length).")
    if size < 0:
        return _("Ungültige Längenangabe (Content-Length).")
    if size > max_body_bytes():
        return body_too_large()
    query = request.META.get("QUERY_STRING", "")
    limit = getattr(settings, "REQUEST_MAX_QUERY_BYTES", MAX_QUERY_BYTES)
    if len(query) > limit:
        return _("Die Adresse ist zu lang (höchstens %(n)s Zeichen Parameter).") % {"n": limit}
    return None


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400 in the form the client expects: JSON under /api/, plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    """Refuses oversized bodies and query strings before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _request_problem(request)
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)
