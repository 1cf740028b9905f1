#!/usr/bin/env bash
# Two `buckstop serve` processes on one PostgreSQL database, appending at the same time.
#
#   eval "$(bash Scripts/postgres-cluster.sh env)"; Scripts/two-servers.sh
#   DB=postgres://USER:PASSWORD@HOST:PORT/DB Scripts/two-servers.sh
#
# 1. Empties the database (DROP SCHEMA public CASCADE; CREATE SCHEMA public), starts server A with
#    `serve --demo --demo-cases $DEMO_CASES` (seeds the demo city), then server B on the same database and the same
#    key file, each on a free port; creates an API token (`--acts-for-everyone`) and reads up to PAIRS_MAX (case,
#    actor) pairs (open cases and their owners, then closed ones) and MOVERS (THREADS) movers (an official A, a colleague
#    B and their unit's head H; on an open case A holds, else on cases the load opens, a new one every ROUNDS_PER_CASE
#    rounds).
# 2. Notes the ledger's size (`case show`), then runs the load client (Scripts/load_client.py) with THREADS threads
#    alternating its requests between A and B, REQUESTS in all (MAX_SECONDS at most): comments and, one request in
#    MOVE_EVERY of each thread, an opening or owner-changing action of its mover (transfer A → B and back — a ping-pong finding
#    written inside the request —, accept, escalate A → H, delegate H → A), each following the owner the previous
#    answer gave, whichever server gave it. Every request must be answered 201, both servers must have acknowledged
#    some, and no connection may fail.
# 3. Stops both with SIGTERM (each must exit 0), runs `buckstop verify` (must exit 0; it rebuilds every projection and
#    finding from the entries), checks that the ledger grew by at least the acknowledged count, that every acknowledged
#    request is on it exactly once, at the index its answer named, as the action sent, that the mover cases' owners and
#    statuses are what their entries leave, and that the 201s the load client counted all are on the ledger
#    (Scripts/check_ledger.py through `buckstop case show`).
#
# Environment: DB (a postgres:// URL) or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB
# (as printed by Scripts/postgres-cluster.sh env); BUCKSTOP_BIN or BIN (default .build/debug/buckstop of the
# repository), KEYS (default $T/keys, created by server A), RESET_DB (1), DEMO_CASES (300), PAIRS_MAX (20), THREADS (8),
# MOVERS (THREADS), MOVE_EVERY (2; 0: comments only), ROUNDS_PER_CASE (2; 0: never open a case),
# REQUESTS (1000), MAX_SECONDS (120), START_TIMEOUT (300), STOP_TIMEOUT (60), KEEP (1 keeps $T; kept on failure).
# Exit status: 0 when every check passed, 1 otherwise (2: no PostgreSQL given); the last line is
# "RESULT two-servers … PASS|FAIL".
set -euo pipefail
NAME=two-servers

# shellcheck source=Scripts/durability-lib.sh
source "$(dirname "$0")/durability-lib.sh"
no_arguments "$@"

require_pg_db
DEMO_CASES=${DEMO_CASES:-300}
PAIRS_MAX=${PAIRS_MAX:-20}
THREADS=${THREADS:-8}
MOVERS=${MOVERS:-$THREADS}
MOVE_EVERY=${MOVE_EVERY:-2}
ROUNDS_PER_CASE=${ROUNDS_PER_CASE:-2}
REQUESTS=${REQUESTS:-1000}
MAX_SECONDS=${MAX_SECONDS:-120}
START_TIMEOUT=${START_TIMEOUT:-300}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}
RESET_DB=${RESET_DB:-1}
KEEP=${KEEP:-0}

T=$(mktemp -d "${TMPDIR:-/tmp}/two-servers.XXXXXX")
KEYS=$(abspath "${KEYS:-$T/keys}")
RUN=t$(date +%s)$$
PREFIX=load-$RUN-
MOVES_FILE=$T/moves.txt
PID_A="" PID_B=""
started_ns=$(date +%s%N)

