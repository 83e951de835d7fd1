"""Benchmark runner on Cordeau-format DARP instances (``python -m planner bench``)."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from planner._parse import ProblemError
from planner.check import check
from planner.cordeau import exact_cost, read_instance, to_problem
from planner.params import SolveParams
from planner.solver import solve, solve_baseline
from planner.stop import MaxRuntime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchRow:
    instance: str
    requests: int
    served: int
    cost: float
    bks: float | None
    gap: float | None  # percent above the best known solution
    seconds: float
    violations: int
    variant: str = "lotse"


def read_bks(path: Path) -> dict[str, float]:
    try:
        with path.open(newline="") as fh:
            return {row["instance"]: float(row["bks"]) for row in csv.DictReader(fh)}
    except (OSError, KeyError, ValueError) as exc:
        raise ProblemError(f"{path}: cannot read the BKS table ({exc})") from exc


def instance_files(directory: Path, only: set[str] | None = None) -> list[Path]:
    if not directory.is_dir():
        raise ProblemError(f"{directory}: not a directory")
    files = sorted(directory.glob("*.txt"), key=_natural)
    if only:
        files = [f for f in files if f.stem in only]
    if not files:
        raise ProblemError(f"{directory}: no instance files (*.txt) found")
    return files


def _natural(path: Path) -> tuple[int, int, str]:
    """a2-16 < a2-20 < a10-100: sort by the numbers, not the characters."""
    name = path.stem
    try:
        k, n = name[1:].split("-")
        return int(k), int(n), name
    except ValueError:
        return 1 << 30, 0, name  # pr01, pr02, ...: by name


def run_one(
    path: Path,
    time_limit: float,
    seed: int,
    bks: dict[str, float],
    baseline: bool = False,
    params: SolveParams | None = None,
) -> BenchRow:
    inst = read_instance(path)
    problem = to_problem(inst)
    if baseline:
        plan = solve_baseline(problem, time_limit)
    else:
        plan = solve(problem, MaxRuntime(time_limit), seed=seed, params=params)
    violations = check(problem, plan)
    for line in violations:
        logger.error("%s: %s", inst.name, line)
    cost = exact_cost(inst, plan)
    best = bks.get(inst.name)
    gap = None if best is None else 100 * (cost - best) / best
    return BenchRow(
        instance=inst.name,
        requests=len(problem.requests),
        served=plan.summary.served,
        cost=cost,
        bks=best,
        gap=gap,
        seconds=plan.summary.solve_seconds,
        violations=len(violations),
        variant="baseline" if baseline else "lotse",
    )


def run(
    files: list[Path],
    time_limit: float,
    seed: int,
    bks: dict[str, float],
    baseline: bool,
    params: SolveParams | None = None,
) -> Iterator[tuple[BenchRow, BenchRow | None]]:
    for path in files:
        ours = run_one(path, time_limit, seed, bks, params=params)
        base = run_one(path, time_limit, seed, bks, baseline=True) if baseline else None
        yield ours, base


def format_header(baseline: bool) -> str:
    head = f"{'instance':<8} {'served':>7} {'cost':>9} {'bks':>9} {'gap %':>7} {'s':>5} {'ok':>3}"
    if baseline:
        head += f" | {'base served':>11} {'base cost':>9} {'base gap %':>10}"
    return head


def format_row(ours: BenchRow, base: BenchRow | None) -> str:
    line = (
        f"{ours.instance:<8} {f'{ours.served}/{ours.requests}':>7} {ours.cost:9.2f} "
        f"{_num(ours.bks, 9)} {_num(ours.gap, 7)} {ours.seconds:5.1f} "
        f"{'yes' if ours.violations == 0 else 'NO':>3}"
    )
    if base is not None:
        line += f" | {f'{base.served}/{base.requests}':>11} {base.cost:9.2f} {_num(base.gap, 10)}"
    return line


def format_footer(rows: list[tuple[BenchRow, BenchRow | None]]) -> str:
    lines = []
    for label, pick in (("lotse", 0), ("baseline", 1)):
        chosen = [r[pick] for r in rows if r[pick] is not None]
        gaps = [r.gap for r in chosen if r is not None and r.gap is not None]
        if not gaps:
            continue
        all_served = all(r is not None and r.served == r.requests for r in chosen)
        valid = all(r is not None and r.violations == 0 for r in chosen)
        lines.append(
            f"{label}: mean gap {sum(gaps) / len(gaps):.2f} %, worst {max(gaps):.2f} %, "
            f"all served: {'yes' if all_served else 'no'}, all plans valid: {'yes' if valid else 'no'}"
        )
    return "\n".join(lines)


def _num(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.2f}"


def rows_to_json(rows: list[tuple[BenchRow, BenchRow | None]]) -> list[dict[str, object]]:
    return [asdict(r) for pair in rows for r in pair if r is not None]
