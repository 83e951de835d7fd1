"""The report: figures of a period for one provider, one group, or the district.

Each section is a few aggregate queries (`values(...).annotate(...)`); Python only adds
up their grouped results (months × groups), never walks sessions, children or days.
What the sections return (`Table`s, key figures and the series behind the plots) is
what the page, the PDF, the CSV, the XLSX and the API show: one source for all of them.

The district (the coordination office) sees the providers that share with it
(`Organisation.shares_with_office`), per provider, and counts only as `anonymous()`
(below five: "< 5"); no group titles, no cancel reasons (free text), no names.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from backend.families.models import (
    Enrolment,
    Family,
    Involvement,
    Participant,
    Presence,
    ReferralKind,
    Transport,
)
from backend.lib import clock
from backend.lib.counts import AnonymousCount, anonymous
from backend.offers.models import GroupOffer, Sector, Session
from backend.organisations.models import Organisation
from backend.planning.reasons import reason_kind_label
from backend.reports.methods import METHODS
from backend.reports.models import TransportDay
from backend.reports.periods import MONTHS, Period

Cell = int | float | Decimal | str | AnonymousCount | None

AGE_BANDS = [(0, 5, "0–5"), (6, 9, "6–9"), (10, 13, "10–13"), (14, 17, "14–17"), (18, 200, "18+")]
NO_TOWN = "ohne Ort"


@dataclass(frozen=True)
class Scope:
    """Whose figures: one provider (optionally one of its groups), or the district."""

    organisations: tuple[Organisation, ...]
    offer: GroupOffer | None = None
    district: bool = False
    label: str = ""

    @classmethod
    def provider(cls, org: Organisation, offer: GroupOffer | None = None) -> Scope:
        label = f"{org.name} – {offer.title}" if offer else org.name
        return cls((org,), offer, False, label)

    @classmethod
    def district_of(cls, office: Organisation) -> Scope:
        providers = Organisation.objects.sharing_with_office()
        return cls(tuple(providers), None, True, f"{office.name}: Träger im Landkreis")

    def q(self, prefix: str) -> Q:
        """Rows of this scope: `prefix` leads to the group offer ("offer", "session__offer")."""
        q = Q(**{f"{prefix}__organisation__in": self.organisations})
        if self.offer is not None:
            q &= Q(**{prefix: self.offer})
        return q

    def count(self, n: int | None) -> int | AnonymousCount:
        """A count as this scope may show it."""
        return anonymous(n or 0) if self.district else (n or 0)

    @property
    def by(self) -> str:
        return "Träger" if self.district else "Gruppe"


@dataclass(frozen=True)
class Table:
    key: str  # file and sheet name
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    collapsed: bool = False  # long: the page shows it folded (details), files in full


@dataclass
class Report:
    period: Period
    scope: Scope
    created_at: dt.datetime
    figures: list[tuple[str, Cell]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # The series behind the plots (plots.py): month → value, per group where it says so.
    attendance_by_group: dict[str, dict[dt.date, float]] = field(default_factory=dict)
    towns: list[tuple[str, str, float | None, float | None, int]] = field(default_factory=list)
    cost_per_child: dict[dt.date, float] = field(default_factory=dict)
    held_share: dict[dt.date, float] = field(default_factory=dict)
    methods: list[tuple[str, str]] = field(default_factory=lambda: list(METHODS))

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1][:3]} {month.year}"


def _month(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = clock.local(value).date()
    return value.replace(day=1)


def _money(value: Decimal | float | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 2) if whole else None


# Reach ------------------------------------------------------------------------------------


def _enrolments(scope: Scope, period: Period) -> QuerySet[Enrolment]:
    overlapping = Q(joined_on__lte=period.end) & (
        Q(left_on__isnull=True) | Q(left_on__gte=period.start)
    )
    return Enrolment.objects.filter(scope.q("offer")).filter(overlapping)


def _children(scope: Scope, period: Period) -> QuerySet[Participant]:
    enrolled = _enrolments(scope, period).values("participant_id")
    return Participant.objects.filter(kind=Participant.Kind.CHILD, pk__in=enrolled)


def reach(report: Report) -> None:
    scope, period = report.scope, report.period
    enrolments = _enrolments(scope, period)
    families = enrolments.aggregate(n=Count("participant__family", distinct=True))["n"]
    children = _children(scope, period)
    in_scope = scope.q("enrolments__offer")
    firsts = children.annotate(first=Min("enrolments__joined_on", filter=in_scope))
    new = firsts.filter(first__range=(period.start, period.end)).count()
    lasts = children.annotate(
        last=Max("enrolments__left_on", filter=in_scope),
        open=Count("enrolments", filter=in_scope & Q(enrolments__left_on__isnull=True)),
    )
    leaving = lasts.filter(open=0, last__range=(period.start, period.end)).count()
    total = children.count()
    shuttle = (
        enrolments.filter(participant__kind=Participant.Kind.CHILD)
        .exclude(transport=Transport.NONE)
        .aggregate(n=Count("participant", distinct=True))["n"]
    )
    c = scope.count
    rows: list[list[Cell]] = [
        ["Kinder", c(total)],
        ["Familien", c(families)],
        ["davon neu im Zeitraum", c(new)],
        ["im Zeitraum ausgeschieden", c(leaving)],
        ["Kinder mit Fahrdienst", c(shuttle)],
    ]
    report.tables.append(Table("reichweite", "Reichweite", ["", "Anzahl"], rows))
    report.tables.append(_age_bands(report, children))
    report.tables.append(_towns(report, children))
    report.figures += [("Kinder erreicht", c(total)), ("Familien erreicht", c(families))]
    share = _ratio(shuttle or 0, total)
    report.figures.append(("Anteil Kinder mit Fahrdienst", _percent(share, scope, total)))


def _percent(share: float | None, scope: Scope, base: int) -> Cell:
    if share is None:
        return None
    if scope.district and 0 < base < 5:
        return "< 5"
    return f"{round(share * 100)} %"


def _age_bands(report: Report, children: QuerySet[Participant]) -> Table:
    on = min(report.period.end, clock.today())
    months = Value(on.year * 12 + on.month) - F("birth_year") * 12 - F("birth_month")
    band = Case(
        *(
            When(months__lt=(high + 1) * 12, then=Value(n))
            for n, (_l, high, _t) in enumerate(AGE_BANDS)
        ),
        default=Value(len(AGE_BANDS) - 1),
        output_field=IntegerField(),
    )
    counts = dict(
        children.annotate(months=months, band=band)
        .values("band")
        .annotate(n=Count("pk"))
        .values_list("band", "n")
    )
    rows: list[list[Cell]] = [
        [label, report.scope.count(counts.get(n, 0))] for n, (_l, _h, label) in enumerate(AGE_BANDS)
    ]
    return Table(
        "alter", "Kinder nach Alter", ["Alter (Jahre)", "Kinder"], rows, f"Alter am {on:%d.%m.%Y}"
    )


def _towns(report: Report, children: QuerySet[Participant]) -> Table:
    grouped = (
        children.values("family__town")
        .annotate(
            n=Count("pk"),
            families=Count("family", distinct=True),
            postcode=Min("family__postcode"),
            lat=Avg("family__latitude"),
            lon=Avg("family__longitude"),
        )
        .order_by("-n", "family__town")
    )
    c = report.scope.count
    rows: list[list[Cell]] = []
    for row in grouped:
        town = row["family__town"] or NO_TOWN
        rows.append([town, c(row["n"]), c(row["families"])])
        report.towns.append((town, row["postcode"] or "", row["lat"], row["lon"], row["n"]))
    return Table(
        "gemeinden", "Kinder nach Wohnort (Gemeinde)", ["Gemeinde", "Kinder", "Familien"], rows
    )


# Sessions and attendance --------------------------------------------------------------------


def _sessions(scope: Scope, period: Period) -> QuerySet[Session]:
    start, end = clock.at(period.start), clock.at(period.end + dt.timedelta(days=1))
    return Session.objects.filter(scope.q("offer"), starts_at__gte=start, starts_at__lt=end)


def _dimension(scope: Scope, prefix: str) -> tuple[str, str]:
    """The (id, label) lookups of a table's rows: groups, or providers in the district."""
    if scope.district:
        return f"{prefix}organisation_id", f"{prefix}organisation__name"
    return f"{prefix}id" if prefix else "offer_id", f"{prefix}title" if prefix else "offer__title"


