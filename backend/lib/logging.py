"""A logging filter that keeps secret URL tokens out of the logs.

Feed and subscribe URLs carry their secret in the path (`/feeds/<token>.ics`,
`/familie/<token>/`). Django logs the path of every 4xx/5xx answer (`django.request`:
"Not Found: /feeds/<token>.ics") and runserver logs every request line
(`django.server`), so without this filter a log reader could subscribe to a family's
calendar. The filter rewrites the record in place, so attach it to the loggers that
create such records (then every handler sees the redacted record) and to the handlers.

This module imports no app.
"""

import logging
import re
from typing import Any

from django.http import HttpRequest
from django.http.request import HttpHeaders

REDACTED = "[redacted]"
# A path segment of 32 or more URL-safe characters: our tokens are 43 (token_urlsafe(32)).
# Only right after a slash, so that long words elsewhere (function names) stay readable.
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{32,}")


def redact(text: str) -> str:
    """`text` with every token-like path segment replaced by [redacted]."""
    return TOKEN_SEGMENT.sub(REDACTED, text)


class RedactedRequest:
    """Stands in for `record.request`: the same request, its path-bearing parts redacted.

    Handlers such as Django's AdminEmailHandler read the request (method, META, GET...);
    everything that can contain the path — path, META (PATH_INFO, REQUEST_URI, Referer),
    headers, full path, absolute URI and resolver_match (its kwargs hold the token) — is
    redacted here; the rest is passed through.
    """

    def __init__(self, request: HttpRequest):
        self._request = request
        self.path = redact(request.path)
        self.path_info = redact(request.path_info)
        self.META = {
            key: redact(value) if isinstance(value, str) else value
            for key, value in request.META.items()
        }
        self.environ = self.META
        self.headers = HttpHeaders(self.META)
        self.resolver_match = None

    def get_full_path(self, force_append_slash: bool = False) -> str:
        return redact(self._request.get_full_path(force_append_slash))

    def get_full_path_info(self, force_append_slash: bool = False) -> str:
        return redact(self._request.get_full_path_info(force_append_slash))

    def build_absolute_uri(self, location: str | None = None) -> str:
        return redact(self._request.build_absolute_uri(location))

    def __getattr__(self, name: str) -> Any:
        if name == "_request":  # not set yet (copy, unpickling): no endless recursion
            raise AttributeError(name)
        return getattr(self._request, name)

    def __repr__(self) -> str:
        return f"<{type(self._request).__name__}: {self.method} {self.get_full_path()!r}>"

    __str__ = __repr__


class RedactTokensFilter(logging.Filter):
    """Redacts token-like path segments in a record; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        self._redact_message(record)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = RedactedRequest(request)
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text, so the traceback is formatted (and redacted) once here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True

    @staticmethod
    def _redact_message(record: logging.LogRecord) -> None:
        """Merge the arguments into the message and redact the result.

        Redacting the template alone is not enough: django.request passes the path as
        an argument. If the arguments do not fit the template, each one is redacted.
        """
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            record.msg = redact(str(record.msg))
            record.args = _redact_args(record.args)
            return
        record.msg = redact(message)
        record.args = ()


def _redact_args(args: Any) -> Any:
    if isinstance(args, dict):
        return {key: _redact_arg(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(_redact_arg(value) for value in args)
    return args


def _redact_arg(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, HttpRequest):
        return RedactedRequest(value)
    return value
