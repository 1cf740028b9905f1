#!/usr/bin/env bash
# PostgreSQL outage under load: the server must answer 503 quickly while the database is down and recover by itself.
#
#   eval "$(bash Scripts/postgres-cluster.sh env)"; Scripts/pg-outage.sh
#
# Stops and starts the throwaway cluster of Scripts/postgres-cluster.sh (same PG_* environment): do not run it
# while anything else uses that cluster. The cluster is started again on any exit.
#
# 1. Empties the database, starts `serve --demo --demo-cases $DEMO_CASES` on a free port, creates an API token
#    (`--acts-for-everyone`) and reads up to PAIRS_MAX (case, actor) pairs (open cases and their owners, then closed
#    ones) and MOVERS (THREADS) movers (an official A, a colleague B and their unit's head H; on an open case A holds,
#    else on cases the load opens, a new one every ROUNDS_PER_CASE rounds).
# 2. The load client (Scripts/load_client.py, THREADS threads, per-request timeout REQUEST_TIMEOUT) appends comments
#    and, one request in MOVE_EVERY of each thread, an opening or owner-changing action of its mover (transfers A → B → A
#    with the ping-pong finding written inside the request, accept, escalate → H, delegate → A; after an answer other
#    than 201 it reads the case's owner again before the next one), and records every attempt (time, latency, status
#    or connection error). After PRE_SECONDS of load:
#    `postgres-cluster.sh stop`; OUTAGE_SECONDS later `postgres-cluster.sh start`; then it waits up to
#    RECOVER_TIMEOUT seconds for a 201 from the same server process (never restarted) and keeps the load going
#    POST_SECONDS more.
# 3. Judges the timeline:
#      before the stop     every answer 201;
#      database down       (from the end of `stop` to the start of `start`) only 503, at least one;
#      stop … recovery     answers 201 or 503 only, each within MAX_LATENCY seconds (a slower one is a hang);
#      after recovery      only 201 (503s allowed for RECOVER_GRACE seconds after the first 201);
#      anywhere            no other status (a 500 is a failure), no connection error or timeout;
#    /health/ready answers 503 while the database is down and 200 after; the server is still the same process.
#    The analysis must exit 0: 1 with PROBLEM lines is a failed judgement, anything else (an exception) fails too.
# 4. SIGTERM (exit 0 required), `buckstop verify` (exit 0; it rebuilds every projection and finding from the entries),
#    the ledger check of every acknowledged request (Scripts/check_ledger.py: once, at its index, as the action sent;
#    requests answered 503 must not be there, unless the answer was a lost commit: reported; the mover cases' owners
#    and statuses as their entries leave them), and the 201s the load client counted all found on the ledger.
#
# Environment: DB (a postgres:// URL) or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB;
# BUCKSTOP_BIN or BIN (default .build/debug/buckstop of the repository), KEYS (default $T/keys), RESET_DB (1),
# DEMO_CASES (300), PAIRS_MAX (20), THREADS (4), MOVERS (THREADS), MOVE_EVERY (2; 0: comments only),
# ROUNDS_PER_CASE (2; 0: never open a case), PRE_SECONDS (2), OUTAGE_SECONDS (5, whole seconds), RECOVER_TIMEOUT (30), RECOVER_GRACE (2),
# POST_SECONDS (2), MAX_LATENCY (3), REQUEST_TIMEOUT (10), START_TIMEOUT (300), STOP_TIMEOUT (60), CLUSTER_SCRIPT
# (default Scripts/postgres-cluster.sh), KEEP (1 keeps $T; kept on failure).
# Exit status: 0 when every check passed, 1 otherwise (2: no PostgreSQL given); the last line is
# "RESULT pg-outage … PASS|FAIL".
set -euo pipefail
NAME=pg-outage

# shellcheck source=Scripts/durability-lib.sh
source "$(dirname "$0")/durability-lib.sh"
no_arguments "$@"

