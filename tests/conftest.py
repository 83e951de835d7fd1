"""The base fixture set used across the suite.

alice: coordinator of org A; bob: staff of org A; dave: driver of org A;
charlie: coordinator of org B (no access to A). Each org has one venue, one
weekly group offer with sessions, one family with a child enrolled, one driver
and one vehicle.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zoneinfo
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings as settings_module
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from backend.accounts.services import issue_token
from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.fleet.models import Availability, Driver, Vehicle
from backend.offers.models import ClosurePeriod, GroupOffer, Venue
from backend.offers.services import materialise_sessions
from backend.organisations.models import Membership, Organisation, Role

# The console belongs to pytest: no stray output (tests/quiet.py); pytester tests it.
pytest_plugins = ["tests.quiet", "pytester"]

ROOT = Path(__file__).resolve().parents[1]
# A fixed "today" for tests: a Monday.
TODAY = dt.date(2026, 11, 23)
# The time zone people see (the TIME_ZONE setting's default).
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class Clock:
    """The one clock (backend/lib/clock.py), moved with time-machine (standing still or running).

    `clock.today = day` moves to 08:00 that day (Berlin); `clock.now = moment` moves there.
    """

    def __init__(self, traveller, moment: dt.datetime, *, tick: bool = True):
        self._traveller, self._tick = traveller, tick
        self.now = moment

    @property
    def now(self) -> dt.datetime:
        return dt.datetime.now(tz=BERLIN)

    @now.setter
    def now(self, moment: dt.datetime) -> None:
        self._traveller.move_to(moment, tick=self._tick)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @today.setter
    def today(self, day: dt.date) -> None:
        self.now = dt.datetime.combine(day, dt.time(8), tzinfo=BERLIN)


# --- two processes (`make test` runs pytest -n 2) --------------------------------------

# Tests that share one process, by where they are (the rest is handed out test by test):
# - the journeys: the POST-form check (tests/journeys/test_post_forms.py) runs after the
#   last journey and needs every journey's POSTs;
# - the Celery tests on Redis (marker celery_redis): each empties the broker's db, and a
#   Celery worker started by another process would take their tasks.
XDIST_GROUPS = {
    "tests/journeys/": "journeys",
    "tests/faults/test_kill_celery.py": "redis",
    "tests/planning/test_jobs.py": "redis",
}


def xdist_scope(nodeid: str) -> str:
    """What goes to one process together: a group, a test class (a Django TestCase sets up
    its data once per class), or a single test."""
    for prefix, group in XDIST_GROUPS.items():
        if nodeid.startswith(prefix):
            return group
    path, *names = nodeid.split("[", 1)[0].split("::")
    return f"{path}::{names[0]}" if len(names) > 1 else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`pytest -n` hands out work by `xdist_scope`, longest groups first.

    pytest-xdist's own `--dist loadgroup` has no effect with pytest 9 (xdist 3.8 renames
    `item._nodeid`, which pytest 9 no longer reads), hence this scheduler. Other `--dist`
    modes are left to pytest-xdist.
    """
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupedScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    return GroupedScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    strays = [
        item.nodeid
        for item in items
        if item.get_closest_marker("celery_redis") and xdist_scope(item.nodeid) != "redis"
    ]
    if strays:
        raise pytest.UsageError(f"celery_redis tests outside XDIST_GROUPS' redis: {strays}")


