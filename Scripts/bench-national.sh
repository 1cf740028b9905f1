#!/usr/bin/env bash
# National scale: EVENTS (default 10^8) synthetic events streamed as CSV from `buckstop synth` through a pipe
# into `buckstop analyze -`, then the same stream into `buckstop report --log -` (a year's period report over it,
# issue 19: target analyze's time plus < 10 %). Prints wall time and peak memory of each side. REPORT=0 skips the
# report run. Run from the repository root after
# `swift build -c release`. The mapping is written first by a one-case run (it depends only on the city and
# the rulebook), so the analyser has it before the stream starts.
set -euo pipefail
BUCKSTOP=${BUCKSTOP:-.build/release/buckstop}
EVENTS=${EVENTS:-100000000}
END=${END:-$(date -u -d yesterday +%F)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BUCKSTOP" synth --cases 1 --end "$END" --out "$work/one.csv" --mapping-out "$work/mapping.yaml" 2>/dev/null
start=$(date +%s.%N)
/usr/bin/time -f "synth: %e s wall, %U s user, %M KB peak" -o "$work/synth.time" \
  "$BUCKSTOP" synth --events "$EVENTS" --end "$END" --format csv --out - --mapping-out "$work/m2.yaml" 2>"$work/synth.err" |
/usr/bin/time -f "analyze: %e s wall, %U s user, %M KB peak" -o "$work/analyze.time" \
  "$BUCKSTOP" analyze - --mapping "$work/mapping.yaml" --format json --out "$work/report.json" --cases-out "$work/cases.jsonl" --no-progress
end=$(date +%s.%N)
cat "$work/synth.err" "$work/synth.time" "$work/analyze.time"
if [ "${REPORT:-1}" = 1 ]; then
  from=$(date -u -d "$END -364 days" +%F)
  rstart=$(date +%s.%N)
  "$BUCKSTOP" synth --events "$EVENTS" --end "$END" --format csv --out - --mapping-out "$work/m3.yaml" 2>/dev/null |
  /usr/bin/time -f "report --log: %e s wall, %U s user, %M KB peak" -o "$work/report.time" \
    "$BUCKSTOP" report --log - --mapping "$work/mapping.yaml" --from "$from" --to "$END" --format docx --out "$work/report.docx" --no-progress \
    >"$work/report.out"
  rend=$(date +%s.%N)
  cat "$work/report.time"
  tail -n 1 "$work/report.out"
  python3 -c "import sys; a, r = float(sys.argv[2]) - float(sys.argv[1]), float(sys.argv[4]) - float(sys.argv[3]); print(f'pipelines: analyze {a:.1f} s, report {r:.1f} s ({100 * (r / a - 1):+.1f} %)')" \
    "$start" "$end" "$rstart" "$rend"
fi
python3 - "$work/report.json" "$start" "$end" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"pipeline: {float(sys.argv[3]) - float(sys.argv[2]):.1f} s wall for {d['log']['events']:,} events, {d['log']['cases']:,} cases, {len(d['findings']):,} findings")
for x in d['detectors']:
    if not x.get('skipped'): print(f"  {x['id']:22s} {x['cases']:>10,} cases  {100*x['share']:5.2f} %")
PY
