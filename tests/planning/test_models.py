"""Domain words written once: what "current", "published", "active" and "for_org" mean."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import translation

from backend.planning.models import PlanningRun, Publication, Route, StopPassenger
from tests.conftest import TODAY, morning
from tests.routesheets.sheet_fixtures import add_rider, add_stop

DAY = TODAY + dt.timedelta(days=1)


def run_of(org, first=DAY, last=DAY, status="done") -> PlanningRun:
    return PlanningRun.objects.create(
        organisation=org, date_from=first, date_to=last, status=status
    )


def route_of(run, part, day=DAY) -> Route:
    start = morning(day, 14)
    route = Route.objects.create(
        run=run,
        organisation=run.organisation,
        date=day,
        driver=part["driver"],
        vehicle=part["vehicle"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    stop = add_stop(route, 1, "pickup", start, (50.0, 6.5, ""))
    add_rider(stop, part["child"], part["sessions"][0], "board", "there")
    return route


def publish(run, day=DAY, superseded=False) -> Publication:
    return Publication.objects.create(
        organisation=run.organisation,
        date=day,
        run=run,
        published_at=morning(TODAY),
        superseded_at=morning(TODAY, 9) if superseded else None,
    )


def test_current_publications_are_the_ones_not_superseded(world):
    org = world["a"]["org"]
    old, new = run_of(org), run_of(org)
    history = publish(old, superseded=True)
    current = publish(new)
    assert list(Publication.objects.current()) == [current]
    assert org.publications.current_on(DAY) == current
    assert org.publications.current_on(TODAY) is None
    assert (current.is_current, history.is_current) == (True, False)


def test_published_routes_belong_to_a_current_publication_of_their_own_day(world):
    a = world["a"]
    org = a["org"]
    published = route_of(run_of(org), a)
    publish(published.run)
    superseded = route_of(run_of(org), a)
    publish(superseded.run, superseded=True)
    draft = route_of(run_of(org), a)
    # A two-day run published for its first day only: its second day is not published.
    two_days = run_of(org, DAY, DAY + dt.timedelta(days=1))
    first_day, second_day = route_of(two_days, a, DAY), route_of(two_days, a, DAY + dt.timedelta(1))
    Publication.objects.filter(run=published.run).update(superseded_at=morning(TODAY, 10))
    publish(two_days, DAY)
    assert set(Route.objects.published()) == {first_day}
    assert draft not in Route.objects.published() and second_day not in Route.objects.published()
    assert superseded not in Route.objects.published()
    passengers = StopPassenger.objects.published()
    assert {p.stop.route_id for p in passengers} == {first_day.pk}


def test_a_run_knows_its_days_and_whether_it_is_still_active(world):
    org = world["a"]["org"]
    run = run_of(org, DAY, DAY + dt.timedelta(days=2), status="queued")
    assert run.days() == [DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)]
    assert run.is_active and list(PlanningRun.objects.active()) == [run]
    run.status = "done"
    run.save(update_fields=["status"])
    assert not run.is_active and not PlanningRun.objects.active().exists()


def test_every_trigger_has_a_german_and_an_english_label():
    """Pages show the label, never the raw id; the English catalogue has every label."""
    english = translation.trans_real.translation("en")._catalog
    for trigger in PlanningRun.Trigger:
        with translation.override("de"):
            german = str(trigger.label)
        assert german != trigger.value, trigger
        assert english.get(german), f"no English entry for {german!r}"
    assert {"absence", "cancelled", "session", "consent", "erased"} == PlanningRun.AUTOMATIC


TENANT_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label not in {"auth", "admin", "contenttypes", "sessions", "authtoken"}
    and hasattr(model.objects, "for_org")
]


def test_every_model_with_organisation_data_has_for_org():
    names = {m.__name__ for m in TENANT_MODELS}
    assert {
        "Venue",
        "GroupOffer",
        "Session",
        "Family",
        "Participant",
        "Enrolment",
        "Absence",
        "ConsentRecord",
        "Driver",
        "Vehicle",
        "Availability",
        "PlanningRun",
        "Publication",
        "Route",
        "Stop",
        "StopPassenger",
        "Unserved",
        "FeedLink",
        "Attendance",
        "ClosurePeriod",
    } <= names


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_for_org_keeps_exactly_the_organisations_own_rows(world, model):
    a, b = world["a"], world["b"]
    for part in (a, b):
        publish(route_of(run_of(part["org"]), part).run)
    rows_a = set(model.objects.for_org(a["org"]))
    rows_b = set(model.objects.for_org(b["org"]))
    assert not rows_a & rows_b
    assert rows_a | rows_b == set(model.objects.all())
