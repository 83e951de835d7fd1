"""Benchmark (not a test): calendar feeds of an organisation with 20 weekly groups.

Builds the data in a temporary SQLite database (LOTSE_VAR_DIR points at a temporary
folder), then times, in-process with Django's test client, a full render and a
conditional GET answered 304, for each kind of feed.

    .venv/bin/python benchmarks/feeds_bench.py [--repeat 20]
"""

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from zoneinfo import ZoneInfo

import throwaway_db
import time_machine

TODAY = dt.date(2026, 11, 23)
GROUPS = 20
CHILDREN_PER_GROUP = 3


def setup_django(tmp: str, *, cached: bool = False) -> None:
    """Django on a temporary SQLite database. Without `cached`, the feed caches are off,
    so that every request is timed with its real work (benchmarks/feeds_load.py
    measures the cached service)."""
    if not cached:
        os.environ["FEED_VALIDATOR_CACHE_SECONDS"] = "0"
        os.environ["FEED_BODY_CACHE_SECONDS"] = "0"
    throwaway_db.setup_django(tmp)


def build() -> dict[str, str]:
    """The organisation, its groups and sessions over the whole window, families,
    a published plan for every session date of one family; returns feed paths."""
    from backend.families.models import ConsentRecord, Enrolment, Family, Participant
    from backend.feeds import services
    from backend.feeds.content import feed_window
    from backend.fleet.models import Driver, Vehicle
    from backend.offers.models import GroupOffer, Venue
    from backend.offers.services import materialise_sessions
    from backend.organisations.models import Organisation

    org = Organisation.objects.create(slug="bench", name="Bench e.V.")
    venue = Venue.objects.create(
        organisation=org, name="Zentrum", street="Hauptstraße 1", latitude=49.97, longitude=6.52
    )
    start, end = feed_window(TODAY)
    weeks = (end - start).days // 7 + 1
    offers = []
    for number in range(GROUPS):
        offer = GroupOffer.objects.create(
            organisation=org,
            venue=venue,
            title=f"Gruppe {number + 1}",
            rrule=f"FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH', 'FR'][number % 5]}",
            start_time=dt.time(14 + number % 4, 0),
            first_date=start,
        )
        materialise_sessions(offer, start, weeks)
        offers.append(offer)
    vehicle = Vehicle.objects.create(organisation=org, label="Bus", seats=6)
    driver = Driver.objects.create(
        organisation=org, name="Anna Beispiel", vehicle=vehicle, latitude=49.9, longitude=6.5
    )
    families = []
    for number in range(GROUPS * CHILDREN_PER_GROUP):
        family = Family.objects.create(
            organisation=org,
            reference=f"F-{number:03}",
            contact_name="Kontakt",
            street=f"Weg {number}",
            town="Bitburg",
            latitude=49.95 + number / 1000,
            longitude=6.5,
        )
        child = Participant.objects.create(
            family=family, first_name=f"Kind{number}", birth_year=2018, birth_month=1
        )
        Enrolment.objects.create(
            participant=child,
            offer=offers[number % GROUPS],
            joined_on=start,
            transport="both",
        )
        families.append((family, child))
    family, child = families[0]
    # The benchmarked family has a second child in a second group.
    sibling = Participant.objects.create(
        family=family, first_name="Geschwister", birth_year=2016, birth_month=1
    )
    Enrolment.objects.create(
        participant=sibling, offer=offers[1], joined_on=start, transport="both"
    )
    ConsentRecord.objects.create(family=family, purpose="calendar", given_on=start)
    publish_all(org, driver, vehicle, [(child, offers[0]), (sibling, offers[1])])
    links = {
        "family": services.create_link(org, "family", family=family, day=TODAY),
        "driver": services.create_link(org, "driver", driver=driver, day=TODAY),
        "organisation": services.create_link(org, "organisation", day=TODAY),
    }
    paths = {kind: f"/feeds/{issued.token}.ics" for kind, issued in links.items()}
    paths["group"] = f"/feeds/group/{offers[0].pk}.ics"
    return paths


def publish_all(org, driver, vehicle, riders) -> None:
    """One publication per session date of the riders, each with a route there and back."""
    from backend.planning.models import PlanningRun, Publication, Route, Stop, StopPassenger

    for participant, offer in riders:
        for session in offer.sessions.all():
            day = session.local_date
            run = PlanningRun.objects.create(
                organisation=org, date_from=day, date_to=day, status="done"
            )
            published = dt.datetime.combine(day - dt.timedelta(days=2), dt.time(9), tzinfo=dt.UTC)
            Publication.objects.create(organisation=org, date=day, run=run, published_at=published)
            for direction, board in (
                ("there", session.starts_at - dt.timedelta(minutes=30)),
                ("back", session.ends_at),
            ):
                route = Route.objects.create(
                    run=run,
                    organisation=org,
                    date=day,
                    driver=driver,
                    vehicle=vehicle,
                    starts_at=board - dt.timedelta(minutes=10),
                    ends_at=board + dt.timedelta(minutes=40),
                )
                for position, (kind, at, action) in enumerate(
                    [
                        ("pickup", board, "board"),
                        ("dropoff", board + dt.timedelta(minutes=25), "alight"),
                    ]
                ):
                    stop = Stop.objects.create(
                        route=route,
                        position=position,
                        kind=kind,
                        arrival_at=at,
                        planned_at=at,
                        latitude=49.9,
                        longitude=6.5,
                        address="Weg 0, Bitburg",
                    )
                    StopPassenger.objects.create(
                        stop=stop,
                        participant=participant,
                        session=session,
                        action=action,
                        direction=direction,
                        request_id=f"{session.pk}-{participant.pk}-{direction}",
                    )


def measure(paths: dict[str, str], repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    print(f"{'feed':<13} {'events':>6} {'bytes':>8} {'full ms':>8} {'q':>3} {'304 ms':>7} {'q':>3}")
    for kind, path in paths.items():
        full, conditional = [], []
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get(path)
            full.append(time.perf_counter() - began)
            assert response.status_code == 200, (kind, response.status_code)
            began = time.perf_counter()
            cached = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
            conditional.append(time.perf_counter() - began)
            assert cached.status_code == 304, (kind, cached.status_code)
        with CaptureQueriesContext(connection) as full_queries:
            client.get(path)
        with CaptureQueriesContext(connection) as cached_queries:
            client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        print(
            f"{kind:<13} {response.content.count(b'BEGIN:VEVENT'):>6} {len(response.content):>8}"
            f" {statistics.median(full) * 1000:>8.1f} {len(full_queries):>3}"
            f" {statistics.median(conditional) * 1000:>7.1f} {len(cached_queries):>3}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per feed (median)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        # A fixed day (the clock runs on from 08:00 Berlin), so runs are comparable.
        morning = dt.datetime.combine(TODAY, dt.time(8), tzinfo=ZoneInfo("Europe/Berlin"))
        with time_machine.travel(morning):
            began = time.perf_counter()
            paths = build()
            print(f"data built in {time.perf_counter() - began:.1f} s; {GROUPS} weekly groups")
            measure(paths, args.repeat)


if __name__ == "__main__":
    main()
