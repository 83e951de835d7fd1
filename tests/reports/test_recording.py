"""The day figures (TransportDay) follow the published plan: written on publish, rewritten
on every amendment, split between groups by rides, costed by the one cost rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from backend.families.models import Participant
from backend.offers.models import GroupOffer, Session
from backend.planning.models import PlanningRun, Route, StopPassenger, Unserved
from backend.planning.reasons import reason_kind
from backend.planning.services import plan_now
from backend.publishing.services import publish_run, withdraw_rides
from backend.reports.models import TransportDay
from backend.reports.recording import record_day, route_costs
from tests.planning.conftest import TUESDAY
from tests.routesheets.sheet_fixtures import add_rider, add_stop


def _publish(org) -> PlanningRun:
    run = plan_now(org, TUESDAY, TUESDAY, trigger=PlanningRun.Trigger.MANUAL, time_limit=1)
    assert run.status == PlanningRun.Status.DONE, run.error
    publish_run(run)
    return run


def _costs(a, *, per_km="0.30", per_hour="24.00", allowance="10.00") -> None:
    a["vehicle"].cost_per_km = Decimal(per_km)
    a["vehicle"].save(update_fields=["cost_per_km"])
    org = a["org"]
    org.driver_cost_per_hour = Decimal(per_hour)
    org.driver_allowance_per_trip = Decimal(allowance)
    org.save(update_fields=["driver_cost_per_hour", "driver_allowance_per_trip"])


def test_publishing_writes_the_days_figures(day):
    _costs(day)
    run = _publish(day["org"])
    routes = list(Route.objects.filter(run=run, date=TUESDAY))
    rows = list(TransportDay.objects.for_org(day["org"]).filter(date=TUESDAY))
    assert len(rows) == 1
    row = rows[0]
    assert row.offer_id == day["offer"].pk
    # Four children, there and back: eight rides.
    assert row.children_driven == 4
    assert row.rides == 8
    assert row.distance_m == sum(r.distance_m for r in routes)
    assert row.driving_s == sum(r.duration_s for r in routes)
    km = Decimal(sum(r.distance_m for r in routes)) / 1000
    assert row.vehicle_cost == (km * Decimal("0.30")).quantize(Decimal("0.01"))
    hours = sum((r.ends_at - r.starts_at).total_seconds() for r in routes) / 3600
    assert row.driver_cost == (Decimal(hours) * 24).quantize(Decimal("0.01"))
    assert row.vehicles == 1


def test_a_volunteer_costs_the_allowance_per_route(day):
    _costs(day)
    day["driver"].volunteer = True
    day["driver"].save(update_fields=["volunteer"])
    run = _publish(day["org"])
    routes = Route.objects.filter(run=run, date=TUESDAY).count()
    row = TransportDay.objects.for_org(day["org"]).get(date=TUESDAY)
    assert row.driver_cost == Decimal("10.00") * routes


def test_an_amendment_rewrites_the_day(day):
    _publish(day["org"])
    assert TransportDay.objects.for_org(day["org"]).get(date=TUESDAY).children_driven == 4
    withdraw_rides(day["third"], TUESDAY)  # Tom's family withdrew its transport consent
    row = TransportDay.objects.for_org(day["org"]).get(date=TUESDAY)
    assert row.children_driven == 3
    assert row.rides == 6


def test_a_deleted_family_leaves_the_past_figures_alone(day, time_machine):
    """The day after, Tom's family is deleted: Tuesday's rides took place, its figures stay."""
    _publish(day["org"])
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC))
    day["third"].delete()
    assert TransportDay.objects.for_org(day["org"]).get(date=TUESDAY).children_driven == 4


def test_a_route_shared_by_two_groups_is_split_by_rides(day):
    """Hand-made: one route of 10 km, 1 h, three boardings of group 1, one of group 2."""
    run = _publish(day["org"])
    org, a = day["org"], day
    Route.objects.filter(run=run).delete()
    other = GroupOffer.objects.create(
        organisation=org,
        venue=a["venue"],
        title="Zweite Gruppe",
        first_date=TUESDAY,
        start_time=dt.time(15, 0),
    )
    start = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
    other_session = Session.objects.create(
        offer=other,
        occurrence_date=TUESDAY,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        venue=a["venue"],
    )
    route = Route.objects.create(
        run=run,
        organisation=org,
        date=TUESDAY,
        driver=a["driver"],
        vehicle=a["vehicle"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        distance_m=10_000,
        duration_s=2400,
    )
    stop = add_stop(route, 0, "pickup", start, (50.0, 6.5, ""))
    riders = [(a["child"], a["session"]), (a["ben"], a["session"]), (a["lea"], a["session"])]
    riders.append((a["tom"], other_session))
    for child, session in riders:
        add_rider(stop, child, session, "board", "there")
    _costs(a, per_km="1.00", per_hour="20.00")
    rows = {r.offer_id: r for r in record_day(org, TUESDAY)}
    first, second = rows[a["offer"].pk], rows[other.pk]
    assert (first.rides, second.rides) == (3, 1)
    assert (first.distance_m, second.distance_m) == (7500, 2500)
    assert (first.driving_s, second.driving_s) == (1800, 600)
    assert (first.vehicle_cost, second.vehicle_cost) == (Decimal("7.50"), Decimal("2.50"))
    assert (first.driver_cost, second.driver_cost) == (Decimal("15.00"), Decimal("5.00"))
    assert route_costs(org, route) == (Decimal("10"), Decimal("20"))


def test_an_unserved_adult_counts_as_a_reason_not_as_a_child(day):
    """Tom (a child) and a parent who rides along were not placed: one unserved child,
    two reasons."""
    run = _publish(day["org"])
    mum = Participant.objects.create(family=day["third"], kind="adult", first_name="Mum")
    for who in (day["tom"], mum):
        Unserved.objects.create(
            run=run,
            date=TUESDAY,
            participant=who,
            session=day["session"],
            direction="there",
            request_id=f"p{who.pk}-s{day['session'].pk}-there",
            reason="not placed in the time given",
        )
    row = record_day(day["org"], TUESDAY)[0]
    assert row.children_unserved == 0  # Tom still rides home in this plan: he was driven
    StopPassenger.objects.filter(participant=day["tom"]).delete()
    row = record_day(day["org"], TUESDAY)[0]
    assert row.children_unserved == 1
    assert sum(row.unserved_reasons.values()) == 2


def test_a_day_never_published_keeps_its_carried_over_figures(day):
    # Figures from before Lotse planned the day (the demo's past year) are not wiped.
    TransportDay.objects.create(organisation=day["org"], date=TUESDAY, rides=3)
    assert record_day(day["org"], TUESDAY) == []
    assert TransportDay.objects.for_org(day["org"]).get(date=TUESDAY).rides == 3


def test_a_withdrawn_day_keeps_no_rows(day):
    _publish(day["org"])
    assert TransportDay.objects.for_org(day["org"]).filter(date=TUESDAY).exists()
    day["org"].publications.filter(date=TUESDAY).update(superseded_at=timezone.now())
    assert record_day(day["org"], TUESDAY) == []
    assert not TransportDay.objects.for_org(day["org"]).exists()


def test_other_organisations_days_are_left_alone(world, day):
    b = world["b"]["org"]
    TransportDay.objects.create(organisation=b, date=TUESDAY, rides=5)
    _publish(day["org"])
    assert TransportDay.objects.for_org(b).get(date=TUESDAY).rides == 5


def test_the_command_backfills_a_range(day, capsys):
    _publish(day["org"])
    TransportDay.objects.all().delete()
    call_command("record_transport", "--from", "2026-11-23", "--to", "2026-11-25")
    assert "traeger-a: 1 Zeilen für 3 Tage" in capsys.readouterr().out
    assert TransportDay.objects.for_org(day["org"]).get(date=TUESDAY).children_driven == 4


@pytest.mark.parametrize(
    "args,message",
    [
        (["--from", "gestern"], "--from: kein Datum"),
        (["--from", "2026-11-24", "--to", "2026-11-01"], "--to: liegt vor --from"),
        (["--from", "2026-11-24", "--org", "nix"], "--org: kein Träger"),
    ],
)
def test_the_command_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("record_transport", *args)


@pytest.mark.parametrize(
    "reason,kind",
    [
        ("no coordinates for the home address", "coordinates"),
        (
            "no driver available that day (availability, valid certificate, vehicle, coordinates)",
            "driver",
        ),
        ("no vehicle has the skill wheelchair", "vehicle"),
        ("direct travel 70.0 min exceeds the maximum ride time of 60 min", "time"),
        ("something new", "other"),
    ],
)
def test_reason_kinds(reason, kind):
    assert reason_kind(reason) == kind
