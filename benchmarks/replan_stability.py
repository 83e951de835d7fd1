"""Re-planning stability on the demo district: how far do the other families' pickups move?

Loads the demo district into a fresh SQLite database (`lotse demo --no-serve`, which
plans and publishes its coming week) and builds each published day's problem exactly as
a re-plan in the product does (`backend.planning.runs.day_problem`: the organisation's
rules and stability weights). Each day is planned once more from scratch, and that plan
is the `previous` one. Then every single change is re-planned against it:

- each child riding that day is absent (all its requests leave);
- each session with riders is cancelled (all its requests leave).

For every change it compares the pickup times shown to the OTHER families (not the families of
the absent child or of the cancelled session) with the previous plan: the share
unchanged, the share within 5 minutes, the largest shift, and each pickup that moves
by more than 15 minutes or is no longer served, with the change that caused it.

Why plan each day again instead of reading the published plan back: on main the
published plan merges the drop-off before a session and the pickup after it into one
venue stop with one time, so the pickups home read back carry the drop-off time
(issue 10 §3, being fixed separately). The planner's own plan has the true times.
With `--published` the benchmark compares with the plan read back instead, exactly the
product's path; use it once the venue stops are separate.

Every solve is short (`--seconds`, one worker), so that the run fits in ten minutes on
one core. `--sample N` re-plans a seeded sample of N changes instead of all.

    .venv/bin/python benchmarks/replan_stability.py [--date 2026-12-07] [--seconds 2]
        [--sample 0] [--seed 1] [--published]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import planner  # noqa: E402  (pure: no Django)

TOLERANCE = 5 * 60  # the promise: other families' pickups move by five minutes at most
LIMIT = 15 * 60  # beyond this only if there is no other way
ONE_CORE = planner.SolveParams(workers=1)


@dataclass(frozen=True)
class Case:
    """One single change to one day: its requests leave, its families are not "other"."""

    org_slug: str
    day: dt.date
    label: str  # "absence of participant 17", "session 45 cancelled"
    removed: frozenset[str]
    families: frozenset[int]


@dataclass
class Outcome:
    case: Case
    shifts: list[int]  # seconds, absolute, one per other family's pickup still served
    lost: list[str]  # other families' requests served before, unserved now
    large: list[tuple[str, int]]  # (request, shift) beyond LIMIT
    seconds: float


def _setup(date: str, demo_seconds: int) -> None:
    folder = tempfile.mkdtemp(prefix="replan-stability-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.lotse.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("demo", no_serve=True, date=date, time_limit=demo_seconds, stdout=io.StringIO())


def _cases(options, seconds: float, read_back: bool) -> tuple[list[Case], dict]:
    """Every (day, child) riding in the day's plan; the days' problems by (org, day)."""
    from backend.organisations.models import Organisation
    from backend.planning.runs import day_problem

    cases, problems = [], {}
    for org in Organisation.objects.order_by("slug"):
        days = sorted(org.publications.current().values_list("date", flat=True))
        for day in days:
            built, _source = day_problem(org, day, options)
            if built.problem.previous is None:
                continue
            previous = built.problem.previous
            if not read_back:  # the day's plan as the planner made it (module docstring)
                fresh = dataclasses.replace(built.problem, previous=None)
                stop = planner.MaxRuntime(seconds)
                previous = planner.solve(fresh, stop, seed=0, params=ONE_CORE)
                built = built.with_problem(previous=previous)
            problems[(org.slug, day)] = built
            cases += _day_cases(org.slug, day, built, previous)
    return cases, problems


def _day_cases(slug: str, day: dt.date, built, previous) -> list[Case]:
    """Each riding child's absence, and each session's cancellation (if it has riders)."""
    riding = {v.request for r in previous.routes for v in r.visits}
    refs = {rid: ref for rid, ref in built.requests.items() if rid in riding}
    cases = []
    for child in sorted({ref.participant_id for ref in refs.values() if ref.is_child}):
        mine = {rid: ref for rid, ref in refs.items() if ref.participant_id == child}
        families = frozenset(ref.family_id for ref in mine.values())
        label = f"absence of participant {child}"
        cases.append(Case(slug, day, label, _all(built, child), families))
    for session in sorted({ref.session_id for ref in refs.values()}):
        mine = {rid: ref for rid, ref in built.requests.items() if ref.session_id == session}
        families = frozenset(ref.family_id for ref in mine.values())
        cases.append(Case(slug, day, f"session {session} cancelled", frozenset(mine), families))
    return cases


def _all(built, participant_id: int) -> frozenset[str]:
    return frozenset(
        rid for rid, ref in built.requests.items() if ref.participant_id == participant_id
    )


def _pickups(plan) -> dict[str, int]:
    """The pickup time a family is shown: the start of its stop (as the product stores it)."""
    from backend.planning import store

    shown = {}
    for route in plan.routes:
        for group in store.stops_of(route.visits):
            shown.update({v.request: group[0].start for v in group if v.type == "pickup"})
    return shown


def _replan(case: Case, built, seconds: float) -> Outcome:
    problem = built.problem
    changed = dataclasses.replace(
        problem, requests=tuple(r for r in problem.requests if r.id not in case.removed)
    )
    began = time.monotonic()
    plan = planner.solve(changed, planner.MaxRuntime(seconds), seed=0, params=ONE_CORE)
    took = time.monotonic() - began
    violations = planner.check(changed, plan)
    assert not violations, violations[:3]
    before, after = _pickups(problem.previous), _pickups(plan)
    other = [rid for rid in before if built.requests[rid].family_id not in case.families]
    others = [rid for rid in other if rid in after]
    lost = sorted(rid for rid in other if rid not in after)
    shifts = [abs(after[rid] - before[rid]) for rid in others]
    large = [(rid, shift) for rid, shift in zip(others, shifts, strict=True) if shift > LIMIT]
    return Outcome(case, shifts, lost, large, took)


def _report(title: str, outcomes: list[Outcome]) -> None:
    shifts = [s for o in outcomes for s in o.shifts]
    lost = [(o.case, rid) for o in outcomes for rid in o.lost]
    n = len(shifts) + len(lost)
    if not outcomes or not n:
        print(f"{title}: nothing to compare")
        return
    unchanged = sum(1 for s in shifts if s == 0)
    within = sum(1 for s in shifts if s <= TOLERANCE)
    over = [(o.case, rid, s) for o in outcomes for rid, s in o.large]
    kept = sum(1 for o in outcomes if not o.lost and all(s <= TOLERANCE for s in o.shifts))
    moved = [s for s in shifts if s]
    print(f"{title}: {len(outcomes)} changes, {n} pickups of other families compared")
    print(f"  unchanged (same second)   {unchanged / n:7.1%}  ({unchanged})")
    print(f"  within 5 minutes          {within / n:7.1%}  ({within})")
    print(f"  more than 15 minutes      {len(over) / n:7.1%}  ({len(over)})")
    print(f"  lost (no longer served)   {len(lost) / n:7.1%}  ({len(lost)})")
    print(f"  largest shift             {max(shifts, default=0) / 60:.1f} min")
    print(f"  mean shift of those moved {statistics.mean(moved or [0]) / 60:.1f} min")
    print(f"  re-plans that would publish on their own (none > 5 min): {kept} of {len(outcomes)}")
    for case, rid, shift in over:
        print(f"    > 15 min: {case.org_slug} {case.day} {case.label}: {rid} {shift / 60:.1f} min")
    for case, rid in lost:
        print(f"    lost: {case.org_slug} {case.day} {case.label}: {rid}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="2026-12-07", help="the demo's 'today' (a Monday)")
    parser.add_argument("--seconds", type=float, default=2.0, help="planner seconds per solve")
    parser.add_argument("--demo-seconds", type=int, default=3, help="planner seconds per demo day")
    parser.add_argument(
        "--sample", type=int, default=0, help="a seeded sample of changes (0 = all)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--published",
        action="store_true",
        help="compare with the published plan as read back from the database (the product's "
        "`previous`) instead of the planner's own plan of the day",
    )
    args = parser.parse_args()
    began = time.monotonic()
    _setup(args.date, args.demo_seconds)
    from backend.planning.problem import PlanningOptions

    cases, problems = _cases(PlanningOptions(), args.seconds, args.published)
    chosen = cases
    if 0 < args.sample < len(cases):
        chosen = random.Random(args.seed).sample(cases, args.sample)
    base = "the published plan read back" if args.published else "the planner's plan of the day"
    print(f"demo of {args.date}: {len(problems)} days, {len(cases)} changes; compared with {base}")
    print(f"each solve {args.seconds} s on 1 worker; re-planning {len(chosen)} changes", flush=True)
    outcomes = [_replan(case, problems[(case.org_slug, case.day)], args.seconds) for case in chosen]
    absences = [o for o in outcomes if o.case.label.startswith("absence")]
    _report("absences", absences)
    _report("cancelled sessions", [o for o in outcomes if o not in absences])
    _report("all single changes", outcomes)
    print(f"mean solve {statistics.mean(o.seconds for o in outcomes):.2f} s")
    print(f"wall time {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
