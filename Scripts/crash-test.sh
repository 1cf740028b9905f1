#!/usr/bin/env bash
# Crash test of `buckstop serve`: kill -9 in the middle of sustained appends, repeated, for SQLite or PostgreSQL.
#
#   Scripts/crash-test.sh                                       (SQLite, a new database in a temporary directory)
#   DB=postgres://USER:PASSWORD@HOST:PORT/DB Scripts/crash-test.sh   (PostgreSQL; the database is emptied first)
#
# 1. Starts `serve --demo --demo-cases $DEMO_CASES` (seeds the demo city once) on a free port (--port 0,
#    --port-file), creates an API token (`token create --acts-for-everyone`, actions:write, cases:read, org:read) and
#    reads up to PAIRS_MAX open (case, owner) pairs from GET /api/v1/cases, and MOVERS (THREADS) movers: an official A,
#    a colleague B and the head H of their unit (GET /api/v1/org/…), on an open case A holds or else on cases the load
#    opens itself (POST /api/v1/cases, a new one every ROUNDS_PER_CASE rounds: findings are raised once per case and
#    official, and a fresh case keeps finding writes coming).
# 2. CYCLES times: the load client (Scripts/load_client.py, THREADS threads) appends comments and, one request in
#    MOVE_EVERY of each thread, an opening or owner-changing action of its mover — A transfer → B, B transfer → A (the ping-pong:
#    the server raises a finding and writes it inside the same request), accept, escalate → H with a proposal,
#    H delegate → A — so that the kill lands during those too; after a random KILL_MIN_MS…KILL_MAX_MS the server
#    gets SIGKILL; the load client notices (no answer for 0.3 s) and stops, having recorded every 201 it received;
#    the server is started again on the same database (not the first cycle, which kills the seeding server). With
#    VERIFY_EACH=1 (default) `verify` — which rebuilds every case projection and finding from the entries and
#    compares them field by field — runs on every crashed database before the restart; a non-zero exit fails.
#    Any HTTP answer other than 201 while the server runs is a failure (a refused owner change means the server
#    acted on another owner than the one it had answered or the case's page showed).
# 3. After the last kill: restart, FINAL_REQUESTS more requests (every one must be answered 201), SIGTERM (the
#    server must exit 0 within STOP_TIMEOUT), `buckstop verify` (must exit 0), and the ledger check
#    (Scripts/check_ledger.py through `buckstop case show`): every acknowledged request is on the ledger exactly
#    once, at the index its 201 answer named, as the action sent; no text is there that was never sent or was
#    refused (4xx); every finding a 201 answer listed is on the ledger; each mover case's owner and status (the
#    projection) are what its entries leave; and the number of 201s the load client counted equals the number of
#    acknowledged requests found on the ledger (a difference is data loss).
#    Unacknowledged requests in flight at a kill may be there (committed, answer lost) — once at most; reported.
#
# Environment: BUCKSTOP_BIN or BIN (default .build/debug/buckstop of the repository), DB (SQLite path, default a new file in
# the temporary directory; or a postgres:// URL), KEYS (key file; default DB.keys for SQLite, $T/keys for
# PostgreSQL, created on first use), RESET_DB (1: empty a PostgreSQL database first; 0 keeps it), CYCLES (20),
# THREADS (4), MOVERS (THREADS), MOVE_EVERY (2; 0: comments only), ROUNDS_PER_CASE (2; 0: never open a case),
# DEMO_CASES (300), PAIRS_MAX (20),
# KILL_MIN_MS (1000), KILL_MAX_MS (3000), FINAL_REQUESTS (50),
# VERIFY_EACH (1), START_TIMEOUT (seconds for the seeding start, 300), RESTART_TIMEOUT (60), STOP_TIMEOUT (60),
# KEEP (1 keeps the temporary directory $T, also kept on failure).
# Exit status: 0 when every check passed, 1 otherwise; the last line is "RESULT crash-test … PASS|FAIL".
set -euo pipefail
NAME=crash-test

# shellcheck source=Scripts/durability-lib.sh
source "$(dirname "$0")/durability-lib.sh"
no_arguments "$@"

