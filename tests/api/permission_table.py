"""The permission matrix: every API route × {alice, bob, dave, charlie, anon}.

One table per app. A row names the route by its router basename and action (the test
checks that the URL really resolves there), the URL and the payload (functions of the
`api_world` fixture, see tests/api/conftest.py), and the expected status for each user
in the order of USERS:

    alice = coordinator A, bob = staff A, dave = driver A, charlie = coordinator B,
    anon = no credentials.

All URLs point at organisation A's objects, so charlie must get 404 on them (and 400
when he names A's objects in a payload). `test_every_route_is_in_the_table` fails for a
route on the router without a row here: when you add an endpoint, add its rows (a new
app gets its own table, appended to TABLES).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

USERS = ("alice", "bob", "dave", "charlie", "anon")


@dataclass(frozen=True)
class Row:
    basename: str
    action: str
    method: str
    url: Callable[[dict], str]
    expect: tuple[int, int, int, int, int]  # alice, bob, dave, charlie, anon
    payload: Callable[[dict], dict] | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.basename}-{self.action}{'-' + self.note if self.note else ''}"


def listing(prefix: str) -> Callable[[dict], str]:
    return lambda w: f"/api/{prefix}/"


def detail(prefix: str, name: str, suffix: str = "") -> Callable[[dict], str]:
    return lambda w: f"/api/{prefix}/{w['a'][name].pk}/{suffix}"


# Expected statuses, as (alice, bob, dave, charlie, anon).
STAFF_LIST = (200, 200, 403, 200, 403)
STAFF_READ = (200, 200, 403, 404, 403)
STAFF_CREATE = (201, 201, 403, 201, 403)
STAFF_CREATE_WITH_A_REF = (201, 201, 403, 400, 403)  # payload names A's objects
STAFF_CHANGE = (200, 200, 403, 404, 403)
STAFF_DELETE = (204, 204, 403, 404, 403)
COORD_LIST = (200, 403, 403, 200, 403)
COORD_READ = (200, 403, 403, 404, 403)
COORD_CREATE = (201, 403, 403, 201, 403)
COORD_CREATE_WITH_A_REF = (201, 403, 403, 400, 403)
COORD_CHANGE = (200, 403, 403, 404, 403)
COORD_DELETE = (204, 403, 403, 404, 403)
PUBLIC = (200, 200, 200, 200, 200)


def crud(
    basename: str,
    prefix: str,
    obj: str,
    *,
    create: dict,
    full: Callable[[dict], dict],
    partial: Callable[[dict], dict],
    payload: Callable[[dict], dict],
    delete_obj: str | None = None,
) -> list[Row]:
    """The six standard rows of a ModelViewSet; `create` etc. give expected statuses."""
    return [
        Row(basename, "list", "get", listing(prefix), create["list"]),
        Row(basename, "retrieve", "get", detail(prefix, obj), create["retrieve"]),
        Row(basename, "create", "post", listing(prefix), create["create"], payload),
        Row(basename, "update", "put", detail(prefix, obj), create["change"], full),
        Row(basename, "partial_update", "patch", detail(prefix, obj), create["change"], partial),
        Row(basename, "destroy", "delete", detail(prefix, delete_obj or obj), create["delete"]),
    ]


STAFF_MANAGED = {
    "list": STAFF_LIST,
    "retrieve": STAFF_READ,
    "create": STAFF_CREATE,
    "change": STAFF_CHANGE,
    "delete": STAFF_DELETE,
}
COORD_MANAGED = {
    "list": COORD_LIST,
    "retrieve": COORD_READ,
    "create": COORD_CREATE,
    "change": COORD_CHANGE,
    "delete": COORD_DELETE,
}
STAFF_READ_COORD_WRITE = {
    "list": STAFF_LIST,
    "retrieve": STAFF_READ,
    "create": COORD_CREATE,
    "change": COORD_CHANGE,
    "delete": COORD_DELETE,
}


# --- Payloads -----------------------------------------------------------------


def venue_payload(w: dict) -> dict:
    return {"name": "Jugendhaus", "town": "Bitburg", "latitude": 49.96, "longitude": 6.52}


def closure_payload(w: dict) -> dict:
    return {"name": "Sommerferien", "start_date": "2027-07-05", "end_date": "2027-08-13"}


def offer_payload(w: dict) -> dict:
    return {
        "title": "Mädchengruppe",
        "venue": w["a"]["venue"].pk,
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "start_time": "16:00",
        "duration_minutes": 90,
        "first_date": "2026-12-03",
        "sectors": ["youth_welfare", "health"],
    }


def attendance_payload(w: dict) -> dict:
    return {"session": w["a"]["sessions"][2].pk, "children": 5, "adults": 2, "walk_ins": 1}


def family_payload(w: dict) -> dict:
    return {
        "reference": "F-NEU",
        "contact_name": "Kontakt Neu",
        "postcode": "54595",
        "town": "Prüm",
    }


def consent_payload(w: dict) -> dict:
    return {"family": w["a"]["family"].pk, "purpose": "calendar", "given_on": "2026-11-20"}


def participant_payload(w: dict) -> dict:
    return {
        "family": w["a"]["family"].pk,
        "first_name": "Ben",
        "birth_year": 2019,
        "birth_month": 3,
    }


def enrolment_payload(w: dict) -> dict:
    return {
        "participant": w["a"]["child"].pk,
        "offer": w["a"]["parents_offer"].pk,
        "joined_on": "2026-11-24",
        "transport": "there",
    }


def absence_payload(w: dict) -> dict:
    return {"participant": w["a"]["child"].pk, "session": w["a"]["sessions"][2].pk}


def driver_payload(w: dict) -> dict:
    return {"name": "Carla", "latitude": 50.0, "longitude": 6.4, "certificate_date": "2025-02-01"}


def availability_payload(w: dict) -> dict:
    return {
        "driver": w["a"]["other_driver"].pk,
        "weekday": 3,
        "start_time": "14:00",
        "end_time": "18:00",
    }


def vehicle_payload(w: dict) -> dict:
    return {"label": "Kleinbus", "seats": 8, "child_seats": 2, "wheelchair_places": 1}


def _patch(**fields) -> Callable[[dict], dict]:
    return lambda w: fields


# --- Tables -------------------------------------------------------------------

ORGANISATIONS = [
    Row("organisation", "list", "get", listing("organisations"), (200, 200, 200, 200, 403)),
    Row(
        "organisation", "retrieve", "get", detail("organisations", "org"), (200, 200, 200, 404, 403)
    ),
    Row(
        "organisation",
        "partial_update",
        "patch",
        detail("organisations", "org"),
        COORD_CHANGE,
        _patch(contact_phone="+49 6561 123", auto_replan_on_absence=False),
    ),
    Row("membership", "list", "get", listing("memberships"), COORD_LIST),
    Row("membership", "retrieve", "get", detail("memberships", "membership"), COORD_READ),
    Row(
        "membership",
        "update",
        "put",
        detail("memberships", "membership"),
        COORD_CHANGE,
        _patch(role="coordinator"),
    ),
    Row(
        "membership",
        "partial_update",
        "patch",
        detail("memberships", "membership"),
        COORD_CHANGE,
        _patch(role="driver"),
    ),
    Row("membership", "destroy", "delete", detail("memberships", "membership"), COORD_DELETE),
]

OFFERS = [
    *crud(
        "venue",
        "venues",
        "venue",
        create={**STAFF_MANAGED, "delete": COORD_DELETE},  # staff may not delete venues
        payload=venue_payload,
        full=venue_payload,
        partial=_patch(accessibility_notes="Rampe am Seiteneingang"),
        delete_obj="spare_venue",
    ),
    *crud(
        "closure",
        "closures",
        "closure",
        create=STAFF_READ_COORD_WRITE,
        payload=closure_payload,
        full=closure_payload,
        partial=_patch(name="Winterferien"),
    ),
    *crud(
        "group-offer",
        "group-offers",
        "offer",
        create={**STAFF_MANAGED, "create": STAFF_CREATE_WITH_A_REF},
        payload=offer_payload,
        full=offer_payload,
        partial=_patch(public_description="Spielen, reden, Kraft tanken."),
    ),
    Row(
        "group-offer",
        "materialise",
        "post",
        detail("group-offers", "offer", "materialise/"),
        STAFF_CHANGE,
        _patch(weeks=8),
    ),
    Row(
        "group-offer",
        "approve_listing",
        "post",
        detail("group-offers", "offer", "approve-listing/"),
        COORD_CHANGE,
    ),
    Row(
        "group-offer",
        "withdraw_listing",
        "post",
        detail("group-offers", "offer", "withdraw-listing/"),
        COORD_CHANGE,
    ),
    Row("session", "list", "get", listing("sessions"), STAFF_LIST),
    Row("session", "retrieve", "get", detail("sessions", "session"), STAFF_READ),
    Row(
        "session",
        "cancel",
        "post",
        detail("sessions", "session", "cancel/"),
        STAFF_CHANGE,
        _patch(reason="Krankheit der Gruppenleitung"),
    ),
    Row(
        "session",
        "move",
        "post",
        detail("sessions", "session", "move/"),
        STAFF_CHANGE,
        _patch(starts_at="2026-11-24T16:00:00+01:00", ends_at="2026-11-24T17:30:00+01:00"),
    ),
    Row(
        "session",
        "reinstate",
        "post",
        detail("sessions", "cancelled_session", "reinstate/"),
        STAFF_CHANGE,
    ),
    *crud(
        "attendance",
        "attendance",
        "attendance",
        create={**STAFF_MANAGED, "create": STAFF_CREATE_WITH_A_REF},
        payload=attendance_payload,
        full=lambda w: {**attendance_payload(w), "session": w["a"]["session"].pk},
        partial=_patch(walk_ins=2),
    ),
    Row("public-offer", "list", "get", listing("public/offers"), PUBLIC),
    Row("public-offer", "retrieve", "get", detail("public/offers", "offer"), PUBLIC),
]

FAMILIES = [
    *crud(
        "family",
        "families",
        "family",
        create=STAFF_MANAGED,
        payload=family_payload,
        full=family_payload,
        partial=_patch(preferred_language="tr"),
    ),
    Row("consent", "list", "get", listing("consents"), STAFF_LIST),
    Row("consent", "retrieve", "get", detail("consents", "consent"), STAFF_READ),
    Row("consent", "create", "post", listing("consents"), STAFF_CREATE_WITH_A_REF, consent_payload),
    Row(
        "consent",
        "withdraw",
        "post",
        detail("consents", "consent", "withdraw/"),
        STAFF_CHANGE,
        _patch(on="2026-11-23"),
    ),
    *crud(
        "participant",
        "participants",
        "child",
        create={**STAFF_MANAGED, "create": STAFF_CREATE_WITH_A_REF},
        payload=participant_payload,
        full=participant_payload,
        partial=_patch(needs_booster=True),
    ),
    *crud(
        "enrolment",
        "enrolments",
        "enrolment",
        create={**STAFF_MANAGED, "create": STAFF_CREATE_WITH_A_REF},
        payload=enrolment_payload,
        full=enrolment_payload,
        partial=_patch(left_on="2026-12-31"),
    ),
    Row("absence", "list", "get", listing("absences"), STAFF_LIST),
    Row("absence", "retrieve", "get", detail("absences", "absence"), STAFF_READ),
    Row("absence", "create", "post", listing("absences"), STAFF_CREATE_WITH_A_REF, absence_payload),
    Row("absence", "destroy", "delete", detail("absences", "absence"), STAFF_DELETE),
]

FLEET = [
    *crud(
        "driver",
        "drivers",
        "driver",
        create={
            **STAFF_READ_COORD_WRITE,
            "list": (200, 200, 200, 200, 403),  # dave sees his own record only
            "retrieve": (200, 200, 200, 404, 403),
        },
        payload=driver_payload,
        full=driver_payload,
        partial=_patch(phone="+49 6551 999"),
    ),
    Row(
        "driver",
        "retrieve",
        "get",
        detail("drivers", "other_driver"),
        (200, 200, 404, 404, 403),
        note="not-daves",
    ),
    *crud(
        "availability",
        "availability",
        "availability",
        create={**STAFF_READ_COORD_WRITE, "create": COORD_CREATE_WITH_A_REF},
        payload=availability_payload,
        full=availability_payload,
        partial=_patch(end_time="20:00"),
    ),
    *crud(
        "vehicle",
        "vehicles",
        "vehicle",
        create=STAFF_READ_COORD_WRITE,
        payload=vehicle_payload,
        full=vehicle_payload,
        partial=_patch(is_active=False),
    ),
]

# Transport and feeds: append their tables here.


def feed_link(suffix: str = "") -> Callable[[dict], str]:
    """A's organisation feed link (created on first use), as /api/feed-links/<id>/<suffix>."""

    def url(w: dict) -> str:
        from backend.feeds.services import create_link

        if "feed_link" not in w["a"]:
            w["a"]["feed_link"] = create_link(
                w["a"]["org"], "organisation", day=dt.date(2026, 11, 23)
            ).link
        return f"/api/feed-links/{w['a']['feed_link'].pk}/{suffix}"

    return url