def sessions(report: Report) -> None:
    scope, period = report.scope, report.period
    now = clock.now()
    held_q = Q(status=Session.Status.SCHEDULED, starts_at__lte=now)
    cancelled_q = Q(status=Session.Status.CANCELLED)
    rows = list(
        _sessions(scope, period)
        .annotate(month=TruncMonth("starts_at"))
        .values("month", *_dimension(scope, "offer__"))
        .annotate(held=Count("pk", filter=held_q), cancelled=Count("pk", filter=cancelled_q))
        .order_by()
    )
    key, label = _dimension(scope, "offer__")
    per_group: dict[Any, list[Any]] = {}
    per_month: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        group = per_group.setdefault(row[key], [row[label], 0, 0])
        group[1] += row["held"]
        group[2] += row["cancelled"]
        month = per_month[_month(row["month"])]
        month[0] += row["held"]
        month[1] += row["cancelled"]
    held = sum(g[1] for g in per_group.values())
    cancelled = sum(g[2] for g in per_group.values())
    c = scope.count
    table_rows: list[list[Cell]] = [
        [name, c(h), c(x), _percent(_ratio(h, h + x), scope, h + x)]
        for name, h, x in sorted(per_group.values(), key=lambda g: str(g[0]))
    ]
    table_rows.append(
        [
            "Zusammen",
            c(held),
            c(cancelled),
            _percent(_ratio(held, held + cancelled), scope, held + cancelled),
        ]
    )
    report.tables.append(
        Table(
            "termine",
            "Termine",
            [scope.by, "stattgefunden", "abgesagt", "Anteil stattgefunden"],
            table_rows,
        )
    )
    report.held_share = {
        m: v[0] / (v[0] + v[1]) for m, v in sorted(per_month.items()) if v[0] + v[1]
    }
    report.figures += [("Termine stattgefunden", c(held)), ("Termine abgesagt", c(cancelled))]
    if not scope.district:  # reasons are free text: they stay with the provider
        reasons = (
            _sessions(scope, period)
            .filter(cancelled_q)
            .values("cancel_reason")
            .annotate(n=Count("pk"))
            .order_by("-n", "cancel_reason")
        )
        reason_rows: list[list[Cell]] = [
            [r["cancel_reason"] or "ohne Angabe", r["n"]] for r in reasons
        ]
        report.tables.append(
            Table("absagen", "Gründe der Absagen", ["Grund", "Termine"], reason_rows)
        )
    attendance(report, held_q)


