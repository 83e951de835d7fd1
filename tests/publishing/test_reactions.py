"""Changes after publishing re-plan the published days they touch (consent, absences, sessions)."""

import datetime as dt

import pytest

from backend.families.models import Absence, ConsentRecord
from backend.families.services import report_absence, withdraw_consent
from backend.offers.models import Session
from backend.planning.models import PlanningRun, Publication, StopPassenger
from backend.publishing import review
from backend.publishing.queries import published_routes
from backend.publishing.services import PublishError, publish_run, publishable_days
from tests.planning.conftest import TUESDAY
from tests.publishing.conftest import MONDAY, NEXT_TUESDAY, NOW, plan

MANUAL = PlanningRun.Trigger.MANUAL


pytestmark = pytest.mark.usefixtures("frozen_clock")


def published_families(org, day) -> set[str]:
    rows = StopPassenger.objects.filter(stop__route__in=published_routes(org, day, day))
    return set(rows.values_list("participant__family__reference", flat=True))


def manual_off(org):
    org.auto_replan_on_absence = False
    org.save(update_fields=["auto_replan_on_absence"])


# --- consent ------------------------------------------------------------------


def test_withdrawn_transport_consent_replans_every_published_day_with_the_family(
    day, django_capture_on_commit_callbacks
):
    """Both published Tuesdays are re-planned in one run; the family is gone from both."""
    org = day["org"]
    publish_run(plan(org, TUESDAY))
    publish_run(plan(org, NEXT_TUESDAY))
    assert "F-A-3" in published_families(org, NEXT_TUESDAY)
    consent = ConsentRecord.objects.get(family=day["third"], purpose="transport")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent, MONDAY)
    replan = PlanningRun.objects.get(trigger="consent")
    assert replan.status == "done"
    for published_day in (TUESDAY, NEXT_TUESDAY):
        assert org.publications.current_on(published_day).run_id == replan.pk
        assert "F-A-3" not in published_families(org, published_day)
        assert "F-A-2" in published_families(org, published_day)
    # Days between them had no plan; the automatic run does not publish them.
    assert replan.date_to == NEXT_TUESDAY
    assert not Publication.objects.filter(date=TUESDAY + dt.timedelta(days=1)).exists()


def test_withdrawn_consent_marks_the_days_pending_without_auto_replan(
    day, django_capture_on_commit_callbacks
):
    org = day["org"]
    manual_off(org)
    publish_run(plan(org))
    consent = ConsentRecord.objects.get(family=day["third"], purpose="transport")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent, MONDAY)
    publication = org.publications.current_on(TUESDAY)
    assert publication.needs_replan is True
    assert "Einwilligung" in publication.replan_reason
    assert PlanningRun.objects.count() == 1


