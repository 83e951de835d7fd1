"""Where the time goes: one exact insertion check in pure Python vs search steps in the core.

On Cordeau's a8-96 it takes a plan from the native search, then times, in
pure Python, the exact earliest-schedule check (the same fixed point as the
core) of every pickup/drop-off position pair of one request in each route;
and it times 2,000 steps of the native search with one worker.

    .venv/bin/python benchmarks/insertion_speed.py [path/to/a8-96.txt]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner import MaxSolutions, SolveParams, solve  # noqa: E402
from planner.cordeau import read_instance, to_problem  # noqa: E402
from planner.preprocess import Prepared, prepare  # noqa: E402

Seq = list[tuple[int, str]]


def earliest(prep: Prepared, seq: Seq, service: int, ride: int, end: int) -> list[int] | None:
    """Earliest start of service per stop, or None: forward passes plus ride-time pulls."""
    dur = prep.durations
    locs = [0] + [prep.requests[i].location(t) for i, t in seq] + [len(dur) - 1]
    lo = [0] + [prep.requests[i].window(t)[0] for i, t in seq] + [0]
    hi = [end] + [prep.requests[i].window(t)[1] for i, t in seq] + [end]
    serv = [0] + [service] * len(seq) + [0]
    times = [0] * len(locs)

    def forward() -> bool:
        for k in range(1, len(locs)):
            times[k] = max(lo[k], times[k], times[k - 1] + serv[k - 1] + dur[locs[k - 1]][locs[k]])
            if times[k] > hi[k]:
                return False
        return True

    if not forward():
        return None
    for _ in range(len(seq) + 3):
        pos: dict[int, int] = {}
        changed = False
        for k, (i, kind) in enumerate(seq):
            if kind == "pickup":
                pos[i] = k + 1
            elif times[k + 1] - service - ride > times[pos[i]]:
                times[pos[i]] = times[k + 1] - service - ride
                changed = True
        if not changed:
            return times
        if not forward():
            return None
    return None


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared/benchmarks/darp/cordeau/a8-96.txt"
    inst = read_instance(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    problem = to_problem(inst)
    prep = prepare(problem)
    began = time.perf_counter()
    plan = solve(problem, MaxSolutions(2000), params=SolveParams(workers=1))
    core = time.perf_counter() - began
    index = {r.id: i for i, r in enumerate(problem.requests)}
    routes: list[Seq] = [[(index[v.request], v.type.value) for v in r.visits] for r in plan.routes]
    service, ride = round(inst.nodes[1].service * 1000), round(inst.max_ride * 1000)
    end = round(inst.max_duration * 1000)
    rng = random.Random(0)
    checks, began = 0, time.perf_counter()
    for seq in routes:
        i = rng.randrange(len(problem.requests))
        rest = [x for x in seq if x[0] != i]
        for a in range(len(rest) + 1):
            for b in range(a, len(rest) + 1):
                new = rest[:a] + [(i, "pickup")] + rest[a:b] + [(i, "dropoff")] + rest[b:]
                earliest(prep, new, service, ride, end)
                checks += 1
    python = time.perf_counter() - began
    sys.stdout.write(
        f"pure Python: {checks} exact checks in {python:.2f} s = {python / checks * 1e6:.0f} us each; "
        f"one request into every route: {python * 1000:.0f} ms\n"
        f"native core: 2000 search steps (one worker, incl. preparation) in {core:.2f} s "
        f"= {2000 / core:.0f} steps/s\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
