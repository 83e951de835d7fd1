"""The journey kit: Debian's Chromium through Playwright against the live test server.

One browser for all journeys; a fresh context (cookies, German, Europe/Berlin) per
person and test; the clock at Monday 2026-11-23 08:00 in Berlin, running; planning
runs in the in-process worker thread, as `lotse serve` runs them. See README.md here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from backend.families.models import ConsentRecord
from backend.feeds import services as feeds
from backend.feeds.models import FeedLink
from backend.planning import jobs
from backend.planning.models import PlanningRun
from backend.planning.services import plan_now
from backend.publishing.services import publish_run
from tests.browser import CHROMIUM, FLAGS, MISSING
from tests.conftest import TODAY
from tests.journeys import kit
from tests.journeys.forms import PostLog

HERE = Path(__file__).parent
COVERAGE_TEST = "test_every_post_form_is_submitted_by_a_journey"
POSTS = pytest.StashKey[PostLog]()
SELECTION = pytest.StashKey[list[str]]()  # why the journeys of this run are incomplete
FAILED = pytest.StashKey[bool]()
COLLECTED = pytest.StashKey[set[str]]()  # the journeys of this run (the form check aside)
STARTED = pytest.StashKey[set[str]]()  # the journeys this process has run so far

expect.set_options(timeout=10_000)


# --- collection: one browser marker, the form check last, and only on a full run -------
#
# `make test` runs the suite in two processes (pytest -n 2): all journeys go to the same
# one, in this order (XDIST_GROUPS in tests/conftest.py), so the form check sees every POST.


def _is_journey(item: pytest.Item) -> bool:
    return Path(item.path).parent == HERE


def _name(item: pytest.Item) -> str:
    return f"{Path(item.path).name}::{item.name}"


def pytest_deselected(items: list[pytest.Item]) -> None:
    names = [item.nodeid for item in items if _is_journey(item)]
    if names:
        items[0].config.stash.setdefault(SELECTION, []).append(f"deselected: {names[:3]} …")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    journeys = [item for item in items if _is_journey(item)]
    for item in journeys:
        item.add_marker(pytest.mark.browser)
    config.stash[COLLECTED] = {_name(item) for item in journeys if item.name != COVERAGE_TEST}
    collected = {Path(item.path).name for item in journeys}
    missing = sorted(p.name for p in HERE.glob("test_*.py") if p.name not in collected)
    if missing:
        config.stash.setdefault(SELECTION, []).append(f"not collected: {missing}")
    # The form check runs after the last journey, whatever the file order.
    checks = [item for item in journeys if item.name == COVERAGE_TEST]
    others = [item for item in journeys if item not in checks]
    if checks and others:
        for item in checks:
            items.remove(item)
        at = items.index(others[-1]) + 1
        items[at:at] = checks


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "setup" and _is_journey(item):
        item.config.stash.setdefault(STARTED, set()).add(_name(item))
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def post_log(pytestconfig: pytest.Config) -> PostLog:
    """Every POST the journeys' browsers sent (kept on the config: it outlives packages)."""
    return pytestconfig.stash.setdefault(POSTS, PostLog())


@pytest.fixture
def journey_selection(pytestconfig: pytest.Config) -> list[str]:
    """Why the journeys of this run are not all of them (empty: they are).

    A full run whose journeys were split between processes fails: the form check would
    miss their POSTs, and skipping would hide that the check no longer runs."""
    reasons = list(pytestconfig.stash.get(SELECTION, []))
    elsewhere = pytestconfig.stash.get(COLLECTED, set()) - pytestconfig.stash.get(STARTED, set())
    if elsewhere and not reasons:
        pytest.fail(
            f"journeys ran in another process: {sorted(elsewhere)[:3]} …; "
            "XDIST_GROUPS in tests/conftest.py must keep them in one"
        )
    return reasons