FEEDS = [
    Row("feed-link", "list", "get", listing("feed-links"), STAFF_LIST),
    Row("feed-link", "retrieve", "get", feed_link(), STAFF_READ),
    Row(
        "feed-link",
        "create",
        "post",
        listing("feed-links"),
        STAFF_CREATE_WITH_A_REF,
        lambda w: {"kind": "driver", "driver": w["a"]["other_driver"].pk},
    ),
    Row("feed-link", "rotate", "post", feed_link("rotate/"), STAFF_CHANGE),
    Row("feed-link", "revoke", "post", feed_link("revoke/"), STAFF_CHANGE),
]


def published_route(suffix: str = "") -> Callable[[dict], str]:
    """A published route of A's driver (dave), as /api/routes/<id>/<suffix>."""

    def url(w: dict) -> str:
        from tests.routesheets.sheet_fixtures import published_run, route_to_group

        a = w["a"]
        if "route" not in a:
            session = a["sessions"][0]
            run = published_run(a["org"], session.occurrence_date)
            a["run"] = run
            a["route"] = route_to_group(
                run, a["driver"], a["vehicle"], session, a["family"], [a["child"]]
            )
        return f"/api/routes/{a['route'].pk}/{suffix}"

    return url


def planning_run(suffix: str = "") -> Callable[[dict], str]:
    def url(w: dict) -> str:
        published_route()(w)
        return f"/api/planning-runs/{w['a']['run'].pk}/{suffix}"

    return url


