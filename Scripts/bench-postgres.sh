#!/usr/bin/env bash
# Durable appends per second on PostgreSQL, beside the cluster's limit, in one run on one cluster, ROUNDS times:
#
#   Scripts/bench-postgres.sh           (from the repository root, after `swift build -c release`)
#
# 1. limit    pgbench's simple-update (Scripts/bench-pgbench.sh: 64 clients, 2 threads, DURATION s) on the cluster
#             of Scripts/postgres-cluster.sh (started if needed; fsync and synchronous_commit on).
# 2. store    `buckstop bench postgres`: the store alone — 1 client, CLIENTS clients with group commit, and the
#             same clients over two store instances on one ledger (verified gap-free afterwards).
# 3. servers  two `buckstop serve` processes on one PostgreSQL schema (the first seeds DEMO_CASES demo cases), and a
#             wrk per server (CONNECTIONS/2 connections each, DURATION s) posting comments through
#             POST /api/v1/cases/CODE/actions over up to PAIRS_MAX cases: each a durable append replayed through
#             the live detectors. WARMUP s of the same load come first and are not counted (pools filled, every
#             case's replay read once). Afterwards both stop with SIGTERM, `verify` must pass and the ledger must
#             have grown by at least the 201 answers of both.
# Each round runs 1, 2 and 3 (the servers start and warm up once, before the first round) and compares them with
# that round's pgbench. Prints a summary (and writes it to $OUT) with each rate as a share of pgbench's and the
# median share of the two servers.
#
# Environment: BUCKSTOP_BIN or BIN (default .build/release/buckstop), DURATION (15), WARMUP (5), ROUNDS (3), CLIENTS (64), CONNECTIONS (64),
# ACTIONS (store runs, 50000), DEMO_CASES (2000), PAIRS_MAX (2000), OUT (default $T/bench-postgres.txt), and the
# cluster's settings (see postgres-cluster.sh). Needs wrk (installed with apt-get when missing).
# Exit status: 0 when every run and check passed, 1 otherwise.
set -euo pipefail

case "${1:-}" in
  -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "bench-postgres: no arguments expected (see --help)" >&2; exit 2 ;;
esac

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(abspath "${BUCKSTOP_BIN:-${BIN:-.build/release/buckstop}}")
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-64}
CONNECTIONS=${CONNECTIONS:-64}
ACTIONS=${ACTIONS:-50000}
DEMO_CASES=${DEMO_CASES:-2000}
PAIRS_MAX=${PAIRS_MAX:-2000}
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-postgres.XXXXXX")
OUT=$(abspath "${OUT:-$T/bench-postgres.txt}")
PIDS=()