require_pg_db
DEMO_CASES=${DEMO_CASES:-300}
PAIRS_MAX=${PAIRS_MAX:-20}
THREADS=${THREADS:-4}
MOVERS=${MOVERS:-$THREADS}
MOVE_EVERY=${MOVE_EVERY:-2}
ROUNDS_PER_CASE=${ROUNDS_PER_CASE:-2}
PRE_SECONDS=${PRE_SECONDS:-2}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-5}
RECOVER_TIMEOUT=${RECOVER_TIMEOUT:-30}
RECOVER_GRACE=${RECOVER_GRACE:-2}
POST_SECONDS=${POST_SECONDS:-2}
MAX_LATENCY=${MAX_LATENCY:-3}
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-10}
START_TIMEOUT=${START_TIMEOUT:-300}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}
RESET_DB=${RESET_DB:-1}
KEEP=${KEEP:-0}
CLUSTER_SCRIPT=$(abspath "${CLUSTER_SCRIPT:-$ROOT/Scripts/postgres-cluster.sh}")

T=$(mktemp -d "${TMPDIR:-/tmp}/pg-outage.XXXXXX")
KEYS=$(abspath "${KEYS:-$T/keys}")
RUN=o$(date +%s)$$
PREFIX=load-$RUN-
MOVES_FILE=$T/moves.txt
SERVER_PID=""
LOAD_PID=""
CLUSTER_DOWN=0
started_ns=$(date +%s%N)

cluster() { bash "$CLUSTER_SCRIPT" "$1" >"$T/cluster-$1.out" 2>&1 || { cat "$T/cluster-$1.out" >&2; return 1; }; }

cleanup() {
  local rc=$?
  if alive "$LOAD_PID"; then kill -TERM "$LOAD_PID" 2>/dev/null || true; wait "$LOAD_PID" 2>/dev/null || true; fi
  if [ "$CLUSTER_DOWN" = 1 ]; then
    log "starting the PostgreSQL cluster again"
    cluster start || log "could not start the cluster again: run bash $CLUSTER_SCRIPT start"
  fi
  stop_all_servers
  drop_snapshot
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then log "kept $T (server log, timeline, load client files)"; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
mark() { printf '%s %s\n' "$1" "$(now)" >>"$T/marks.txt"; }
# ready_status: /health/ready's status code, or "none" when there was no answer within 5 s.
ready_status() {
  local code
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/health/ready" || true)
  case $code in "" | 000) echo none ;; *) echo "$code" ;; esac
}
# acked_since EPOCH: 201 answers in the timeline to requests started at or after EPOCH (0 before the load client
# has written its first line; a line that is not JSON is an error).
acked_since() {
  python3 - "$T/timeline.jsonl" "$1" <<'PY' || die "could not read the load client's timeline"
import json, os, sys
since, n = float(sys.argv[2]), 0
if os.path.exists(sys.argv[1]):
    for line in open(sys.argv[1]):
        if line.strip():
            r = json.loads(line)
            if r.get("status") == 201 and r["t"] >= since:
                n += 1
print(n)
PY
}

snapshot_bin
[ -f "$CLUSTER_SCRIPT" ] || die "no cluster script at $CLUSTER_SCRIPT"
log "database $(redact <<<"$DB"); binary $BIN; temporary directory $T"
if [ "$RESET_DB" = 1 ]; then
  log "emptying the PostgreSQL database (DROP SCHEMA public CASCADE)"
  reset_pg "$DB"
fi

log "starting serve --demo --demo-cases $DEMO_CASES"
t0=$(date +%s%N)
start_server "$T/port" "$T/server.log" --demo --demo-cases "$DEMO_CASES"
SERVER_PID=$LAST_PID
wait_port "$SERVER_PID" "$T/port" "$T/server.log" "$START_TIMEOUT"
BASE=http://127.0.0.1:$PORT
log "listening on $BASE after $(seconds_since "$t0")s (pid $SERVER_PID)"
create_token pg-outage
fetch_pairs "$BASE" "$T/pairs.txt" "$PAIRS_MAX" "$MOVES_FILE" "$MOVERS"
log "$(wc -l <"$T/pairs.txt") (case, actor) pairs; $(wc -l <"$MOVES_FILE") movers ($(grep -vc "^- " "$MOVES_FILE" || true) on open cases, the rest on cases they open)"
READY_BEFORE=$(ready_status)

