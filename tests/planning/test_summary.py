"""One run summary for `lotse plan` and `lotse demo`, with German reasons."""

import pytest

from backend.planning.models import PlanningRun, Unserved
from backend.planning.reasons import reason_display
from backend.planning.summary import summary_lines
from tests.planning.conftest import TUESDAY


@pytest.mark.parametrize(
    "reason,german",
    [
        ("no capacity left in that time span", "in dieser Zeit kein Platz mehr frei"),
        ("no coordinates for the home address", "keine Koordinaten für die Wohnadresse"),
        (
            "its bundle partner p3-s9-back cannot be served",
            "die zugehörige Rückfahrt kann nicht gefahren werden",
        ),
        (
            "its bundle partner p3-s9-there cannot be served",
            "die zugehörige Hinfahrt kann nicht gefahren werden",
        ),
        (
            "its bundle partner x7 cannot be served",
            "die zugehörige Fahrt x7 kann nicht gefahren werden",
        ),
        (
            "its bundle partner p2-s21-there is left out: at most 1 of the 2 requests that need "
            "boosters at the same time can be served together (every split among the vehicles "
            "checked against capacity, windows and ride times); this one is left out",
            "die zugehörige Hinfahrt fällt weg: höchstens 1 der 2 Fahrten, die zur selben Zeit "
            "eine Sitzerhöhung brauchen, können zusammen gefahren werden (jede Verteilung auf die "
            "Fahrzeuge geprüft: Plätze, Zeitfenster, Fahrzeiten); diese bleibt übrig",
        ),
        ("no vehicle has the skill wheelchair", "kein Fahrzeug bietet: Rollstuhlplatz"),
        (
            "no vehicle has all of the skills escort, wheelchair",
            "kein Fahrzeug bietet alles zusammen: Begleitperson, Rollstuhlplatz",
        ),
        (
            "the load (seats 5) exceeds every vehicle's capacity",
            "der Platzbedarf (seats 5) übersteigt jedes Fahrzeug",
        ),
        (
            "direct travel 52 min exceeds the maximum ride time of 45 min",
            "die direkte Fahrt (52 min) ist länger als die höchste Fahrzeit (45 min)",
        ),
        (
            "the window cannot be reached from any vehicle's start within its availability",
            "kein Fahrzeug erreicht das Zeitfenster innerhalb seiner Verfügbarkeit",
        ),
        (
            "at most 5 of the 6 requests that need child_seats at the same time can be served "
            "together (every split among the vehicles checked against capacity, windows and ride "
            "times); this one is left out",
            "höchstens 5 der 6 Fahrten, die zur selben Zeit einen Kindersitz brauchen, können "
            "zusammen gefahren werden (jede Verteilung auf die Fahrzeuge geprüft: Plätze, "
            "Zeitfenster, Fahrzeiten); diese bleibt übrig",
        ),
        ("something new", "something new"),
    ],
)
def test_planner_reasons_are_translated(reason, german):
    assert reason_display(reason) == german


def test_plan_and_demo_share_one_summary(day, monkeypatch):
    """Both commands print the same lines from the same function."""
    from backend.demo import planning as demo
    from backend.planning.management.commands import plan

    assert demo.summary_lines is plan.summary_lines is summary_lines
    run = PlanningRun.objects.create(
        organisation=day["org"],
        date_from=TUESDAY,
        date_to=TUESDAY,
        status="done",
        figures={"total": {"children_served": 3, "children_requested": 4, "served": 6}},
    )
    Unserved.objects.create(
        run=run,
        date=TUESDAY,
        participant=day["tom"],
        session=day["session"],
        direction="there",
        request_id=f"p{day['tom'].pk}-s{day['session'].pk}-there",
        reason="no capacity left in that time span",
    )
    first, second = summary_lines(run, published=True)
    assert "3 von 4 Kindern gefahren" in first and first.endswith("veröffentlicht")
    assert "F-A-3" in second and "24.11.2026" in second
    assert second.endswith("in dieser Zeit kein Platz mehr frei")