log() { printf '[bench-postgres %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
cleanup() { for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

[ -x "$BIN" ] || die "no executable at $BIN (swift build -c release, or set BUCKSTOP_BIN)"
command -v wrk >/dev/null || { log "apt-get install wrk"; apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }; }

eval "$(bash "$ROOT/Scripts/postgres-cluster.sh" start)"
URL="postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB"

# ------------------------------------------------------------------------------------------------ 3. two servers
SCHEMA="bench_serve_$$"
SURL="$URL?schema=$SCHEMA"
KEYS=$T/keys
log "seeding $DEMO_CASES demo cases into schema $SCHEMA (first server)"
"$BIN" serve --db "$SURL" --keys "$KEYS" --demo --demo-cases "$DEMO_CASES" --port 0 --port-file "$T/port1" \
  --survey-seconds 86400 --log-level info >"$T/server1.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do [ -s "$T/port1" ] && break; sleep 0.5; done
[ -s "$T/port1" ] || { tail -n 20 "$T/server1.log" >&2; die "the first server did not start"; }
"$BIN" serve --db "$SURL" --keys "$KEYS" --port 0 --port-file "$T/port2" --survey-seconds 86400 --log-level info >"$T/server2.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 120); do [ -s "$T/port2" ] && break; sleep 0.5; done
[ -s "$T/port2" ] || { tail -n 20 "$T/server2.log" >&2; die "the second server did not start"; }
P1=$(tr -d '[:space:]' <"$T/port1")
P2=$(tr -d '[:space:]' <"$T/port2")
TOKEN=$("$BIN" token create --db "$SURL" --keys "$KEYS" --name bench --scope actions:write --scope cases:read \
  --acts-for-everyone | tail -n 1 | tr -d '[:space:]')
[ -n "$TOKEN" ] || die "token create printed no token"
# Open cases by their owners, then finished ones by the first owner (anyone may add a note), as bench-serve.sh does —
# read from the schema itself, since the API lists at most 500 cases per request. Spreading the load over many cases
# keeps their histories as long as a province's (each append is replayed over its case's whole history).
psql "$URL" -AtF ' ' -c "SELECT status, id, coalesce(owner, '-') FROM $SCHEMA.case_state WHERE status IN ('processing', 'received', 'closed', 'resolved') ORDER BY id" >"$T/cases.txt" ||
  die "cannot read the cases of schema $SCHEMA"
python3 - "$T/cases.txt" "$PAIRS_MAX" >"$T/pairs.lua" <<'PY' || die "no (case, owner) pairs"
import re, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
limit = int(sys.argv[2])
pairs = [(code, owner) for status, code, owner in rows if status in ("processing", "received") and owner != "-"]
if not pairs: sys.exit("no open case with an owner")
actor = pairs[0][1]
pairs += [(code, actor) for status, code, _ in rows if status in ("closed", "resolved")]
safe = re.compile(r"^[A-Za-z0-9_.@-]+$")
print("return {")
for code, owner in pairs[:limit]:
    assert safe.match(code) and safe.match(owner)
    print(f'  {{"{code}", "{owner}"}},')
print("}")
PY
NPAIRS=$(grep -c '{"' "$T/pairs.lua")
# load SECONDS SUFFIX: a wrk per server, CONNECTIONS/2 connections each, output in $T/wrk<n>SUFFIX.txt.
load() {
  local n port
  for n in 1 2; do
    port=$([ "$n" = 1 ] && echo "$P1" || echo "$P2")
    wrk -t1 -c$((CONNECTIONS / 2)) -d"$1s" --timeout 10s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
      -s "$ROOT/Scripts/bench/wrk-bench.lua" "http://127.0.0.1:$port" -- comments "$T/pairs.lua" >"$T/wrk$n$2.txt" 2>&1 &
    PIDS+=($!)
    WRK[$n]=$!
  done
  wait "${WRK[1]}" "${WRK[2]}" || true
}
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: the same load for $WARMUP s, not counted (connection pools filled, each case's replay read once)"
  load "$WARMUP" -warmup
fi
BEFORE=$("$BIN" case show --db "$SURL" --keys "$KEYS" --limit 1 | sed -nE 's/.*ledger: ([0-9]+) entries.*/\1/p')
field() { grep '^BENCH ' "$T/wrk$1.txt" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }
pct() { python3 -c "print(f'{100 * $1 / $2:.0f} %')"; }
row() { printf '%-58s %10s %8s\n' "$@"; }
TOTAL_OK=0
RATIOS=()
SUMMARY=$T/rounds.txt
: >"$SUMMARY"
for round in $(seq "$ROUNDS"); do
  # 1. the limit, 2. the store, 3. the two servers — one after the other, so each is compared with the limit measured
  # next to it (the cluster's rate drifts between runs: checkpoints, the disk's fsync latency).
  log "round $round/$ROUNDS: pgbench simple-update, $DURATION s"
  PGBENCH=$(DURATION=$DURATION bash "$ROOT/Scripts/bench-pgbench.sh")
  TPS=$(printf '%s\n' "$PGBENCH" | sed -nE 's/^pgbench simple-update: ([0-9.]+) tps.*/\1/p')
  [ -n "$TPS" ] || die "no tps from bench-pgbench.sh: $PGBENCH"
  log "$PGBENCH"
  log "round $round/$ROUNDS: buckstop bench postgres (store alone), $ACTIONS actions, $CLIENTS clients"
  STORE=$("$BIN" bench postgres --db "$URL" --actions "$ACTIONS" --clients "$CLIENTS") || die "bench postgres failed"
  printf '%s\n' "$STORE" >&2
  rate_of() { printf '%s\n' "$STORE" | grep "$1" | sed -nE 's/^[^:]*: *([0-9]+) actions\/s.*/\1/p' | head -n 1; }
  SINGLE=$(rate_of "1 client")
  GROUP=$(rate_of "group commit")
  TWO=$(rate_of "two stores")
  log "round $round/$ROUNDS: two servers (ports $P1, $P2), $NPAIRS cases, wrk -c$((CONNECTIONS / 2)) each for $DURATION s"
  load "$DURATION" ""
  for n in 1 2; do grep -q '^BENCH ' "$T/wrk$n.txt" || { cat "$T/wrk$n.txt" >&2; die "no BENCH line from wrk $n"; }; done
  REQ=$(($(field 1 requests) + $(field 2 requests)))
  BAD=$(($(field 1 non2xx) + $(field 2 non2xx) + $(field 1 socket_errors) + $(field 2 socket_errors)))
  OK=$((REQ - BAD))
  [ "$BAD" -le $((REQ / 1000)) ] || die "$BAD of $REQ requests failed"
  TOTAL_OK=$((TOTAL_OK + OK))
  SERVERS=$(python3 -c "print(round($OK / $DURATION))")
  RATIOS+=("$(python3 -c "print(f'{100 * $SERVERS / $TPS:.1f}')")")
  {
    echo "round $round: $PGBENCH"
    row "run" "appends/s" "/pgbench"
    row "pgbench simple-update (the limit)" "${TPS%.*}" "100 %"
    row "store, 1 client, one commit per append" "$SINGLE" "$(pct "$SINGLE" "$TPS")"
    row "store, $CLIENTS clients, group commit" "$GROUP" "$(pct "$GROUP" "$TPS")"
    row "store, two instances on one ledger" "$TWO" "$(pct "$TWO" "$TPS")"
    row "two serve processes, HTTP comments (+live detection)" "$SERVERS" "$(pct "$SERVERS" "$TPS")"
    echo "  two servers: $OK of $REQ requests answered 201 in $DURATION s over $NPAIRS cases; p99 $(field 1 p99_us) µs / $(field 2 p99_us) µs"
  } >>"$SUMMARY"
done
# Both must stop on SIGTERM within 30 s, cleanly (a hang is reported, not waited for).
for pid in "${PIDS[0]}" "${PIDS[1]}"; do kill -TERM "$pid"; done
for n in 0 1; do
  pid=${PIDS[$n]}
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$T/server$((n + 1)).log" >&2
    die "server $((n + 1)) (pid $pid) did not stop within 30 s of SIGTERM"
  fi
  wait "$pid" || die "server $((n + 1)) did not exit cleanly on SIGTERM"
done
PIDS=()
VERIFY=$("$BIN" verify --db "$SURL") || die "verify failed after the two-server runs"
AFTER=$(printf '%s\n' "$VERIFY" | sed -nE 's/.*sound: ([0-9]+) entries.*/\1/p')
GREW=$((AFTER - BEFORE))
[ "$GREW" -ge "$TOTAL_OK" ] || die "the ledger grew by $GREW but $TOTAL_OK appends were answered 201"
psql "$URL" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null
MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(f'{sorted(v)[len(v)//2]:.0f} %')")
{
  echo "PostgreSQL durable appends ($(date -u +%FT%TZ)), $ROUNDS rounds:"
  cat "$SUMMARY"
  echo "two servers against the pgbench of their round: ${RATIOS[*]} % (median $MEDIAN)"
  echo "ledger grew by $GREW (≥ the $TOTAL_OK answered 201); $VERIFY"
} | tee "$OUT"