def publication() -> Callable[[dict], str]:
    def url(w: dict) -> str:
        published_route()(w)
        return f"/api/publications/{w['a']['run'].publications.get().pk}/"

    return url


ALL_READ = (200, 200, 200, 404, 403)
TRANSPORT = [
    Row("planning-run", "list", "get", listing("planning-runs"), STAFF_LIST),
    Row("planning-run", "retrieve", "get", planning_run(), STAFF_READ),
    Row(
        "planning-run",
        "create",
        "post",
        listing("planning-runs"),
        (202, 202, 403, 202, 403),
        lambda w: {"date": "2026-11-24", "time_limit": 1},
    ),
    Row("planning-run", "publish", "post", planning_run("publish/"), COORD_CHANGE),
    Row("publication", "list", "get", listing("publications"), STAFF_LIST),
    Row("publication", "retrieve", "get", publication(), STAFF_READ),
    Row("route", "list", "get", listing("routes"), (200, 200, 200, 200, 403)),
    Row("route", "retrieve", "get", published_route(), ALL_READ),
    Row("route", "sheet", "get", published_route("sheet/"), ALL_READ),
    Row("route", "pdf", "get", published_route("pdf/"), ALL_READ),
]


def bobs_token(suffix: str = "") -> Callable[[dict], str]:
    """An API token of bob (staff of A), as /api/tokens/<id>/<suffix>."""

    def url(w: dict) -> str:
        from backend.accounts.services import issue_token

        if "bobs_token" not in w["a"]:
            w["a"]["bobs_token"] = issue_token(w["users"]["bob"], name="Skript").token
        return f"/api/tokens/{w['a']['bobs_token'].pk}/{suffix}"

    return url