# ---------------------------------------------------------------------------------------------------- outage
LOAD_TOKEN=$TOKEN python3 "$LOAD_CLIENT" --url "$BASE" --pairs "$T/pairs.txt" --threads "$THREADS" \
  --moves "$MOVES_FILE" --move-every "$MOVE_EVERY" --rounds-per-case "$ROUNDS_PER_CASE" \
  --seconds $((PRE_SECONDS + OUTAGE_SECONDS + RECOVER_TIMEOUT + POST_SECONDS + 120)) --timeout "$REQUEST_TIMEOUT" \
  --run-id "$RUN" --out "$T/acked.jsonl" --others "$T/others.jsonl" --timeline "$T/timeline.jsonl" \
  --summary "$T/load.json" >"$T/load.out" 2>&1 &
LOAD_PID=$!
mark load_start
sleep "$PRE_SECONDS"
alive "$LOAD_PID" || { cat "$T/load.out" >&2; die "the load client ended early"; }
pre=$(acked_since 0)
[ "$pre" -gt 0 ] || die "no request acknowledged in the first ${PRE_SECONDS}s; nothing to test"
log "$pre requests acknowledged before the outage; stopping the PostgreSQL cluster"

mark stop_begin
CLUSTER_DOWN=1
cluster stop || die "postgres-cluster.sh stop failed"
mark stop_end
if psql "$DB" -Atqc 'SELECT 1' >/dev/null 2>&1; then
  die "the database still answers after \`$CLUSTER_SCRIPT stop\`: is it that script's cluster (PG_DIR, PG_PORT)?"
fi
down_ns=$(date +%s%N)
log "cluster stopped; keeping it down ${OUTAGE_SECONDS}s"
sleep 1
READY_DOWN=$(ready_status)
log "/health/ready while the database is down: $READY_DOWN"
while [ $(($(date +%s%N) - down_ns)) -lt $((OUTAGE_SECONDS * 1000000000)) ]; do sleep 0.1; done
alive "$SERVER_PID" || { tail -n 30 "$T/server.log" | redact >&2; die "the server exited while the database was down"; }

mark start_begin
start_epoch=$(now)
cluster start || die "postgres-cluster.sh start failed"
CLUSTER_DOWN=0
mark start_end
log "cluster started again; waiting up to ${RECOVER_TIMEOUT}s for a 201 from the same server"
deadline=$((SECONDS + RECOVER_TIMEOUT))
RECOVERED=0
while [ $SECONDS -lt $deadline ]; do
  if [ "$(acked_since "$start_epoch")" -gt 0 ]; then RECOVERED=1; break; fi
  alive "$LOAD_PID" || break
  sleep 0.2
done
if [ "$RECOVERED" = 1 ]; then
  log "answers 201 again; $POST_SECONDS s more load"
  sleep "$POST_SECONDS"
else
  fail "no 201 within ${RECOVER_TIMEOUT}s of the cluster's start"
fi
READY_AFTER=$(ready_status)
kill -TERM "$LOAD_PID" 2>/dev/null || true
rc=0
wait "$LOAD_PID" || rc=$?
LOAD_PID=""
cat "$T/load.out" >&2
[ "$rc" -eq 0 ] || fail "the load client exited with code $rc"
mark load_end

alive "$SERVER_PID" || fail "the server process $SERVER_PID is gone after the outage"
[ "$READY_BEFORE" = 200 ] || fail "/health/ready answered $READY_BEFORE before the outage (200 expected)"
[ "$READY_DOWN" = 503 ] || fail "/health/ready answered $READY_DOWN while the database was down (503 expected)"
[ "$READY_AFTER" = 200 ] || fail "/health/ready answered $READY_AFTER after recovery (200 expected)"