cleanup() {
  local rc=$?
  stop_all_servers
  drop_snapshot
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then log "kept $T (server logs, load client files)"; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

snapshot_bin
log "database $(redact <<<"$DB"); binary $BIN; temporary directory $T"
if [ "$RESET_DB" = 1 ]; then
  log "emptying the PostgreSQL database (DROP SCHEMA public CASCADE)"
  reset_pg "$DB"
fi

# ---------------------------------------------------------------------------------------------------- servers
log "starting server A: serve --demo --demo-cases $DEMO_CASES (seeds the demo city)"
t0=$(date +%s%N)
start_server "$T/port-a" "$T/server-a.log" --demo --demo-cases "$DEMO_CASES"
PID_A=$LAST_PID
wait_port "$PID_A" "$T/port-a" "$T/server-a.log" "$START_TIMEOUT"
PORT_A=$PORT
SEED_SECONDS=$(seconds_since "$t0")
log "server A listening on port $PORT_A after ${SEED_SECONDS}s (pid $PID_A)"
start_server "$T/port-b" "$T/server-b.log"
PID_B=$LAST_PID
wait_port "$PID_B" "$T/port-b" "$T/server-b.log" 60
PORT_B=$PORT
log "server B listening on port $PORT_B (pid $PID_B)"

create_token two-servers
fetch_pairs "http://127.0.0.1:$PORT_A" "$T/pairs.txt" "$PAIRS_MAX" "$MOVES_FILE" "$MOVERS"
log "$(wc -l <"$T/pairs.txt") (case, actor) pairs; $(wc -l <"$MOVES_FILE") movers ($(grep -vc "^- " "$MOVES_FILE" || true) on open cases, the rest on cases they open)"
BEFORE=$(ledger_size)
log "ledger before the load: $BEFORE entries"

# ---------------------------------------------------------------------------------------------------- load
log "load: $REQUESTS requests (comments; one in $MOVE_EVERY of each thread an owner change or open), $THREADS threads, alternating between A and B"
t0=$(date +%s%N)
rc=0
LOAD_TOKEN=$TOKEN python3 "$LOAD_CLIENT" --url "http://127.0.0.1:$PORT_A" --url "http://127.0.0.1:$PORT_B" \
  --pairs "$T/pairs.txt" --moves "$MOVES_FILE" --move-every "$MOVE_EVERY" --rounds-per-case "$ROUNDS_PER_CASE" --threads "$THREADS" \
  --requests "$REQUESTS" --seconds "$MAX_SECONDS" --timeout 10 \
  --run-id "$RUN" --out "$T/acked.jsonl" --others "$T/others.jsonl" --summary "$T/load.json" >"$T/load.out" 2>&1 || rc=$?
cat "$T/load.out" >&2
[ "$rc" -eq 0 ] || die "the load client exited with code $rc"
LOAD_SECONDS=$(seconds_since "$t0")
ACKED=$(json_get "$T/load.json" acked)
ATTEMPTS=$(json_get "$T/load.json" attempts)
ACKED_A=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["per_server"].get(sys.argv[2], {}).get("201", 0))' "$T/load.json" "http://127.0.0.1:$PORT_A")
ACKED_B=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["per_server"].get(sys.argv[2], {}).get("201", 0))' "$T/load.json" "http://127.0.0.1:$PORT_B")
MOVES=$(load_field "$T/load.json" acked_moves)
OPENS=$(load_field "$T/load.json" acked_opens)
FINDINGS=$(load_field "$T/load.json" findings)
log "acknowledged $ACKED of $ATTEMPTS (A $ACKED_A, B $ACKED_B; $MOVES owner changes, $OPENS opens, $FINDINGS findings) in ${LOAD_SECONDS}s"
[ "$ATTEMPTS" -eq "$REQUESTS" ] || fail "only $ATTEMPTS of $REQUESTS requests were sent within ${MAX_SECONDS}s"
[ "$ACKED" -eq "$ATTEMPTS" ] ||
  fail "$((ATTEMPTS - ACKED)) of $ATTEMPTS requests not acknowledged: statuses $(json_get "$T/load.json" statuses), errors $(json_get "$T/load.json" errors), samples $(json_get "$T/load.json" samples)"
