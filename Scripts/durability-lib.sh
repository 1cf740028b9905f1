# Shared helpers of the durability scripts (crash-test.sh, two-servers.sh, pg-outage.sh, durability.sh); sourced,
# not run. The sourcing script sets NAME (its log prefix) and `set -euo pipefail`, and T (its temporary directory)
# before calling what writes there. Provides:
#   BIN            BUCKSTOP_BIN, else BIN from the environment (a relative path is taken from where the script was
#                  started), default .build/debug/buckstop under the repository root (what CI's `swift test` builds);
#                  snapshot_bin replaces it by a copy in $T
#   helpers        log / die / fail (FAILURES), bs (runs the binary), is_pg, redact (hides URL passwords),
#                  pg_url_from_env, reset_pg, seconds_since, json_get
#   servers        start_server / wait_port / stop_server / wait_stopped / kill9_server / stop_all_servers; the ones
#                  started are in SERVER_PIDS until reaped (call stop_all_servers from the EXIT trap)
#   API and checks create_token, fetch_pairs (and the mover cases), ledger_size, run_verify, check_exactly_once,
#                  load_field

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${BUCKSTOP_BIN:-}" ]; then
  BIN=$(abspath "$BUCKSTOP_BIN")
elif [ -n "${BIN:-}" ]; then
  BIN=$(abspath "$BIN")
else
  BIN=$ROOT/.build/debug/buckstop
fi
LOAD_CLIENT=$ROOT/Scripts/load_client.py
CHECK_LEDGER=$ROOT/Scripts/check_ledger.py
FAILURES=()
SERVER_PIDS=()

# no_arguments "$@": --help prints the sourcing script's header comment; any other argument is refused (the scripts'
# settings come from the environment).
no_arguments() {
  case "${1:-}" in
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    "") ;;
    *) echo "$NAME: no arguments expected (see --help); settings come from the environment" >&2; exit 2 ;;
  esac
}

# require_pg_db: DB from the environment, else built from POSTGRES_*; exits 2 when neither names PostgreSQL.
require_pg_db() {
  DB=${DB:-$(pg_url_from_env)}
  is_pg "$DB" || { log "needs PostgreSQL: set DB=postgres://… or POSTGRES_HOST etc. (Scripts/postgres-cluster.sh env)"; exit 2; }
}

