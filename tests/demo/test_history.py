"""The demo district's past year (backend/demo/history.py), on which the reports stand.

One load of the district, its planned week and its history is shared by every test
(each test runs in a transaction that is rolled back). The clock stands still on the
demo's day, so the history is the same on every run.
"""

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import time_machine
from django.db.models import Sum
from django.test import TestCase, override_settings
from geopy.distance import geodesic

from backend.demo.district import load_demo
from backend.demo.history import history_window, load_history
from backend.demo.planning import plan_demo_week
from backend.families.models import Absence, Enrolment, Family, Participant, Presence
from backend.lib import clock
from backend.offers.models import Attendance, ClosurePeriod, Session
from backend.organisations.models import Organisation
from backend.planning.models import Publication, Route, StopPassenger, Unserved
from backend.privacy import retention
from backend.reports.models import TransportDay

TODAY = dt.date(2026, 11, 23)
NOW = clock.at(TODAY, dt.time(7, 0))
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FORMER = [f"F-10{n}" for n in range(1, 7)] + [f"F-20{n}" for n in range(1, 7)]
CLOSURES = ["Teamfortbildung", "Betriebsausflug", "Umzug der Beratungsstelle"]


def fingerprint() -> dict:
    """The history in natural keys (no database ids): equal histories, equal prints."""
    sessions = Session.objects.filter(occurrence_date__lt=TODAY)
    return {
        "cancelled": sorted(
            sessions.filter(status=Session.Status.CANCELLED).values_list(
                "offer__title", "occurrence_date", "cancel_reason"
            )
        ),
        "attendance": sorted(
            Attendance.objects.filter(session__in=sessions).values_list(
                "session__offer__title",
                "session__occurrence_date",
                "children",
                "adults",
                "walk_ins",
            )
        ),
        "presences": sorted(
            Presence.objects.filter(session__in=sessions).values_list(
                "participant__family__reference",
                "participant__first_name",
                "session__occurrence_date",
            )
        ),
        "absences": Absence.objects.filter(session__in=sessions).count(),
        "transport": sorted(
            TransportDay.objects.filter(date__lt=TODAY).values_list(
                "offer__title", "date", "rides", "distance_m", "vehicle_cost", "driver_cost"
            )
        ),
    }


