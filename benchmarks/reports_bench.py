"""Benchmark (not a test): a year's report for a district of demo size and one ten times it.

Builds a synthetic year in bulk (bulk_create) in a throw-away SQLite database: per
provider 4 weekly groups of ~8 children (families in 33 villages), every session of the
year held or cancelled (1 in 12), counted attendance with ticked children and walk-ins,
and a TransportDay per group and session day. Demo size is 2 providers (as
fixtures/demo_district.json), ten times is 20. Then times, separately, the engine (all
aggregate queries), the plots, the page (Django test client, figures and plots included)
and the PDF, for the largest provider and for the district (coordination office).

    .venv/bin/python benchmarks/reports_bench.py [--scale 1 10] [--repeat 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal

import time_machine
from throwaway_db import setup_django

TODAY = dt.date(2026, 11, 23)
PROVIDERS = 2  # the demo district's
GROUPS = 4
CHILDREN = 8  # per group
TOWNS = [("Bitburg", "54634"), ("Prüm", "54595"), ("Speicher", "54662"), ("Kyllburg", "54655"),
         ("Neuerburg", "54673"), ("Wolsfeld", "54636"), ("Irrel", "54666"), ("Arzfeld", "54687")]  # fmt: skip


def build(providers: int, seed: int = 1) -> dict[str, str]:
    """The district's year; returns the usernames of a provider's and the office's login."""
    from django.contrib.auth.models import User

    from backend.families.models import Enrolment, Family, Participant, Presence
    from backend.lib import clock
    from backend.offers.models import Attendance, GroupOffer, Session, Venue
    from backend.organisations.models import Membership, Organisation, Role
    from backend.reports.models import TransportDay

    rng = random.Random(seed)
    office = Organisation.objects.create(
        slug="office", name="Koordinierungsstelle", kind=Organisation.Kind.COORDINATION
    )
    User.objects.create_user("olga")
    Membership.objects.create(
        user=User.objects.get(username="olga"), organisation=office, role=Role.COORDINATOR
    )
    first = dt.date(2025, 11, 25)  # a Tuesday, a year back
    for p in range(providers):
        org = Organisation.objects.create(
            slug=f"p{p}", name=f"Träger {p}", fixed_costs_per_month=Decimal("150.00")
        )
        if p == 0:
            User.objects.create_user("alice")
            Membership.objects.create(
                user=User.objects.get(username="alice"), organisation=org, role=Role.COORDINATOR
            )
        venue = Venue.objects.create(
            organisation=org, name="Haus", town="Bitburg", latitude=49.97, longitude=6.52
        )
        for g in range(GROUPS):
            offer = GroupOffer.objects.create(
                organisation=org,
                venue=venue,
                title=f"Gruppe {p}-{g}",
                first_date=first,
                start_time=dt.time(15, 0),
            )
            families = Family.objects.bulk_create(
                Family(
                    organisation=org,
                    reference=f"F-{p}-{g}-{n}",
                    contact_name="K",
                    town=(t := rng.choice(TOWNS))[0],
                    postcode=t[1],
                    latitude=49.9 + rng.random() / 5,
                    longitude=6.4 + rng.random() / 5,
                )
                for n in range(CHILDREN // 2)
            )
            children = Participant.objects.bulk_create(
                Participant(
                    family=families[n // 2],
                    first_name=f"Kind{n}",
                    birth_year=rng.randint(2009, 2022),
                    birth_month=rng.randint(1, 12),
                )
                for n in range(CHILDREN)
            )
            joined = [first + dt.timedelta(days=rng.randint(-200, 300)) for _c in children]
            Enrolment.objects.bulk_create(
                Enrolment(
                    participant=c,
                    offer=offer,
                    joined_on=j,
                    left_on=j + dt.timedelta(days=rng.randint(30, 300))
                    if rng.random() < 0.3
                    else None,
                    transport=rng.choice(["none", "both", "both"]),
                )
                for c, j in zip(children, joined, strict=True)
            )
            days = [first + dt.timedelta(weeks=w) for w in range(52)]
            sessions = Session.objects.bulk_create(
                Session(
                    offer=offer,
                    occurrence_date=d,
                    venue=venue,
                    starts_at=clock.at(d, dt.time(15)),
                    ends_at=clock.at(d, dt.time(16, 30)),
                    status="cancelled" if rng.random() < 1 / 12 else "scheduled",
                    cancel_reason="Ferien",
                )
                for d in days
            )
            held = [s for s in sessions if s.status == "scheduled" and s.occurrence_date < TODAY]
            came = {s.pk: rng.sample(children, rng.randint(3, CHILDREN)) for s in held}
            Attendance.objects.bulk_create(
                Attendance(
                    session=s,
                    children=len(came[s.pk]) + (w := rng.randint(0, 3)),
                    adults=rng.randint(0, 2),
                    walk_ins=w,
                )
                for s in held
            )
            Presence.objects.bulk_create(
                Presence(participant=c, session_id=pk) for pk, kids in came.items() for c in kids
            )
            TransportDay.objects.bulk_create(
                TransportDay(
                    organisation=org,
                    date=s.occurrence_date,
                    offer=offer,
                    rides=(r := rng.randint(4, 10)),
                    children_driven=r // 2,
                    distance_m=rng.randint(20_000, 90_000),
                    driving_s=rng.randint(3600, 9000),
                    vehicle_cost=Decimal(rng.randint(600, 2700)) / 100,
                    driver_cost=Decimal(rng.randint(1000, 4000)) / 100,
                    children_unserved=(u := int(rng.random() < 0.1)),
                    unserved_reasons={"driver": u} if u else {},
                )
                for s in held
            )
    return {"provider": "alice", "office": "olga"}


def timed(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _pdf(report) -> bytes:
    from backend.reports import exports, plots

    return exports.pdf(report, plots.all_plots(report))


def measure(username: str, repeat: int) -> dict[str, float]:
    from django.contrib.auth.models import User
    from django.test import Client

    from backend.lib import clock
    from backend.organisations.access import resolve_membership  # noqa: F401
    from backend.reports import engine, plots
    from backend.reports.access import scope_for
    from backend.reports.periods import period_from

    user = User.objects.get(username=username)
    org = user.memberships.get().organisation
    period = period_from({"zeitraum": "12monate"}, clock.today())
    scope = scope_for(org, None)
    report = engine.build(scope, period)
    client = Client()
    client.force_login(user)
    result = {
        "engine": timed(lambda: engine.build(scope, period), repeat),
        "plots": timed(lambda: plots.all_plots(report), repeat),
        "page": timed(lambda: client.get("/berichte/"), repeat),
        # What the PDF download does: figures, plots, WeasyPrint.
        "pdf": timed(lambda: _pdf(engine.build(scope, period)), repeat),
    }
    assert client.get("/berichte/").status_code == 200
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=True),
    ):
        setup_django(tmp)
        from django.core.management import call_command

        for scale in args.scale:
            call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            users = build(PROVIDERS * scale)
            built = time.perf_counter() - started
            from backend.families.models import Presence
            from backend.reports.models import TransportDay

            print(
                f"\n{PROVIDERS * scale} providers, {PROVIDERS * scale * GROUPS} groups, "
                f"{Presence.objects.count()} presences, {TransportDay.objects.count()} transport days "
                f"(built in {built:.1f} s)"
            )
            print(
                f"{'scope':10} {'engine':>8} {'plots':>8} {'page':>8} {'pdf':>8}  (seconds, median of {args.repeat})"
            )
            for scope, username in (("provider", users["provider"]), ("district", users["office"])):
                t = measure(username, args.repeat)
                print(
                    f"{scope:10} {t['engine']:8.3f} {t['plots']:8.3f} {t['page']:8.3f} {t['pdf']:8.3f}"
                )


if __name__ == "__main__":
    main()