[ "$ACKED_A" -gt 0 ] || fail "server A acknowledged nothing"
[ "$ACKED_B" -gt 0 ] || fail "server B acknowledged nothing"
[ "$MOVE_EVERY" -eq 0 ] || [ "$MOVES" -gt 0 ] || fail "no owner change acknowledged"
[ "$(load_field "$T/load.json" unexpected_answers)" -eq 0 ] ||
  fail "$(load_field "$T/load.json" unexpected_answers) owner changes answered 201 with another owner or status than the action sets"
alive "$PID_A" || fail "server A died during the load"
alive "$PID_B" || fail "server B died during the load"

# ---------------------------------------------------------------------------------------------------- checks
log "SIGTERM to both servers"
kill -TERM "$PID_A" "$PID_B" 2>/dev/null || true
wait_stopped "$PID_A" "$STOP_TIMEOUT"
RC_A=$STOP_RC
wait_stopped "$PID_B" "$STOP_TIMEOUT"
RC_B=$STOP_RC
[ "$RC_A" = 0 ] || fail "server A did not exit cleanly after SIGTERM (exit $RC_A)"
[ "$RC_B" = 0 ] || fail "server B did not exit cleanly after SIGTERM (exit $RC_B)"

VERIFY=OK
run_verify "after the load" || VERIFY=FAILED
AFTER=$(ledger_size)
GROWTH=$((AFTER - BEFORE))
log "ledger after the load: $AFTER entries (+$GROWTH)"
[ "$GROWTH" -ge "$ACKED" ] || fail "the ledger grew by $GROWTH entries but $ACKED requests were acknowledged"
check_exactly_once "$PREFIX" "$ACKED"

# ---------------------------------------------------------------------------------------------------- summary
check() { check_field "$1"; }
TOTAL_SECONDS=$(seconds_since "$started_ns")
{
  echo
  echo "two servers on one PostgreSQL database ($(redact <<<"$DB"))"
  echo "  seeding start:              ${SEED_SECONDS}s"
  echo "  load:                       $ATTEMPTS requests, $THREADS threads, ${LOAD_SECONDS}s ($(json_get "$T/load.json" rps_acked) acknowledged/s)"
  echo "  acknowledged (201):         $ACKED (A $ACKED_A, B $ACKED_B; $MOVES owner changes, $OPENS opens, $FINDINGS findings); statuses $(json_get "$T/load.json" statuses), errors $(json_get "$T/load.json" errors)"
  echo "  ledger:                     $BEFORE → $AFTER entries (+$GROWTH)"
  echo "  found on the ledger:        $(check found_acked) of $ACKED acknowledged"
  echo "  missing / duplicates:       $(check missing) / $(check duplicates)"
  echo "  wrong case / index / type:  $(check wrong_case) / $(check wrong_index) / $(check wrong_type)"
  echo "  mover cases:                $(check mover_cases); chain broken $(check chain_broken), projection ≠ entries $(check projection_mismatch), findings missing $(check findings_missing) of $(check findings_listed)"
  echo "  verify:                     $VERIFY${VERIFY_ENTRIES:+ ($VERIFY_ENTRIES entries${VERIFY_MATCH:+; $VERIFY_MATCH match them})}"
  echo "  servers' exits (SIGTERM):   A $RC_A, B $RC_B"
  echo "  duration:                   ${TOTAL_SECONDS}s"
  if [ ${#FAILURES[@]} -gt 0 ]; then
    echo "  FAILED:"
    for f in "${FAILURES[@]}"; do echo "    - $f"; done
  fi
} | redact
if [ ${#FAILURES[@]} -eq 0 ]; then
  echo "RESULT two-servers acked=$ACKED found=$(check found_acked) moves=$MOVES growth=$GROWTH missing=0 duplicates=0 verify=OK seconds=$TOTAL_SECONDS PASS"
  exit 0
fi
echo "RESULT two-servers acked=$ACKED found=$(check found_acked) moves=$MOVES growth=$GROWTH missing=$(check missing) duplicates=$(check duplicates) verify=$VERIFY seconds=$TOTAL_SECONDS FAIL"
exit 1
