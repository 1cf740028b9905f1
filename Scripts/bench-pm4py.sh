#!/usr/bin/env bash
# Benchmark: PM4Py 2.7 vs `buckstop analyze` on the same uncompressed XES files.
#
# For each log (.xes or .xes.gz; gz is decompressed once to a temp dir, untimed):
#   - PM4Py: Scripts/pm4py_bench.py times read_xes, handover-of-work, subcontracting
#     and DFG in-process (perf_counter); /usr/bin/time -v gives the process's peak RSS.
#   - BuckStop: `$BUCKSTOP analyze FILE --format json --out ...` under /usr/bin/time -v
#     (wall seconds and peak RSS of the whole process).
# Prints a table (median over $REPS runs) with the ratio pm4py total / buckstop total
# against the >= 50x target, and writes every run as a JSON line to $OUT.
#
# Usage: Scripts/bench-pm4py.sh [--pm4py-only] [LOG ...]
#   default logs: $BUCKSTOP_SHARED_DIR/data/eventlogs/{bpic2013_incidents,bpic2015_municipality1}.xes.gz
#   env: BUCKSTOP (.build/release/buckstop), BUCKSTOP_BENCH_VENV (.build-bench/venv),
#        BUCKSTOP_SHARED_DIR (../shared), OUT (.build-bench/pm4py-results.jsonl), REPS (3)
# "pm4py total" is read + the three analyses, without interpreter start-up and
# `import pm4py` (~3 s), so the ratio is conservative.
set -euo pipefail

die() { echo "bench-pm4py: $*" >&2; exit 1; }
PM4PY_ONLY=0
LOGS=()
for a in "$@"; do
  case "$a" in
    --pm4py-only) PM4PY_ONLY=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) die "unknown option $a" ;;
    *) [ -f "$a" ] || die "no such log: $a"; LOGS+=("$(realpath "$a")") ;;
  esac
done

cd "$(dirname "$0")/.."   # repo root; relative defaults below are from here
VENV=${BUCKSTOP_BENCH_VENV:-.build-bench/venv}
BUCKSTOP=${BUCKSTOP:-.build/release/buckstop}
SHARED=${BUCKSTOP_SHARED_DIR:-../shared}
OUT=${OUT:-.build-bench/pm4py-results.jsonl}
REPS=${REPS:-3}
if [ ${#LOGS[@]} -eq 0 ]; then
  LOGS=("$SHARED/data/eventlogs/bpic2013_incidents.xes.gz"
        "$SHARED/data/eventlogs/bpic2015_municipality1.xes.gz")
fi

if [ "$PM4PY_ONLY" = 0 ]; then
  [ -x "$BUCKSTOP" ] || die "buckstop binary not found at $BUCKSTOP (swift build -c release, set BUCKSTOP=..., or use --pm4py-only)"
  # an unknown subcommand with --help prints the root help and exits 0, so check the usage line
  help=$("$BUCKSTOP" analyze --help 2>&1) && [[ "$help" == *"USAGE: buckstop analyze"* ]] ||
    die "'$BUCKSTOP analyze --help' failed: this binary has no analyze command yet (rebuild, or use --pm4py-only)"
  [[ "$help" == *--format* && "$help" == *--out* ]] ||
    die "'$BUCKSTOP analyze' has no --format/--out options (rebuild, or use --pm4py-only)"
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

PY="$VENV/bin/python"
[ -x "$PY" ] || python3 -m venv "$VENV"
if ! "$PY" -c 'import sys, importlib.metadata as m; sys.exit(not m.version("pm4py").startswith("2.7."))' 2>/dev/null; then
  echo "installing pm4py 2.7 into $VENV ..." >&2
  "$PY" -m pip install -q "pm4py==2.7.*"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$(dirname "$OUT")"
: > "$OUT"

# run_timed NAME CMD...: runs CMD under /usr/bin/time -v; leaves $TMP/NAME.{out,err,time}
run_timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$TMP/$name.time" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
}

for log in "${LOGS[@]}"; do
  [ -f "$log" ] || die "no such log: $log"
  xes=$log
  if [[ "$log" == *.gz ]]; then
    xes="$TMP/$(basename "${log%.gz}")"
    gzip -dc "$log" > "$xes"
  fi
  for rep in $(seq 1 "$REPS"); do
    echo "$(basename "$xes") run $rep/$REPS: pm4py ..." >&2
    rc=0; run_timed pm4py "$PY" Scripts/pm4py_bench.py "$xes" || rc=$?
    [ "$rc" = 0 ] || echo "  pm4py exited $rc: $(tail -n 3 "$TMP/pm4py.err")" >&2
    : > "$TMP/buckstop.time"
    if [ "$PM4PY_ONLY" = 0 ]; then
      echo "$(basename "$xes") run $rep/$REPS: buckstop ..." >&2
      rc=0; run_timed buckstop "$BUCKSTOP" analyze "$xes" --format json --out "$TMP/analyze.json" || rc=$?
      [ "$rc" = 0 ] || { echo "  buckstop exited $rc: $(tail -n 3 "$TMP/buckstop.err")" >&2
                          echo "exit $rc" > "$TMP/buckstop.failed"; }
    fi
    # merge the pm4py JSON line with the /usr/bin/time numbers into one result line
    "$PY" - "$xes" "$rep" "$TMP" >> "$OUT" <<'EOF'
import json, os, sys
xes, rep, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def tv(name):  # (wall s, peak MB, user+sys CPU s) from /usr/bin/time -v, or Nones
    wall = rss = cpu = None
    for line in open(os.path.join(tmp, name + ".time")):
        k, _, v = line.strip().rpartition(": ")
        if k in ("User time (seconds)", "System time (seconds)"):
            cpu = round((cpu or 0) + float(v), 2)
        elif k.startswith("Elapsed (wall clock)"):
            wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(v.split(":"))))
        elif k == "Maximum resident set size (kbytes)":
            rss = int(v) / 1024
    return wall, rss, cpu