def attendance(report: Report, held_q: Q) -> None:
    scope, period = report.scope, report.period
    key, label = _dimension(scope, "offer__")
    held = _sessions(scope, period).filter(held_q)
    counts = (
        held.filter(attendance__isnull=False)
        .annotate(month=TruncMonth("starts_at"))
        .values("month", key, label)
        .annotate(
            sessions=Count("pk"),
            children=Sum("attendance__children"),
            adults=Sum("attendance__adults"),
        )
        .order_by()
    )
    present = (
        Presence.objects.filter(session__in=held.filter(attendance__isnull=False))
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month", f"session__{key}")
        .annotate(
            children=Count("pk", filter=Q(participant__kind=Participant.Kind.CHILD)),
            adults=Count("pk", filter=Q(participant__kind=Participant.Kind.ADULT)),
        )
        .order_by()
    )
    came = {(_month(p["month"]), p[f"session__{key}"]): p for p in present}
    groups: dict[Any, Counter[str]] = defaultdict(Counter)
    names: dict[Any, str] = {}
    months: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for row in counts:
        month = _month(row["month"])
        p = came.get((month, row[key]), {"children": 0, "adults": 0})
        figures = Counter(
            sessions=row["sessions"],
            present=p["children"] + p["adults"],
            walk_in_children=max((row["children"] or 0) - p["children"], 0),
            walk_in_adults=max((row["adults"] or 0) - p["adults"], 0),
            people=(row["children"] or 0) + (row["adults"] or 0),
        )
        groups[row[key]].update(figures)
        names[row[key]] = row[label]
        months[month].update(figures)
        series = report.attendance_by_group.setdefault(str(row[label]), {})
        series[month] = figures["people"] / figures["sessions"]
    total: Counter[str] = sum(groups.values(), Counter())
    rows = [
        _attendance_row(report.scope, names[g], groups[g])
        for g in sorted(groups, key=lambda g: str(names[g]))
    ]
    rows.append(_attendance_row(scope, "Zusammen", total))
    report.tables.append(
        Table(
            "teilnahme",
            "Teilnahme je Termin",
            [
                scope.by,
                "Termine mit Zählung",
                "angemeldete Anwesende",
                "Kinder ohne Anmeldung",
                "Erwachsene ohne Anmeldung",
                "Personen je Termin",
            ],
            rows,
        )
    )
    trend_rows = [
        [month_label(m), scope.count(v["sessions"]), _average(scope, v)]
        for m, v in sorted(months.items())
    ]
    slope = _trend({m: v["people"] / v["sessions"] for m, v in months.items() if v["sessions"]})
    note = (
        f"Trend: {slope:+.1f} Personen je Termin und Monat".replace(".", ",")
        if slope is not None
        else ""
    )
    report.tables.append(
        Table(
            "teilnahme_monate",
            "Teilnahme im Verlauf",
            ["Monat", "Termine mit Zählung", "Personen je Termin"],
            trend_rows,
            note,
        )
    )
    report.figures.append(("Personen je Termin (Durchschnitt)", _average(scope, total)))
    if not scope.district:  # every session on its own: counts that small stay inside
        report.tables.append(_each_session(held))


