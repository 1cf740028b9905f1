#!/usr/bin/env bash
# The period report's benchmark (issue 19): a year's report for the demo city with at least 10^6 ledger entries, from the
# ledger (target < 5 s) and from the same ledger exported as XES through `analyze` (target: analyze's time + < 10 %).
#
#   bash Scripts/bench-report.sh [CASES]        default 115000 cases (about 1.03 million entries)
#   BENCH_DB=big.sqlite bash Scripts/bench-report.sh   reuse a seeded demo database
#
# Release build; prints the entries, the wall time and peak memory of each run, and the figures both reports agree on.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-115000}
swift build -c release --product buckstop >&2
bin="$(swift build -c release --show-bin-path)/buckstop"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=${BENCH_DB:-$work/demo.sqlite}
if [ -z "${BENCH_DB:-}" ]; then
  echo "seeding $cases demo cases into $db …" >&2
  "$bin" demo --db "$db" --cases "$cases" >/dev/null
fi
entries=$(sqlite3 "$db" "SELECT count(*) FROM ledger_entry")
today=$(date -u +%Y-%m-%d)
from="$(date -u +%Y)-01-01"
echo "ledger entries: $entries; period $from .. $today"

timed() { # label, command…: wall seconds and peak KB on one line
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KB peak" "$@" 2>&1 >/dev/null | tail -n 1
}
timed "report --db (docx)" "$bin" report --db "$db" --from "$from" --to "$today" --format docx --out "$work/ledger.docx"
"$bin" report --db "$db" --from "$from" --to "$today" --format html --out "$work/ledger.html" | tail -n 1
"$bin" export --db "$db" --xes "$work/ledger.xes" --mapping-out "$work/ledger.yaml" >/dev/null
"$bin" org show --db "$db" --yaml >"$work/org.yaml"
events=$(grep -c '<event>' "$work/ledger.xes")
echo "exported log: $events events, $(du -m "$work/ledger.xes" | cut -f1) MB"
timed "analyze (json)" "$bin" analyze "$work/ledger.xes" --mapping "$work/ledger.yaml" --format json --out "$work/a.json" --no-progress
timed "report --log (docx)" "$bin" report --log "$work/ledger.xes" --mapping "$work/ledger.yaml" --org "$work/org.yaml" \
  --from "$from" --to "$today" --format docx --out "$work/log.docx" --no-progress
"$bin" report --log "$work/ledger.xes" --mapping "$work/ledger.yaml" --org "$work/org.yaml" --from "$from" --to "$today" \
  --format html --out "$work/log.html" --no-progress | tail -n 1
# The handling table (table 1) of both reports, as a check that the two roads give the same figures.
table1() { sed -n 's/.*\(<table class="data" id="table-1">.*\)/\1/p' "$1" | sed 's/<\/table>.*/<\/table>/'; }
if [ "$(table1 "$work/ledger.html")" = "$(table1 "$work/log.html")" ]; then
  echo "table 1 (handling): the same from the ledger and from its exported log"
else
  echo "table 1 differs between the ledger and its exported log" >&2
  exit 1
fi
