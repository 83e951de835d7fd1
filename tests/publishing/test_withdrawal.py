"""Consent and deletion take effect at once, on every surface a driver reads.

A published Tuesday carries three families on dave's route. Deleting (or anonymising)
family F-A-1 or withdrawing its transport consent takes its home address and its
child MilaA off the route sheet page, the PDF, the route API and the driver feed
before anything is re-planned; the other families keep their times; then one
automatic re-plan of the day runs and is published. Phone numbers reach a driver only
where the family agreed to be called.
"""

import datetime as dt
import io
import json

import pypdf
import pytest
from django.test import Client

from backend.families.models import ConsentRecord, Family
from backend.families.services import withdraw_consent
from backend.feeds.services import create_link
from backend.planning.models import PlanningRun, Route, Stop, StopPassenger, Unserved
from backend.publishing.queries import published_routes
from backend.publishing.services import publish_run, withdraw_family_from_published
from tests.planning.conftest import TUESDAY
from tests.publishing.conftest import MONDAY, NEXT_TUESDAY, plan

HOME = "Dorfstraße 3, 54636 Wolsfeld"  # family F-A-1 (base world)
CHILD = "MilaA"
PHONE_OK, PHONE_SECRET = "+49 6561 0000", "+49 6561 2222"


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def family(day) -> Family:
    return day["family"]


def only_route(org, day=TUESDAY) -> Route:
    (route,) = published_routes(org, day, day)
    return route


def publish_tuesday(org) -> tuple[PlanningRun, Route]:
    """Plan Tuesday and publish it: the run and its one route (dave's)."""
    run = plan(org)
    publish_run(run)
    return run, only_route(org)


def pickups(org, day=TUESDAY) -> dict[str, dt.datetime]:
    rows = StopPassenger.objects.filter(
        stop__route__in=published_routes(org, day, day), action="board"
    ).select_related("stop")
    return {row.request_id: row.stop.planned_at for row in rows}


def driver_surfaces(world, route_id: int) -> dict[str, str]:
    """What driver dave reads about the route: page, PDF, route API and calendar feed."""
    dave = world["users"]["dave"]
    browser = Client()
    browser.force_login(dave)
    page = browser.get(f"/fahrer/touren/{route_id}/")
    pdf = browser.get(f"/fahrer/touren/{route_id}/pdf/")
    api = Client()
    api.force_login(dave)
    sheet = api.get(f"/api/routes/{route_id}/sheet/")
    if "feed_token" not in world:
        a = world["a"]
        world["feed_token"] = create_link(a["org"], "driver", driver=a["driver"], day=MONDAY).token
    feed = Client().get(f"/feeds/{world['feed_token']}.ics")
    assert {page.status_code, pdf.status_code, sheet.status_code, feed.status_code} == {200}
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    return {
        "page": page.content.decode(),
        "pdf": "\n".join(p.extract_text() for p in reader.pages),
        "api": json.dumps(sheet.json(), ensure_ascii=False),
        # Unfold the calendar's 75-octet lines and unescape its text before searching it.
        "feed": feed.content.decode().replace("\r\n ", "").replace("\\,", ","),
    }


def surfaces_with(surfaces: dict[str, str], text: str) -> list[str]:
    return [name for name, content in surfaces.items() if text in content]


def run_after_commit(capture, callbacks) -> list:
    """Run captured on-commit callbacks; return the ones they register in turn."""
    with capture(execute=False) as more:
        for callback in callbacks:
            callback()
    return list(more)


# --- deletion and anonymisation -------------------------------------------------------