def _each_session(held: QuerySet[Session]) -> Table:
    """One row per counted session: who came, enrolled or not (provider and group only)."""
    child, adult = Participant.Kind.CHILD, Participant.Kind.ADULT
    counted = (
        held.filter(attendance__isnull=False)
        .annotate(
            present_children=Count("presences", filter=Q(presences__participant__kind=child)),
            present_adults=Count("presences", filter=Q(presences__participant__kind=adult)),
        )
        .values_list(
            "starts_at",
            "offer__title",
            "attendance__children",
            "attendance__adults",
            "present_children",
            "present_adults",
        )
        .order_by("starts_at", "offer__title")
    )
    rows: list[list[Cell]] = [
        [
            f"{clock.local(starts):%d.%m.%Y}",
            title,
            pc + pa,
            max(children - pc, 0),
            max(adults - pa, 0),
            children + adults,
        ]
        for starts, title, children, adults, pc, pa in counted
    ]
    return Table(
        "termine_einzeln",
        "Jeder Termin einzeln",
        [
            "Datum",
            "Gruppe",
            "angemeldete Anwesende",
            "Kinder ohne Anmeldung",
            "Erwachsene ohne Anmeldung",
            "Personen",
        ],
        rows,
        "Nur Termine mit Zählung.",
        collapsed=True,
    )


def _average(scope: Scope, figures: Counter[str]) -> Cell:
    if not figures["sessions"]:
        return None
    if scope.district and 0 < figures["people"] < 5:
        return "< 5"
    return round(figures["people"] / figures["sessions"], 1)


def _attendance_row(scope: Scope, name: str, f: Counter[str]) -> list[Cell]:
    c = scope.count
    return [
        name,
        c(f["sessions"]),
        c(f["present"]),
        c(f["walk_in_children"]),
        c(f["walk_in_adults"]),
        _average(scope, f),
    ]