def invitation(suffix: str = "") -> Callable[[dict], str]:
    """An open invitation of A, as /api/invitations/<id>/<suffix>."""

    def url(w: dict) -> str:
        from backend.accounts.services import invite

        if "invitation" not in w["a"]:
            w["a"]["invitation"] = invite(
                w["a"]["org"], "staff", "neu@example.org", w["users"]["alice"]
            ).invitation
        return f"/api/invitations/{w['a']['invitation'].pk}/{suffix}"

    return url


# Bob's own token: alice (his coordinator) and bob manage it; nobody else sees it.
TOKEN_OF_BOB = (200, 200, 404, 404, 403)
ACCOUNTS = [
    Row("token", "list", "get", listing("tokens"), (200, 200, 200, 200, 403)),
    Row("token", "retrieve", "get", bobs_token(), TOKEN_OF_BOB),
    Row(
        "token",
        "partial_update",
        "patch",
        bobs_token(),
        TOKEN_OF_BOB,
        _patch(expires_at="2026-12-24T00:00:00+01:00"),
    ),
    Row("token", "destroy", "delete", bobs_token(), (204, 204, 404, 404, 403)),
    Row("invitation", "list", "get", listing("invitations"), COORD_LIST),
    Row("invitation", "retrieve", "get", invitation(), COORD_READ),
    Row(
        "invitation",
        "create",
        "post",
        listing("invitations"),
        COORD_CREATE,
        _patch(role="staff", email="neu@example.org"),
    ),
    Row("invitation", "revoke", "post", invitation("revoke/"), COORD_CHANGE),
]