# ---------------------------------------------------------------------------------------------------- timeline
rc=0
# Exit 0: judged sound; 1: PROBLEM lines (a failed judgement); anything else (an exception: Python exits 1 for an
# uncaught one too, so it is caught and turned into 3) is a failure of the analysis itself.
python3 - "$T/timeline.jsonl" "$T/marks.txt" "$MAX_LATENCY" "$RECOVER_GRACE" "$RECOVER_TIMEOUT" >"$T/timeline.txt" 2>&1 <<'PY' || rc=$?
import collections, json, sys, traceback


def analyse():
    rows = []
    for n, line in enumerate(open(sys.argv[1]), 1):
        if line.strip():
            rows.append(json.loads(line))  # one write(2) per line: a line that is not JSON is an error
    return judge(rows)


def judge(rows):
    marks = {k: float(v) for k, v in (l.split() for l in open(sys.argv[2]) if l.strip())}
    max_latency, grace, recover_timeout = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    stop_begin, stop_end, start_begin, start_end = (marks[k] for k in ("stop_begin", "stop_end", "start_begin", "start_end"))
    rows.sort(key=lambda r: r["t"])
    outcome = lambda r: str(r["status"]) if r.get("status") is not None else r.get("error", "?")
    end = lambda r: r["t"] + r["dt"]
    first_ok = next((r for r in rows if r.get("status") == 201 and r["t"] >= start_begin), None)
    recovered = end(first_ok) if first_ok else None
    problems = []

    def window(name, select):
        sel = [r for r in rows if select(r)]
        counts = collections.Counter(outcome(r) for r in sel)
        lat = max((r["dt"] for r in sel), default=0.0)
        print(f"  {name:<34} {len(sel):>6} requests  {', '.join(f'{k}: {v}' for k, v in sorted(counts.items())) or '-':<30} max {lat:.3f}s")
        return sel, counts

    print("timeline (request start times; windows by the cluster script's start and end):")
    before, c_before = window("before the stop", lambda r: end(r) < stop_begin)
    stopping, _ = window("during `stop`", lambda r: stop_begin <= end(r) and r["t"] < stop_end)
    down, c_down = window("database down", lambda r: r["t"] >= stop_end and end(r) <= start_begin)
    straddle, _ = window("down → `start`", lambda r: stop_end <= r["t"] < start_begin < end(r))
    starting, _ = window("during `start` until the first 201",
                         lambda r: start_begin <= r["t"] and (recovered is None or r["t"] < recovered))
    after, c_after = window("after the first 201", lambda r: recovered is not None and r["t"] >= recovered)

    if any(k != "201" for k in c_before):
        problems.append(f"before the outage: answers other than 201: {dict(c_before)}")
    if c_down.get("503", 0) == 0:
        problems.append(f"no 503 while the database was down: {dict(c_down) or 'no request completed'}")
    if any(k != "503" for k in c_down):
        problems.append(f"while the database was down: answers other than 503: {dict(c_down)}")
    outage = [r for r in rows if r["t"] >= stop_begin and (recovered is None or r["t"] < recovered)]
    slow = [r for r in outage if r["dt"] > max_latency]
    if slow:
        problems.append(f"{len(slow)} requests took more than {max_latency}s during the outage (a hang); slowest "
                        f"{max(r['dt'] for r in slow):.1f}s ({outcome(max(slow, key=lambda r: r['dt']))})")
    bad = collections.Counter(outcome(r) for r in rows if outcome(r) not in ("201", "503"))
    if bad:
        problems.append(f"answers or errors other than 201 and 503: {dict(bad)}")
    late = [r for r in after if r.get("status") == 503 and r["t"] > recovered + grace]
    if late:
        problems.append(f"{len(late)} 503 answers more than {grace}s after the first 201 (last at +{late[-1]['t'] - recovered:.1f}s)")
    if recovered is None:
        problems.append("no 201 after the cluster was started again")
    else:
        print(f"  recovery: first 201 {recovered - start_end:+.2f}s after `start` returned "
              f"(cluster down {start_begin - stop_end:.1f}s)")
        if recovered - start_end > recover_timeout:
            problems.append(f"recovery took {recovered - start_end:.1f}s (more than {recover_timeout}s)")
    for p in problems:
        print(f"PROBLEM {p}")
    return 1 if problems else 0


