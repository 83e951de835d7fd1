"""One run summary for `lotse plan` and `lotse demo`, with German reasons."""

import pytest

from backend.planning.models import PlanningRun
from backend.planning.reasons import reason_display
from backend.planning.summary import summary_lines
from tests.planning.conftest import TUESDAY, tom_left_out


@pytest.mark.parametrize(
    "reason,german",
    [
        ("no capacity left in that time span", "in dieser Zeit kein Platz mehr frei"),
        ("no coordinates for the home address", "keine Koordinaten für die Wohnadresse"),
        ("no vehicle has the skill wheelchair", "kein Fahrzeug bietet: Rollstuhlplatz"),
        (
            "no vehicle has all of the skills escort, wheelchair",
            "kein Fahrzeug bietet alles zusammen: Begleitperson, Rollstuhlplatz",
        ),
        (
            "the load (child_seats 1, seats 5) exceeds every vehicle's capacity",
            "der Platzbedarf (1 Kindersitze, 5 Sitzplätze) übersteigt jedes Fahrzeug",
        ),
        (
            "direct travel 52 min exceeds the maximum ride time of 45 min",
            "die direkte Fahrt (52 min) ist länger als die höchste Fahrzeit (45 min)",
        ),
        (
            "direct travel 42.5 min exceeds the maximum ride time of 40 min",
            "die direkte Fahrt (42,5 min) ist länger als die höchste Fahrzeit (40 min)",
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


def test_a_bundle_partner_is_named_by_child_and_direction_never_by_its_id(day):
    """ "p17-s45-there" is an internal id: people read "Hinfahrt von Tom"."""
    tom, session = day["tom"], day["session"]
    reason = f"its bundle partner p{tom.pk}-s{session.pk}-there cannot be served"
    assert reason_display(reason) == "die zugehörige Hinfahrt von Tom kann nicht gefahren werden"
    gone = "its bundle partner p999999-s1-back cannot be served"
    assert reason_display(gone) == "eine zugehörige Fahrt kann nicht gefahren werden"
    assert reason_display(f"new text about p{tom.pk}-s{session.pk}-back") == (
        "new text about Rückfahrt von Tom"
    )
    proved = (
        f"its bundle partner p{tom.pk}-s{session.pk}-there is left out: at most 1 of the 2 "
        "requests that need boosters at the same time can be served together (every split "
        "among the vehicles checked against capacity, windows and ride times); this one is "
        "left out"
    )
    assert reason_display(proved) == (
        "die zugehörige Hinfahrt von Tom fällt weg: höchstens 1 der 2 Fahrten, die zur selben "
        "Zeit eine Sitzerhöhung brauchen, können zusammen gefahren werden (jede Verteilung auf "
        "die Fahrzeuge geprüft: Plätze, Zeitfenster, Fahrzeiten); diese bleibt übrig"
    )


def test_english_reasons_keep_english_numbers():
    from django.utils import translation

    with translation.override("en"):
        shown = reason_display("direct travel 42.5 min exceeds the maximum ride time of 40 min")
    assert "42.5 min" in shown and "42,5" not in shown


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
        figures={
            "total": {
                "children_served": 3,
                "children_requested": 4,
                "served": 6,
                "km": 392.9,
                "ride_max_minutes": 48.5,
                "matrix": ["geodesic"],
            }
        },
    )
    tom_left_out(run, day)
    first, second = summary_lines(run, published=True)
    assert "3 von 4 Kindern gefahren" in first and first.endswith("veröffentlicht")
    assert "392,9 km" in first and "48,5 min" in first
    assert "(Fahrzeiten: Luftlinie mit Umwegfaktor)" in first
    assert "F-A-3" in second and "24.11.2026" in second
    assert second.endswith("Hinfahrt von Tom: in dieser Zeit kein Platz mehr frei")
