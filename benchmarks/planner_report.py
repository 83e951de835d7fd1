"""Turns the output of benchmarks/planner_tables.sh into the markdown tables of docs/benchmarks.md.

.venv/bin/python benchmarks/planner_report.py var/bench
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any


def _load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text()) if path.exists() else []


def _json_line(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        if line.startswith("{"):
            return json.loads(line)
    return None


def _stamps(path: Path) -> str:
    if not path.exists():
        return "not run"
    marks = [ln[2:] for ln in path.read_text().splitlines() if ln.startswith("# 20")]
    return " → ".join(marks)


def darp(out: Path, name: str) -> list[str]:
    short = _by(_load(out / f"{name}-10s.json"), "lotse")
    base = _by(_load(out / f"{name}-10s.json"), "baseline")
    long = _by(_load(out / f"{name}-60s.json"), "lotse")
    lines = [
        "| instance | BKS | Lotse 10 s served | cost | gap % | baseline 10 s served | cost | gap % "
        "| Lotse 60 s served | cost | gap % |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for inst, row in short.items():
        cells = [inst, f"{row['bks']:.2f}"]
        for r in (row, base.get(inst), long.get(inst)):
            cells += _cells(r)
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for label, rows in (("Lotse 10 s", short), ("baseline 10 s", base), ("Lotse 60 s", long)):
        lines.append(_summary(label, list(rows.values())))
    lines.append(_versus(short, base))
    lines.append("")
    lines.append(f"- 10 s run: {_stamps(out / f'{name}-10s.txt')}")
    lines.append(f"- 60 s run: {_stamps(out / f'{name}-60s.txt')}")
    return lines


def _by(rows: list[dict[str, Any]], variant: str) -> dict[str, dict[str, Any]]:
    return {r["instance"]: r for r in rows if r["variant"] == variant}


def _cells(r: dict[str, Any] | None) -> list[str]:
    if r is None:
        return ["-", "-", "-"]
    ok = "" if r["violations"] == 0 else " (INVALID)"
    return [f"{r['served']}/{r['requests']}{ok}", f"{r['cost']:.2f}", f"{r['gap']:.2f}"]


def _summary(label: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"- {label}: not run"
    gaps = [r["gap"] for r in rows]
    worst = max(rows, key=lambda r: r["gap"])
    served = all(r["served"] == r["requests"] for r in rows)
    valid = all(r["violations"] == 0 for r in rows)
    return (
        f"- {label}: mean gap {statistics.mean(gaps):.2f} %, worst {worst['gap']:.2f} % "
        f"({worst['instance']}), all served: {'yes' if served else 'no'}, "
        f"all valid: {'yes' if valid else 'no'} ({len(rows)} instances)"
    )


def _versus(ours: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]]) -> str:
    fewer = [i for i, r in ours.items() if i in base and r["served"] < base[i]["served"]]
    both = [
        i
        for i, r in ours.items()
        if i in base and r["served"] == r["requests"] == base[i]["served"]
    ]
    dearer = [i for i in both if ours[i]["cost"] > base[i]["cost"] + 1e-6]
    return (
        f"- Against the baseline at 10 s: fewer served on {len(fewer)} instances {fewer or ''}; "
        f"both serve all on {len(both)}, Lotse costlier on {len(dearer)} {dearer or ''}"
    )


def rural(out: Path) -> list[str]:
    lines = [
        "| children | limit | variant | children served / possible | km | vehicles used | "
        "wall s | peak memory MB | valid | run (UTC, load) |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for children in (60, 120, 240, 400):
        for limit in (30, 60):
            for suffix in ("", "-baseline"):
                path = out / f"rural-{children}-{limit}s{suffix}.txt"
                r = _json_line(path)
                if r is None:
                    continue
                lines.append(
                    f"| {children} | {limit} s | {r['variant']} | {r['children_served']} / "
                    f"{r['children_possible']} | {r['distance_m'] / 1000:,.0f} | {r['vehicles_used']} "
                    f"| {r['wall_seconds_incl_parsing']:.1f} | "
                    f"{r['peak_rss_mb_all_processes_sampled']:.0f} | "
                    f"{'yes' if r['violations'] == 0 else 'NO'} | {_stamps(path)} |"
                )
    return lines


def spread(out: Path) -> list[str]:
    lines = ["| instance | limit | seed 0 | seed 1 | seed 2 | seed 3 | seed 4 | mean | min–max |"]
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, prefix, limit in (
        ("a8-96 (gap %)", "spread-a8-96-10s", "10 s"),
        ("pr20 (gap %)", "spread-pr20-10s", "10 s"),
        ("rural 400 (km)", "spread-rural-400-30s", "30 s"),
    ):
        values = []
        for seed in range(5):
            path = out / f"{prefix}-seed{seed}.txt"
            values.append(_spread_value(path))
        got = [v for v in values if v is not None]
        cells = [f"{v:.2f}" if v is not None else "-" for v in values]
        if got:
            cells += [f"{statistics.mean(got):.2f}", f"{min(got):.2f}–{max(got):.2f}"]
        lines.append(f"| {label} | {limit} | " + " | ".join(cells) + " |")
    return lines


def _spread_value(path: Path) -> float | None:
    if not path.exists():
        return None
    r = _json_line(path)
    if r is not None:
        return r["distance_m"] / 1000 if r["children_served"] == r["children_possible"] else None
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] in ("a8-96", "pr20"):
            return float(parts[4])
    return None


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/bench")
    sections = [
        ('Cordeau (2006) "a" set', darp(out, "a")),
        ("Cordeau & Laporte (2003) pr01–pr20", darp(out, "pr")),
        ("Rural days", rural(out)),
        ("Spread over five seeds (wall-clock stop)", spread(out)),
    ]
    for title, lines in sections:
        sys.stdout.write(f"#### {title}\n\n" + "\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
