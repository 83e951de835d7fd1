"""Error answers on token URLs are logged by Django, but never with the token."""

import logging

import pytest
from django.utils import timezone

from backend.feeds import services
from tests.feeds.conftest import feed_path
from tests.test_logging import captured

pytestmark = pytest.mark.django_db


def requests(token: str):
    """(method, path, data, status) of answers Django logs with their path."""
    return [
        ("post", f"/familie/{token}/abmelden/", {"session": "x"}, 400),
        ("get", f"/familie/{token}/abmelden/", None, 405),
        ("post", f"/feeds/{token}.ics", None, 405),
        ("post", f"/familie/{token}/", None, 405),
    ]


def test_a_400_or_405_on_a_live_token_url_is_logged_without_the_token(client, family_link, caplog):
    token = family_link.token
    for method, path, data, status in requests(token):
        caplog.clear()
        with captured(logging.getLogger()) as console:
            response = getattr(client, method)(path, data)
        assert response.status_code == status, path
        assert caplog.records, f"Django logs the {status}"
        for record in caplog.records:
            assert token not in record.getMessage()
            assert token not in repr(getattr(record, "request", ""))
        assert "[redacted]" in console.getvalue()
        assert token not in console.getvalue()


def test_a_404_on_a_revoked_token_is_logged_without_the_token(client, family_link, caplog):
    services.revoke_link(family_link.link, timezone.now())
    with captured(logging.getLogger()) as console:
        response = client.get(feed_path(family_link))
    assert response.status_code == 404
    assert "WARNING django.request Not Found: /feeds/[redacted].ics" in console.getvalue()
    assert family_link.token not in console.getvalue()
    assert family_link.token not in caplog.text