def test_a_deleted_family_leaves_every_sheet_at_once_then_its_day_replans(
    day, world, family, clients, django_capture_on_commit_callbacks
):
    org = day["org"]
    published, route = publish_tuesday(org)
    before = driver_surfaces(world, route.pk)
    assert surfaces_with(before, HOME) == ["page", "pdf", "api", "feed"]
    assert surfaces_with(before, CHILD) == ["page", "pdf", "api", "feed"]
    others = {
        rid: t for rid, t in pickups(org).items() if not rid.startswith(f"p{day['child'].pk}-")
    }

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = clients["alice"].delete(f"/api/families/{family.pk}/")
    assert answer.status_code == 204

    # At once, before any re-plan: gone from every surface, the others keep their times.
    after = driver_surfaces(world, route.pk)
    assert surfaces_with(after, HOME) == []
    assert surfaces_with(after, CHILD) == []
    assert pickups(org) == others
    publication = org.publications.current_on(TUESDAY)
    assert (publication.run_id, publication.amendments) == (published.pk, 1)
    assert not Stop.objects.filter(address=HOME).exists()

    replans = run_after_commit(django_capture_on_commit_callbacks, callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in replans:
            callback()
    replan = PlanningRun.objects.get(trigger="erased")
    assert replan.status == "done", replan.error
    assert org.publications.current_on(TUESDAY).run_id == replan.pk
    assert set(pickups(org)) == set(others)


def test_anonymising_calls_the_service_and_no_plan_keeps_the_family(
    day, world, family, django_capture_on_commit_callbacks
):
    """History and unpublished runs lose the family too: its address remains in no plan."""
    org = day["org"]
    superseded = plan(org)
    publish_run(superseded)
    current = plan(org)
    publish_run(current)
    draft = plan(org)
    assert Stop.objects.filter(address=HOME).count() == 6  # home twice in each of three runs
    assert current.affected["compared_with"] == {"2026-11-24": superseded.pk}

    with django_capture_on_commit_callbacks(execute=True):
        days = withdraw_family_from_published(family)
        # What an anonymisation does next (backend/privacy on the `trust` branch).
        ConsentRecord.objects.filter(family=family).update(withdrawn_on=MONDAY)
        Family.objects.filter(pk=family.pk).update(
            contact_name="anonym", street="", latitude=None, longitude=None
        )

    assert days == [TUESDAY]
    assert not Stop.objects.filter(address=HOME).exists()
    assert not StopPassenger.objects.filter(participant__family=family).exists()
    assert not Stop.objects.filter(family=family).exists()
    assert not Unserved.objects.filter(participant__family=family).exists()
    for run in (superseded, current, draft):
        assert run.routes.exists()
    surfaces = driver_surfaces(world, only_route(org).pk)
    assert surfaces_with(surfaces, CHILD) == []
    replan = PlanningRun.objects.get(trigger="erased")
    assert (replan.status, org.publications.current_on(TUESDAY).run_id) == ("done", replan.pk)
    assert family.pk not in {p.participant.family_id for p in StopPassenger.objects.all()}


def test_a_deleted_child_leaves_the_plan_and_the_sibling_stays(
    day, world, clients, django_capture_on_commit_callbacks
):
    org = day["org"]
    _, route = publish_tuesday(org)
    with django_capture_on_commit_callbacks(execute=False):
        assert clients["alice"].delete(f"/api/participants/{day['lea'].pk}/").status_code == 204
    surfaces = driver_surfaces(world, route.pk)
    assert surfaces_with(surfaces, "Lea") == []
    assert surfaces_with(surfaces, "Ben") == ["page", "pdf", "api", "feed"]


def test_a_route_with_nobody_left_goes(day, world, family):
    """Only F-A-1 rides on the day: its deletion leaves the driver no route to drive."""
    org = day["org"]
    for other in (day["siblings"], day["third"]):
        ConsentRecord.objects.filter(family=other).update(withdrawn_on=MONDAY)
    _, route = publish_tuesday(org)
    family.delete()
    assert not Route.objects.filter(pk=route.pk).exists()
    assert not published_routes(org, TUESDAY, TUESDAY).exists()


# --- transport consent ------------------------------------------------------------------


def test_withdrawn_transport_consent_leaves_every_sheet_at_once_then_replans(
    day, world, family, clients, django_capture_on_commit_callbacks
):
    org = day["org"]
    published, route = publish_tuesday(org)
    consent = ConsentRecord.objects.get(family=family, purpose="transport")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = clients["bob"].post(f"/api/consents/{consent.pk}/withdraw/", {}, format="json")
    assert answer.status_code == 200
    replans = run_after_commit(django_capture_on_commit_callbacks, callbacks)

    surfaces = driver_surfaces(world, route.pk)
    assert surfaces_with(surfaces, HOME) == []
    assert surfaces_with(surfaces, CHILD) == []
    assert org.publications.current_on(TUESDAY).run_id == published.pk
    assert Stop.objects.filter(address=HOME, route__run=published).exists() is False
    with django_capture_on_commit_callbacks(execute=True):
        for callback in replans:
            callback()
    replan = PlanningRun.objects.get(trigger="consent")
    assert (replan.status, org.publications.current_on(TUESDAY).run_id) == ("done", replan.pk)
    assert surfaces_with(driver_surfaces(world, only_route(org).pk), CHILD) == []


def test_a_consent_withdrawn_from_a_later_day_keeps_the_earlier_rides(
    day, family, django_capture_on_commit_callbacks
):
    org = day["org"]
    publish_run(plan(org, TUESDAY, NEXT_TUESDAY))
    consent = ConsentRecord.objects.get(family=family, purpose="transport")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent, NEXT_TUESDAY)
    riders = StopPassenger.objects.filter(participant__family=family)
    published = riders.filter(stop__route__in=published_routes(org, TUESDAY, NEXT_TUESDAY))
    assert set(published.values_list("stop__route__date", flat=True)) == {TUESDAY}