def history_counts() -> dict[str, int]:
    return {
        "sessions": Session.objects.count(),
        "attendance": Attendance.objects.count(),
        "presences": Presence.objects.count(),
        "absences": Absence.objects.count(),
        "families": Family.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "closures": ClosurePeriod.objects.count(),
        "transport_days": TransportDay.objects.count(),
    }


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class TestDemoHistory(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clock = time_machine.travel(NOW, tick=False)
        cls.clock.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.clock.stop()

    @classmethod
    def setUpTestData(cls):
        load_demo(TODAY)
        plan_demo_week(today=TODAY, time_limit=1, stdout=io.StringIO())
        cls.summary = load_history(TODAY)
        cls.first, cls.last = history_window(TODAY, 12)

    def past(self):
        return Session.objects.filter(occurrence_date__lt=TODAY)

    def test_the_history_spans_the_last_twelve_months_up_to_yesterday(self):
        assert (self.first, self.last) == (dt.date(2025, 11, 23), dt.date(2026, 11, 22))
        held = self.past().filter(attendance__isnull=False)
        days = held.values_list("occurrence_date", flat=True)
        assert min(days) < self.first + dt.timedelta(days=14)
        assert max(days) > self.last - dt.timedelta(days=7)
        assert len({(d.year, d.month) for d in days}) >= 11
        assert self.summary.held == held.count() > 200

    def test_sessions_are_held_or_cancelled_with_plausible_reasons(self):
        reasons = Counter(
            self.past()
            .filter(status=Session.Status.CANCELLED)
            .values_list("cancel_reason", flat=True)
        )
        assert any(r in reasons for r in CLOSURES), reasons  # through the closures
        assert reasons["Erkrankung im Team"] >= 1
        assert set(reasons) <= {
            *CLOSURES,
            "Klausurtag des Teams",
            "Erkrankung im Team",
            "Glätte und Schneefall",
            "Unwetterwarnung",
            "Raum nicht verfügbar",
        }
        assert 0 < sum(reasons.values()) < self.summary.held / 5
        # Every past session is either cancelled or has its attendance.
        assert (
            not self.past()
            .filter(status=Session.Status.SCHEDULED, attendance__isnull=True)
            .exists()
        )

    def test_no_session_in_the_future_is_held(self):
        assert not Attendance.objects.filter(session__starts_at__gte=NOW).exists()
        assert not Presence.objects.filter(session__starts_at__gte=NOW).exists()
        # Figures of coming days come only from their published plans (reports/recording).
        published = set(Publication.objects.current().values_list("organisation_id", "date"))
        coming = TransportDay.objects.filter(date__gte=TODAY)
        assert set(coming.values_list("organisation_id", "date")) <= published

    def test_cancelled_sessions_have_nobody_present(self):
        cancelled = Session.objects.filter(status=Session.Status.CANCELLED)
        assert cancelled.exists()
        assert not Presence.objects.filter(session__in=cancelled).exists()
        assert not Attendance.objects.filter(session__in=cancelled).exists()
        driven = set(TransportDay.objects.values_list("offer_id", "date"))
        assert driven
        assert not driven & set(cancelled.values_list("offer_id", "occurrence_date"))

    def test_attendance_counts_the_present_and_walk_ins(self):
        attendance = Attendance.objects.filter(session__in=self.past())
        totals = attendance.aggregate(walk_ins=Sum("walk_ins"), children=Sum("children"))
        assert totals["walk_ins"] > 50
        assert attendance.filter(walk_ins=0).exists()
        present = Counter(
            Presence.objects.filter(participant__kind=Participant.Kind.CHILD).values_list(
                "session_id", flat=True
            )
        )
        for row in attendance:
            assert row.children >= present[row.session_id]
            assert row.children + row.adults >= row.walk_ins
        # Parents' groups count adults.
        assert attendance.filter(session__offer__audience="parents", adults__gt=0).exists()

    def test_summer_and_december_are_quieter(self):
        per_month: dict[int, list[int]] = defaultdict(list)
        for day, children in Attendance.objects.filter(
            session__in=self.past(), session__offer__audience="children"
        ).values_list("session__occurrence_date", "children"):
            per_month[day.month].append(children)

        def mean(months):
            values = [v for m in months for v in per_month[m]]
            return sum(values) / len(values)

        assert mean([7, 8, 12]) < mean([3, 5, 9, 10, 11])

    def test_families_join_and_leave_across_the_year(self):
        enrolments = Enrolment.objects.all()
        joined = enrolments.filter(joined_on__range=(self.first, self.last))
        left = enrolments.filter(left_on__range=(self.first, self.last))
        assert len({(d.year, d.month) for d in joined.values_list("joined_on", flat=True)}) >= 8
        assert len({(d.year, d.month) for d in left.values_list("left_on", flat=True)}) >= 6
        assert set(left.values_list("participant__family__reference", flat=True)) == set(FORMER)
        assert self.summary.former_families == len(FORMER)

    def test_families_who_left_lived_5_to_40_km_from_their_group(self):
        for e in Enrolment.objects.filter(left_on__isnull=False).select_related(
            "participant__family", "offer__venue"
        ):
            home, venue = e.participant.family, e.offer.venue
            km = geodesic((home.latitude, home.longitude), (venue.latitude, venue.longitude)).km
            assert 5 <= km <= 40, (home.reference, km)

    def test_nobody_is_present_or_absent_outside_their_enrolment(self):
        spans = defaultdict(list)
        for e in Enrolment.objects.all():
            spans[(e.participant_id, e.offer_id)].append(e)
        for model in (Presence, Absence):
            rows = model.objects.values_list(
                "participant_id", "session__offer_id", "session__occurrence_date"
            )
            assert rows
            for participant, offer, day in rows:
                assert any(e.is_active_on(day) for e in spans[(participant, offer)]), (
                    model.__name__,
                    participant,
                    day,
                )

    def test_transport_figures_follow_the_cost_rule_on_a_sample_day(self):
        """Recompute two groups' past days (paid drivers, volunteers) from the model day."""
        for slug, volunteers in [("familienhilfe-westeifel", False), ("kinderbruecke-eifel", True)]:
            org = Organisation.objects.get(slug=slug)
            row = (
                TransportDay.objects.filter(organisation=org, offer__audience="children")
                .order_by("date", "offer")
                .first()
            )
            assert row is not None, slug
            model = self.model_day(org, row.offer_id)
            shuttle = set(
                Enrolment.objects.filter(offer=row.offer)
                .exclude(transport="none")
                .values_list("participant_id", flat=True)
            )
            came = Presence.objects.filter(
                session__offer=row.offer,
                session__occurrence_date=row.date,
                participant_id__in=shuttle,
            ).count()
            f = Decimal(came) / model["riders"]
            assert row.distance_m == round(model["distance_m"] * f)
            assert abs(row.vehicle_cost - model["vehicle_cost"] * f) <= Decimal("0.01")
            assert abs(row.driver_cost - model["driver_cost"] * f) <= Decimal("0.01")
            assert row.driver_cost > 0
            if volunteers:
                # 8 € per route, shared by rides: a whole number of euros per route at most.
                assert model["driver_cost"] <= 8 * model["routes"]
            assert row.rides > 0 and row.children_driven > 0

    def model_day(self, org: Organisation, offer_id: int) -> dict:
        """The group's first published day of the coming week, by the cost rule."""
        for offset in range(7):
            day = TODAY + dt.timedelta(days=offset)
            publication = org.publications.current_on(day)
            if publication is None:
                continue
            routes = Route.objects.filter(run=publication.run, date=day)
            result = {
                "riders": set(),
                "distance_m": Decimal(0),
                "vehicle_cost": Decimal(0),
                "driver_cost": Decimal(0),
                "routes": 0,
            }
            for route in routes:
                boarding = StopPassenger.objects.filter(stop__route=route, action="board")
                total = boarding.count()
                mine = boarding.filter(session__offer_id=offer_id)
                if not mine.exists():
                    continue
                share = Decimal(mine.count()) / total
                km = Decimal(route.distance_m) / 1000
                if route.driver.volunteer:
                    driver = org.driver_allowance_per_trip
                else:
                    seconds = Decimal((route.ends_at - route.starts_at).total_seconds())
                    driver = seconds / 3600 * org.driver_cost_per_hour
                result["riders"] |= set(mine.values_list("participant_id", flat=True))
                result["distance_m"] += route.distance_m * share
                result["vehicle_cost"] += km * route.vehicle.cost_per_km * share
                result["driver_cost"] += driver * share
                result["routes"] += 1
            unserved = Unserved.objects.filter(
                run=publication.run, date=day, session__offer_id=offer_id
            )
            result["riders"] |= set(unserved.values_list("participant_id", flat=True))
            if result["riders"]:
                result["riders"] = len(result["riders"])
                return result
        raise AssertionError("no model day")

    def test_the_cost_settings_come_from_the_fixture(self):
        paid = Organisation.objects.get(slug="familienhilfe-westeifel")
        volunteers = Organisation.objects.get(slug="kinderbruecke-eifel")
        assert paid.driver_cost_per_hour == Decimal("18.00")
        assert volunteers.driver_allowance_per_trip == Decimal("8.00")
        assert paid.fixed_costs_per_month == volunteers.fixed_costs_per_month == Decimal("150")
        assert not paid.drivers.filter(volunteer=True).exists()
        assert not volunteers.drivers.filter(volunteer=False).exists()

    def test_loading_again_writes_nothing_twice(self):
        before, print_before = history_counts(), fingerprint()
        load_demo(TODAY)
        again = load_history(TODAY)
        assert history_counts() == before
        assert fingerprint() == print_before
        assert again == self.summary

    def test_the_same_seed_gives_the_same_history(self):
        """Remove the history and write it again: the same, to the last presence."""
        before = fingerprint()
        self.past().delete()
        Family.objects.filter(reference__in=FORMER).delete()
        ClosurePeriod.objects.filter(start_date__lt=TODAY, end_date__gt=self.first).exclude(
            name__contains="ferien"
        ).delete()
        TransportDay.objects.all().delete()
        assert fingerprint()["attendance"] == []
        load_history(TODAY)
        assert fingerprint() == before

    def test_retention_anonymises_who_left_and_keeps_the_figures(self):
        figures = (
            Attendance.objects.aggregate(Sum("children"), Sum("adults"), Sum("walk_ins")),
            Presence.objects.count(),
            TransportDay.objects.aggregate(Sum("distance_m"), Sum("driver_cost")),
        )
        with override_settings(RETENTION_MONTHS=6):
            report = retention.run(TODAY, NOW, dry_run=False)
        gone = {f.reference for f in report.families}
        # Left more than six months ago: F-101 (day -200), F-103 (-250), F-203 (-260);
        # not yet F-201 (-180).
        assert gone == {"F-101", "F-103", "F-203"}
        assert Family.objects.filter(anonymised_at__isnull=False).count() == 3
        assert not Family.objects.filter(reference__in=gone).exists()
        after = (
            Attendance.objects.aggregate(Sum("children"), Sum("adults"), Sum("walk_ins")),
            Presence.objects.count(),
            TransportDay.objects.aggregate(Sum("distance_m"), Sum("driver_cost")),
        )
        assert after == figures
        # Loading the demo again does not bring the anonymised families back.
        families = Family.objects.count()
        load_demo(TODAY)
        load_history(TODAY)
        assert Family.objects.count() == families

    def test_loading_a_week_later_fills_that_week_and_keeps_the_rest(self):
        later = TODAY + dt.timedelta(days=7)
        before = fingerprint()
        families = Family.objects.count()
        with time_machine.travel(clock.at(later, dt.time(7, 0)), tick=False):
            load_demo(later)
            load_history(later)
        week = Session.objects.filter(occurrence_date__range=(TODAY, later - dt.timedelta(days=1)))
        assert week.exists()
        assert not week.filter(status=Session.Status.SCHEDULED, attendance__isnull=True).exists()
        assert Family.objects.count() == families
        after = fingerprint()
        for key in ["cancelled", "attendance", "presences", "transport"]:
            assert set(before[key]) <= set(after[key]), key
        # Join dates do not move later, so last year's presences stay within them.
        self.test_nobody_is_present_or_absent_outside_their_enrolment()