CYCLES=${CYCLES:-20}
THREADS=${THREADS:-4}
MOVERS=${MOVERS:-$THREADS}
MOVE_EVERY=${MOVE_EVERY:-2}
ROUNDS_PER_CASE=${ROUNDS_PER_CASE:-2}
DEMO_CASES=${DEMO_CASES:-300}
PAIRS_MAX=${PAIRS_MAX:-20}
KILL_MIN_MS=${KILL_MIN_MS:-1000}
KILL_MAX_MS=${KILL_MAX_MS:-3000}
FINAL_REQUESTS=${FINAL_REQUESTS:-50}
VERIFY_EACH=${VERIFY_EACH:-1}
START_TIMEOUT=${START_TIMEOUT:-300}
RESTART_TIMEOUT=${RESTART_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}
RESET_DB=${RESET_DB:-1}
KEEP=${KEEP:-0}

T=$(mktemp -d "${TMPDIR:-/tmp}/crash-test.XXXXXX")
if is_pg "${DB:-}"; then
  KIND=postgres
  KEYS=${KEYS:-$T/keys}
else
  KIND=sqlite
  DB=$(abspath "${DB:-$T/crash.sqlite}")
  KEYS=${KEYS:-$DB.keys}
fi
KEYS=$(abspath "$KEYS")
RUN=c$(date +%s)$$
PREFIX=load-$RUN-
MOVES_FILE=$T/moves.txt
SERVER_PID=""
LOAD_PID=""
started_ns=$(date +%s%N)

