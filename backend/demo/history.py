"""The demo district's past year, so that every report has real numbers after `make demo`.

`load_history(today)` runs after the demo is loaded and its coming week planned
(`lotse demo`). For the last `months` months (fixture: `history`) up to yesterday it writes:

- **Sessions** from each group's rule, with the real mechanism for the coming weeks
  (`materialise_between`: public holidays and school holidays are skipped). Each
  organisation's history closures (a team training, a move) are then added and
  cancel their days through `apply_closure`, with the closure's name as the reason;
  a few sessions are cancelled with `Session.cancel` for illness in the team, ice
  and snow in winter or storm warnings in summer.
- **Families who left** during the year (fixture: each organisation's
  `history.former_families`, all fictional), next to the current families who joined
  at any time of the year.
- **Who came**: for each held session, every participant enrolled on that day comes
  with a chance of `presence` × the month's `seasonal_presence` × a participant's own
  steadiness (0.8–1.15); some who stay away reported it beforehand (`Absence`). Walk-ins
  are drawn from `walk_ins`. Stored as `record_attendance` (the attendance page) stores
  them, `Presence` rows and the anonymous `Attendance` counts by the same rule
  (`head_counts`), but in bulk: a year of sessions at once.
- **The shuttle's figures** (`TransportDay`), derived from real plans: the coming
  week is planned by the real planner and published before this runs. For each group,
  its first published day is the model day: its rides, children driven and unserved
  (with reasons), vehicles, km, driving time and cost, by the cost rule below. A past
  day of that group gets the model day's figures scaled by `f` = the riders who came
  that day (present participants whose enrolment has a shuttle) / the riders the model
  day was planned for. A day with fewer riders needs about proportionally fewer
  kilometres; that approximation is all these figures claim. No past routes are stored.

The cost rule (the same as `backend/reports/recording.py`, which records published days):
vehicle cost = route km × the route vehicle's `cost_per_km`; driver cost = a volunteer's
route costs the organisation's `driver_allowance_per_trip`, any other route its hours
(start to end) × `driver_cost_per_hour`; a route shared by several groups is split by
their share of its rides (boardings).

Everything is drawn from `random.Random` seeded with the fixture's `seed` and the
session (or participant) it is about, so the same seed gives the same history.
Loading again writes nothing twice: sessions exist once per day, a session with
attendance or cancelled is left alone, a day's figures are written once, and the
families who left are added only while the organisation has no history yet (the
retention rule may since have anonymised them). The history ends yesterday, and never
after the real clock's yesterday: no session in the future is held.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from backend.demo.district import FIXTURE, DemoDataError, _family, _upsert, read_fixture
from backend.families.models import Absence, Enrolment, Participant, Presence, Transport
from backend.families.services import head_counts
from backend.lib import clock
from backend.lib.schedule import parse_weekly_rrule
from backend.offers.models import Attendance, Audience, ClosurePeriod, GroupOffer, Session
from backend.offers.services import apply_closure, materialise_between
from backend.organisations.models import Membership, Organisation, Role
from backend.reports.models import TransportDay
from backend.reports.recording import GroupDay, group_figures

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
MODEL_DAYS = 7  # the coming week, planned by `plan_demo_week`


@dataclass(frozen=True)
class HistorySummary:
    first: dt.date | None
    last: dt.date | None
    held: int
    cancelled: int
    presences: int
    walk_ins: int
    former_families: int
    transport_days: int

    def lines(self) -> list[str]:
        if self.first is None or self.last is None:
            return ["Verlauf: keine vergangenen Tage (das Datum liegt in der Zukunft)."]
        return [
            f"Verlauf {self.first:%d.%m.%Y}–{self.last:%d.%m.%Y}:",
            f"  Termine:                      {self.held} stattgefunden, {self.cancelled} abgesagt",
            f"  Anwesenheiten:                {self.presences} (und {self.walk_ins} ohne Anmeldung)",
            f"  Familien, die gegangen sind:  {self.former_families}",
            f"  Fahrdienst-Tage mit Zahlen:   {self.transport_days}",
        ]


@dataclass(frozen=True)
class Settings:
    """The fixture's `history` block."""

    seed: int
    months: int
    presence: float
    absence_reported: float
    seasonal: dict[int, float]
    walk_ins: dict[str, dict[str, list[float]]]
    cancellations: list[dict[str, Any]]

    @classmethod
    def read(cls, spec: dict[str, Any]) -> Settings:
        return cls(
            seed=int(spec["seed"]),
            months=int(spec["months"]),
            presence=float(spec["presence"]),
            absence_reported=float(spec["absence_reported"]),
            seasonal={int(m): float(f) for m, f in spec["seasonal_presence"].items()},
            walk_ins=spec["walk_ins"],
            cancellations=spec["cancellations"],
        )