def audit_entry() -> Callable[[dict], str]:
    def url(w: dict) -> str:
        from backend.privacy.models import AuditEntry

        entry = AuditEntry.objects.create(
            organisation=w["a"]["org"], action="view_family", channel="page", username="alice"
        )
        return f"/api/privacy/audit-log/{entry.pk}/"

    return url


PRIVACY = [
    Row(
        "family-export",
        "export",
        "get",
        detail("privacy/families", "family", "export/"),
        COORD_READ,
    ),
    Row("family-export", "pdf", "get", detail("privacy/families", "family", "pdf/"), COORD_READ),
    Row("audit-entry", "list", "get", listing("privacy/audit-log"), COORD_LIST),
    Row("audit-entry", "retrieve", "get", audit_entry(), COORD_READ),
    Row("retention", "dry_run", "get", listing("privacy/retention/dry-run"), COORD_LIST),
]


def report_of_group(suffix: str = "") -> Callable[[dict], str]:
    return lambda w: f"/api/reports/{suffix}?zeitraum=jahr&jahr=2026&gruppe={w['a']['offer'].pk}"


# The office (olga) is not among USERS: tests/reports/test_api.py covers the district.
REPORTS = [
    Row("report", "list", "get", listing("reports"), STAFF_LIST),
    Row("report", "list", "get", report_of_group(), STAFF_READ, note="group"),
    Row("report", "pdf", "get", listing("reports/pdf"), STAFF_LIST),
    Row("report", "xlsx", "get", listing("reports/xlsx"), STAFF_LIST),
    Row("report", "xlsx", "get", report_of_group("xlsx/"), STAFF_READ, note="group"),
    Row("report", "csv", "get", listing("reports/csv"), STAFF_LIST),
]

TABLES: dict[str, list[Row]] = {
    "reports": REPORTS,
    "accounts": ACCOUNTS,
    "privacy": PRIVACY,
    "feeds": FEEDS,
    "transport": TRANSPORT,
    "organisations": ORGANISATIONS,
    "offers": OFFERS,
    "families": FAMILIES,
    "fleet": FLEET,
}
ROWS: list[Row] = [row for table in TABLES.values() for row in table]
