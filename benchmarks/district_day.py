"""A realistic district day: N children's round trips (default 400), 15 vehicles per 100 children.

Generates a seeded synthetic day in the Eifel around Bitburg (real
coordinates of the area, villages scattered around a few towns), solves it
with the planner and reports time, peak memory, objective and served
requests. No matrix is given: the planner computes it from coordinates.

    .venv/bin/python benchmarks/district_day.py --time-limit 60 [--children 120] [--baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner import MaxRuntime, Problem, check, solve  # noqa: E402
from planner.preprocess import prepare  # noqa: E402
from planner.solver import solve_baseline  # noqa: E402

# Towns with the groups' venues (lat, lon), roughly Bitburg, Prüm, Bitburg-Land.
VENUES = [
    ("venue-bitburg-1", 49.9747, 6.5256),
    ("venue-bitburg-2", 49.9672, 6.5412),
    ("venue-pruem", 50.2072, 6.4244),
    ("venue-speicher", 49.9339, 6.6398),
    ("venue-kyllburg", 50.0392, 6.5947),
    ("venue-neuerburg", 50.0125, 6.2989),
]
# Group start times in seconds after midnight (holiday programme: morning
# and afternoon groups of two hours, starting on the hour).
STARTS = [h * 3600 for h in (8, 9, 10, 13, 14, 15)]
GROUP_HOURS = 2 * 3600


def _village(rng: random.Random) -> tuple[float, float]:
    """A village: within ~25 km of the district centre."""
    return 49.95 + rng.uniform(-0.12, 0.28), 6.50 + rng.uniform(-0.28, 0.22)


def generate(seed: int = 1, children: int = 400, vehicles: int = 60) -> dict[str, Any]:
    rng = random.Random(seed)
    villages = [_village(rng) for _ in range(90)]
    locations = [{"id": v, "lat": lat, "lon": lon} for v, lat, lon in VENUES]
    requests: list[dict[str, Any]] = []
    for c in range(children):
        lat, lon = rng.choice(villages)
        home = f"home-{c}"
        # Houses spread a few hundred metres around the village centre.
        locations.append(
            {
                "id": home,
                "lat": lat + rng.uniform(-0.004, 0.004),
                "lon": lon + rng.uniform(-0.006, 0.006),
            }
        )
        requests += _child_trips(rng, c, home, _near_venue(rng, lat, lon))
    fleet = []
    for k in range(vehicles):
        lat, lon = rng.choice(villages)
        depot = f"driver-{k}"
        locations.append({"id": depot, "lat": lat, "lon": lon})
        fleet.append(_vehicle(rng, k, depot))
    return {
        "locations": locations,
        "vehicles": fleet,
        "requests": requests,
        "objective": {"distance": 1, "duration": 0, "vehicles": 0, "ride_time": 0},
    }


def _near_venue(rng: random.Random, lat: float, lon: float) -> str:
    """Families pick one of the two venues nearest to home."""
    by_distance = sorted(VENUES, key=lambda v: (v[1] - lat) ** 2 + ((v[2] - lon) * 0.64) ** 2)
    return rng.choice(by_distance[:2])[0]


def _child_trips(rng: random.Random, c: int, home: str, venue: str) -> list[dict[str, Any]]:
    start = rng.choice(STARTS)
    load = {"seats": 1, "child_seats": 1 if rng.random() < 0.4 else 0}
    skills = ["wheelchair"] if rng.random() < 0.02 else []
    common = {"load": load, "max_ride": 3600, "skills": skills, "bundle": f"c{c}"}
    to_group = {
        "id": f"c{c}-to",
        "pickup": {"location": home, "service": 120},
        "dropoff": {"location": venue, "window": [start - 1200, start], "service": 60},
        **common,
    }
    back = start + GROUP_HOURS
    home_trip = {
        "id": f"c{c}-back",
        "pickup": {"location": venue, "window": [back, back + 1200], "service": 60},
        "dropoff": {"location": home, "service": 120},
        **common,
    }
    return [to_group, home_trip]


def _vehicle(rng: random.Random, k: int, depot: str) -> dict[str, Any]:
    big = rng.random() < 0.3
    return {
        "id": f"v{k}",
        "start": depot,
        "end": depot,
        "capacity": {"seats": 8 if big else 4, "child_seats": 3 if big else 2},
        "available": [6 * 3600 + 1800, 19 * 3600],
        "max_duration": 10 * 3600,
        "skills": ["wheelchair"] if k % 10 == 0 else [],
    }


class PeakMemory:
    """Samples the resident memory of this process and its children (Linux /proc)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))


def _tree_rss_kb(pid: int) -> int:
    total = 0
    try:
        total += _rss_kb(pid)
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += _tree_rss_kb(int(child))
    except OSError:
        pass
    return total


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def possible_children(problem: Problem) -> int:
    """Children whose round trip each vehicle-alone check allows (both ways)."""
    prep = prepare(problem)
    ok = {
        r.bundle for r, p in zip(problem.requests, prep.requests, strict=True) if p.reason is None
    }
    return len(ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--children", type=int, default=400)
    parser.add_argument("--vehicles", type=int, help="default: 15 per 100 children")
    parser.add_argument("--baseline", action="store_true", help="the plain OR-Tools model instead")
    parser.add_argument("--write", type=Path, help="also write the problem JSON here")
    parser.add_argument("--plan", type=Path, help="write the plan JSON here")
    args = parser.parse_args()
    vehicles = args.vehicles or max(3, round(args.children * 0.15))
    data = generate(children=args.children, vehicles=vehicles)
    if args.write:
        args.write.write_text(json.dumps(data))
    with PeakMemory() as memory:
        began = time.monotonic()
        problem = Problem.from_dict(data)
        if args.baseline:
            plan = solve_baseline(problem, args.time_limit)
        else:
            plan = solve(problem, MaxRuntime(args.time_limit), seed=args.seed)
        seconds = time.monotonic() - began
    violations = check(problem, plan)
    if args.plan:
        args.plan.write_text(json.dumps(plan.to_dict(), indent=1))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    s = plan.summary
    reasons: dict[str, int] = {}
    for u in plan.unassigned:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    served_children = len({r.bundle for r in problem.requests if r.id in plan.served_requests()})
    report = {
        "variant": "baseline" if args.baseline else "lotse",
        "children": args.children,
        "children_possible": possible_children(problem),
        "children_served": served_children,
        "vehicles": vehicles,
        "time_limit": args.time_limit,
        "seed": args.seed,
        "requests": s.requests,
        "served": s.served,
        "unassigned_reasons": reasons,
        "distance_m": s.distance,
        "objective": s.cost,
        "vehicles_used": s.vehicles_used,
        "wall_seconds_incl_parsing": round(seconds, 2),
        "solve_seconds": s.solve_seconds,
        "peak_rss_mb_main": round(own, 1),
        "peak_rss_mb_worker": round(kids, 1),
        "peak_rss_mb_all_processes_sampled": round(memory.peak_kb / 1024, 1),
        "violations": len(violations),
    }
    sys.stdout.write(json.dumps(report) + "\n")
    return 0 if not violations else 1


if __name__ == "__main__":
    raise SystemExit(main())