def history_window(today: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """First and last day of the history: `months` back from `today`, up to yesterday
    (and never after the real clock's yesterday)."""
    last = min(today, clock.today()) - dt.timedelta(days=1)
    return today - relativedelta(months=months), last


def load_history(today: dt.date, *, path: Path = FIXTURE) -> HistorySummary:
    """Write the demo district's past (see the module docstring). Idempotent."""
    data = read_fixture(path)
    try:
        settings = Settings.read(data["history"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DemoDataError(f"malformed demo history settings: {exc!r}") from None
    first, last = history_window(today, settings.months)
    if last < first:
        return HistorySummary(None, None, 0, 0, 0, 0, 0, 0)
    orgs = []
    try:
        with transaction.atomic():
            for spec in data["organisations"]:
                if not spec["groups"]:
                    continue
                org = Organisation.objects.get(slug=spec["slug"])
                _organisation(org, spec, data, settings, today, (first, last))
                orgs.append(org)
    except (ValidationError, IntegrityError) as exc:
        raise DemoDataError(f"invalid demo history: {exc}") from None
    except (KeyError, TypeError, ValueError, ObjectDoesNotExist) as exc:
        raise DemoDataError(f"malformed demo history: {exc!r}") from None
    summary = summarise(orgs, first, last)
    logger.info("demo history written: %d sessions", summary.held + summary.cancelled)
    return summary


def summarise(orgs: list[Organisation], first: dt.date, last: dt.date) -> HistorySummary:
    """What the history of `orgs` from `first` to `last` holds."""
    sessions = Session.objects.filter(
        offer__organisation__in=orgs, occurrence_date__range=(first, last)
    )
    held = sessions.filter(status=Session.Status.SCHEDULED, attendance__isnull=False)
    left = Enrolment.objects.filter(
        offer__organisation__in=orgs, left_on__range=(first, last)
    ).values("participant__family")
    walk_ins = Attendance.objects.filter(session__in=held).aggregate(n=Sum("walk_ins"))["n"]
    return HistorySummary(
        first,
        last,
        held=held.count(),
        cancelled=sessions.filter(status=Session.Status.CANCELLED).count(),
        presences=Presence.objects.filter(session__in=held).count(),
        walk_ins=walk_ins or 0,
        former_families=left.distinct().count(),
        transport_days=TransportDay.objects.filter(
            organisation__in=orgs, date__range=(first, last)
        ).count(),
    )


def _organisation(
    org: Organisation,
    spec: dict,
    data: dict,
    settings: Settings,
    today: dt.date,
    window: tuple[dt.date, dt.date],
) -> None:
    first, last = window
    offers = {g["key"]: org.group_offers.get(title=g["title"]) for g in spec["groups"]}
    recorder = _coordinator(org)
    fresh = not has_history(org, today)
    history = spec.get("history", {})
    if fresh:
        for family in history.get("former_families", []):
            _family(org, family, offers, data["villages"], today, recorder)
    for offer in offers.values():
        _reach_back(offer, first)
        materialise_between(offer, first, last)
    if fresh:
        for closure in history.get("closures", []):
            _closure(org, closure, today)
    for offer in offers.values():
        _sessions(offer, settings, window, recorder)
    model_days = plan_figures(org, today)
    for offer in offers.values():
        if offer.pk in model_days:
            _transport(org, offer, model_days[offer.pk], first, last)


def has_history(org: Organisation, today: dt.date) -> bool:
    """Whether attendance was recorded for a session of `org` before `today`."""
    return Attendance.objects.for_org(org).filter(session__occurrence_date__lt=today).exists()


def _coordinator(org: Organisation) -> User:
    """Who recorded the history: the organisation's first coordinator."""
    return (
        Membership.objects.filter(organisation=org, role=Role.COORDINATOR)
        .select_related("user")
        .earliest("pk")
        .user
    )


def _reach_back(offer: GroupOffer, first: dt.date) -> None:
    """Move the group's first date back to the history's start, in whole cycles of
    its rule, so that fortnightly groups keep their weeks."""
    _weekday, interval = parse_weekly_rrule(offer.rrule)
    step = dt.timedelta(weeks=interval)
    start = offer.first_date
    while start > first:
        start -= step
    if start != offer.first_date:
        offer.first_date = start
        offer.save(update_fields=["first_date", "updated_at"])


def _closure(org: Organisation, spec: dict, today: dt.date) -> None:
    closure = _upsert(
        ClosurePeriod,
        {"organisation": org, "name": spec["name"]},
        {
            "start_date": today + dt.timedelta(days=spec["from"]),
            "end_date": today + dt.timedelta(days=spec["to"]),
        },
    )
    # The signal does this after commit too (then finding nothing left to cancel);
    # the attendance below must already see these days cancelled.
    apply_closure(closure)


# --- Sessions and who came -----------------------------------------------------------------


def _sessions(
    offer: GroupOffer,
    settings: Settings,
    window: tuple[dt.date, dt.date],
    recorder: User,
) -> None:
    sessions = (
        offer.sessions.filter(
            occurrence_date__range=window,
            status=Session.Status.SCHEDULED,
            attendance__isnull=True,
        )
        .select_related("offer__organisation")
        .order_by("occurrence_date")
    )
    enrolments = list(Enrolment.objects.filter(offer=offer).select_related("participant__family"))
    attendances, presences, absences = [], [], []
    for session in sessions:
        key = f"{settings.seed}:{offer.organisation.slug}:{offer.title}:{session.occurrence_date}"
        rng = random.Random(key)
        reason = _cancellation(rng, settings, session.occurrence_date)
        if reason:
            session.cancel(reason)
            continue
        present, away = _who_comes(rng, settings, session, enrolments)
        walk_children, walk_adults = _walk_ins(rng, settings, offer)
        # What `record_attendance` stores, in bulk: the demo writes a year at once, and
        # who may be present is settled above (enrolled that day, a past held session).
        attendances.append(head_counts(session, present, walk_children, walk_adults))
        presences += [
            Presence(session=session, participant=p, recorded_by=recorder) for p in present
        ]
        absences += [
            Absence(
                participant=p,
                session=session,
                source=rng.choice([Absence.Source.FAMILY, Absence.Source.STAFF]),
            )
            for p in away
            if rng.random() < settings.absence_reported
        ]
    for attendance in attendances:
        attendance.full_clean(
            exclude=["session"], validate_unique=False, validate_constraints=False
        )
    Attendance.objects.bulk_create(attendances)
    Presence.objects.bulk_create(presences)
    # Reported for a day long gone: nothing to re-plan, so no `report_absence` signals.
    Absence.objects.bulk_create(absences)


def _cancellation(rng: random.Random, settings: Settings, day: dt.date) -> str:
    for rule in settings.cancellations:
        draw = rng.random()
        if rule["months"] and day.month not in rule["months"]:
            continue
        if draw < rule["chance"]:
            return str(rule["reason"])
    return ""


def _who_comes(
    rng: random.Random, settings: Settings, session: Session, enrolments: list[Enrolment]
) -> tuple[list[Participant], list[Participant]]:
    day = session.occurrence_date
    season = settings.seasonal.get(day.month, 1.0)
    present: list[Participant] = []
    away: list[Participant] = []
    for enrolment in enrolments:
        if not enrolment.is_active_on(day):
            continue
        participant = enrolment.participant
        chance = min(settings.presence * season * _steadiness(settings, participant), 0.98)
        (present if rng.random() < chance else away).append(participant)
    return present, away


def _steadiness(settings: Settings, participant: Participant) -> float:
    """How reliably this participant comes (0.8–1.15), the same on every load."""
    key = f"{settings.seed}:{participant.family.reference}:{participant.first_name}"
    return random.Random(key).uniform(0.8, 1.15)


def _walk_ins(rng: random.Random, settings: Settings, offer: GroupOffer) -> tuple[int, int]:
    chances = settings.walk_ins["parents" if offer.audience == Audience.PARENTS else "children"]

    def draw(weights: list[float]) -> int:
        return rng.choices(range(len(weights)), weights=weights)[0]

    return draw(chances["children"]), draw(chances["adults"])


# --- The shuttle's figures -----------------------------------------------------------------


def plan_figures(org: Organisation, today: dt.date) -> dict[int, GroupDay]:
    """Per group: the figures of its first published day in the coming week."""
    result: dict[int, GroupDay] = {}
    for offset in range(MODEL_DAYS):
        day = today + dt.timedelta(days=offset)
        publication = org.publications.current_on(day)
        if publication is None:
            continue
        for offer_id, figures in group_figures(org, day, publication.run_id).items():
            if offer_id is not None:
                result.setdefault(offer_id, figures)
    return result


def riders_present(offer: GroupOffer, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Per held day of `offer`: the participants present whose enrolment has a shuttle."""
    with_shuttle = set(
        Enrolment.objects.filter(offer=offer)
        .exclude(transport=Transport.NONE)
        .values_list("participant_id", flat=True)
    )
    rows = Presence.objects.filter(
        session__offer=offer,
        session__status=Session.Status.SCHEDULED,
        session__occurrence_date__range=(first, last),
    ).values_list("session__occurrence_date", "participant_id")
    result: Counter[dt.date] = Counter()
    days = set()
    for day, participant_id in rows:
        days.add(day)
        if participant_id in with_shuttle:
            result[day] += 1
    return {day: result[day] for day in days}


def scaled(
    org: Organisation, offer: GroupOffer, day: dt.date, model: GroupDay, riders: int
) -> TransportDay:
    """The model day's figures for a day on which `riders` riders came."""
    f = riders / len(model.riders)

    def times(value: float) -> int:
        return round(value * f)

    def money(value: Decimal) -> Decimal:
        return (value * Decimal(riders) / len(model.riders)).quantize(CENT, ROUND_HALF_UP)

    reasons = {kind: times(n) for kind, n in sorted(model.reasons.items()) if times(n)}
    return TransportDay(
        organisation=org,
        date=day,
        offer=offer,
        rides=times(model.rides),
        children_driven=times(len(model.children)),
        children_unserved=times(len(model.unserved)),
        unserved_reasons=reasons,
        vehicles=min(len(model.vehicles), math.ceil(len(model.vehicles) * f)),
        distance_m=times(model.distance_m),
        driving_s=times(model.driving_s),
        vehicle_cost=money(model.vehicle_cost),
        driver_cost=money(model.driver_cost),
    )


def _transport(
    org: Organisation, offer: GroupOffer, model: GroupDay, first: dt.date, last: dt.date
) -> int:
    if not model.riders:
        return 0
    written = set(
        TransportDay.objects.for_org(org)
        .filter(offer=offer, date__range=(first, last))
        .values_list("date", flat=True)
    )
    rows = [
        scaled(org, offer, day, model, riders)
        for day, riders in sorted(riders_present(offer, first, last).items())
        if riders and day not in written
    ]
    TransportDay.objects.bulk_create(rows)
    return len(rows)