cleanup() {
  local rc=$?
  if alive "$LOAD_PID"; then kill -TERM "$LOAD_PID" 2>/dev/null || true; wait "$LOAD_PID" 2>/dev/null || true; fi
  stop_all_servers
  drop_snapshot
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then
    log "kept $T (server logs, load client files)"
  else
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

snapshot_bin
log "$KIND database $(redact <<<"$DB"); binary $BIN; $CYCLES cycles; temporary directory $T"
if [ "$KIND" = postgres ] && [ "$RESET_DB" = 1 ]; then
  log "emptying the PostgreSQL database (DROP SCHEMA public CASCADE)"
  reset_pg "$DB"
fi

# ---------------------------------------------------------------------------------------------------- seeding
log "starting serve --demo --demo-cases $DEMO_CASES (seeds an empty database)"
t0=$(date +%s%N)
start_server "$T/port" "$T/server.log" --demo --demo-cases "$DEMO_CASES"
SERVER_PID=$LAST_PID
wait_port "$SERVER_PID" "$T/port" "$T/server.log" "$START_TIMEOUT"
SEED_SECONDS=$(seconds_since "$t0")
log "listening on port $PORT after ${SEED_SECONDS}s (pid $SERVER_PID)"
create_token crash-test
fetch_pairs "http://127.0.0.1:$PORT" "$T/pairs.txt" "$PAIRS_MAX" "$MOVES_FILE" "$MOVERS"
log "$(wc -l <"$T/pairs.txt") (case, actor) pairs; $(wc -l <"$MOVES_FILE") movers ($(grep -vc "^- " "$MOVES_FILE" || true) on open cases, the rest on cases they open)"

# ---------------------------------------------------------------------------------------------------- cycles
# run_load RUNID [load client options…]: the load client against the current server, in the background (LOAD_PID).
run_load() {
  local id=$1
  shift
  LOAD_TOKEN=$TOKEN python3 "$LOAD_CLIENT" --url "http://127.0.0.1:$PORT" --pairs "$T/pairs.txt" --threads "$THREADS" \
    --moves "$MOVES_FILE" --move-every "$MOVE_EVERY" --rounds-per-case "$ROUNDS_PER_CASE" \
    --run-id "$id" --out "$T/acked.jsonl" --others "$T/others.jsonl" --summary "$T/load-$id.json" "$@" \
    >"$T/load-$id.out" 2>&1 &
  LOAD_PID=$!
}
# wait_load ID TIMEOUT: waits for the load client; SIGTERM after TIMEOUT seconds (a failure: it should have noticed).
wait_load() {
  local deadline=$((SECONDS + $2)) rc=0
  while alive "$LOAD_PID" && [ $SECONDS -lt "$deadline" ]; do sleep 0.05; done
  if alive "$LOAD_PID"; then
    fail "$1: the load client did not stop within $2 s; SIGTERM"
    kill -TERM "$LOAD_PID" 2>/dev/null || true
  fi
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  [ "$rc" -eq 0 ] || { cat "$T/load-$1.out" >&2; die "$1: the load client exited with code $rc"; }
  [ -f "$T/load-$1.json" ] || { cat "$T/load-$1.out" >&2; die "$1: the load client wrote no summary"; }
}
# load_result FILE: "ACKED OTHER ERRORS" from a load summary: the 201 count, the other answers ("503:4,500:1" or
# "-") and the connection errors ("lost:4,refused:20" or "-").
load_result() {
  python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
f = lambda d: ",".join(f"{k}:{v}" for k, v in d.items()) or "-"
print(s["acked"], f({k: v for k, v in s["statuses"].items() if k != "201"}), f(s["errors"]))' "$1"
}

RESTARTS=()
restart_note=""
TOTAL_ACKED=0
TOTAL_MOVES=0
TOTAL_OPENS=0
TOTAL_FINDINGS=0
VERIFY_RUNS=0
VERIFY_OK=0
for cycle in $(seq "$CYCLES"); do
  if [ "$cycle" -gt 1 ]; then
    t0=$(date +%s%N)
    start_server "$T/port" "$T/server.log"
    SERVER_PID=$LAST_PID
    wait_port "$SERVER_PID" "$T/port" "$T/server.log" "$RESTART_TIMEOUT"
    RESTARTS+=("$(seconds_since "$t0")")
    restart_note="; restarted in ${RESTARTS[-1]}s"
  fi
  id=$RUN-$cycle
  delay_ms=$((KILL_MIN_MS + (RANDOM * 32768 + RANDOM) % (KILL_MAX_MS - KILL_MIN_MS + 1)))
  run_load "$id" --stop-when-down 0.3 --seconds $((KILL_MAX_MS / 1000 + 30)) --timeout 10
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  alive "$SERVER_PID" || { tail -n 30 "$T/server.log" | redact >&2; die "cycle $cycle: the server died by itself before the kill"; }
  alive "$LOAD_PID" || { cat "$T/load-$id.out" >&2; die "cycle $cycle: the load client ended before the kill"; }
  kill9_server "$SERVER_PID"
  echo "--- kill -9 (cycle $cycle) ---" >>"$T/server.log"
  wait_load "$id" 15
  read -r acked other errors < <(load_result "$T/load-$id.json")
  moves=$(load_field "$T/load-$id.json" acked_moves)
  opens=$(load_field "$T/load-$id.json" acked_opens)
  findings=$(load_field "$T/load-$id.json" findings)
  TOTAL_ACKED=$((TOTAL_ACKED + acked))
  TOTAL_MOVES=$((TOTAL_MOVES + moves))
  TOTAL_OPENS=$((TOTAL_OPENS + opens))
  TOTAL_FINDINGS=$((TOTAL_FINDINGS + findings))
  log "cycle $cycle/$CYCLES: killed after ${delay_ms} ms; $acked acknowledged ($moves owner changes, $opens opens, $findings findings; $TOTAL_ACKED in all); connection errors $errors$restart_note"
  [ "$other" = - ] || fail "cycle $cycle: answers other than 201 while the server ran: $other ($(json_get "$T/load-$id.json" samples))"
  [ "$acked" -gt 0 ] || fail "cycle $cycle: no request acknowledged before the kill"
  [ "$(load_field "$T/load-$id.json" unexpected_answers)" -eq 0 ] ||
    fail "cycle $cycle: $(load_field "$T/load-$id.json" unexpected_answers) owner changes answered 201 with another owner or status than the action sets"
  if [ "$VERIFY_EACH" = 1 ]; then
    VERIFY_RUNS=$((VERIFY_RUNS + 1))
    if run_verify "after the kill of cycle $cycle"; then VERIFY_OK=$((VERIFY_OK + 1)); fi
  fi
done

# ---------------------------------------------------------------------------------------------------- recovery
t0=$(date +%s%N)
start_server "$T/port" "$T/server.log"
SERVER_PID=$LAST_PID
wait_port "$SERVER_PID" "$T/port" "$T/server.log" "$RESTART_TIMEOUT"
RESTARTS+=("$(seconds_since "$t0")")
id=$RUN-final
run_load "$id" --requests "$FINAL_REQUESTS" --seconds 60 --timeout 10
wait_load "$id" 90
final_acked=$(json_get "$T/load-$id.json" acked)
TOTAL_ACKED=$((TOTAL_ACKED + final_acked))
TOTAL_MOVES=$((TOTAL_MOVES + $(load_field "$T/load-$id.json" acked_moves)))
TOTAL_OPENS=$((TOTAL_OPENS + $(load_field "$T/load-$id.json" acked_opens)))
TOTAL_FINDINGS=$((TOTAL_FINDINGS + $(load_field "$T/load-$id.json" findings)))
log "after the last restart: $final_acked of $FINAL_REQUESTS acknowledged ($(load_field "$T/load-$id.json" acked_moves) owner changes)"
[ "$final_acked" -eq "$FINAL_REQUESTS" ] ||
  fail "after the last restart only $final_acked of $FINAL_REQUESTS requests were acknowledged: $(json_get "$T/load-$id.json" statuses) $(json_get "$T/load-$id.json" errors) $(json_get "$T/load-$id.json" samples)"
[ "$(load_field "$T/load-$id.json" unexpected_answers)" -eq 0 ] ||
  fail "after the last restart: owner changes answered 201 with another owner or status than the action sets"
[ "$MOVE_EVERY" -eq 0 ] || [ "$TOTAL_MOVES" -gt 0 ] || fail "no owner change acknowledged in the whole run"

log "SIGTERM to the server"
stop_server "$SERVER_PID" "$STOP_TIMEOUT"
SERVER_PID=""
[ "$STOP_RC" = 0 ] || fail "the server did not exit cleanly after SIGTERM (exit $STOP_RC)"

VERIFY=OK
VERIFY_RUNS=$((VERIFY_RUNS + 1))
if run_verify final; then VERIFY_OK=$((VERIFY_OK + 1)); else VERIFY=FAILED; fi
[ "$VERIFY_OK" -eq "$VERIFY_RUNS" ] || VERIFY=FAILED
check_exactly_once "$PREFIX" "$TOTAL_ACKED"

# ---------------------------------------------------------------------------------------------------- summary
restart_stats=$(python3 -c '
import sys
v = [float(x) for x in sys.argv[1:]]
print(f"mean {sum(v) / len(v):.2f}s, max {max(v):.2f}s" if v else "-")' "${RESTARTS[@]}")
check() { check_field "$1"; }
TOTAL_SECONDS=$(seconds_since "$started_ns")
{
  echo
  echo "crash test ($KIND, $(redact <<<"$DB"))"
  echo "  cycles run:                 $CYCLES (kill -9 after ${KILL_MIN_MS}–${KILL_MAX_MS} ms of load, $THREADS threads)"
  echo "  seeding start:              ${SEED_SECONDS}s; restarts: $restart_stats"
  echo "  acknowledged (201):         $TOTAL_ACKED ($TOTAL_MOVES owner changes and $TOTAL_OPENS opens by $(wc -l <"$MOVES_FILE") movers on $(check mover_cases) cases; $TOTAL_FINDINGS findings in the answers)"
  echo "  found on the ledger:        $(check found_acked) of $(check acked) in the acknowledgement file"
  echo "  missing:                    $(check missing)"
  echo "  duplicates:                 $(check duplicates)"
  echo "  wrong case / index / type:  $(check wrong_case) / $(check wrong_index) / $(check wrong_type)"
  echo "  stray / after 4xx:          $(check stray) / $(check after_4xx)"
  echo "  opens, owner changes there: $(check owner_changes_on_ledger); chain broken $(check chain_broken), projection ≠ entries $(check projection_mismatch), findings missing $(check findings_missing) of $(check findings_listed)"
  echo "  unacknowledged, committed:  $(check unacked_on_ledger) of $(check unacked_sent) sent without a 201"
  echo "  verify:                     $VERIFY_OK of $VERIFY_RUNS runs exited 0 (after each kill and at the end)${VERIFY_ENTRIES:+; last: $VERIFY_ENTRIES entries${VERIFY_MATCH:+, $VERIFY_MATCH match them}}"
  echo "  duration:                   ${TOTAL_SECONDS}s"
  if [ ${#FAILURES[@]} -gt 0 ]; then
    echo "  FAILED:"
    for f in "${FAILURES[@]}"; do echo "    - $f"; done
  fi
} | redact
if [ ${#FAILURES[@]} -eq 0 ]; then
  echo "RESULT crash-test $KIND cycles=$CYCLES acked=$TOTAL_ACKED found=$(check found_acked) moves=$TOTAL_MOVES missing=0 duplicates=0 verify=OK($VERIFY_OK/$VERIFY_RUNS) seconds=$TOTAL_SECONDS PASS"
  exit 0
fi
echo "RESULT crash-test $KIND cycles=$CYCLES acked=$TOTAL_ACKED found=$(check found_acked) moves=$TOTAL_MOVES missing=$(check missing) duplicates=$(check duplicates) verify=$VERIFY($VERIFY_OK/$VERIFY_RUNS) seconds=$TOTAL_SECONDS FAIL"
exit 1
