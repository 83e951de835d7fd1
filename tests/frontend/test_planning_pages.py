"""Planning pages for coordinators and staff (issue 4 §2–3 without the API).

alice (coordinator of A) plans and publishes, bob (staff of A) plans but never
publishes, dave (driver of A) is refused, charlie (org B) never sees A's runs.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from backend.planning.models import PlanningRun, Publication, Route, Unserved
from tests.frontend.answers import sent_to_login
from tests.frontend.conftest import TUESDAY

PLANNING = "/planung/"


def run_url(run: PlanningRun) -> str:
    return f"/planung/laeufe/{run.pk}/"


def publish_url(run: PlanningRun) -> str:
    return f"/planung/laeufe/{run.pk}/veroeffentlichen/"


def start_form(client, capture, **fields):
    data = {"date_from": TUESDAY.isoformat(), **fields}
    with capture(execute=True):
        return client.post(PLANNING, data)


@pytest.fixture
def done_run(world) -> PlanningRun:
    """A finished run of org A for Tuesday without routes (no planner needed)."""
    return PlanningRun.objects.create(
        organisation=world["a"]["org"],
        date_from=TUESDAY,
        date_to=TUESDAY,
        status=PlanningRun.Status.DONE,
        trigger="manual",
    )


def test_alice_plans_and_publishes_through_the_pages(
    world, pages, django_capture_on_commit_callbacks
):
    """Start → run page with figures and routes → publish → sheet link and published day."""
    answer = start_form(pages["alice"], django_capture_on_commit_callbacks)
    run = PlanningRun.objects.get(organisation=world["a"]["org"])
    assert answer.status_code == 302
    assert answer["Location"] == run_url(run)
    assert run.status == PlanningRun.Status.DONE
    assert run.created_by == world["users"]["alice"]

    page = pages["alice"].get(run_url(run)).content.decode()
    route = Route.objects.get(run=run)
    assert f"Planungslauf {run.pk} wurde gestartet." in page
    assert "1 / 1" in page  # children served / requested
    assert "Anna A" in page and "Bus A" in page
    assert 'http-equiv="refresh"' not in page
    assert f"/fahrer/touren/{route.pk}/" not in page  # sheets exist once published
    assert "Veröffentlichen</button>" in page

    answer = pages["alice"].post(publish_url(run))
    assert answer.status_code == 302
    assert Publication.objects.get(run=run, superseded_at__isnull=True).date == TUESDAY

    page = pages["alice"].get(run_url(run)).content.decode()
    assert "Veröffentlicht für 24.11.2026." in page
    assert f'href="/fahrer/touren/{route.pk}/"' in page
    assert "Veröffentlichen</button>" not in page
    assert pages["alice"].get(f"/fahrer/touren/{route.pk}/").status_code == 200

    overview = pages["alice"].get(PLANNING).content.decode()
    assert f'href="{run_url(run)}">Lauf {run.pk}</a>' in overview


def test_bob_starts_a_run_but_cannot_publish(world, pages, django_capture_on_commit_callbacks):
    answer = start_form(pages["bob"], django_capture_on_commit_callbacks)
    run = PlanningRun.objects.get(organisation=world["a"]["org"])
    assert answer.status_code == 302
    assert run.status == PlanningRun.Status.DONE

    page = pages["bob"].get(run_url(run)).content.decode()
    assert "Anna A" in page
    assert "Veröffentlichen</button>" not in page
    assert pages["bob"].post(publish_url(run)).status_code == 403
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "method,url,user,expected",
    [
        ("get", PLANNING, "alice", 200),
        ("get", PLANNING, "bob", 200),
        ("get", PLANNING, "charlie", 200),
        ("get", PLANNING, "dave", 403),
        ("post", PLANNING, "dave", 403),
        ("get", "{run}", "alice", 200),
        ("get", "{run}", "bob", 200),
        ("get", "{run}", "dave", 403),
        ("get", "{run}", "charlie", 404),
        ("post", "{publish}", "bob", 403),
        ("post", "{publish}", "dave", 403),
        ("post", "{publish}", "charlie", 404),
        ("get", "{publish}", "alice", 405),
    ],
)
def test_permissions(pages, done_run, method, url, user, expected):
    url = url.format(run=run_url(done_run), publish=publish_url(done_run))
    assert getattr(pages[user], method)(url).status_code == expected


@pytest.mark.parametrize("url", [PLANNING, "/planung/laeufe/{pk}/"])
def test_anonymous_visitors_are_sent_to_the_login(pages, done_run, url):
    answer = pages["anon"].get(url.format(pk=done_run.pk))
    assert sent_to_login(answer)


def test_a_run_of_another_organisation_cannot_be_published(pages, done_run):
    pages["charlie"].post(publish_url(done_run))
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"date_from": ""}, "date_from", "Bitte ein Datum angeben."),
        ({"date_from": "2026-13-40"}, "date_from", "Kein gültiges Datum."),
        ({"date_to": "gestern"}, "date_to", "Kein gültiges Datum."),
        ({"date_to": "2026-11-20"}, "date_to", "Das Ende liegt vor dem Beginn."),
        ({"date_to": "2027-01-31"}, "date_to", "Höchstens 31 Tage auf einmal."),
        (
            {"date_from": "2026-11-22"},
            "date_from",
            "Der 22.11.2026 liegt in der Vergangenheit: geplant werden heute und kommende Tage.",
        ),
    ],
)
def test_invalid_input_shows_errors_per_field_and_creates_nothing(
    pages, world, django_capture_on_commit_callbacks, fields, field, message
):
    answer = start_form(pages["alice"], django_capture_on_commit_callbacks, **fields)
    assert answer.status_code == 400
    assert answer.context["form"].errors == {field: [message]}
    assert message in answer.content.decode()
    assert not PlanningRun.objects.exists()


def test_all_errors_show_at_once(pages, world, django_capture_on_commit_callbacks):
    answer = start_form(
        pages["alice"],
        django_capture_on_commit_callbacks,
        date_from="2026-11-20",
        date_to="2027-01-31",
    )
    assert answer.context["form"].errors == {
        "date_from": [
            "Der 20.11.2026 liegt in der Vergangenheit: geplant werden heute und kommende Tage."
        ],
        "date_to": ["Höchstens 31 Tage auf einmal."],
    }


def test_a_dotted_german_date_is_accepted(pages, world, django_capture_on_commit_callbacks):
    answer = start_form(pages["alice"], django_capture_on_commit_callbacks, date_from="24.11.2026")
    assert answer.status_code == 302


def test_the_form_asks_no_seconds_and_planning_uses_the_organisation_setting(
    pages, world, django_capture_on_commit_callbacks
):
    org = world["a"]["org"]
    org.planning_time_limit = 2
    org.save(update_fields=["planning_time_limit"])
    page = pages["alice"].get(PLANNING).content.decode()
    assert "Sekunden" not in page and 'name="time_limit"' not in page
    start_form(pages["alice"], django_capture_on_commit_callbacks)
    assert PlanningRun.objects.get(organisation=org).time_limit == 2


def test_a_conflicting_run_is_shown_as_a_message(pages, world, django_capture_on_commit_callbacks):
    active = PlanningRun.objects.create(
        organisation=world["a"]["org"], date_from=TUESDAY, date_to=TUESDAY
    )
    answer = start_form(pages["alice"], django_capture_on_commit_callbacks)
    page = answer.content.decode()
    assert answer.status_code == 409
    assert f"Für diese Organisation läuft bereits Planungslauf {active.pk}" in page
    assert list(PlanningRun.objects.all()) == [active]


def test_publishing_a_run_that_is_not_done_shows_the_reason(pages, world):
    failed = PlanningRun.objects.create(
        organisation=world["a"]["org"],
        date_from=TUESDAY,
        date_to=TUESDAY,
        status=PlanningRun.Status.FAILED,
        error="Adresse nicht gefunden",
    )
    page = pages["alice"].get(run_url(failed)).content.decode()
    assert "Adresse nicht gefunden" in page
    assert "Veröffentlichen</button>" not in page

    answer = pages["alice"].post(publish_url(failed), follow=True)
    assert "Nur fertige Planungsläufe können veröffentlicht werden." in answer.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "status,refreshes",
    [("queued", True), ("building", True), ("solving", True), ("done", False), ("failed", False)],
)
def test_only_unfinished_runs_refresh_themselves(pages, world, status, refreshes):
    run = PlanningRun.objects.create(
        organisation=world["a"]["org"],
        date_from=TUESDAY,
        date_to=TUESDAY,
        status=status,
        progress={"phase": status, "days": 1, "days_done": 0, "day": "2026-11-24"},
    )
    page = pages["bob"].get(run_url(run)).content.decode()
    assert ('<meta http-equiv="refresh" content="3">' in page) is refreshes


def test_the_run_page_lists_unserved_and_affected(pages, world, done_run):
    a = world["a"]
    Unserved.objects.create(
        run=done_run,
        date=TUESDAY,
        participant=a["child"],
        session=a["sessions"][0],
        direction="back",
        request_id="r1",
        reason="kein Fahrzeug passt",
    )
    done_run.figures = {
        "total": {"children_served": 0, "children_requested": 1, "km": 12.5, "vehicles_used": 0}
    }
    done_run.affected = {
        "families": [
            {
                "date": "2026-11-24",
                "family": a["family"].pk,
                "reference": "F-A-1",
                "changes": [
                    {
                        "request": f"p{a['child'].pk}-s{a['sessions'][0].pk}-there",
                        "change": "moved",
                        "old": "14:20",
                        "new": "14:31",
                    }
                ],
            }
        ],
        "drivers": [
            {"date": "2026-11-24", "driver": a["driver"].pk, "name": "Anna A", "change": "changed"}
        ],
    }
    done_run.save(update_fields=["figures", "affected"])

    page = pages["bob"].get(run_url(done_run)).content.decode()
    assert "MilaA" in page and "F-A-1" in page and "zurück" in page
    assert "kein Fahrzeug passt" in page
    assert "0 / 1" in page and "12,5 km" in page
    assert re.search(r"F-A-1 · MilaA · Hinfahrt:\s*<span class=\"time\">14:20 → 14:31", page)
    assert "Anna A: Tour geändert" in page
    assert "+49 6561 0000" not in page  # no consent to be called
    a["family"].consents.create(purpose="phone", given_on=dt.date(2026, 9, 1))
    page = pages["bob"].get(run_url(done_run)).content.decode()
    assert 'href="tel:+4965610000">+49 6561 0000</a>' in page


def test_the_overview_shows_sessions_publications_and_replan_flags(pages, world, done_run):
    Publication.objects.create(
        organisation=world["a"]["org"],
        date=TUESDAY,
        run=done_run,
        published_at=timezone.now(),
        needs_replan=True,
        replan_reason="Abwesenheit gemeldet",
    )
    answer = pages["bob"].get(PLANNING)
    days = answer.context["days"]
    assert len(days) == 14 and days[0].date.isoformat() == "2026-11-23"
    assert [(d.date.isoformat(), d.sessions) for d in days if d.sessions] == [
        ("2026-11-24", 1),
        ("2026-12-01", 1),
    ]
    assert days[1].publication.run == done_run
    page = answer.content.decode()
    assert "Abwesenheit gemeldet" in page and "jetzt neu planen" in page


def test_other_organisations_runs_and_days_stay_hidden(pages, world, done_run):
    answer = pages["charlie"].get(PLANNING)
    assert answer.context["runs"] == []
    assert all(d.publication is None for d in answer.context["days"])


@pytest.mark.parametrize("user,sees_planning", [("alice", True), ("bob", True), ("anon", False)])
def test_the_start_page_links_to_planning_for_staff(pages, user, sees_planning):
    page = pages[user].get("/").content.decode()
    assert ('href="/planung/"' in page) is sees_planning


def test_drivers_go_from_the_start_page_to_their_routes(pages):
    assert pages["dave"].get("/")["Location"] == "/fahrer/"


def test_the_planning_page_speaks_english(pages, done_run):
    page = pages["alice"].get(PLANNING, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Start a planning run" in page and "Recent planning runs" in page
    run_page = pages["alice"].get(run_url(done_run), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Publish</button>" in run_page


def _unserved(run: PlanningRun, world) -> Unserved:
    a = world["a"]
    return Unserved.objects.create(
        run=run,
        date=TUESDAY,
        participant=a["child"],
        session=a["sessions"][0],
        direction="back",
        request_id=f"p{a['child'].pk}-s{a['sessions'][0].pk}-back",
        reason="no capacity left in that time span",
    )


def test_a_run_with_unserved_rides_is_published_only_after_confirming(pages, world, done_run):
    done_run.figures = {"total": {"children_served": 1, "children_requested": 2}}
    done_run.save(update_fields=["figures"])
    _unserved(done_run, world)
    page = pages["alice"].get(run_url(done_run)).content.decode()
    assert "1 Fahrt wird nicht gefahren" in page
    assert 'type="checkbox" name="confirm_unserved"' in page
    refused = pages["alice"].post(publish_url(done_run), follow=True).content.decode()
    assert "Bitte bestätigen, dass trotzdem veröffentlicht werden soll." in refused
    assert not Publication.objects.exists()
    pages["alice"].post(publish_url(done_run), {"confirm_unserved": "yes"})
    assert Publication.objects.get().run == done_run


def test_a_run_that_serves_nobody_cannot_be_published(pages, world, done_run):
    done_run.figures = {"total": {"children_served": 0, "children_requested": 1}}
    done_run.save(update_fields=["figures"])
    _unserved(done_run, world)
    page = pages["alice"].get(run_url(done_run)).content.decode()
    assert "Veröffentlichen</button>" not in page
    assert "fährt kein einziges Kind" in page
    answer = pages["alice"].post(publish_url(done_run), {"confirm_unserved": "yes"}, follow=True)
    assert "fährt kein einziges Kind" in answer.content.decode()
    assert not Publication.objects.exists()


def test_the_reason_names_the_child_and_no_internal_id(pages, world, done_run):
    item = _unserved(done_run, world)
    item.reason = (
        f"its bundle partner p{world['a']['child'].pk}-s{item.session_id}-there cannot be served"
    )
    item.save(update_fields=["reason"])
    page = pages["alice"].get(run_url(done_run)).content.decode()
    assert "die zugehörige Hinfahrt von MilaA kann nicht gefahren werden" in page
    assert item.request_id not in page and "-there" not in page