def morning(day: dt.date = TODAY, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a database file (in memory-backed /dev/shm where there is one).

    Other processes can open a file: the fault-injection tests (tests/faults/) run real
    servers, `lotse plan` and Celery workers against the test database. It also makes
    SQLite lock as it does in production (a shared in-memory database locks tables).
    """
    database = settings_module.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        yield
        return
    shm = Path("/dev/shm")
    where = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path_factory.mktemp("db")
    database.setdefault("TEST", {})["NAME"] = str(where / "lotse-test.sqlite3")
    # Journeys run the server and the planning worker in threads of their own: with WAL,
    # a page's read waits for a worker's write instead of failing.
    connection_created.connect(_fast_sqlite, dispatch_uid="tests-fast-sqlite")
    yield
    shutil.rmtree(where, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Callable[[Path], None]:
    """`fresh(path)` puts a new SQLite database at `path`, as `lotse migrate` leaves it.

    For the tests that run Lotse's commands or a real server on a file of their own
    (tests/privacy/test_backup.py, tests/test_gunicorn_log.py). `lotse migrate` runs once
    per process, in a process of its own as an operator runs it; each test gets a copy.
    """
    var = tmp_path_factory.mktemp("migrated")
    template = var / "lotse.sqlite3"
    env = {**os.environ, "LOTSE_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{template}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrate = [sys.executable, "-m", "backend.lotse.manage", "migrate", "-v", "0"]
    done = subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr

    def fresh(path: Path) -> None:
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)

    return fresh


@pytest.fixture
def inline_planning(settings):
    """Planning runs execute in the caller (after commit), 1 s per day, no OSRM."""
    settings.TRANSPORT_JOBS = "inline"
    settings.OSRM_URL = ""
    settings.PLANNING_TIME_LIMIT = 1


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Password hashing is deliberately slow; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (LANGUAGE_CODE, German): LocaleMiddleware
    leaves a request's language active in the thread, so a test that asked for English
    would otherwise decide the language of whichever test runs next in this process."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login throttles and cached feeds live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today() -> dt.date:
    return TODAY


def _org(slug: str, name: str) -> Organisation:
    return Organisation.objects.create(slug=slug, name=name, contact_email=f"info@{slug}.example")


def password_for(username: str) -> str:
    """The password of every test user (journeys type it into the login form)."""
    return f"{username}-pass-123"


def _user(username: str, org: Organisation, role: str) -> User:
    user = User.objects.create_user(username, password=password_for(username))
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def add_family(
    org: Organisation, reference: str, lat: float | None, lon: float | None, consent=True, **fields
) -> Family:
    """A family of `org` at (lat, lon) that agreed to transport (unless `consent` is False).

    `fields` replace the made-up contact and address (Kontakt <reference>, Dorfstraße 1,
    54634 Bitburg) or add to them.
    """
    made_up = {
        "contact_name": f"Kontakt {reference}",
        "street": "Dorfstraße 1",
        "postcode": "54634",
        "town": "Bitburg",
    }
    family = Family.objects.create(
        organisation=org, reference=reference, latitude=lat, longitude=lon, **made_up | fields
    )
    if consent:
        ConsentRecord.objects.create(
            family=family, purpose="transport", given_on=dt.date(2026, 9, 1)
        )
    return family


def add_child(
    family: Family, offer: GroupOffer, name: str, *, born=(2016, 3), transport="both", **extra
) -> Participant:
    """A child of `family` (born year, month), enrolled in `offer` since 01.09.2026."""
    child = Participant.objects.create(
        family=family, first_name=name, birth_year=born[0], birth_month=born[1], **extra
    )
    Enrolment.objects.create(
        participant=child, offer=offer, joined_on=dt.date(2026, 9, 1), transport=transport
    )
    return child


def add_closure(
    org: Organisation, name: str, first: dt.date, last: dt.date | None = None
) -> ClosurePeriod:
    """A closure of `org` from `first` to `last` (or that day only); saving it cancels the
    sessions it covers."""
    return ClosurePeriod.objects.create(
        organisation=org, name=name, start_date=first, end_date=last or first
    )


def build_org_world(org: Organisation, *, lat: float, lon: float, suffix: str) -> dict:
    venue = Venue.objects.create(
        organisation=org,
        name=f"Familienzentrum {suffix}",
        street="Hauptstraße 1",
        postcode="54634",
        town="Bitburg",
        latitude=lat,
        longitude=lon,
    )
    offer = GroupOffer.objects.create(
        organisation=org,
        venue=venue,
        title=f"Kindergruppe {suffix}",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        start_time=dt.time(15, 0),
        duration_minutes=90,
        first_date=dt.date(2026, 9, 1),
        min_age=6,
        max_age=12,
        capacity=10,
        sectors=["youth_welfare"],
        listing_approved=True,  # approved for the public guide
    )
    sessions = materialise_sessions(offer, TODAY, 4)
    family = add_family(
        org,
        f"F-{suffix}-1",
        lat + 0.05,
        lon + 0.05,
        contact_name=f"Kontakt {suffix}",
        phone="+49 6561 0000",
        street="Dorfstraße 3",
        postcode="54636",
        town="Wolsfeld",
    )
    child = add_child(family, offer, f"Mila{suffix}", born=(2018, 5), needs_child_seat=True)
    enrolment = child.enrolments.get()
    vehicle = Vehicle.objects.create(
        organisation=org, label=f"Bus {suffix}", seats=6, child_seats=2
    )
    driver = Driver.objects.create(
        organisation=org,
        name=f"Anna {suffix}",
        phone="+49 6561 1111",
        vehicle=vehicle,
        latitude=lat - 0.03,
        longitude=lon - 0.02,
        certificate_date=dt.date(2024, 1, 10),
    )
    Availability.objects.create(
        driver=driver, weekday=1, start_time=dt.time(13, 0), end_time=dt.time(19, 0)
    )
    return {
        "org": org,
        "venue": venue,
        "offer": offer,
        "sessions": sessions,
        "family": family,
        "child": child,
        "enrolment": enrolment,
        "vehicle": vehicle,
        "driver": driver,
    }


@pytest.fixture
def world(db) -> dict:
    """Two organisations with users, data and API clients. See the module docstring."""
    org_a = _org("traeger-a", "Träger A")
    org_b = _org("traeger-b", "Träger B")
    a = build_org_world(org_a, lat=49.97, lon=6.52, suffix="A")
    b = build_org_world(org_b, lat=49.75, lon=6.64, suffix="B")
    users = {
        "alice": _user("alice", org_a, Role.COORDINATOR),
        "bob": _user("bob", org_a, Role.STAFF),
        "dave": _user("dave", org_a, Role.DRIVER),
        "charlie": _user("charlie", org_b, Role.COORDINATOR),
    }
    a["driver"].user = users["dave"]
    a["driver"].save(update_fields=["user"])
    return {"a": a, "b": b, "users": users}


@pytest.fixture
def office(world) -> dict:
    """The district's coordination office beside the world: its organisation and olga, its
    coordinator (a login of the office, not of a provider)."""
    org = Organisation.objects.create(
        slug="koordinierung",
        name="Koordinierungsstelle",
        kind=Organisation.Kind.COORDINATION,
        contact_email="info@koordinierung.example",
    )
    return {"org": org, "olga": _user("olga", org, Role.COORDINATOR)}


def api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user).key}")
    return client


def logged_in(users: dict[str, User]) -> dict[str, Client]:
    """A logged-in browser client per user name, plus 'anon' (not logged in)."""
    result = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        result[name] = client
    result["anon"] = Client()
    return result


@pytest.fixture
def clients(world) -> dict[str, APIClient]:
    """Token-authenticated API clients per user, plus 'anon'."""
    result = {name: api_client(user) for name, user in world["users"].items()}
    result["anon"] = api_client(None)
    return result


def _fast_sqlite(sender, connection, **kwargs) -> None:
    """A throw-away test database needs no flush to disk, and readers need not wait for writers."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