try:
    code = analyse()
except Exception:
    traceback.print_exc()
    print("the timeline analysis raised an exception (above): nothing was judged", flush=True)
    code = 3
sys.exit(code)
PY
cat "$T/timeline.txt" >&2
while IFS= read -r line; do fail "${line#PROBLEM }"; done < <(grep '^PROBLEM ' "$T/timeline.txt" || true)
# Exactly 0: 1 must come with PROBLEM lines (recorded above); anything else — an exception, or 1 without a PROBLEM
# line — is a failure of the analysis, never a pass.
if [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] || ! grep -q '^PROBLEM ' "$T/timeline.txt"; }; then
  fail "the timeline analysis failed (exit $rc) without judging the timeline"
fi
RECOVERY=$(sed -n 's/.*first 201 \([-+0-9.]*s\) after.*/\1/p' "$T/timeline.txt")

# ---------------------------------------------------------------------------------------------------- checks
log "SIGTERM to the server"
stop_server "$SERVER_PID" "$STOP_TIMEOUT"
SERVER_PID=""
[ "$STOP_RC" = 0 ] || fail "the server did not exit cleanly after SIGTERM (exit $STOP_RC)"
VERIFY=OK
run_verify "after the outage" || VERIFY=FAILED
ACKED=$(json_get "$T/load.json" acked)
MOVES=$(load_field "$T/load.json" acked_moves)
[ "$MOVE_EVERY" -eq 0 ] || [ "$MOVES" -gt 0 ] || fail "no owner change acknowledged"
[ "$(load_field "$T/load.json" unexpected_answers)" -eq 0 ] ||
  fail "$(load_field "$T/load.json" unexpected_answers) owner changes answered 201 with another owner or status than the action sets"
check_exactly_once "$PREFIX" "$ACKED"

check() { check_field "$1"; }
TOTAL_SECONDS=$(seconds_since "$started_ns")
{
  echo
  echo "PostgreSQL outage under load ($(redact <<<"$DB"))"
  echo "  answers:                    $(json_get "$T/load.json" statuses); errors $(json_get "$T/load.json" errors); max latency $(json_get "$T/load.json" max_latency)"
  echo "  /health/ready:              before $READY_BEFORE, down $READY_DOWN, after $READY_AFTER"
  echo "  recovery:                   ${RECOVERY:-none} after the cluster's start"
  echo "  acknowledged / found:       $ACKED / $(check found_acked) ($MOVES owner changes, $(load_field "$T/load.json" acked_opens) opens, $(load_field "$T/load.json" findings) findings in the answers)"
  echo "  missing / duplicates:       $(check missing) / $(check duplicates)"
  echo "  mover cases:                $(check mover_cases); chain broken $(check chain_broken), projection ≠ entries $(check projection_mismatch), findings missing $(check findings_missing) of $(check findings_listed)"
  echo "  answered 503 yet committed: $(check unacked_on_ledger) of $(check unacked_sent) unacknowledged"
  echo "  verify:                     $VERIFY${VERIFY_ENTRIES:+ ($VERIFY_ENTRIES entries${VERIFY_MATCH:+; $VERIFY_MATCH match them})}"
  echo "  duration:                   ${TOTAL_SECONDS}s"
  if [ ${#FAILURES[@]} -gt 0 ]; then
    echo "  FAILED:"
    for f in "${FAILURES[@]}"; do echo "    - $f"; done
  fi
} | redact
if [ ${#FAILURES[@]} -eq 0 ]; then
  echo "RESULT pg-outage recovery=${RECOVERY:-?} acked=$ACKED found=$(check found_acked) moves=$MOVES missing=0 duplicates=0 verify=OK seconds=$TOTAL_SECONDS PASS"
  exit 0
fi
echo "RESULT pg-outage recovery=${RECOVERY:-none} acked=$ACKED found=$(check found_acked) moves=$MOVES missing=$(check missing) duplicates=$(check duplicates) verify=$VERIFY seconds=$TOTAL_SECONDS FAIL"
exit 1