def _trend(series: dict[dt.date, float]) -> float | None:
    """The least-squares slope of a monthly series (per month), None below three months."""
    if len(series) < 3:
        return None
    points = sorted(series.items())
    xs = [(m.year * 12 + m.month) for m, _v in points]
    ys = [v for _m, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


# Transport ---------------------------------------------------------------------------------


def _days(scope: Scope, period: Period) -> QuerySet[TransportDay]:
    days = TransportDay.objects.filter(
        organisation__in=scope.organisations, date__range=(period.start, period.end)
    )
    return days.filter(offer=scope.offer) if scope.offer is not None else days


SUMS = {
    "rides": Sum("rides"),
    "children": Sum("children_driven"),
    "unserved": Sum("children_unserved"),
    "distance_m": Sum("distance_m"),
    "driving_s": Sum("driving_s"),
    "vehicle_cost": Sum("vehicle_cost"),
    "driver_cost": Sum("driver_cost"),
}


def fixed_costs(report: Report, month: dt.date) -> Decimal:
    """The fixed monthly costs falling on `month` (pro rata, up to today); none for a group."""
    if report.scope.offer is not None:
        return Decimal(0)
    per_month = sum((o.fixed_costs_per_month for o in report.scope.organisations), Decimal(0))
    return per_month * Decimal(report.period.month_fraction(month, clock.today()))


def transport(report: Report) -> None:
    scope, period = report.scope, report.period
    days = _days(scope, period)
    total = days.aggregate(**SUMS)
    monthly = {
        _month(r["month"]): r
        for r in days.annotate(month=TruncMonth("date")).values("month").annotate(**SUMS).order_by()
    }
    fixed = {m: fixed_costs(report, m) for m in period.months()}
    rows: list[list[Cell]] = []
    for month in period.months():
        r = monthly.get(month, {})
        cost = _money((r.get("vehicle_cost") or 0) + (r.get("driver_cost") or 0)) + _money(
            fixed[month]
        )
        children = r.get("children") or 0
        if children:
            report.cost_per_child[month] = float(cost / children)
        rows.append(
            [
                month_label(month),
                scope.count(r.get("rides")),
                scope.count(children),
                round((r.get("distance_m") or 0) / 1000, 1),
                _money(cost),
                _money(cost / children) if children else None,
            ]
        )
    cost = _money((total["vehicle_cost"] or 0) + (total["driver_cost"] or 0)) + _money(
        sum(fixed.values())
    )
    rides, children = total["rides"] or 0, total["children"] or 0
    km = round((total["distance_m"] or 0) / 1000, 1)
    hours = round((total["driving_s"] or 0) / 3600, 1)
    c = scope.count
    summary: list[list[Cell]] = [
        ["Fahrten (ein Kind, eine Richtung)", c(rides)],
        ["gefahrene Kinder (je Fahrtag gezählt)", c(children)],
        ["Kilometer", km],
        ["Fahrstunden", hours],
        ["Fahrzeugkosten (€)", _money(total["vehicle_cost"])],
        ["Fahrer*innenkosten (€)", _money(total["driver_cost"])],
        ["feste Kosten (€)", _money(sum(fixed.values()))],
        ["Kosten insgesamt (€)", cost],
        ["Kosten je gefahrenem Kind (€)", _money(cost / children) if children else None],
        ["Kosten je Fahrt (€)", _money(cost / rides) if rides else None],
    ]
    note = "ohne feste Kosten (sie gehören zum ganzen Träger)" if scope.offer else ""
    report.tables.append(Table("fahrdienst", "Fahrdienst", ["", "Wert"], summary, note))
    report.tables.append(
        Table(
            "fahrdienst_monate",
            "Fahrdienst im Verlauf",
            [
                "Monat",
                "Fahrten",
                "gefahrene Kinder",
                "Kilometer",
                "Kosten (€)",
                "Kosten je Kind (€)",
            ],
            rows,
        )
    )
    report.figures += [
        ("Kilometer", km),
        ("Kosten Fahrdienst (€)", cost),
        ("Kosten je gefahrenem Kind (€)", _money(cost / children) if children else None),
    ]
    _unserved(report, days, total["unserved"] or 0)


def _unserved(report: Report, days: QuerySet[TransportDay], total: int) -> None:
    kinds: Counter[str] = Counter()
    for reasons in days.filter(children_unserved__gt=0).values_list("unserved_reasons", flat=True):
        kinds.update(reasons or {})
    c = report.scope.count
    rows: list[list[Cell]] = [[reason_kind_label(k), c(n)] for k, n in kinds.most_common()]
    rows.insert(0, ["nicht gefahrene Kinder (je Fahrtag)", c(total)])
    report.tables.append(
        Table(
            "nicht_gefahren",
            "Nicht gefahren, nach Grund",
            ["", "Anzahl"],
            rows,
            "Gründe zählen Fahrtwünsche (ein Kind, eine Richtung).",
        )
    )


# Referral paths ------------------------------------------------------------------------------


def referrals(report: Report) -> None:
    """New families of the period by how they came (`Family.referral_kind`).

    A family is new when its first enrolment in the scope starts in the period (as the
    children's "neu" in the reach); no totals beside suppressed cells in the district.
    """
    scope, period = report.scope, report.period
    in_scope = scope.q("participants__enrolments__offer")
    counts = dict(
        Family.objects.filter(organisation__in=scope.organisations)
        .annotate(first=Min("participants__enrolments__joined_on", filter=in_scope))
        .filter(first__range=(period.start, period.end))
        .values("referral_kind")
        .annotate(n=Count("pk"))
        .values_list("referral_kind", "n")
    )
    rows: list[list[Cell]] = [
        [str(kind.label), scope.count(counts.get(kind.value, 0))] for kind in ReferralKind
    ]
    report.tables.append(
        Table(
            "zugangswege",
            "Neue Familien nach Zugangsweg",
            ["Zugangsweg", "Familien"],
            rows,
            "Wie die Familie zum Angebot kam, wie die Fachkräfte es bei der Aufnahme festhalten.",
        )
    )
    sectors = dict(
        Involvement.objects.filter(
            family__organisation__in=scope.organisations,
            family__participants__enrolments__in=_enrolments(scope, period),
        )
        .values("sector")
        .annotate(n=Count("family", distinct=True))
        .values_list("sector", "n")
    )
    report.tables.append(
        Table(
            "bereiche",
            "Beteiligte Bereiche (Hilfegebinde)",
            ["Bereich", "Familien"],
            [[str(sector.label), scope.count(sectors.get(sector.value, 0))] for sector in Sector],
            "Familien im Zeitraum, bei denen mit ihrer Einwilligung ein Angebot oder Partner "
            "dieses Bereichs im Hilfeplan steht.",
        )
    )


SECTIONS = [reach, sessions, transport, referrals]


def build(scope: Scope, period: Period) -> Report:
    """The whole report of `scope` over `period`."""
    report = Report(period=period, scope=scope, created_at=clock.now())
    for section in SECTIONS:
        section(report)
    return report
