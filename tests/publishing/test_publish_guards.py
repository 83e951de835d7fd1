"""What a person may publish, and that the past is never re-planned."""

import datetime as dt

import pytest

from backend.lib.address import CoordinateSource
from backend.planning.models import PlanningRun, Publication
from backend.planning.places import approximate_places
from backend.publishing.services import PublishError, publish_run, replan_days
from tests.conftest import morning
from tests.planning.conftest import TUESDAY
from tests.publishing.conftest import plan


@pytest.fixture(autouse=True)
def monday(time_machine):
    time_machine.move_to(morning(dt.date(2026, 11, 23)), tick=False)


def test_a_published_day_in_the_past_is_not_replanned(day, time_machine):
    org = day["org"]
    publish_run(plan(org))
    time_machine.move_to(morning(TUESDAY + dt.timedelta(days=1)), tick=False)
    assert replan_days(org, [TUESDAY], "absence", "Abwesenheit") is None
    assert not Publication.objects.get().needs_replan
    assert PlanningRun.objects.count() == 1


def test_a_person_cannot_publish_a_run_that_drives_nobody(day):
    for driver in day["org"].drivers.all():
        driver.is_active = False
        driver.save(update_fields=["is_active"])
    run = plan(day["org"])
    assert run.figures["total"]["children_served"] == 0
    with pytest.raises(PublishError, match="kein einziges Kind"):
        publish_run(run, None, confirm_unserved=True)
    assert not Publication.objects.exists()


def test_the_review_lists_approximate_homes_by_family(day):
    third = day["third"]
    third.postcode, third.latitude, third.longitude = "54595", None, None
    third.save()
    assert third.coordinates_source == CoordinateSource.APPROXIMATE
    run = plan(day["org"])
    places = approximate_places(run, list(run.unserved.all()))
    assert [(p.name, p.what) for p in places] == [("F-A-3", "Wohnadresse")]