lines = open(os.path.join(tmp, "pm4py.out")).read().splitlines()
r = json.loads(lines[-1]) if lines else {"file": os.path.basename(xes), "error": "pm4py produced no result"}
r.update(rep=rep, mb=round(os.path.getsize(xes) / 1e6, 1))
r["pm4py_wall_s"], r["pm4py_peak_mb"], r["pm4py_cpu_s"] = tv("pm4py")
b_wall, b_mb, b_cpu = tv("buckstop")
failed = os.path.join(tmp, "buckstop.failed")
if os.path.exists(failed):
    r["buckstop_error"] = open(failed).read().strip(); os.remove(failed)
elif b_wall is not None:
    r["buckstop_wall_s"], r["buckstop_peak_mb"], r["buckstop_cpu_s"] = b_wall, b_mb, b_cpu
    if r.get("total_s"):
        r["ratio"] = round(r["total_s"] / max(b_wall, 0.01), 1)  # time -v has 10 ms resolution
print(json.dumps(r))
EOF
  done
done

# table: median over repetitions per file
"$PY" - "$OUT" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def med(rs, k):
    v = [r[k] for r in rs if r.get(k) is not None]
    return statistics.median(v) if v else None
def f(x, d=2):
    return "-" if x is None else f"{x:.{d}f}"
cols = ["file", "MB", "events", "pm4py read s", "pm4py analysis s", "pm4py total s",
        "pm4py peak MB", "buckstop total s", "buckstop peak MB", "ratio", ">=50x"]
rows, notes = [], []
for name in dict.fromkeys(r["file"] for r in runs):
    rs = [r for r in runs if r["file"] == name]
    tot, read, ratio = med(rs, "total_s"), med(rs, "read_s"), med(rs, "ratio")
    rows.append([name, f(rs[0]["mb"], 1), str(rs[0].get("events", "-")), f(read),
                 f(tot - read if tot is not None and read is not None else None), f(tot),
                 f(med(rs, "pm4py_peak_mb"), 0), f(med(rs, "buckstop_wall_s")),
                 f(med(rs, "buckstop_peak_mb"), 0), f(ratio, 1),
                 "-" if ratio is None else ("yes" if ratio >= 50 else "NO")])
    notes += {f"{name}: {r[k]}" for r in rs for k in ("error", "buckstop_error") if k in r}
w = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
for r in [cols] + rows:
    print("  ".join(x.ljust(w[i]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(r)))
print(f"(median of {max(r['rep'] for r in runs)} runs; pm4py {runs[0].get('pm4py', '?')}; results: {sys.argv[1]})")
for n in sorted(notes):
    print("error:", n)
EOF
