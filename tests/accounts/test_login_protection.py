"""Password guessing meets a throttle and a lockout, on the API and on the login form.

django-axes locks the pair (username, address) after AXES_FAILURE_LIMIT failures for
AXES_COOLOFF_TIME; meanwhile even the right password is refused, with a German message.
The token endpoint is also throttled per address (DRF, scope "login").
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

TOKEN_URL = "/api/auth/token/"


def _token_login(client, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def _form_login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _guess(send, times: int) -> list[int]:
    return [send().status_code for _ in range(times)]


def _age_attempts(minutes: int) -> None:
    """As if the failures happened `minutes` ago (the cool-down runs on stored times)."""
    past = timezone.now() - dt.timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=past)


def test_token_endpoint_locks_out_after_repeated_failures(world):
    client = APIClient()
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _guess(lambda: _token_login(client, "alice", "falsch"), limit)
    assert statuses == [400] * (limit - 1) + [429]
    # Locked: the right password is refused too, and says so in German.
    response = _token_login(client, "alice", "alice-pass-123")
    assert response.status_code == 429
    assert "gesperrt" in response.json()["detail"]
    assert "token" not in response.json()
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()


def test_the_lockout_ends_after_the_cool_down(world):
    client = APIClient()
    _guess(lambda: _token_login(client, "alice", "falsch"), settings.AXES_FAILURE_LIMIT)
    _age_attempts(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) + 1)
    response = _token_login(client, "alice", "alice-pass-123")
    assert response.status_code == 200
    assert response.json()["token"]


def test_a_lockout_is_per_username_and_address(world):
    """Guessing alice's password from one address locks neither bob nor another address."""
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    _guess(lambda: _token_login(guesser, "alice", "falsch"), settings.AXES_FAILURE_LIMIT)
    assert _token_login(guesser, "alice", "alice-pass-123").status_code == 429
    assert _token_login(guesser, "bob", "bob-pass-123").status_code == 200
    office = APIClient(REMOTE_ADDR="198.51.100.7")
    assert _token_login(office, "alice", "alice-pass-123").status_code == 200


def test_the_token_endpoint_is_throttled_per_address(world):
    """Spreading guesses over many usernames meets the rate limit instead."""
    client = APIClient()
    statuses = [_token_login(client, f"user{n}", "falsch").status_code for n in range(12)]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    detail = _token_login(client, "alice", "alice-pass-123").json()["detail"]
    assert "Zu viele Anmeldeversuche" in detail and "Sekunden" in detail


def test_unknown_user_and_wrong_password_answer_alike(world):
    client = APIClient()
    unknown = _token_login(client, "niemand", "falsch")
    wrong = _token_login(client, "alice", "falsch")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_login_form_locks_out_with_a_german_message(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _form_login(client, "alice", "falsch")
        assert response.status_code == 200
    response = _form_login(client, "alice", "falsch")
    assert response.status_code == 429
    response = _form_login(client, "alice", "alice-pass-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} Minuten" in page
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _form_login(client, "alice", "falsch")
    assert _form_login(client, "alice", "alice-pass-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _form_login(client, "alice", "falsch").status_code == 200


@pytest.mark.parametrize("proxies, expected", [(0, "10.0.0.2"), (1, "203.0.113.5")])
def test_behind_a_proxy_the_client_address_counts(settings, proxies, expected):
    from django.test import RequestFactory

    from backend.accounts.lockout import client_ip

    settings.PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5"
    )
    assert client_ip(request) == expected
