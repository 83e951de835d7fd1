"""The gap analysis for a district of 250 municipalities and 50 offers (issue 15 §5).

Seeded synthetic places and offers inside the Eifelkreis Bitburg-Prüm's bounding box;
each run is the whole computation behind /bezirk/luecken/: one geodesic travel table
(places × distinct venues, as `backend.gaps.sources.travel_seconds` asks for it) and the
analysis of every age band × audience. Prints min/median/max over the runs.

    .venv/bin/python benchmarks/gaps_bench.py [--places 250] [--offers 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.lotse.settings")

import django  # noqa: E402

django.setup()

from backend.gaps.analysis import AUDIENCES, OfferPoint, Place, analyse_all  # noqa: E402
from backend.gaps.sources import BANDS  # noqa: E402
from backend.geo.matrix import GeodesicProvider  # noqa: E402

SOUTH, NORTH, WEST, EAST = 49.80, 50.30, 6.13, 6.72


def district(places: int, offers: int, seed: int) -> tuple[list[Place], list[OfferPoint]]:
    rng = random.Random(seed)

    def spot() -> tuple[float, float]:
        return round(rng.uniform(SOUTH, NORTH), 5), round(rng.uniform(WEST, EAST), 5)

    towns = [Place(i, f"Ort {i}", *spot()) for i in range(places)]
    points = []
    for j in range(offers):
        low = rng.choice([3, 6, 8, 10, 12, 14])
        shuttle = tuple(spot() for _ in range(rng.randint(0, 6)))
        points.append(
            OfferPoint(
                *spot(),
                low,
                low + rng.randint(3, 6),
                rng.choice(AUDIENCES),
                f"A{j}",
                shuttle_points=shuttle,
            )
        )
    return towns, points


def run(places: list[Place], offers: list[OfferPoint]) -> float:
    started = time.perf_counter()
    venues = sorted({(o.lat, o.lon) for o in offers})
    column = {p: j for j, p in enumerate(venues)}
    table = GeodesicProvider(1.3, 50.0).table([(p.lat, p.lon) for p in places], venues)
    seconds = [[row[column[(o.lat, o.lon)]] for o in offers] for row in table.durations]
    results = analyse_all(places, offers, seconds, BANDS)
    assert len(results) == len(BANDS) * len(AUDIENCES)  # noqa: S101
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=250)
    parser.add_argument("--offers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    places, offers = district(args.places, args.offers, args.seed)
    times = [run(places, offers) for _ in range(args.runs)]
    sys.stdout.write(
        f"{args.places} places × {args.offers} offers, {len(BANDS)} bands × {len(AUDIENCES)} "
        f"audiences, {args.runs} runs: min {min(times):.3f} s, median "
        f"{statistics.median(times):.3f} s, max {max(times):.3f} s\n"
    )


if __name__ == "__main__":
    main()