def test_other_consents_and_unplanned_families_change_nothing(
    day, django_capture_on_commit_callbacks
):
    org = day["org"]
    manual_off(org)
    publish_run(plan(org))
    calendar = ConsentRecord.objects.create(
        family=day["third"], purpose="calendar", given_on=dt.date(2026, 9, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(calendar, MONDAY)
        # Withdrawn from the day after the plan: the published Tuesday stays.
        later = ConsentRecord.objects.get(family=day["siblings"], purpose="transport")
        withdraw_consent(later, TUESDAY + dt.timedelta(days=1))
    assert org.publications.current_on(TUESDAY).needs_replan is False


# --- absences -----------------------------------------------------------------


def test_deleting_an_absence_puts_the_child_back_into_the_published_plan(
    day, clients, django_capture_on_commit_callbacks
):
    org, tom, session = day["org"], day["tom"], day["session"]
    report_absence(tom, session, "staff")
    publish_run(plan(org))
    assert "F-A-3" not in published_families(org, TUESDAY)
    absence = Absence.objects.get(participant=tom, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        answer = clients["bob"].delete(f"/api/absences/{absence.pk}/")
    assert answer.status_code == 204
    replan = org.publications.current_on(TUESDAY).run
    assert replan.trigger == "absence"
    assert "F-A-3" in published_families(org, TUESDAY)


def test_deleting_an_absence_without_auto_replan_marks_the_day(
    day, clients, django_capture_on_commit_callbacks
):
    org, tom, session = day["org"], day["tom"], day["session"]
    manual_off(org)
    report_absence(tom, session, "staff")
    publish_run(plan(org))
    absence = Absence.objects.get(participant=tom, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        clients["bob"].delete(f"/api/absences/{absence.pk}/")
    assert org.publications.current_on(TUESDAY).needs_replan is True


# --- sessions -----------------------------------------------------------------


def test_moving_a_session_replans_the_old_and_the_new_day(day, django_capture_on_commit_callbacks):
    """Moved from Tuesday to Wednesday: both published days are planned again."""
    org, session = day["org"], day["session"]
    manual_off(org)
    publish_run(plan(org, TUESDAY, TUESDAY + dt.timedelta(days=1)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session.move(
            session.starts_at + dt.timedelta(days=1),
            session.ends_at + dt.timedelta(days=1),
            session.venue,
        )
    assert len(callbacks) == 1  # dispatched after commit, not inside the save
    for moved_day in (TUESDAY, TUESDAY + dt.timedelta(days=1)):
        publication = org.publications.current_on(moved_day)
        assert publication.needs_replan is True
        assert "verlegt" in publication.replan_reason


def test_a_moved_session_is_planned_at_its_new_time(day, django_capture_on_commit_callbacks):
    org, session = day["org"], day["session"]
    first = plan(org)
    publish_run(first)
    with django_capture_on_commit_callbacks(execute=True):
        session.move(
            session.starts_at + dt.timedelta(hours=1),
            session.ends_at + dt.timedelta(hours=1),
            session.venue,
        )
    # Every pickup moves by an hour: the re-plan waits for a coordinator's review.
    assert org.publications.current_on(TUESDAY).run == first
    replan = org.planning_runs.get(trigger="session")
    assert "verschiebt die Abholzeit von 3 Familien" in replan.review_reason
    assert review.awaiting_review(org) == [replan]
    publish_run(replan, days=publishable_days(replan))
    assert org.publications.current_on(TUESDAY).run == replan
    assert review.awaiting_review(org) == []
    dropoffs = StopPassenger.objects.filter(
        stop__route__run=replan, direction="there", action="alight"
    ).select_related("stop")
    assert dropoffs and all(p.stop.planned_at <= session.starts_at for p in dropoffs)
    assert all(p.stop.planned_at > session.starts_at - dt.timedelta(hours=1) for p in dropoffs)


def test_a_held_replan_no_longer_waits_once_a_newer_run_of_its_day_is_done(
    day, django_capture_on_commit_callbacks
):
    org, session = day["org"], day["session"]
    publish_run(plan(org))
    with django_capture_on_commit_callbacks(execute=True):
        session.move(
            session.starts_at + dt.timedelta(hours=1),
            session.ends_at + dt.timedelta(hours=1),
            session.venue,
        )
    held = org.planning_runs.get(trigger="session")
    assert review.is_awaiting_review(held)
    plan(org)  # the coordinator plans the day again
    assert not review.is_awaiting_review(held)
    assert review.awaiting_review(org) == []


def test_an_absence_that_moves_nobody_else_is_published_at_once(
    day, django_capture_on_commit_callbacks
):
    org = day["org"]
    first = plan(org)
    publish_run(first)
    rider = StopPassenger.objects.filter(stop__route__run=first).first()
    with django_capture_on_commit_callbacks(execute=True):
        report_absence(rider.participant, rider.session, source=Absence.Source.FAMILY)
    replan = org.publications.current_on(TUESDAY).run
    assert replan.trigger == "absence" and replan.review_reason == ""
    assert review.moved_families(replan) == 0


def test_reinstating_a_session_replans_its_day(day, django_capture_on_commit_callbacks):
    org, session = day["org"], day["session"]
    session.cancel("Heizung defekt")
    publish_run(plan(org))
    assert not published_routes(org, TUESDAY, TUESDAY).exists()
    with django_capture_on_commit_callbacks(execute=True):
        session.reinstate()
    assert org.publications.current_on(TUESDAY).run.trigger == "session"
    assert published_routes(org, TUESDAY, TUESDAY).exists()


def test_saving_a_session_without_changes_does_not_replan(day, django_capture_on_commit_callbacks):
    org, session = day["org"], day["session"]
    publish_run(plan(org))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Session.objects.get(pk=session.pk).save(update_fields=["updated_at"])
        Session.objects.get(pk=session.pk).save()
    assert callbacks == []
    assert PlanningRun.objects.count() == 1


def test_cancelling_twice_is_400_and_changes_nothing(day, clients):
    session = day["session"]
    url = f"/api/sessions/{session.pk}/cancel/"
    assert clients["alice"].post(url, {"reason": "Heizung"}, format="json").status_code == 200
    again = clients["alice"].post(url, {"reason": "Heizung"}, format="json")
    assert again.status_code == 400
    assert "bereits abgesagt" in str(again.data["status"])
    session.refresh_from_db()
    assert (session.sequence, session.cancel_reason) == (1, "Heizung")


# --- publishing ---------------------------------------------------------------


def test_an_older_run_cannot_overwrite_a_newer_published_plan(day):
    org = day["org"]
    older = plan(org)
    newer = plan(org)
    publish_run(newer)
    with pytest.raises(PublishError, match="neuerer Planungslauf"):
        publish_run(older)
    assert org.publications.current_on(TUESDAY).run_id == newer.pk
    assert Publication.objects.count() == 1


def test_the_api_refuses_an_older_run_with_400(day, clients):
    org = day["org"]
    older, newer = plan(org), plan(org)
    publish_run(newer)
    answer = clients["alice"].post(f"/api/planning-runs/{older.pk}/publish/")
    assert answer.status_code == 400
    assert "neuerer" in answer.data["detail"]


def test_publishing_the_current_run_again_is_a_no_op(day, time_machine):
    org = day["org"]
    run = plan(org)
    publish_run(run)
    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)
    assert publish_run(run) == []
    publication = Publication.objects.get()
    assert (publication.run_id, publication.published_at, publication.superseded_at) == (
        run.pk,
        NOW,
        None,
    )
