"""The OpenAPI schema is valid, the Swagger UI works offline, and no request found by
fuzzing the schema produces a server error."""

import re
from collections import Counter

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core import NOT_SET

from backend.accounts.services import issue_token
from backend.lotse.wsgi import application
from tests.api.permission_table import TABLES
from tests.browser import requires_chromium, run_headless


def test_schema_is_valid_openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid document
    assert "/api/auth/token/" in schema["paths"]
    assert "/api/public/offers/" in schema["paths"]


def test_schema_and_swagger_ui_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-dist" in html and "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html


def test_token_login_is_documented():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/auth/token/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/LoginRequest")
    assert set(operation["responses"]) == {"200", "400", "429"}


# The first path segment after /api/ of the endpoints whose answers, fuzzed too, are
# checked against the schema (transport and feeds: add yours).
SCHEMA_CHECKED_PREFIXES = {
    "auth",
    "tokens",
    "invitations",
    "privacy",
    "routes",
    "planning-runs",
    "publications",
    "feed-links",
    "organisations",
    "memberships",
    "venues",
    "closures",
    "group-offers",
    "sessions",
    "attendance",
    "public",
    "families",
    "consents",
    "participants",
    "enrolments",
    "absences",
    "drivers",
    "availability",
    "vehicles",
}

# Fuzzing: every operation gets a few generated requests as alice (coordinator of A).
FUZZ_EXAMPLES = 4


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app, which closes "old" connections at the end of
    each request. Inside the test transaction that would close the test's PostgreSQL
    connection (SQLite's in-memory database ignores it). Django's test client disconnects
    the same handler; do as it does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_schema(django_db_setup, django_db_blocker):
    """The schema as served at /api/schema/, loaded once per module."""
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", application)


def fuzz_operation(
    operation, mode: GenerationMode, headers: dict, failures: list[str], statuses: list[int]
) -> None:
    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        # Each request in its own rolled-back savepoint: the world stays the same, and a
        # database error cannot poison the test transaction on PostgreSQL.
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(
                f"{operation.label}: {response.status_code} {case.body!r} {case.query!r}"
            )
        elif operation.path.split("/")[2] in SCHEMA_CHECKED_PREFIXES:
            try:
                operation.validate_response(response)
            except Exception as exc:  # collected and reported below
                failures.append(f"{operation.label}: {response.status_code} body off schema: {exc}")

    fuzz()


def has_inputs(operation) -> bool:
    raw = operation.definition.raw
    return bool(raw.get("parameters") or raw.get("requestBody") or "{" in operation.path)


def test_no_generated_request_is_a_server_error(api_world, fuzz_schema):
    """schemathesis over every operation, as alice, with a fixed seed (derandomize)."""
    headers = {"Authorization": f"Token {issue_token(api_world['users']['alice']).key}"}
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
                continue  # nothing in it could be invalid
            fuzz_operation(operation, mode, headers, failures, statuses)
    assert not failures, "\n".join(failures[:20])
    # The token works: requests got past authentication, and some succeeded.
    assert len(statuses) >= len(operations)
    assert 401 not in statuses and sum(code < 300 for code in statuses) >= 30, Counter(statuses)


@pytest.mark.browser
@requires_chromium
def test_swagger_ui_renders_offline_in_a_real_browser(live_server):
    """The UI's scripts come from the sidecar package, so it renders without internet."""
    # Give the page's scripts time to fetch the schema and render it.
    result = run_headless(
        ["--window-size=1280,900", "--virtual-time-budget=15000", "--dump-dom"]
        + [f"{live_server.url}/api/docs/"]
    )
    dom = result.stdout
    assert "/api/group-offers/" in dom  # rendered from the schema by Swagger UI's JavaScript
    assert "Lotse API" in dom


def test_schema_generation_has_no_warnings(tmp_path):
    """`lotse spectacular --validate --fail-on-warn`: every view describes its bodies."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


SCHEMA_CHECKED_APPS = (
    "accounts",
    "organisations",
    "offers",
    "families",
    "fleet",
    "privacy",
    "feeds",
    "transport",
)


@pytest.mark.parametrize(
    "row",
    [row for app in SCHEMA_CHECKED_APPS for row in TABLES[app]],
    ids=lambda row: row.id,
)
def test_responses_match_the_schema(row, api_world, fuzz_schema):
    """The schema describes the real bodies: alice's answer to every row of the
    permission table validates against the documented response."""
    key = issue_token(api_world["users"]["alice"]).key
    url = row.url(api_world)
    ids = re.findall(r"/(\d+)/", url)
    operation = fuzz_schema[re.sub(r"/\d+/", "/{id}/", url)][row.method.upper()]
    case = operation.Case(
        path_parameters={"id": int(ids[0])} if ids else {},
        body=row.payload(api_world) if row.payload else NOT_SET,
        media_type="application/json" if row.payload else None,
    )
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {key}"})
        transaction.set_rollback(True)
    assert response.status_code == row.expect[0], response.text
    operation.validate_response(response)
