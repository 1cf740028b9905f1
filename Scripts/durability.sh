#!/usr/bin/env bash
# The durability suite: crash and concurrency tests of `buckstop serve`, with a summary table.
#
#   Scripts/durability.sh                                              (SQLite only)
#   eval "$(bash Scripts/postgres-cluster.sh env)"; Scripts/durability.sh   (SQLite and PostgreSQL)
#
# Runs, in this order, each as its own process with its output in $T/NAME.log (and on stderr):
#   crash-sqlite     Scripts/crash-test.sh on a new SQLite database
#   crash-postgres   Scripts/crash-test.sh on PostgreSQL                 \
#   two-servers      Scripts/two-servers.sh                                > when PostgreSQL is given: DB=postgres://…
#   pg-outage        Scripts/pg-outage.sh (stops and starts the cluster)  /  or POSTGRES_HOST etc.
# Each PostgreSQL test empties the database first. Prints a table (test, result, seconds, the test's RESULT line).
#
# Every test's load mixes comments with owner-changing actions (transfers back and forth with the ping-pong finding
# written inside the request, acceptance, escalation with a proposal, delegation), runs `buckstop verify` (which
# rebuilds every case projection and finding from the entries) and fails on a non-zero exit, and compares the 201s
# its load client counted with the acknowledged requests found on the ledger (Scripts/check_ledger.py).
#
# Environment: CYCLES (kill -9 cycles per crash test, 20), BUCKSTOP_BIN or BIN (default .build/debug/buckstop of the
# repository, what CI's `swift test` builds; e.g. BIN=.build-scripts/release/buckstop), DB (a postgres:// URL; a SQLite path is not used: crash-sqlite makes its own database) or POSTGRES_*,
# TESTS (space-separated subset of the names above, default all that apply), OUT (also write the table to this file),
# KEEP (1 keeps the logs in $T; they are kept anyway when a test failed); every other setting of the scripts
# (THREADS, DEMO_CASES, …) passes through to them.
# Exit status: 0 when every test passed, 1 when any failed.
set -euo pipefail
NAME=durability

# shellcheck source=Scripts/durability-lib.sh
source "$(dirname "$0")/durability-lib.sh"
no_arguments "$@"

export CYCLES=${CYCLES:-20}
PG_URL=""
if is_pg "${DB:-}"; then PG_URL=$DB; else PG_URL=$(pg_url_from_env); fi
unset DB KEYS  # each test picks its own database and key file
T=$(mktemp -d "${TMPDIR:-/tmp}/durability.XXXXXX")
OUT=${OUT:+$(abspath "$OUT")}
KEEP=${KEEP:-0}
if [ -n "${TESTS:-}" ]; then
  read -r -a SELECTED <<<"$TESTS"
elif [ -n "$PG_URL" ]; then
  SELECTED=(crash-sqlite crash-postgres two-servers pg-outage)
else
  SELECTED=(crash-sqlite)
fi
for t in "${SELECTED[@]}"; do
  case $t in
    crash-sqlite) ;;
    crash-postgres | two-servers | pg-outage) [ -n "$PG_URL" ] || die "$t needs PostgreSQL: set DB=postgres://… or POSTGRES_HOST etc." ;;
    *) die "unknown test '$t' (crash-sqlite, crash-postgres, two-servers, pg-outage)" ;;
  esac
done

CHILD=""
cleanup() {
  local rc=$?
  # A test's own trap stops its servers (and restarts the cluster); let it finish.
  if alive "$CHILD"; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  drop_snapshot
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then log "logs kept in $T"; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ORIG_BIN=$BIN
snapshot_bin
export BUCKSTOP_BIN=$BIN BIN_SNAPSHOT=0  # the tests share the copy
log "binary $ORIG_BIN; CYCLES=$CYCLES; tests: ${SELECTED[*]}; PostgreSQL: $( [ -n "$PG_URL" ] && redact <<<"$PG_URL" || echo none); logs in $T"
declare -A RESULT SECS LINE
suite_ns=$(date +%s%N)
for t in "${SELECTED[@]}"; do
  case $t in
    crash-sqlite) cmd=(env -u DB bash "$ROOT/Scripts/crash-test.sh") ;;
    crash-postgres) cmd=(env DB="$PG_URL" bash "$ROOT/Scripts/crash-test.sh") ;;
    two-servers) cmd=(env DB="$PG_URL" bash "$ROOT/Scripts/two-servers.sh") ;;
    pg-outage) cmd=(env DB="$PG_URL" bash "$ROOT/Scripts/pg-outage.sh") ;;
  esac
  log "=== $t"
  t0=$(date +%s%N)
  rc=0
  "${cmd[@]}" > >(tee "$T/$t.log") 2> >(tee -a "$T/$t.err" >&2) &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  sleep 0.2  # let tee flush
  SECS[$t]=$(seconds_since "$t0")
  LINE[$t]=$(grep '^RESULT ' "$T/$t.log" | tail -n 1 | sed 's/^RESULT //' || true)
  if [ "$rc" -eq 0 ]; then RESULT[$t]=PASS; else RESULT[$t]="FAIL ($rc)"; fi
  log "=== $t: ${RESULT[$t]} in ${SECS[$t]}s"
done
TOTAL=$(seconds_since "$suite_ns")

{
  echo
  echo "# durability $(date -u +%FT%TZ) — CYCLES=$CYCLES, $(nproc) cores, binary $ORIG_BIN"
  echo
  echo "| test | result | seconds | details |"
  echo "|---|---|---:|---|"
  for t in "${SELECTED[@]}"; do
    echo "| $t | ${RESULT[$t]} | ${SECS[$t]} | ${LINE[$t]:-no RESULT line; see $T/$t.log} |"
  done
  echo
  echo "total ${TOTAL}s"
} | redact | tee ${OUT:+"$OUT"}
for t in "${SELECTED[@]}"; do [ "${RESULT[$t]}" = PASS ] || exit 1; done
exit 0
