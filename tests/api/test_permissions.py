"""Who may do what: the permission matrix of tests/api/permission_table.py."""

import pytest
from django.db import transaction
from django.urls import resolve

from backend.api.urls import router
from tests.api.permission_table import ROWS, USERS, Row


def registered_actions() -> set[tuple[str, str]]:
    """(basename, action) of every route on the /api/ router."""
    found = set()
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            for action in router.get_method_map(viewset, route.mapping).values():
                found.add((basename, action))
    return found


def test_every_route_is_in_the_table():
    """A new endpoint cannot slip past the matrix: every router route has a row."""
    covered = {(row.basename, row.action) for row in ROWS}
    missing = sorted(registered_actions() - covered)
    assert not missing, f"add rows to tests/api/permission_table.py for: {missing}"


def test_row_ids_are_unique():
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_row_points_at_the_route_it_names(row: Row, api_world):
    match = resolve(row.url(api_world).split("?")[0])  # a query string names no route
    assert match.url_name.startswith(f"{row.basename}-")
    assert match.func.actions[row.method] == row.action


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(row: Row, api_world, clients):
    """Each user's request runs in its own rolled-back savepoint, so one user's write
    does not change what the next user sees."""
    url = row.url(api_world)
    payload = row.payload(api_world) if row.payload else None
    got = {}
    for user in USERS:
        with transaction.atomic():
            response = getattr(clients[user], row.method)(url, payload, format="json")
            got[user] = response.status_code
            transaction.set_rollback(True)
    assert got == dict(zip(USERS, row.expect, strict=True))
