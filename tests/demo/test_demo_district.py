"""The demo district: `load_demo` and the `lotse demo` command.

Specs from issue 2 §4: 2 providers and a coordination office, at least 5 child groups
(2 paired with a parents' group), about 40 families with about 60 children living
5–40 km from their group, 8 drivers, a wheelchair-accessible van, school holidays.
"""

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory, TestCase, override_settings
from geopy.distance import geodesic

from backend.demo.district import DemoDataError, load_demo
from backend.district.models import Partner, RegisterOffer
from backend.district.overview import overview
from backend.district.referrals import referral_table
from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.fleet.models import Availability, Driver, Vehicle
from backend.offers.models import ClosurePeriod, GroupOffer, Session, Venue
from backend.offers.services import skipped_dates
from backend.organisations.models import Membership, Organisation, Role

TODAY = dt.date(2026, 11, 23)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
README = Path(__file__).resolve().parents[2] / "README.md"
MODELS = [
    Organisation,
    Membership,
    Venue,
    ClosurePeriod,
    GroupOffer,
    Session,
    Family,
    ConsentRecord,
    Participant,
    Enrolment,
    Vehicle,
    Driver,
    Availability,
    RegisterOffer,
    Partner,
]


def counts() -> dict[str, int]:
    result = {m.__name__: m.objects.count() for m in MODELS}
    result["User"] = User.objects.count()
    return result


@pytest.fixture
def demo():
    return load_demo(TODAY)


def children_with_venue():
    for enrolment in Enrolment.objects.select_related("participant__family", "offer__venue").filter(
        participant__kind=Participant.Kind.CHILD
    ):
        yield enrolment.participant, enrolment.participant.family, enrolment.offer.venue


@pytest.mark.django_db
def test_loading_twice_duplicates_nothing(demo):
    first = counts()
    again = load_demo(TODAY)
    assert counts() == first
    assert again == demo


@pytest.mark.django_db
def test_loading_a_week_later_adds_only_that_weeks_sessions(demo):
    before = counts()
    load_demo(TODAY + dt.timedelta(days=7))
    after = counts()
    sessions_before, sessions_after = before.pop("Session"), after.pop("Session")
    # At most one new session per group: the week that entered the 12-week horizon.
    assert sessions_before < sessions_after <= sessions_before + demo.groups
    assert after == before


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class TestDemoDistrict(TestCase):
    """Read-only checks share one load of the district (it takes about a second)."""

    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo(TODAY)

    def test_summary_counts_the_district(self):
        assert self.summary.organisations == 3
        assert self.summary.child_groups >= 5
        assert self.summary.paired_groups >= 2
        assert 36 <= self.summary.families <= 44
        assert 55 <= self.summary.children <= 65
        assert self.summary.drivers == 8
        assert self.summary.sessions_next_4_weeks > 20

    def test_two_providers_and_one_coordination_office(self):
        kinds = sorted(Organisation.objects.values_list("kind", flat=True))
        assert kinds == ["coordination", "provider", "provider"]

    def test_the_office_sees_its_register_and_referral_figures(self):
        office = Organisation.objects.get(kind=Organisation.Kind.COORDINATION)
        district = overview(office)
        assert len([o for o in district.offers if o.from_register]) >= 5
        assert len([o for o in district.offers if not o.from_register]) == 8  # both providers'
        assert len(district.partners) >= 6
        assert {p.kind for p in Partner.objects.all()} >= {"youth_office", "school", "psag"}
        assert all(o.latitude for o in district.offers) and all(
            p.latitude for p in district.partners
        )
        assert Partner.objects.filter(lotse_offers__isnull=False).exists()
        # every demo family has a path; figures in the last quarters, some of them shown
        assert not Family.objects.filter(referral_kind="").exists()
        shown = [str(c) for row in referral_table(TODAY).rows for c in row.counts]
        assert "< 5" in shown and any(c.isdigit() and int(c) >= 5 for c in shown)

    def test_paired_parents_groups_meet_at_the_same_time_and_place(self):
        paired = GroupOffer.objects.filter(paired_offer__isnull=False)
        assert paired.count() >= 2
        for offer in paired:
            parents = offer.paired_offer
            assert parents.audience == "parents"
            assert (parents.venue, parents.rrule, parents.start_time) == (
                offer.venue,
                offer.rrule,
                offer.start_time,
            )
        assert GroupOffer.objects.filter(registration_required=False, audience="children").exists()

    def test_every_child_lives_5_to_40_km_from_their_group(self):
        distances = [
            geodesic((f.latitude, f.longitude), (v.latitude, v.longitude)).km
            for _, f, v in children_with_venue()
        ]
        assert len(distances) >= 55
        assert all(5 <= km <= 40 for km in distances), sorted(distances)
        assert max(distances) > 25  # not everybody lives around the corner

    def test_one_childs_direct_ride_exceeds_their_maximum(self):
        """The planner must have one rider it cannot serve and report why."""
        too_far = []
        for child, family, venue in children_with_venue():
            if child.max_ride_minutes is None:
                continue
            org = family.organisation
            km = geodesic((family.latitude, family.longitude), (venue.latitude, venue.longitude)).km
            minutes = km * org.detour_factor / org.average_speed_kmh * 60
            if minutes > child.max_ride_minutes:
                too_far.append(child.first_name)
        assert len(too_far) == 1

    def test_siblings_needs_and_consents_vary(self):
        children = Participant.objects.filter(kind="child")
        assert Family.objects.filter(participants__kind="child").distinct().count() < 60
        assert children.filter(needs_child_seat=True).exists()
        assert children.filter(needs_booster=True).exists()
        assert children.filter(needs_wheelchair=True).count() == 1
        assert children.filter(needs_escort=True).exists()
        without_transport_consent = [
            f
            for f in Family.objects.prefetch_related("consents")
            if not f.has_consent("transport", TODAY)
        ]
        assert 1 <= len(without_transport_consent) <= 5
        assert ConsentRecord.objects.filter(purpose="calendar").exists()
        # Most families may be called by their driver; a few did not agree (sheets differ).
        families = list(Family.objects.prefetch_related("consents"))
        callable_ = [f for f in families if f.has_consent("phone", TODAY)]
        assert len(families) - 8 <= len(callable_) < len(families)
        adults = Enrolment.objects.filter(participant__kind="adult")
        assert adults.exclude(transport="none").exists()
        assert set(Enrolment.objects.values_list("transport", flat=True)) == {
            "none",
            "there",
            "back",
            "both",
        }
        assert Enrolment.objects.filter(pickup_latitude__isnull=False).count() == 1
        assert Enrolment.objects.filter(
            joined_on__gt=TODAY, joined_on__lte=TODAY + dt.timedelta(days=7)
        ).exists()

    def test_fleet_has_a_wheelchair_van_and_flagged_certificates(self):
        assert Vehicle.objects.filter(wheelchair_places__gte=1).count() == 1
        assert {v.seats for v in Vehicle.objects.all()} >= {4, 8}
        statuses = sorted(d.certificate_status(TODAY) for d in Driver.objects.all())
        assert statuses.count("missing") == 1
        assert statuses.count("expired") == 1
        assert Driver.objects.filter(provides_escort=True).exists()

    def test_the_demo_driver_user_can_drive_in_the_coming_week(self):
        membership = Membership.objects.get(role=Role.DRIVER)
        driver = Driver.objects.get(user=membership.user)
        assert driver.organisation == membership.organisation
        assert driver.certificate_valid_on(TODAY)
        next_week = {(TODAY + dt.timedelta(days=d)).weekday() for d in range(7)}
        assert driver.availability.filter(weekday__in=next_week).exists()

    def test_no_session_falls_on_school_holidays_or_public_holidays(self):
        load_demo(dt.date(2026, 12, 14), weeks=4)  # spans the Christmas holidays
        for offer in GroupOffer.objects.all():
            skipped = skipped_dates(offer, dt.date(2026, 11, 1), dt.date(2027, 2, 1))
            dates = offer.sessions.values_list("occurrence_date", flat=True)
            assert not set(dates) & set(skipped), offer.title
        christmas = ClosurePeriod.objects.filter(name__startswith="Weihnachtsferien 2026").first()
        assert christmas is not None
        assert not Session.objects.filter(
            occurrence_date__range=(christmas.start_date, christmas.end_date)
        ).exists()

    def test_readme_logins_work(self):
        """Every login in README.md's table authenticates with the documented password."""
        logins = README.read_text().split("### Demo logins")[1].split("\n## ")[0]
        rows = re.findall(r"^\| `([\w-]+)` \| `([\w-]+)` \|", logins, flags=re.M)
        assert len(rows) >= 7
        for username, password in rows:
            # django-axes watches every login and needs the request it came with.
            request = RequestFactory().post("/accounts/login/")
            assert authenticate(request, username=username, password=password), username
        roles = set(Membership.objects.values_list("role", flat=True))
        assert roles == {Role.COORDINATOR, Role.STAFF, Role.DRIVER}