# --- the browser, the server, the clock ------------------------------------------------


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, started once for all journeys."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop marked as running in this thread
        # while it is started, and Django then refuses database access from the test
        # (SynchronousOnlyOperation). The test code is synchronous all the same: the loop
        # only waits for the browser. Allowed here only, until the browser is stopped.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # A German browser (needs Debian's chromium-l10n): date fields show 24.11.2026.
            german = {**os.environ, "LANGUAGE": "de"}
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, env=german)
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def journey_settings(settings) -> None:
    """Planning as in production without a broker: the in-process worker thread."""
    settings.TRANSPORT_JOBS = ""
    settings.CELERY_BROKER_URL = ""
    settings.OSRM_URL = ""
    settings.PLANNING_TIME_LIMIT = 1
    # No tile server: these machines reach no map tiles, and maps must work without them.
    settings.MAP_TILE_URL = ""


@dataclass
class Clock:
    """The machine's clock for server, worker and test alike; it keeps running."""

    traveller: time_machine.Coordinates

    def travel(self, when: dt.datetime) -> None:
        self.traveller.move_to(when)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Clock]:
    """Monday 2026-11-23 08:00 in Berlin (TODAY), then running; `clock.travel(...)` moves it."""
    with time_machine.travel(kit.berlin(TODAY, 8), tick=True) as traveller:
        yield Clock(traveller)


# --- pages -----------------------------------------------------------------------------


@pytest.fixture
def new_page(
    browser: Browser, live_server, world, post_log: PostLog, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """`new_page("phone")` or `new_page("desktop")`: a page of a new person (own cookies).

    The base `world` (tests/conftest.py) is there: alice, bob, dave, charlie log in
    with `kit.login(page, "alice")`.

    German (`Accept-Language: de-DE`), Europe/Berlin, relative URLs against the live
    server. Every POST is recorded for the form check; any 5xx answer fails the test.
    """
    contexts = []
    server_errors: list[str] = []

    def open_page(viewport: str = "phone", *, locale: str = "de-DE") -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            timezone_id="Europe/Berlin",
            viewport=kit.VIEWPORTS[viewport],
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        post_log.watch(context, live_server.url, request.node.nodeid)
        context.on(
            "response",
            lambda r: (
                r.status >= 500 and server_errors.append(f"{r.status} {r.request.method} {r.url}")
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    if request.node.stash.get(FAILED, False):
        _keep_failure_shots(contexts, request.node.name)
    for context in contexts:
        context.close()
    # No planning run may outlive the test: the database is emptied next.
    jobs.wait_until_idle()
    assert not server_errors, server_errors


def _keep_failure_shots(contexts, test_name: str) -> None:
    """What the pages of a failed journey showed, in var/journey-failures/."""
    folder = Path(settings.VAR_DIR) / "journey-failures"
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(p for c in contexts for p in c.pages):
        page.screenshot(path=str(folder / f"{test_name}-{n}.png"), full_page=True)


@pytest.fixture
def phone(new_page) -> Page:
    """A person on a 390 px phone (families, drivers)."""
    return new_page("phone")


@pytest.fixture
def desktop(new_page) -> Page:
    """A person at a 1280 px desktop screen (coordinators, staff)."""
    return new_page("desktop")


# --- data: a published plan, a family's link --------------------------------------------


def plan_and_publish(org, day: dt.date) -> PlanningRun:
    """What a coordinator does on the planning pages, done directly (for later journeys)."""
    run = plan_now(org, day, day, trigger=PlanningRun.Trigger.MANUAL, time_limit=1)
    assert run.status == PlanningRun.Status.DONE, run.error
    publish_run(run)
    return run


@pytest.fixture
def published_tuesday(world) -> PlanningRun:
    """Org A's plan for Tuesday 24.11., published on Monday morning.

    Family A agreed that drivers may call it (without that consent no number is shown).
    """
    ConsentRecord.objects.create(
        family=world["a"]["family"], purpose="phone", given_on=dt.date(2026, 9, 1)
    )
    return plan_and_publish(world["a"]["org"], kit.TUESDAY)


@pytest.fixture
def family_page_url(world) -> str:
    """The address of family A's page (`/familie/<token>/`), as the provider hands it out."""
    a = world["a"]
    ConsentRecord.objects.create(
        family=a["family"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )
    issued = feeds.create_link(a["org"], FeedLink.Kind.FAMILY, family=a["family"], day=TODAY)
    return f"/familie/{issued.token}/"
