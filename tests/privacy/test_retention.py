"""Retention: families whose last enrolment ended more than RETENTION_MONTHS ago are
anonymised; the anonymous figures stay; a dry run lists and changes nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.feeds import services as feed_services
from backend.planning.models import Stop
from backend.privacy.models import AuditEntry
from tests.conftest import TODAY
from tests.routesheets.sheet_fixtures import (
    LAST_WEEK,
    last_week_session,
    published_run,
    route_to_group,
)


@pytest.fixture
def gone(world, route, settings):
    """Family A: every enrolment ended 25 months ago; it has a calendar link and a route stop."""
    settings.RETENTION_MONTHS = 24
    family = world["a"]["family"]
    Enrolment.objects.filter(participant__family=family).update(
        joined_on=dt.date(2024, 1, 1), left_on=dt.date(2024, 10, 1)
    )
    ConsentRecord.objects.create(family=family, purpose="calendar", given_on=dt.date(2024, 1, 1))
    feed_services.create_link(family.organisation, "family", family=family, day=TODAY)
    return family


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_and_changes_nothing(gone, world):
    before = Family.objects.get(pk=gone.pk)
    AuditEntry.objects.create(
        organisation=world["a"]["org"],
        action="view_family",
        channel="page",
        at=timezone.now() - dt.timedelta(days=400),
    )
    out = _run("--dry-run")
    assert "would anonymise family F-A-1 (Träger A; last enrolment ended 2024-10-01)" in out
    assert "1 participants, 2 consents" in out
    assert "would delete 1 expired audit entries" in out
    after = Family.objects.get(pk=gone.pk)
    assert (after.contact_name, after.street, after.anonymised_at) == (
        before.contact_name,
        before.street,
        None,
    )
    assert AuditEntry.objects.count() == 1
    # Family B still has an open enrolment: not due.
    assert "F-B-1" not in out


def test_anonymising_removes_what_points_to_a_person(gone, world):
    stop_ids = list(Stop.objects.filter(family=gone).values_list("pk", flat=True))
    assert stop_ids
    _run()
    family = Family.objects.get(pk=gone.pk)
    assert family.reference == f"ANON-{family.pk}"
    assert family.anonymised_at is not None
    for value in (family.contact_name, family.phone, family.street, family.postcode, family.town):
        assert value == ""
    assert family.latitude is None
    child = Participant.objects.get(family=family)
    assert child.first_name == "anonym" and not child.needs_child_seat and child.driver_note == ""
    assert (child.birth_year, child.birth_month) == (2018, 7)
    assert not Stop.objects.filter(family=family).exists()
    for stop in Stop.objects.filter(pk__in=stop_ids):
        assert stop.address == "" and round(stop.latitude, 1) == stop.latitude
    assert not family.feed_links.filter(revoked_at__isnull=True).exists()
    assert not family.consents.filter(withdrawn_on__isnull=True).exists()
    logged = AuditEntry.objects.get(action=AuditEntry.Action.ANONYMISE)
    assert (logged.family_reference, logged.channel) == ("F-A-1", "system")


def test_anonymous_figures_stay(gone):
    enrolments = list(
        Enrolment.objects.filter(participant__family=gone).values_list(
            "offer_id", "joined_on", "left_on", "transport"
        )
    )
    _run()
    assert (
        list(
            Enrolment.objects.filter(participant__family=gone).values_list(
                "offer_id", "joined_on", "left_on", "transport"
            )
        )
        == enrolments
    )
    assert Participant.objects.filter(family=gone).count() == 1


def test_a_second_run_changes_nothing(gone):
    _run()
    assert "anonymised 0 families" in _run()


def test_an_open_enrolment_is_never_due(world, settings):
    settings.RETENTION_MONTHS = 1
    assert "would anonymise 0 families" in _run("--dry-run")


def test_an_unknown_organisation_is_a_clear_error(db):
    with pytest.raises(CommandError, match="unknown organisation: nope"):
        _run("--org", "nope")


def test_the_api_dry_run_is_scoped_to_the_organisation(gone, clients):
    mine = clients["alice"].get("/api/privacy/retention/dry-run/").json()
    theirs = clients["charlie"].get("/api/privacy/retention/dry-run/").json()
    assert [f["reference"] for f in mine["families"]] == ["F-A-1"]
    assert theirs["families"] == [] and mine["dry_run"] is True


def test_coming_rides_leave_the_plan_and_past_routes_keep_their_figures(gone, world, route):
    """The anonymised family's coming stops go from the published plan at once; a past
    route keeps its stops and distance, without the address."""
    a = world["a"]
    past = route_to_group(
        published_run(a["org"], LAST_WEEK),
        a["driver"],
        a["vehicle"],
        last_week_session(a),
        gone,
        [a["child"]],
    )
    past_stops = past.stops.count()
    home = gone.street
    assert Stop.objects.filter(route__date__gte=TODAY, family=gone).exists()
    _run()
    # Its only rider is gone, so is the coming route (not merely blurred like the past).
    assert not Stop.objects.filter(route__date__gte=TODAY, route__organisation=a["org"]).exists()
    past.refresh_from_db()
    assert past.stops.count() == past_stops and past.distance_m == 23456
    assert not past.stops.filter(address__contains=home).exists()