def test_a_run_planned_before_the_withdrawal_is_published_without_the_family(
    day, family, django_capture_on_commit_callbacks
):
    org = day["org"]
    run = plan(org)
    assert StopPassenger.objects.filter(stop__route__run=run, participant__family=family).exists()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(ConsentRecord.objects.get(family=family, purpose="transport"), MONDAY)
    publish_run(run)
    riders = StopPassenger.objects.filter(stop__route__in=published_routes(org, TUESDAY, TUESDAY))
    assert family.pk not in set(riders.values_list("participant__family_id", flat=True))
    assert riders.exists()
    assert not Stop.objects.filter(route__run=run, address=HOME).exists()


# --- phone numbers ----------------------------------------------------------------------


@pytest.fixture
def phones(day, family):
    """F-A-1 agreed to be called; the siblings' family did not."""
    ConsentRecord.objects.create(family=family, purpose="phone", given_on=dt.date(2026, 9, 1))
    Family.objects.filter(pk=day["siblings"].pk).update(phone=PHONE_SECRET)
    publish_run(plan(day["org"]))


def test_a_phone_number_reaches_the_driver_only_with_the_consent(day, world, phones):
    surfaces = driver_surfaces(world, only_route(day["org"]).pk)
    assert surfaces_with(surfaces, PHONE_OK) == ["page", "pdf", "api"]
    assert surfaces_with(surfaces, PHONE_SECRET) == []


def test_a_withdrawn_phone_consent_takes_the_number_off_at_once(day, world, family, phones):
    consent = ConsentRecord.objects.get(family=family, purpose="phone")
    withdraw_consent(consent, MONDAY)
    surfaces = driver_surfaces(world, only_route(day["org"]).pk)
    assert surfaces_with(surfaces, PHONE_OK) == []


def test_staff_print_the_sheet_with_the_same_rule(day, world, phones):
    bob = Client()
    bob.force_login(world["users"]["bob"])
    page = bob.get(f"/fahrer/touren/{only_route(day['org']).pk}/").content.decode()
    assert PHONE_OK in page and PHONE_SECRET not in page


def test_calendars_that_poll_see_the_change(day, family, django_capture_on_commit_callbacks):
    """The driver feed's ETag changes and the route event's SEQUENCE rises."""
    org = day["org"]
    publish_run(plan(org))
    token = create_link(org, "driver", driver=day["driver"], day=MONDAY).token
    before = Client().get(f"/feeds/{token}.ics")
    assert "SEQUENCE:0" in before.content.decode()
    consent = ConsentRecord.objects.get(family=family, purpose="transport")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdraw_consent(consent, MONDAY)
    run_after_commit(django_capture_on_commit_callbacks, callbacks)  # not the re-plan
    after = Client().get(f"/feeds/{token}.ics", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "SEQUENCE:1" in after.content.decode()
    assert HOME.split(",")[0] not in after.content.decode()
