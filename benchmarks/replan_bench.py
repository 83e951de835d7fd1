"""Stable re-planning on a district day: how far do the other families' pickups move?

Plans a seeded district day (benchmarks/district_day.py), then re-plans it
against that plan as `previous` after single changes: an absence of one
child (a sample), a new child, and a cancelled session (each group in turn).
For every change it compares the pickups of the other requests and prints
the share unchanged, the share within 5 minutes, and the largest shift.
Solution-count stops keep it reproducible on any machine.

    .venv/bin/python benchmarks/replan_bench.py [--children 60] [--changes 20] [--solutions 3000]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from district_day import STARTS, _child_trips, generate  # noqa: E402

from planner import MaxSolutions, Plan, Problem, check, solve  # noqa: E402

OBJECTIVE = {"distance": 1, "stability": 5, "vehicle_change": 600}  # the backend's defaults


def _solve(data: dict[str, Any], solutions: int) -> Plan:
    problem = Problem.from_dict(copy.deepcopy(data))
    plan = solve(problem, MaxSolutions(solutions))
    assert check(problem, plan) == [], "invalid plan"
    return plan


def _pickups(plan: Plan) -> dict[str, int]:
    return {v.request: v.start for r in plan.routes for v in r.visits if v.type == "pickup"}


def _changes(
    data: dict[str, Any], rng: random.Random, count: int
) -> list[tuple[str, dict[str, Any]]]:
    children = sorted({r["bundle"] for r in data["requests"]}, key=lambda b: int(b[1:]))
    out = []
    for child in rng.sample(children, min(count, len(children))):
        changed = copy.deepcopy(data)
        changed["requests"] = [r for r in changed["requests"] if r["bundle"] != child]
        out.append((f"absence {child}", changed))
    homes = [loc for loc in data["locations"] if loc["id"].startswith("home-")]
    venues = sorted({r["dropoff"]["location"] for r in data["requests"] if r["id"].endswith("-to")})
    for n in range(max(1, count // 2)):
        changed = copy.deepcopy(data)
        near = rng.choice(homes)
        new_home = {"id": f"home-new{n}", "lat": near["lat"] + 0.003, "lon": near["lon"] - 0.004}
        changed["locations"].append(new_home)
        trips = _child_trips(rng, 10_000 + n, new_home["id"], rng.choice(venues))
        changed["requests"] += trips
        out.append((f"new child {n}", changed))
    for start in STARTS:
        for venue in venues:
            changed = copy.deepcopy(data)
            keep = [r for r in changed["requests"] if not _in_session(r, venue, start)]
            if len(keep) < len(changed["requests"]):
                changed["requests"] = keep
                out.append((f"cancelled {venue} {start // 3600}:00", changed))
    return out


def _in_session(request: dict[str, Any], venue: str, start: int) -> bool:
    if request["id"].endswith("-to"):
        return request["dropoff"]["location"] == venue and request["dropoff"]["window"][1] == start
    return request["pickup"]["location"] == venue and request["pickup"]["window"][0] == start + 7200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=60)
    parser.add_argument(
        "--changes", type=int, default=20, help="absences sampled (half as many new children)"
    )
    parser.add_argument("--solutions", type=int, default=3000)
    args = parser.parse_args()
    data = generate(children=args.children, vehicles=max(3, round(args.children * 0.15)))
    data["objective"] = dict(OBJECTIVE)
    first = _solve(data, args.solutions)
    before = _pickups(first)
    shifts: list[int] = []
    rows = []
    for label, changed in _changes(data, random.Random(7), args.changes):
        changed["previous"] = first.to_dict()
        plan = _solve(changed, args.solutions)
        after = _pickups(plan)
        others = [abs(after[r] - before[r]) for r in after if r in before]
        unserved = [u.request for u in plan.unassigned]
        # requests that were in the day before and are served only now
        newly = sum(
            1 for r in after if r not in before and r in {q["id"] for q in data["requests"]}
        )
        shifts += others
        rows.append(
            {
                "change": label,
                "others": len(others),
                "moved": sum(s > 0 for s in others),
                "max_shift_min": round(max(others, default=0) / 60, 1),
                "unserved": len(unserved),
                "newly_served": newly,
            }
        )
        sys.stdout.write(json.dumps(rows[-1]) + "\n")
        sys.stdout.flush()
    total = len(shifts)
    summary = {
        "changes": len(rows),
        "pickups_compared": total,
        "share_unchanged": round(sum(s == 0 for s in shifts) / total, 4),
        "share_within_5_min": round(sum(s <= 300 for s in shifts) / total, 4),
        "largest_shift_min": round(max(shifts) / 60, 1),
        "first_plan": {"served": first.summary.served, "requests": first.summary.requests},
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