@pytest.mark.django_db
def test_invalid_fixture_stores_nothing(tmp_path, fixture_data):
    broken = dict(fixture_data)
    org = dict(broken["organisations"][0])
    org["groups"] = [dict(org["groups"][0], rrule="FREQ=DAILY")]
    broken["organisations"] = [org]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(DemoDataError, match="rrule"):
        load_demo(TODAY, path=path)
    assert all(n == 0 for n in counts().values())


@pytest.mark.django_db
def test_command_prints_the_summary_and_exits():
    out = io.StringIO()
    # One planner second per day (the default is 5): the test reads the summary, not the plans.
    call_command("demo", "--no-serve", "--date", "2026-11-23", "--time-limit", "1", stdout=out)
    text = out.getvalue()
    for label in [
        "Organisationen",
        "Gruppen",
        "Termine in den nächsten 4 Wochen",
        "Familien",
        "Kinder",
        "Fahrer\\*innen",
    ]:
        assert re.search(rf"{label}:\s+\d+", text), label
    assert "Familien:                     40" in text
    # The past year, written after the coming week was planned (backend/demo/history.py).
    assert re.search(r"Termine:\s+\d+ stattgefunden, \d+ abgesagt", text)
    assert re.search(r"Fahrdienst-Tage mit Zahlen:\s+[1-9]\d*", text)
    # One language: German throughout, also the planning summary and the links.
    for english in ["organisations", "families:", "children", "drivers", "vehicles", "Serving"]:
        assert english not in text, english


@pytest.mark.django_db
def test_command_rejects_a_bad_date_in_one_line():
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("demo", "--no-serve", "--date", "23.11.2026")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "0001-01-02"], "between the years 2000 and 2090"),
        (["--date", "9999-12-30"], "between the years 2000 and 2090"),
        (["--date", "2026-11-23", "--time-limit", "0"], "--time-limit must be between"),
    ],
)
def test_command_checks_its_arguments_before_writing(args, message):
    """Out-of-range arguments give one clear line, and nothing is loaded first."""
    from backend.organisations.models import Organisation

    with pytest.raises(CommandError, match=message):
        call_command("demo", "--no-serve", *args)
    assert not Organisation.objects.exists()
