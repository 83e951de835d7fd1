#!/usr/bin/env bash
# Reproduces every planner table in docs/benchmarks.md (about 80 minutes on 2 cores).
#   bash benchmarks/planner_tables.sh [OUT_DIR] [SHARED_BENCHMARKS_DIR]
# Writes one text and one JSON file per table into OUT_DIR (default var/bench),
# with the date and the load average before and after each table.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-var/bench}
DATA=${2:-../shared/benchmarks}
PY=.venv/bin/python
mkdir -p "$OUT"
stamp() { echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') load: $(cut -d' ' -f1-3 /proc/loadavg)"; }

table() {  # name, command...
  local name=$1; shift
  { stamp; echo "# $*"; "$@"; stamp; } > "$OUT/$name.txt" 2>&1 || true
}

table a-10s $PY -m planner bench "$DATA/darp/cordeau" --time-limit 10 --bks "$DATA/bks.csv" --baseline --json "$OUT/a-10s.json"
table pr-10s $PY -m planner bench "$DATA/darp/cordeau-laporte-2003" --time-limit 10 --bks "$DATA/bks.csv" --baseline --json "$OUT/pr-10s.json"
for children in 60 120 240 400; do
  for limit in 30 60; do
    table "rural-$children-${limit}s" $PY benchmarks/district_day.py --children "$children" --time-limit "$limit"
    table "rural-$children-${limit}s-baseline" $PY benchmarks/district_day.py --children "$children" --time-limit "$limit" --baseline
  done
done
table a-60s $PY -m planner bench "$DATA/darp/cordeau" --time-limit 60 --bks "$DATA/bks.csv" --json "$OUT/a-60s.json"
table pr-60s $PY -m planner bench "$DATA/darp/cordeau-laporte-2003" --time-limit 60 --bks "$DATA/bks.csv" --json "$OUT/pr-60s.json"
for seed in 0 1 2 3 4; do
  table "spread-a8-96-10s-seed$seed" $PY -m planner bench "$DATA/darp/cordeau" --instances a8-96 --time-limit 10 --bks "$DATA/bks.csv" --seed "$seed"
  table "spread-pr20-10s-seed$seed" $PY -m planner bench "$DATA/darp/cordeau-laporte-2003" --instances pr20 --time-limit 10 --bks "$DATA/bks.csv" --seed "$seed"
  table "spread-rural-400-30s-seed$seed" $PY benchmarks/district_day.py --children 400 --time-limit 30 --seed "$seed"
done
