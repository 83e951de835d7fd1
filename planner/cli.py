"""The command line interface. Errors print one line and exit non-zero."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

from planner._parse import ProblemError
from planner.bench import (
    format_footer,
    format_header,
    format_row,
    instance_files,
    read_bks,
    rows_to_json,
    run,
)
from planner.check import check
from planner.params import SolveParams
from planner.plan import plan_from_dict
from planner.problem import problem_from_dict
from planner.solver import solve
from planner.stop import FirstOf, MaxRuntime, MaxSolutions, StoppingCriterion


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line instead of argparse's usage block: easy to read in logs.
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m planner", description="Lotse dial-a-ride planner")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("solve", help="solve a problem JSON file")
    p.add_argument("problem", type=Path)
    p.add_argument("--time-limit", type=_positive, default=30.0, help="seconds (default 30)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--solutions", type=_count, help="also stop after this many solutions")
    p.add_argument("--params", type=Path, help="search settings (TOML, see docs/planner.md)")
    p.add_argument("-o", "--output", type=Path, help="write the plan here instead of stdout")
    c = sub.add_parser("check", help="validate a plan against a problem")
    c.add_argument("problem", type=Path)
    c.add_argument("plan", type=Path)
    b = sub.add_parser("bench", help="run Cordeau-format DARP benchmarks")
    b.add_argument("directory", type=Path)
    b.add_argument("--time-limit", type=_positive, default=10.0, help="seconds per instance")
    b.add_argument("--bks", type=Path, help="CSV with columns instance,bks")
    b.add_argument("--json", type=Path, help="write all rows as JSON here")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--baseline", action="store_true", help="also run the plain OR-Tools model")
    b.add_argument("--instances", help="comma-separated instance names to run")
    b.add_argument("--params", type=Path, help="search settings (TOML, see docs/planner.md)")
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _params(path: Path | None) -> SolveParams | None:
    return None if path is None else SolveParams.from_toml(path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ProblemError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ProblemError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _progress(update: dict[str, Any]) -> None:
    sys.stderr.write(
        f"[{update['elapsed']:6.1f} s] {update['phase']}: cost {update['best_cost']}, "
        f"served {update['served']}\n"
    )


def cmd_solve(args: argparse.Namespace) -> int:
    problem = problem_from_dict(_read_json(args.problem))
    stop: StoppingCriterion = MaxRuntime(args.time_limit)
    if args.solutions:
        stop = FirstOf(stop, MaxSolutions(args.solutions))
    params = _params(args.params)
    plan = solve(problem, stop, seed=args.seed, params=params, progress=_progress)
    text = json.dumps(plan.to_dict(), indent=2)
    if args.output:
        args.output.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    s = plan.summary
    sys.stderr.write(
        f"served {s.served}/{s.requests}, distance {s.distance}, {s.solve_seconds} s\n"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    problem = problem_from_dict(_read_json(args.problem))
    plan = plan_from_dict(_read_json(args.plan), "plan")
    violations = check(problem, plan)
    for line in violations:
        sys.stdout.write(line + "\n")
    if violations:
        sys.stderr.write(f"{len(violations)} violation(s)\n")
        return 1
    sys.stderr.write("plan is valid\n")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    bks = read_bks(args.bks) if args.bks else {}
    only = set(args.instances.split(",")) if args.instances else None
    files = instance_files(args.directory, only)
    sys.stdout.write(format_header(args.baseline) + "\n")
    rows = []
    params = _params(args.params)
    for pair in run(files, args.time_limit, args.seed, bks, args.baseline, params):
        rows.append(pair)
        sys.stdout.write(format_row(*pair) + "\n")
        sys.stdout.flush()
    sys.stdout.write(format_footer(rows) + "\n")
    if args.json:
        args.json.write_text(json.dumps(rows_to_json(rows), indent=2) + "\n")
    bad = any(r.violations or r.served < r.requests for pair in rows for r in pair[:1])
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handler = {"solve": cmd_solve, "check": cmd_check, "bench": cmd_bench}[args.command]
    try:
        return handler(args)
    except ProblemError as exc:
        sys.stderr.write(f"python -m planner {args.command}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
