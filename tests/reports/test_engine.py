"""Each figure of the report on a small hand-made history with known answers (history.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from backend.families.models import Family, Involvement
from backend.lib.counts import anonymous
from backend.reports import engine
from backend.reports.periods import Period, PeriodError, period_from
from tests.reports import history

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def october(world):
    history.build(world)
    return Period("monat", *history.OCTOBER)


def _rows(report, key) -> dict:
    return {row[0]: row[1:] for row in report.table(key).rows}


def test_reach(world, october):
    report = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    reach = _rows(report, "reichweite")
    assert reach["Kinder"] == [3]  # Mila, Ben, Lea; Tom left in September
    assert reach["Familien"] == [2]
    assert reach["davon neu im Zeitraum"] == [1]  # Ben
    assert reach["im Zeitraum ausgeschieden"] == [1]  # Lea
    assert reach["Kinder mit Fahrdienst"] == [1]  # Mila
    assert _rows(report, "alter") == {
        "0–5": [0],
        "6–9": [2],
        "10–13": [0],
        "14–17": [1],
        "18+": [0],
    }
    assert _rows(report, "gemeinden") == {"Bitburg": [2, 1], "Wolsfeld": [1, 1]}
    assert dict(report.figures)["Anteil Kinder mit Fahrdienst"] == "33 %"


def test_sessions_held_and_cancelled(world, october):
    report = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    assert _rows(report, "termine")["Zusammen"] == [3, 1, "75 %"]
    assert _rows(report, "absagen") == {"Herbstferien": [1]}
    assert report.held_share == {dt.date(2026, 10, 1): 0.75}


def test_attendance(world, october):
    report = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    # 2 counted sessions; 3 ticked; walk-ins: (5 - 1) + (3 - 2) children, 2 adults; 10 people.
    assert _rows(report, "teilnahme")["Zusammen"] == [2, 3, 5, 2, 5.0]
    assert _rows(report, "teilnahme_monate") == {"Okt 2026": [2, 5.0]}


def test_transport_and_cost(world, october):
    report = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    t = _rows(report, "fahrdienst")
    assert t["Fahrten (ein Kind, eine Richtung)"] == [6]
    assert t["gefahrene Kinder (je Fahrtag gezählt)"] == [3]
    assert t["Kilometer"] == [30.0]
    assert t["Fahrstunden"] == [1.5]
    assert t["feste Kosten (€)"] == [Decimal("31.00")]
    assert t["Kosten insgesamt (€)"] == [Decimal("70.00")]  # 6 + 20 + 3 + 10 + 31
    assert t["Kosten je gefahrenem Kind (€)"] == [Decimal("23.33")]
    assert t["Kosten je Fahrt (€)"] == [Decimal("11.67")]
    assert _rows(report, "nicht_gefahren") == {
        "nicht gefahrene Kinder (je Fahrtag)": [1],
        "kein Fahrer verfügbar": [2],
    }
    assert report.cost_per_child == {dt.date(2026, 10, 1): pytest.approx(70 / 3)}


def test_one_group_has_no_fixed_costs(world, october):
    scope = engine.Scope.provider(world["a"]["org"], world["a"]["offer"])
    t = _rows(engine.build(scope, october), "fahrdienst")
    assert t["Kosten insgesamt (€)"] == [Decimal("39.00")]
    assert t["Kosten je gefahrenem Kind (€)"] == [Decimal("13.00")]


def test_other_organisations_data_never_appears(world, october):
    report = engine.build(engine.Scope.provider(world["b"]["org"]), october)
    assert _rows(report, "fahrdienst")["Fahrten (ein Kind, eine Richtung)"] == [99]
    assert _rows(report, "reichweite")["Kinder"] == [1]  # Mila B only
    assert _rows(report, "termine")["Zusammen"][:2] == [0, 0]
    a = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    assert _rows(a, "fahrdienst")["Fahrten (ein Kind, eine Richtung)"] == [6]


def test_the_district_is_anonymous(world, office, october):
    report = engine.build(engine.Scope.district_of(office["org"]), october)
    reach = _rows(report, "reichweite")
    assert reach["Kinder"] == [anonymous(4)]  # 3 of A, Mila of B
    assert str(reach["Kinder"][0]) == "< 5"
    assert str(_rows(report, "fahrdienst")["Fahrten (ein Kind, eine Richtung)"][0]) == "105"
    assert "absagen" not in {t.key for t in report.tables}  # free text stays with the provider
    names = {row[0] for row in report.table("termine").rows}
    assert names == {"Träger A", "Zusammen"}  # providers, never group titles


def test_the_district_leaves_out_providers_that_do_not_share(world, office, october):
    b = world["b"]["org"]
    b.shares_with_office = False
    b.save(update_fields=["shares_with_office"])
    report = engine.build(engine.Scope.district_of(office["org"]), october)
    assert str(_rows(report, "fahrdienst")["Fahrten (ein Kind, eine Richtung)"][0]) == "6"


@pytest.mark.parametrize(
    "params,start,end",
    [
        ({"zeitraum": "jahr", "jahr": "2026"}, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (
            {"zeitraum": "quartal", "jahr": "2026", "quartal": "2"},
            dt.date(2026, 4, 1),
            dt.date(2026, 6, 30),
        ),
        (
            {"zeitraum": "monat", "jahr": "2024", "monat": "2"},
            dt.date(2024, 2, 1),
            dt.date(2024, 2, 29),
        ),
        (
            {"zeitraum": "frei", "von": "2026-03-05", "bis": "2026-04-01"},
            dt.date(2026, 3, 5),
            dt.date(2026, 4, 1),
        ),
        ({}, dt.date(2025, 11, 1), dt.date(2026, 10, 31)),  # TODAY is 23.11.2026
    ],
)
def test_periods(params, start, end):
    period = period_from(params, TODAY)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "params,field,message",
    [
        ({"zeitraum": "woche"}, "zeitraum", "Bitte Monat, Quartal, Jahr"),
        ({"zeitraum": "jahr", "jahr": "zwei"}, "jahr", "ganze Zahl"),
        ({"zeitraum": "monat", "monat": "13"}, "monat", "von 1 bis 12"),
        ({"zeitraum": "quartal", "quartal": "5"}, "quartal", "von 1 bis 4"),
        ({"zeitraum": "frei", "von": "2026-03-05"}, "bis", "Bitte ein Datum"),
        ({"zeitraum": "frei", "von": "5.3.2026", "bis": "2026-04-01"}, "von", "JJJJ-MM-TT"),
        ({"zeitraum": "frei", "von": "2026-05-01", "bis": "2026-04-01"}, "bis", "vor dem Beginn"),
        ({"zeitraum": "frei", "von": "2010-01-01", "bis": "2026-04-01"}, "bis", "fünf Jahre"),
    ],
)
def test_bad_periods_are_named_in_german(params, field, message):
    with pytest.raises(PeriodError) as caught:
        period_from(params, TODAY)
    assert message in caught.value.errors[field]


def test_fixed_costs_are_pro_rata_up_to_today(world):
    org = world["a"]["org"]
    org.fixed_costs_per_month = Decimal("30.00")
    org.save(update_fields=["fixed_costs_per_month"])
    report = engine.build(
        engine.Scope.provider(org),
        period_from({"zeitraum": "monat", "jahr": "2026", "monat": "11"}, TODAY),
    )
    # 23 of November's 30 days have begun by Monday the 23rd.
    assert _rows(report, "fahrdienst")["feste Kosten (€)"] == [Decimal("23.00")]


def test_new_families_by_referral_path_and_sectors_involved(world, office, october):
    org, offer = world["a"]["org"], world["a"]["offer"]
    for ref, kind, joined in [
        ("F-A-8", "school", dt.date(2026, 10, 5)),
        ("F-A-9", "school", dt.date(2026, 10, 20)),
        ("F-A-7", "youth_office", dt.date(2026, 11, 2)),  # November: not new in October
    ]:
        family = history._family(org, ref, "Bitburg", "54634")
        family.referral_kind = kind
        family.save(update_fields=["referral_kind"])
        history._child(family, offer, "Kind", (2018, 1), joined)
    lea_family = Family.objects.get(reference="F-A-2")  # in October, taken on in January
    Involvement.objects.create(family=lea_family, name="Suchtberatung", sector="addiction")
    Involvement.objects.create(family=lea_family, name="Schulsozialarbeit", sector="school")
    report = engine.build(engine.Scope.provider(org), october)
    paths = _rows(report, "zugangswege")
    assert paths["Schule/Schulsozialarbeit"] == [2]
    assert paths["Jugendamt/ASD"] == [0]
    assert sum(row[0] for row in paths.values()) == 2
    sectors = _rows(report, "bereiche")
    assert (sectors["Suchthilfe"], sectors["Schule"], sectors["Gesundheit"]) == ([1], [1], [0])
    district = engine.build(engine.Scope.district_of(office["org"]), october)
    assert str(_rows(district, "zugangswege")["Schule/Schulsozialarbeit"][0]) == "< 5"
    assert "F-A-8" not in str(district.tables)


def test_the_last_twelve_months_are_whole_months_before_the_current_one():
    period = period_from({}, dt.date(2026, 12, 2))
    assert (period.start, period.end, period.label) == (
        dt.date(2025, 12, 1),
        dt.date(2026, 11, 30),
        "letzte 12 Monate",
    )
    assert len(period.months()) == 12


def test_each_counted_session_has_its_row(world, office, october):
    report = engine.build(engine.Scope.provider(world["a"]["org"]), october)
    rows = _rows(report, "termine_einzeln")
    title = world["a"]["offer"].title
    # 06.10.: 5 children and 2 adults counted, Mila ticked; 13.10.: 3 children, Mila and Ben.
    assert rows["06.10.2026"] == [title, 1, 4, 2, 7]
    assert rows["13.10.2026"] == [title, 2, 1, 0, 3]
    assert set(rows) == {"06.10.2026", "13.10.2026"}  # 27.10. has no count, 20.10. cancelled
    district = engine.build(engine.Scope.district_of(office["org"]), october)
    assert "termine_einzeln" not in {t.key for t in district.tables}
