"""backend.lib.logging: secret URL tokens never reach a log line.

The HTTP side (a 400/404/405 on a real token URL) is in tests/feeds/test_log_redaction.py.
"""

import io
import logging
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import RequestFactory

from backend.lib.logging import RedactTokensFilter, redact

TOKEN = secrets.token_urlsafe(32)


def record(msg: str, *args, **extra) -> logging.LogRecord:
    rec = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


@contextmanager
def captured(logger: logging.Logger) -> Iterator[io.StringIO]:
    """Everything the handlers configured in settings for `logger` write."""
    out = io.StringIO()
    # Only the handlers from settings, not the ones pytest adds for its own capture.
    streams = [h for h in logger.handlers if type(h) is logging.StreamHandler]
    assert streams, f"no stream handler on {logger.name}"
    old = [h.setStream(out) for h in streams]
    try:
        yield out
    finally:
        for handler, stream in zip(streams, old, strict=True):
            handler.setStream(stream)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/feeds/{TOKEN}.ics", "/feeds/[redacted].ics"),
        (f"/familie/{TOKEN}/abmelden/", "/familie/[redacted]/abmelden/"),
        (
            f"webcal://lotse.example/feeds/{TOKEN}.ics",
            "webcal://lotse.example/feeds/[redacted].ics",
        ),
        (
            f'"GET /feeds/{TOKEN}.ics HTTP/1.1" 404 10',
            '"GET /feeds/[redacted].ics HTTP/1.1" 404 10',
        ),
        ("/feeds/group/12.ics", "/feeds/group/12.ics"),
        ("/api/feed-links/?family=3", "/api/feed-links/?family=3"),
        (
            "in test_the_driver_feed_has_one_event_per_route",
            "in test_the_driver_feed_has_one_event_per_route",
        ),
    ],
    # The same test names in every process of `pytest -n` (the token is new each time).
    ids=lambda text: text.replace(TOKEN, "TOKEN"),
)
def test_redact_replaces_token_like_path_segments_only(text, expected):
    assert redact(text) == expected


def test_the_filter_redacts_the_message_and_its_arguments():
    rec = record("%s: %s", "Bad Request", f"/familie/{TOKEN}/abmelden/")
    assert RedactTokensFilter().filter(rec) is True, "records are redacted, never dropped"
    assert rec.getMessage() == "Bad Request: /familie/[redacted]/abmelden/"
    assert TOKEN not in repr(rec.args)
    assert TOKEN not in rec.msg


def test_the_filter_redacts_dict_arguments_that_do_not_fit_the_template():
    rec = record("%(path)s %(missing)s", {"path": f"/feeds/{TOKEN}.ics"})
    RedactTokensFilter().filter(rec)
    assert TOKEN not in repr(rec.args)


def test_the_filter_redacts_the_request_attached_to_the_record():
    request = RequestFactory().post(
        f"/familie/{TOKEN}/abmelden/",
        HTTP_REFERER=f"https://lotse.example/familie/{TOKEN}/",
    )
    rec = record("%s: %s", "Bad Request", request.path, request=request, status_code=400)
    RedactTokensFilter().filter(rec)
    shown = rec.request
    assert repr(shown) == "<WSGIRequest: POST '/familie/[redacted]/abmelden/'>"
    assert shown.method == "POST"
    assert shown.path == shown.path_info == "/familie/[redacted]/abmelden/"
    assert TOKEN not in shown.get_full_path()
    assert TOKEN not in shown.build_absolute_uri()
    assert TOKEN not in repr(shown.META) and TOKEN not in repr(dict(shown.headers))
    assert request.path == f"/familie/{TOKEN}/abmelden/", "the real request is left alone"


def test_the_filter_redacts_tracebacks():
    try:
        raise ValueError(f"no route for /feeds/{TOKEN}.ics")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    RedactTokensFilter().filter(rec)
    assert TOKEN not in logging.Formatter().format(rec)
    assert "/feeds/[redacted].ics" in logging.Formatter().format(rec)


def test_filtering_twice_changes_nothing_more():
    rec = record("%s: %s", "Not Found", f"/feeds/{TOKEN}.ics")
    RedactTokensFilter().filter(rec)
    once = rec.getMessage()
    RedactTokensFilter().filter(rec)
    assert rec.getMessage() == once == "Not Found: /feeds/[redacted].ics"


def test_settings_redact_the_django_request_log():
    """It propagates to the root logger's console handler."""
    with captured(logging.getLogger()) as out:
        logging.getLogger("django.request").warning("%s: %s", "Not Found", f"/feeds/{TOKEN}.ics")
    assert "WARNING django.request Not Found: /feeds/[redacted].ics" in out.getvalue()
    assert TOKEN not in out.getvalue()


def test_settings_redact_the_runserver_access_log():
    """django.server (runserver) logs the request line of every request, at INFO."""
    with captured(logging.getLogger("django.server")) as out:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /feeds/{TOKEN}.ics HTTP/1.1", "200", "1234"
        )
    assert '"GET /feeds/[redacted].ics HTTP/1.1" 200 1234' in out.getvalue()
    assert TOKEN not in out.getvalue()