log() { printf '[%s %s] %s\n' "$NAME" "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
fail() { log "FAIL: $*"; FAILURES+=("$*"); }

# The binary may be replaced by a build while this runs; wait for it rather than fail on a moment's absence.
need_bin() {
  local _
  for _ in $(seq 120); do [ -x "$BIN" ] && return 0; sleep 1; done
  die "no executable at $BIN (set BUCKSTOP_BIN or BIN, or build with swift build)"
}
bs() { need_bin; "$BIN" "$@"; }

# snapshot_bin: runs the tests on a copy of the binary in $T (unless BIN_SNAPSHOT=0), so that a build replacing it
# meanwhile neither changes the binary under test nor meets "Text file busy" (either way round).
snapshot_bin() {
  [ "${BIN_SNAPSHOT:-1}" = 1 ] || return 0
  local _
  need_bin
  for _ in $(seq 30); do
    if cp "$BIN" "$T/buckstop" 2>/dev/null && cmp -s "$BIN" "$T/buckstop" && "$T/buckstop" --help >/dev/null 2>&1; then
      log "testing a copy of $BIN ($(stat -c %y "$BIN" | cut -d. -f1))"
      BIN=$T/buckstop
      return 0
    fi
    sleep 2
  done
  die "could not copy a working binary from $BIN"
}
# drop_snapshot: removes the copy (when $T is kept for its logs).
drop_snapshot() { if [ "$BIN" = "$T/buckstop" ]; then rm -f "$BIN"; fi; }

is_pg() { case "$1" in postgres://* | postgresql://*) return 0 ;; *) return 1 ;; esac; }
# redact: hides the password of postgres:// URLs in text read from stdin.
redact() { sed -E 's#(postgres(ql)?://[^:/@]*):[^@/]*@#\1:***@#g'; }

# pg_url_from_env: postgres://USER:PASSWORD@HOST:PORT/DB from POSTGRES_*; prints nothing without POSTGRES_HOST.
pg_url_from_env() {
  [ -n "${POSTGRES_HOST:-}" ] || return 0
  python3 - <<'PY'
import os, urllib.parse as u
q = lambda k, d="": u.quote(os.environ.get(k, d), safe="")
print(f"postgres://{q('POSTGRES_USER', 'postgres')}:{q('POSTGRES_PASSWORD')}@{os.environ['POSTGRES_HOST']}:"
      f"{os.environ.get('POSTGRES_PORT', '5432')}/{q('POSTGRES_DB', 'postgres')}")
PY
}

# reset_pg URL: empties the database (DROP SCHEMA public CASCADE; CREATE SCHEMA public).
reset_pg() {
  command -v psql >/dev/null 2>&1 || die "psql is needed to reset the PostgreSQL database (apt-get install postgresql-client)"
  psql "$1" -v ON_ERROR_STOP=1 -q -c 'SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;' \
    >/dev/null 2>"$T/reset.err" || { redact <"$T/reset.err" >&2; die "could not reset the database $(redact <<<"$1")"; }
}

seconds_since() {  # seconds_since EPOCH_NS (from date +%s%N): seconds since then, one decimal
  local d=$(($(date +%s%N) - $1))
  printf '%d.%d\n' $((d / 1000000000)) $((d / 100000000 % 10))
}

# ---------------------------------------------------------------------------------------------------- servers
# start_server PORTFILE LOGFILE [serve options…]: starts `serve` on DB with KEYS on a free port in the background;
# LAST_PID is its process id.
start_server() {
  local portfile=$1 logfile=$2
  shift 2
  need_bin
  rm -f "$portfile"
  "$BIN" serve --db "$DB" --keys "$KEYS" --port 0 --port-file "$portfile" --survey-seconds 3600 --log-level "${LOG_LEVEL:-info}" \
    "$@" >>"$logfile" 2>&1 &
  LAST_PID=$!
  SERVER_PIDS+=("$LAST_PID")
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
# forget PID: a reaped server leaves SERVER_PIDS (its id may be reused by another process).
forget() {
  local p keep=()
  for p in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do [ "$p" = "$1" ] || keep+=("$p"); done
  SERVER_PIDS=(${keep[@]+"${keep[@]}"})
}

# wait_port PID PORTFILE LOGFILE TIMEOUT: waits for the port file; sets PORT.
wait_port() {
  local pid=$1 portfile=$2 logfile=$3 deadline=$((SECONDS + $4))
  PORT=""
  while :; do
    if [ -s "$portfile" ]; then PORT=$(tr -dc '0-9' <"$portfile"); [ -n "$PORT" ] && return 0; fi
    alive "$pid" || { tail -n 30 "$logfile" | redact >&2; die "the server (pid $pid) exited before listening; log $logfile"; }
    [ $SECONDS -lt "$deadline" ] || { tail -n 30 "$logfile" | redact >&2; die "no port file after ${4}s (pid $pid); log $logfile"; }
    sleep 0.05
  done
}

# stop_server PID TIMEOUT: SIGTERM and wait; STOP_RC is its exit code (KILL after TIMEOUT seconds: STOP_RC=timeout).
stop_server() {
  kill -TERM "$1" 2>/dev/null || true
  wait_stopped "$@"
}
# wait_stopped PID TIMEOUT: waits for a server already sent SIGTERM; as stop_server.
wait_stopped() {
  local pid=$1 deadline=$((SECONDS + $2))
  STOP_RC=0
  while alive "$pid" && [ $SECONDS -lt "$deadline" ]; do sleep 0.05; done
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    STOP_RC=timeout
  else
    wait "$pid" 2>/dev/null || STOP_RC=$?
  fi
  forget "$pid"
}

kill9_server() {  # kill9_server PID: SIGKILL and reap
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget "$1"
}

stop_all_servers() {
  local pid
  for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
    if alive "$pid"; then
      log "stopping the server (pid $pid)"
      stop_server "$pid" 20
    fi
  done
}

# ---------------------------------------------------------------------------------------------------- API
# create_token NAME: a system's token acting for every official (the load mirrors many officials' actions, as a
# one-stop-shop system does) with actions:write, cases:read and org:read (to pick the mover cases); sets TOKEN.
# Every entry it writes records via token:NAME.
create_token() {
  TOKEN=$(bs token create --db "$DB" --keys "$KEYS" --name "$1" --scope actions:write --scope cases:read --scope org:read \
    --acts-for-everyone 2>"$T/token.err" |
    tail -n 1 | tr -d '[:space:]') || { redact <"$T/token.err" >&2; die "token create failed"; }
  [ -n "$TOKEN" ] || { redact <"$T/token.err" >&2; die "token create printed no token"; }
}

# fetch_pairs BASE OUT MAX [MOVES_OUT MOVERS]: up to MAX "CODE ACTOR" lines: the open cases (received, processing,
# awaiting_supplement, resolved) with their owners, then closed cases commented by the first open case's owner (anyone
# may add a note), so that the load spreads over several cases (the demo city has few open ones). With MOVES_OUT, also
# MOVERS "CODE A B H STATUS UNIT" lines for the owner-changing load (Scripts/load_client.py --moves): A an active
# official of UNIT but not its head, B another active official of UNIT, H its active head (so A may transfer to B and
# back, escalate to H, and H delegate to A). First the open cases in received or processing that such an A holds (CODE,
# STATUS its status now), then "- A B H - UNIT" lines (the load client opens the case), over as many units as have one.
fetch_pairs() {
  local base=$1 out=$2 max=$3 moves_out=${4:-} movers=${5:-0} status code what
  for status in received processing awaiting_supplement resolved closed; do
    code=$(curl -sS -m 30 -o "$T/cases-$status.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
      "$base/api/v1/cases?status=$status&limit=500") || die "GET $base/api/v1/cases?status=$status failed"
    [ "$code" = 200 ] || { head -c 500 "$T/cases-$status.json" >&2; echo >&2; die "GET /api/v1/cases?status=$status answered $code"; }
  done
  if [ -n "$moves_out" ]; then
    for what in officials units; do
      code=$(curl -sS -m 30 -o "$T/org-$what.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
        "$base/api/v1/org/$what") || die "GET $base/api/v1/org/$what failed"
      [ "$code" = 200 ] || { head -c 500 "$T/org-$what.json" >&2; echo >&2; die "GET /api/v1/org/$what answered $code"; }
    done
  fi
  python3 - "$T" "$max" "$moves_out" "$movers" >"$out" <<'PY' || die "could not read the case lists"
import json, sys
t, limit, moves_out, movers = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
cases = lambda s: json.load(open(f"{t}/cases-{s}.json"))["cases"]
pairs = sorted({(c["code"], c["owner"]) for s in ("received", "processing", "awaiting_supplement", "resolved")
                for c in cases(s) if c.get("owner")})
if pairs:
    actor = pairs[0][1]
    pairs += [(c["code"], actor) for c in sorted(cases("closed"), key=lambda c: c["code"])]
for code, actor in pairs[:limit]:
    print(code, actor)
if moves_out:
    officials = {o["id"]: o for o in json.load(open(f"{t}/org-officials.json"))["officials"]}
    units = {u["id"]: u for u in json.load(open(f"{t}/org-units.json"))["units"]}
    def staff(unit):  # (head, the unit's other active officials) when it has an active head
        h = units.get(unit, {}).get("head")
        if not h or not officials.get(h, {}).get("active"):
            return None, []
        return h, sorted(o["id"] for o in officials.values() if o["unit"] == unit and o["active"] and o["id"] != h)

    chosen, used = [], set()
    for c in sorted(cases("received") + cases("processing"), key=lambda c: c["code"]):
        a = officials.get(c.get("owner") or "")
        if len(chosen) >= movers or a is None or not a["active"]:
            continue
        h, others = staff(a["unit"])
        colleagues = [x for x in others if x != a["id"]]
        if not h or a["id"] not in others or not colleagues:
            continue
        # Prefer a colleague not yet in another mover's pair, so the ping-pongs are spread over officials.
        b = next((x for x in colleagues if x not in used), colleagues[0])
        used.update((a["id"], b))
        chosen.append((c["code"], a["id"], b, h, c["status"], a["unit"]))
    # Then units of their own (the client opens the cases), one mover line each, round again if there are few.
    templates = []
    for unit in sorted(units):
        h, others = staff(unit)
        free = [x for x in others if x not in used]
        if h and len(free) >= 2:
            templates.append(("-", free[0], free[1], h, "-", unit))
    for i in range(max(0, movers - len(chosen))):
        if templates:
            chosen.append(templates[i % len(templates)])
    with open(moves_out, "w") as f:
        for row in chosen:
            print(*row, file=f)
PY
  [ -s "$out" ] || die "no open case with an owner (GET /api/v1/cases?status=…)"
  if [ -n "$moves_out" ] && [ "$movers" -gt 0 ] && [ ! -s "$moves_out" ]; then
    die "no unit with a head and two other officials for the owner-changing load"
  fi
}

# ledger_size: the ledger's entry count, from `case show` without a code ("… ledger: N entries").
ledger_size() {
  local n
  n=$(bs case show --db "$DB" --keys "$KEYS" --limit 1 2>"$T/size.err" | sed -n 's/.*ledger: \([0-9][0-9]*\) entries.*/\1/p' | head -n 1) ||
    { redact <"$T/size.err" >&2; die "case show (ledger size) failed"; }
  [ -n "$n" ] || { redact <"$T/size.err" >&2; die "could not read the ledger size from 'buckstop case show'"; }
  printf '%s\n' "$n"
}

# run_verify LABEL: `buckstop verify` (the Merkle tree, every signed checkpoint, and every case projection and finding
# rebuilt from the entries and compared field by field); records a failure unless it exits 0. VERIFY_ENTRIES: the
# entries it counted; VERIFY_MATCH: what it found matching the entries ("N case projections" and, when it says so,
# "and M findings"; empty when its summary names neither).
run_verify() {
  local rc=0
  bs verify --db "$DB" --keys "$KEYS" >"$T/verify.txt" 2>"$T/verify.err" || rc=$?
  VERIFY_ENTRIES=$(grep -oE '[0-9]+ entries' "$T/verify.txt" | head -n 1 | cut -d' ' -f1 || true)
  VERIFY_MATCH=$(grep -oE '[0-9]+ case projections( and [0-9]+ findings)?' "$T/verify.txt" | head -n 1 || true)
  if [ "$rc" -eq 0 ]; then
    log "verify ($1): $(head -n 1 "$T/verify.txt")"
    [ ! -s "$T/verify.err" ] || log "verify ($1) also said on stderr: $(redact <"$T/verify.err" | head -n 3 | tr '\n' ' ')"
    return 0
  fi
  cat "$T/verify.txt" "$T/verify.err" | redact | head -n 30 >&2
  fail "verify ($1) exited with code $rc"
  return 1
}

# check_exactly_once PREFIX ACKED: every acknowledged request of $T/acked.jsonl once on the ledger, at its index, as
# the action sent; the mover cases' owners and statuses (projections) as their entries leave them; every finding a 201
# answer listed on the ledger; and ACKED — the 201s the load client counted — equal to the acknowledged requests
# found on the ledger (Scripts/check_ledger.py). Sets CHECK_LINE (its CHECK … line) and records a failure otherwise;
# a missing file or an unreadable `case show` is a failure too.
check_exactly_once() {
  local rc=0 found
  [ -f "$T/acked.jsonl" ] || { fail "no acknowledgement file $T/acked.jsonl: the load client wrote nothing"; return 0; }
  python3 "$CHECK_LEDGER" --bin "$BIN" --db "$DB" --keys "$KEYS" --prefix "$1" --acked "$T/acked.jsonl" \
    --others "$T/others.jsonl" ${MOVES_FILE:+--moves "$MOVES_FILE"} --expect-acked "$2" --summary "$T/check.json" \
    >"$T/check.txt" 2>&1 || rc=$?
  redact <"$T/check.txt" >&2
  CHECK_LINE=$(grep '^CHECK ' "$T/check.txt" | tail -n 1 || true)
  case $rc in
    0) ;;
    1) fail "ledger check: $CHECK_LINE" ;;
    *) fail "the ledger check could not run to the end (exit $rc): $(grep -m 1 'FAILED' "$T/check.txt" | redact || true)" ;;
  esac
  # The same comparison here, so that it cannot be lost with a change to the checker.
  found=$(check_field found_acked)
  if [ "$rc" -ne 2 ] && [ "$found" != "$2" ]; then
    fail "the load client counted $2 acknowledged requests, the checker found $found of them on the ledger"
  fi
}

# check_field KEY: a value of the last check's summary ($T/check.json), "?" when there is none.
check_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "?"))' "$T/check.json" "$1" 2>/dev/null || echo "?"; }

# load_field FILE KEY: a number of a load summary, 0 when absent (a load client of before the owner-changing load).
load_field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])).get(sys.argv[2], 0); print(sum(v.values()) if isinstance(v, dict) else v)' "$1" "$2"; }

# json_get FILE KEY…: a value from a JSON file (nested keys), or empty.
json_get() {
  python3 - "$@" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else (json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else v))
PY
}
