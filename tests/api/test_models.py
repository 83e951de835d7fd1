"""The domain rules behind the API: session generation, join-anytime enrolments,
consent withdrawal and the certificate check."""

import datetime as dt

import pytest

from backend.families.models import ConsentRecord, Enrolment
from backend.families.services import withdraw_consent
from backend.fleet.models import Driver
from backend.offers.models import ClosurePeriod, GroupOffer
from backend.offers.services import materialise_sessions, planned_dates

pytestmark = pytest.mark.django_db


def make_offer(world, rrule: str, region: str = "RP", **fields) -> GroupOffer:
    a = world["a"]
    return GroupOffer.objects.create(
        organisation=a["org"],
        venue=a["venue"],
        rrule=rrule,
        start_time=dt.time(15, 0),
        first_date=dt.date(2026, 11, 2),
        holiday_region=region,
        **fields,
    )


def session_dates(offer: GroupOffer) -> list[dt.date]:
    return list(
        offer.sessions.order_by("occurrence_date").values_list("occurrence_date", flat=True)
    )


def test_sessions_skip_the_states_public_holidays(world):
    """Easter Monday 2027 (29 March) is a holiday everywhere; Corpus Christi (27 May
    2027) only in some states, among them Rhineland-Palatinate."""
    monday = make_offer(world, "FREQ=WEEKLY;BYDAY=MO")
    materialise_sessions(monday, dt.date(2027, 3, 15), weeks=4)
    assert session_dates(monday) == [
        dt.date(2027, 3, 15),
        dt.date(2027, 3, 22),
        dt.date(2027, 4, 5),
        dt.date(2027, 4, 12),
    ]
    thursday_rp = make_offer(world, "FREQ=WEEKLY;BYDAY=TH", region="RP")
    thursday_ni = make_offer(world, "FREQ=WEEKLY;BYDAY=TH", region="NI")
    for offer in (thursday_rp, thursday_ni):
        materialise_sessions(offer, dt.date(2027, 5, 24), weeks=1)
    assert session_dates(thursday_rp) == []
    assert session_dates(thursday_ni) == [dt.date(2027, 5, 27)]


def test_sessions_skip_the_organisations_closures(world):
    ClosurePeriod.objects.create(
        organisation=world["a"]["org"],
        name="Weihnachtsferien",
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2027, 1, 8),
    )
    offer = make_offer(world, "FREQ=WEEKLY;BYDAY=WE")
    materialise_sessions(offer, dt.date(2026, 12, 14), weeks=5)
    assert session_dates(offer) == [dt.date(2026, 12, 16), dt.date(2027, 1, 13)]


def test_every_other_week_and_last_date(world):
    offer = make_offer(world, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", last_date=dt.date(2026, 12, 14))
    assert planned_dates(offer, until=dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 14),
    ]


def test_materialising_again_keeps_moved_and_cancelled_sessions(world):
    offer = make_offer(world, "FREQ=WEEKLY;BYDAY=MO")
    first, second, *_ = materialise_sessions(offer, dt.date(2026, 11, 23), weeks=3)
    first.cancel("Krankheit")
    later = second.starts_at + dt.timedelta(hours=1)
    second.move(later, later + dt.timedelta(hours=1), second.venue)
    assert materialise_sessions(offer, dt.date(2026, 11, 23), weeks=3) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.sequence) == ("cancelled", 1)
    assert (second.starts_at, second.sequence) == (later, 1)


def test_enrolment_counts_from_any_join_date(world):
    """Join anytime: a child who joins on a Wednesday counts from that day, and the
    last day counts too."""
    a = world["a"]
    enrolment = Enrolment.objects.create(
        participant=a["child"],
        offer=make_offer(world, "FREQ=WEEKLY;BYDAY=TU"),
        joined_on=dt.date(2026, 11, 25),
        left_on=dt.date(2026, 12, 8),
    )
    assert not enrolment.is_active_on(dt.date(2026, 11, 24))
    assert enrolment.is_active_on(dt.date(2026, 11, 25))
    assert enrolment.is_active_on(dt.date(2026, 12, 8))
    assert not enrolment.is_active_on(dt.date(2026, 12, 9))


def test_consent_withdrawal_takes_effect_the_same_day(
    world, django_capture_on_commit_callbacks, withdrawals
):
    family = world["a"]["family"]
    consent = family.consents.get(purpose="transport")
    today = dt.date(2026, 11, 23)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent, today)
        withdraw_consent(consent, today + dt.timedelta(days=3))  # no second effect
    family = type(family).objects.get(pk=family.pk)
    assert family.has_consent("transport", today - dt.timedelta(days=1))
    assert not family.has_consent("transport", today)
    assert ConsentRecord.objects.get(pk=consent.pk).withdrawn_on == today
    assert withdrawals == [consent.pk]


def test_withdrawal_cannot_predate_the_consent(world):
    consent = ConsentRecord.objects.create(
        family=world["a"]["family"], purpose="calendar", given_on=dt.date(2026, 11, 20)
    )
    withdraw_consent(consent, dt.date(2026, 11, 1))
    assert consent.withdrawn_on == dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "certificate, status",
    [
        (None, "missing"),
        (dt.date(2021, 11, 24), "valid"),  # five years old tomorrow
        (dt.date(2021, 11, 23), "expired"),  # five years old today
        (dt.date(2015, 1, 1), "expired"),
        (dt.date(2026, 12, 1), "expired"),  # not issued yet: not valid
    ],
)
def test_certificate_of_good_conduct_is_valid_for_five_years(certificate, status):
    driver = Driver(name="X", certificate_date=certificate)
    assert driver.certificate_status(dt.date(2026, 11, 23)) == status
