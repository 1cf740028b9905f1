#!/usr/bin/env bash
# Load benchmark of `buckstop serve`, driven by wrk from a second process over loopback (127.0.0.1 only).
#
#   Scripts/bench-serve.sh            (from the repository root, after `swift build -c release`)
#
# 1. Starts `serve --demo` (5000 demo cases) on a free port with a throwaway database in a temporary directory.
# 2. Logs in through the web form (GET /login for the _csrf field and the bs_pre cookie, POST /login) as the demo
#    official with the fullest inbox, or the unit head when no listed official has a case in the inbox.
# 3. Creates an API token (`token create --acts-for-everyone`, scopes actions:write and cases:read: a one-stop-shop
#    system's token that may act for every official) and reads the open cases and their owners from
#    GET /api/v1/cases?status=processing|received.
# 4. Three wrk runs (-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, script Scripts/bench/wrk-bench.lua):
#      inbox    GET /inbox with the session cookie;
#      pages    GET /cases/CODE with the same cookie, rotating over cases that official may see;
#      comments POST /api/v1/cases/CODE/actions {"type":"comment","actor":OWNER,...} rotating over the open
#               (code, owner) pairs; each one a durable ledger append replayed through the live detectors.
#      spread   the same over up to SPREAD_CASES (1000) cases: the open ones, then closed and resolved ones
#               commented by the first open case's owner. The demo has few open cases, so the comment run grows
#               each to thousands of entries (the replay's worst case); the spread run keeps them realistic.
#    A run fails the script when more than MAX_ERROR_RATE of its requests are not 2xx or hit socket errors.
# 5. Stops the server with SIGTERM (a graceful exit, code 0, is required), runs `verify` on the database (it
#    must pass, and the ledger must have grown by at least the comments answered 201 in both comment runs), then `bench ledger` (the
#    store alone, group commit).
# 6. Prints a summary table and writes it to $OUT.
#
# wrk and the server share the machine's cores (2 on the project's machines). The summary records per run the
# CPU the server, wrk and the whole machine used: whatever else ran (a build, say) took cores from the server,
# and the summary warns when that was more than OTHER_CPU_WARN cores (0.2).
#
# Environment: BUCKSTOP_BIN or BIN (default .build/release/buckstop), DURATION (seconds per wrk run, 20), CONNECTIONS
# (64), THREADS (2), WRK_TIMEOUT (wrk's per-request timeout, 10s; a timed-out request counts as an error),
# MAX_ERROR_RATE (0.001), START_TIMEOUT (seconds for seeding and listening, 300), STOP_TIMEOUT (60),
# PAGES_MAX (case codes to rotate over, 50), SPREAD_CASES (1000), LEDGER_ACTIONS (50000), LEDGER_CLIENTS (64), LEDGER_SINGLE (200),
# OTHER_CPU_WARN (0.2), OUT (default $T/bench-serve-result.txt), KEEP_DB=1 keeps the database in $T, SERVE_ARGS (extra flags for `serve`, e.g. --swift-executor).
# Installs wrk with apt-get when it is missing. Exit status: 0 when every run and check passed, 1 otherwise.
set -euo pipefail

case "${1:-}" in
  -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "bench-serve: no arguments expected (see --help); settings come from the environment" >&2; exit 2 ;;
esac

# A relative BUCKSTOP_BIN or OUT is taken from where the script was started.
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(abspath "${BUCKSTOP_BIN:-${BIN:-.build/release/buckstop}}")
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
MAX_ERROR_RATE=${MAX_ERROR_RATE:-0.001}
OTHER_CPU_WARN=${OTHER_CPU_WARN:-0.2}
START_TIMEOUT=${START_TIMEOUT:-300}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}
PAGES_MAX=${PAGES_MAX:-50}
SPREAD_CASES=${SPREAD_CASES:-1000}
LEDGER_ACTIONS=${LEDGER_ACTIONS:-50000}
LEDGER_CLIENTS=${LEDGER_CLIENTS:-64}
LEDGER_SINGLE=${LEDGER_SINGLE:-200}
KEEP_DB=${KEEP_DB:-0}
LUA=$ROOT/Scripts/bench/wrk-bench.lua

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
OUT=$(abspath "${OUT:-$T/bench-serve-result.txt}")
DB=$T/b.sqlite
SERVER_PID=""
FAILURES=()

log() { printf '[bench-serve %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
fail() { log "FAIL: $*"; FAILURES+=("$*"); }

# ---------------------------------------------------------------------------------------------------- tools
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}" >&2 ||
    { $SUDO apt-get update >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}" >&2; }
fi
[ -f "$LUA" ] || die "missing $LUA"

# The binary may be replaced by a build while this runs; wait for it rather than fail on a moment's absence.
need_bin() {
  local _
  for _ in $(seq 120); do [ -x "$BIN" ] && return 0; sleep 1; done
  die "no executable at $BIN (BUCKSTOP_BIN; build it with swift build -c release)"
}
bs() { need_bin; "$BIN" "$@"; }

# ---------------------------------------------------------------------------------------------------- server
server_alive() { [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; }

cleanup() {
  local rc=$?
  if server_alive; then
    log "stopping the server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 40); do server_alive || break; sleep 0.5; done
    if server_alive; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$T/ledger-bench"
  if [ "$KEEP_DB" != 1 ]; then rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.keys"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# "SERVER MACHINE": CPU seconds (user + system) the server has used so far, and busy CPU seconds of the whole
# machine (every core; wrk, the server and anything else running, such as a build).
cpu_seconds() {
  python3 - "$SERVER_PID" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
stat = open(f"/proc/{sys.argv[1]}/stat").read()
fields = stat[stat.rindex(")") + 2:].split()   # fields from the 3rd on; utime, stime are the 14th, 15th
cpu = [int(x) for x in open("/proc/stat").readline().split()[1:]]
busy = sum(cpu) - cpu[3] - cpu[4] - sum(cpu[8:])  # less idle, iowait and guest (already in user)
print((int(fields[11]) + int(fields[12])) / tick, busy / tick)
PY
}

need_bin
BIN_MTIME=$(stat -c %y "$BIN" | cut -d. -f1)
log "binary $BIN ($BIN_MTIME); temporary directory $T; $(nproc) cores"
log "starting serve --demo (seeds the demo city first)"
started=$(date +%s.%N)
# shellcheck disable=SC2086 # SERVE_ARGS: extra flags, split on spaces (e.g. --swift-executor)
"$BIN" serve --demo --db "$DB" --port 0 --port-file "$T/port" --survey-seconds 3600 --log-level info ${SERVE_ARGS:-} \
  >"$T/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
deadline=$((SECONDS + START_TIMEOUT))
while :; do
  if [ -s "$T/port" ]; then PORT=$(tr -dc '0-9' <"$T/port"); [ -n "$PORT" ] && break; fi
  server_alive || { tail -n 30 "$T/server.log" >&2; die "the server exited before listening"; }
  [ $SECONDS -lt $deadline ] || { tail -n 30 "$T/server.log" >&2; die "no port file after ${START_TIMEOUT}s"; }
  sleep 0.5
done
SEED_SECONDS=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
BASE=http://127.0.0.1:$PORT
log "listening on $BASE after ${SEED_SECONDS}s (pid $SERVER_PID)"

# ---------------------------------------------------------------------------------------------------- parsing
# parse MODE FILE: small HTML/JSON readers (python3's standard library only).
parse() {
  python3 - "$@" <<'PY'
import html.parser, json, re, sys
mode, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
SAFE = re.compile(r"^[A-Za-z0-9._-]+$")

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.csrf = self.password = None
        self.accounts, self.rows = [], []
        self.in_accounts = self.in_inbox = 0
        self.in_password = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "_csrf": self.csrf = a.get("value")
        if tag == "code" and a.get("id") == "demo-password": self.in_password = True
        if tag == "ul" and a.get("id") == "demo-accounts": self.in_accounts = 1
        elif tag == "ul" and self.in_accounts: self.in_accounts += 1
        if tag == "li" and self.in_accounts and a.get("data-id"):
            self.accounts.append((a["data-id"], a.get("data-role", ""), a.get("data-unit", "")))
        if tag == "table" and a.get("id") == "inbox": self.in_inbox = 1
        elif tag == "table" and self.in_inbox: self.in_inbox += 1
        if tag == "tr" and self.in_inbox and a.get("data-case"): self.rows.append(a["data-case"])
    def handle_endtag(self, tag):
        if tag == "code": self.in_password = False
        if tag == "ul" and self.in_accounts: self.in_accounts -= 1
        if tag == "table" and self.in_inbox: self.in_inbox -= 1
    def handle_data(self, data):
        if self.in_password: self.password = (self.password or "") + data.strip()

if mode == "login":        # csrf=..., password=..., then one "account ID ROLE UNIT" line each
    p = Page(); p.feed(text)
    print(f"csrf {p.csrf or ''}")
    print(f"password {p.password or ''}")
    for a in p.accounts: print("account", *[x if x else "-" for x in a])
elif mode == "inbox":      # the case codes of table#inbox, one a line
    p = Page(); p.feed(text)
    for code in p.rows: print(code)
elif mode == "codes":      # codes of an API case list
    for c in json.loads(text)["cases"]: print(c["code"])
elif mode == "pairs":      # "code owner" of an API case list, for cases with an owner
    for c in json.loads(text)["cases"]:
        if c.get("owner"): print(c["code"], c["owner"])
elif mode == "lua":        # lines of words -> a Lua table: one word a line gives strings, more give tuples
    rows = [l.split() for l in text.splitlines() if l.strip()]
    bad = [r for r in rows if not all(SAFE.match(w) for w in r)]
    if bad: sys.exit(f"unexpected characters in {bad[:3]}")
    print("return {")
    for r in rows:
        print("  " + (f'"{r[0]}",' if len(r) == 1 else "{" + ", ".join(f'"{w}"' for w in r) + "},"))
    print("}")
PY
}

# ---------------------------------------------------------------------------------------------------- token
log "creating an API token (token create --scope actions:write --scope cases:read --acts-for-everyone)"
TOKEN=$(bs token create --db "$DB" --name bench --scope actions:write --scope cases:read --acts-for-everyone 2>"$T/token.err" | tail -n 1 | tr -d '[:space:]') ||
  { cat "$T/token.err" >&2; die "token create failed"; }
[ -n "$TOKEN" ] || { cat "$T/token.err" >&2; die "token create printed no token"; }
api_get() {  # api_get PATH FILE: GET with the token; fails unless 200
  local code
  code=$(curl -sS -o "$2" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE$1")
  [ "$code" = 200 ] || { head -c 500 "$2" >&2; echo >&2; die "GET $1 answered $code"; }
}
api_get "/api/v1/cases?status=processing&limit=500" "$T/processing.json"
api_get "/api/v1/cases?status=received&limit=500" "$T/received.json"
{ parse pairs "$T/processing.json"; parse pairs "$T/received.json"; } | sort -u >"$T/pairs.txt"
NPAIRS=$(wc -l <"$T/pairs.txt")
[ "$NPAIRS" -gt 0 ] || die "no open case with an owner (processing, received)"
parse lua "$T/pairs.txt" >"$T/pairs.lua"
log "$NPAIRS open (code, owner) pairs for the comment run"
# The spread run: the same comments over up to SPREAD_CASES cases, the open ones by their owners and finished ones
# (closed, resolved) by the first open case's owner (anyone may add a note). The demo city has few open cases, so
# the comment run piles thousands of entries onto each during a run — a worst case for the per-append replay; the
# spread run keeps cases at realistic lengths.
api_get "/api/v1/cases?status=closed&limit=500" "$T/closed.json"
api_get "/api/v1/cases?status=resolved&limit=500" "$T/resolved.json"
read -r _ SPREAD_ACTOR <"$T/pairs.txt"
{ cat "$T/pairs.txt"; { parse codes "$T/closed.json"; parse codes "$T/resolved.json"; } | sed "s/\$/ $SPREAD_ACTOR/"; } |
  awk '!seen[$1]++' | head -n "$SPREAD_CASES" >"$T/spread.txt"
NSPREAD=$(wc -l <"$T/spread.txt")
parse lua "$T/spread.txt" >"$T/spread.lua"
log "$NSPREAD (code, actor) pairs for the spread run"

# ---------------------------------------------------------------------------------------------------- login
curl -sS -f -o "$T/login.html" "$BASE/login" || die "GET /login failed"
parse login "$T/login.html" >"$T/login.txt"
DEMO_PASSWORD=$(awk '$1 == "password" { print $2 }' "$T/login.txt")
[ -n "$DEMO_PASSWORD" ] || die "no <code id=\"demo-password\"> on /login (is --demo on?)"
grep -q '^account ' "$T/login.txt" || die "no <ul id=\"demo-accounts\"> entries on /login"

# login ID: logs in through the form with a fresh cookie jar; prints the bs_session value.
login() {
  local id=$1 jar=$T/cookies.$1 csrf status session
  rm -f "$jar"
  curl -sS -f -c "$jar" -b "$jar" -o "$T/login.$id.html" "$BASE/login" || die "GET /login failed"
  csrf=$(parse login "$T/login.$id.html" | awk '$1 == "csrf" { print $2 }')
  [ -n "$csrf" ] || die "no _csrf field on /login"
  grep -q 'bs_pre' "$jar" || die "GET /login set no bs_pre cookie"
  curl -sS -c "$jar" -b "$jar" -D "$T/login.$id.headers" -o /dev/null \
    --data-urlencode "_csrf=$csrf" --data-urlencode "official=$id" --data-urlencode "password=$DEMO_PASSWORD" "$BASE/login"
  status=$(awk 'NR == 1 { print $2 }' "$T/login.$id.headers")
  session=$(tr -d '\r' <"$T/login.$id.headers" | sed -n 's/^[Ss]et-[Cc]ookie: *bs_session=\([^;]*\).*/\1/p' | tail -n 1)
  if [ "$status" != 303 ] || [ -z "$session" ]; then cat "$T/login.$id.headers" >&2; die "POST /login as $id answered $status without a bs_session cookie"; fi
  printf '%s\n' "$session"
}
# inbox SESSION ID: fetches /inbox and prints its case codes.
inbox() {
  local code
  code=$(curl -sS -o "$T/inbox.$2.html" -w '%{http_code}' -H "Cookie: bs_session=$1" "$BASE/inbox")
  [ "$code" = 200 ] || die "GET /inbox as $2 answered $code"
  parse inbox "$T/inbox.$2.html"
}

USER_ID="" USER_ROLE="" USER_UNIT="" SESSION="" INBOX_ROWS=-1
while read -r _ id role unit; do
  [ "$role" = official ] || continue
  s=$(login "$id"); n=$(inbox "$s" "$id" | wc -l)
  log "official $id ($unit): $n case(s) in the inbox"
  if [ "$n" -gt "$INBOX_ROWS" ]; then USER_ID=$id USER_ROLE=$role USER_UNIT=$unit SESSION=$s INBOX_ROWS=$n; fi
done < <(grep '^account ' "$T/login.txt")
if [ "$INBOX_ROWS" -le 0 ]; then
  head_line=$(awk '$1 == "account" && $3 == "head" { print; exit }' "$T/login.txt")
  if [ -n "$head_line" ]; then
    read -r _ id role unit <<<"$head_line"
    log "no listed official has a case in the inbox: using the head $id ($unit), who may open the unit's cases"
    s=$(login "$id"); n=$(inbox "$s" "$id" | wc -l)
    USER_ID=$id USER_ROLE=$role USER_UNIT=$unit SESSION=$s INBOX_ROWS=$n
  fi
fi
[ -n "$SESSION" ] || die "could not log in as any demo official or head"
log "benchmarking as $USER_ID ($USER_ROLE, $USER_UNIT), $INBOX_ROWS inbox row(s)"

# Case pages: the inbox's cases, then the unit's (any status), each checked to answer 200 for this session.
inbox "$SESSION" "$USER_ID" >"$T/candidates.txt"
if [ "$USER_UNIT" != - ]; then
  api_get "/api/v1/cases?unit=$USER_UNIT&limit=500" "$T/unit.json"
  parse codes "$T/unit.json" >>"$T/candidates.txt"
fi
: >"$T/codes.txt"
while read -r code; do
  [ "$(wc -l <"$T/codes.txt")" -lt "$PAGES_MAX" ] || break
  status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: bs_session=$SESSION" "$BASE/cases/$code")
  if [ "$status" = 200 ]; then echo "$code" >>"$T/codes.txt"; else log "GET /cases/$code as $USER_ID answered $status: left out"; fi
done < <(awk '!seen[$0]++' "$T/candidates.txt")
NCODES=$(wc -l <"$T/codes.txt")
[ "$NCODES" -gt 0 ] || die "no case page that $USER_ID may open"
parse lua "$T/codes.txt" >"$T/codes.lua"
log "$NCODES case page(s) for the page run"

# One comment through the API before the load, so that a refusal shows up plainly here.
read -r code owner <"$T/pairs.txt"
status=$(curl -sS -o "$T/comment.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"type\":\"comment\",\"actor\":\"$owner\",\"text\":\"bench warm-up\"}" "$BASE/api/v1/cases/$code/actions")
[ "$status" = 201 ] || { head -c 500 "$T/comment.json" >&2; echo >&2; die "POST /api/v1/cases/$code/actions answered $status"; }
# Its ledger index: every entry after it comes from the comment run (the survey is due only in an hour), so the
# ledger's growth can be held against the 201s that wrk counted.
ENTRIES_BEFORE=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["index"] + 1)' "$T/comment.json")

# ---------------------------------------------------------------------------------------------------- wrk
declare -A R
RUNS=()
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
# run NAME LABEL URL MODE [LIST] -- HEADERS...: one wrk run; its BENCH line goes into R[NAME.key].
run() {
  local name=$1 label=$2 url=$3 mode=$4 list="" cpu0 cpu1 wall0 wall1 line k v kv
  shift 4
  if [ "${1:-}" != -- ]; then list=$1; shift; fi
  shift  # --
  local headers=()
  while [ $# -gt 0 ]; do headers+=(-H "$1"); shift; done
  server_alive || die "the server is gone before the $name run"
  log "wrk $name: $label"
  cpu0=$(cpu_seconds)
  wall0=$(date +%s%N)
  times >"$T/times0"  # the second line: CPU of this shell's finished children, so the difference is wrk's
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency "${headers[@]}" \
    -s "$LUA" "$url" -- "$mode" ${list:+"$list"} >"$T/wrk-$name.txt" 2>&1 || { cat "$T/wrk-$name.txt" >&2; die "wrk failed ($name)"; }
  times >"$T/times1"
  server_alive || { cat "$T/wrk-$name.txt" >&2; tail -n 30 "$T/server.log" >&2; die "the server died during the $name run"; }
  cpu1=$(cpu_seconds)
  wall1=$(date +%s%N)
  sed 's/^/    /' "$T/wrk-$name.txt" >&2
  line=$(grep '^BENCH ' "$T/wrk-$name.txt" | tail -n 1) || die "no BENCH line in the $name run's output"
  for kv in ${line#BENCH }; do k=${kv%%=*} v=${kv#*=}; R[$name.$k]=$v; done
  R[$name.label]=$label
  local scpu mcpu wcpu
  read -r scpu mcpu wcpu < <(python3 - "$cpu0" "$cpu1" "$wall0" "$wall1" "$T/times0" "$T/times1" <<'PY'
import re, sys
def children(path):  # "XmY.YYYs XmY.YYYs" on the second line of bash's `times`
    return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", open(path).read().splitlines()[1]))
a, b = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
secs = (int(sys.argv[4]) - int(sys.argv[3])) / 1e9
print(*(f"{v / secs:.2f}" for v in (b[0] - a[0], b[1] - a[1], children(sys.argv[6]) - children(sys.argv[5]))))
PY
)
  R[$name.server_cpu]=$scpu R[$name.machine_cpu]=$mcpu R[$name.wrk_cpu]=$wcpu
  R[$name.other_cpu]=$(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]) - float(sys.argv[3]):.2f}')" "$mcpu" "$scpu" "$wcpu")
  R[$name.wrk_non2xx]=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$T/wrk-$name.txt")
  R[$name.wrk_non2xx]=${R[$name.wrk_non2xx]:-0}
  RUNS+=("$name")
  local errors=$(( ${R[$name.non2xx]} + ${R[$name.socket_errors]} ))
  R[$name.errors]=$errors
  if [ "${R[$name.requests]}" -eq 0 ]; then
    fail "$name: no request completed"
  elif python3 -c "import sys; sys.exit(0 if int(sys.argv[1]) > float(sys.argv[3]) * int(sys.argv[2]) else 1)" "$errors" "${R[$name.requests]}" "$MAX_ERROR_RATE"; then
    fail "$name: $errors of ${R[$name.requests]} requests failed (non-2xx ${R[$name.non2xx]}, socket errors ${R[$name.socket_errors]}; statuses ${R[$name.statuses]})"
  fi
}

run inbox "GET /inbox as $USER_ID" "$BASE/inbox" plain -- "Cookie: bs_session=$SESSION"
run pages "GET /cases/CODE as $USER_ID, $NCODES codes" "$BASE" pages "$T/codes.lua" -- "Cookie: bs_session=$SESSION"
run comments "POST /api/v1/cases/CODE/actions comment, $NPAIRS (code, owner) pairs" "$BASE" comments "$T/pairs.lua" -- \
  "Authorization: Bearer $TOKEN" "Content-Type: application/json"
run spread "POST /api/v1/cases/CODE/actions comment, spread over $NSPREAD cases" "$BASE" comments "$T/spread.lua" -- \
  "Authorization: Bearer $TOKEN" "Content-Type: application/json"

SERVER_RSS=$(awk '/^VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "?")

# ---------------------------------------------------------------------------------------------------- stop
log "SIGTERM to the server"
stop_started=$SECONDS
stop_ns=$(date +%s%N)
kill -TERM "$SERVER_PID"
while server_alive && [ $((SECONDS - stop_started)) -lt "$STOP_TIMEOUT" ]; do sleep 0.1; done
if server_alive; then
  fail "the server did not exit within ${STOP_TIMEOUT}s of SIGTERM; killed"
  kill -KILL "$SERVER_PID" 2>/dev/null || true
fi
SERVER_EXIT=0
wait "$SERVER_PID" || SERVER_EXIT=$?
SERVER_PID=""
STOP_SECONDS=$(python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.1f}')" "$stop_ns" "$(date +%s%N)")
[ "$SERVER_EXIT" -eq 0 ] || fail "the server exited with code $SERVER_EXIT after SIGTERM"
LOG_PROBLEMS=$(grep -ciE 'error|critical|fatal' "$T/server.log" || true)
LOG_WARNINGS=$(grep -ciE 'warning' "$T/server.log" || true)

# ---------------------------------------------------------------------------------------------------- verify
log "verify --db $DB"
VERIFY_EXIT=0
bs verify --db "$DB" >"$T/verify.txt" 2>&1 || VERIFY_EXIT=$?
cat "$T/verify.txt" >&2
[ "$VERIFY_EXIT" -eq 0 ] || fail "verify exited with code $VERIFY_EXIT"
LEDGER_ENTRIES=$(grep -oE '[0-9]+ entries' "$T/verify.txt" | head -n 1 | cut -d' ' -f1 || true)
DB_BYTES=$(cat "$DB" "$DB-wal" 2>/dev/null | wc -c)
# Every 201 of the two comment runs is a durable entry; requests still in flight when wrk stopped (at most one per
# connection) were answered to nobody but may have been appended too.
acked() { python3 -c "import re, sys; m = re.search(r'(^|,)201:(\d+)', sys.argv[1]); print(m.group(2) if m else 0)" "$1"; }
ACKED=$(( $(acked "${R[comments.statuses]}") + $(acked "${R[spread.statuses]}") ))
GROWTH=$(( ${LEDGER_ENTRIES:-0} - ENTRIES_BEFORE ))
if [ -z "$LEDGER_ENTRIES" ]; then
  fail "could not read the ledger's size from verify"
elif [ "$GROWTH" -lt "$ACKED" ]; then
  fail "the ledger grew by $GROWTH entries during the comment runs but $ACKED comments were acknowledged with 201"
fi
# The rest: requests in flight when wrk stopped, and finding entries the live detectors raised (not a failure).
UNACKED=$((GROWTH - ACKED))

# ---------------------------------------------------------------------------------------------------- store alone
log "bench ledger --actions $LEDGER_ACTIONS --clients $LEDGER_CLIENTS --single $LEDGER_SINGLE"
LEDGER_EXIT=0
bs bench ledger --actions "$LEDGER_ACTIONS" --clients "$LEDGER_CLIENTS" --single "$LEDGER_SINGLE" --dir "$T/ledger-bench" \
  >"$T/bench-ledger.txt" 2>&1 || LEDGER_EXIT=$?
rm -rf "$T/ledger-bench"
sed 's/^/    /' "$T/bench-ledger.txt" >&2
[ "$LEDGER_EXIT" -eq 0 ] || fail "bench ledger exited with code $LEDGER_EXIT"
LEDGER_GROUP=$(grep -E 'clients, group commit' "$T/bench-ledger.txt" | sed 's/  */ /g' || true)
LEDGER_SINGLE_LINE=$(grep -E '1 client \(1 commit/action\)' "$T/bench-ledger.txt" | sed 's/  */ /g' || true)

# ---------------------------------------------------------------------------------------------------- summary
ms() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1000:.2f}')" "$1"; }
{
  echo "# bench-serve $(date -u +%FT%TZ)"
  echo
  now_mtime=$(stat -c %y "$BIN" 2>/dev/null | cut -d. -f1 || true)
  echo "- binary: $BIN ($BIN_MTIME)$([ "$now_mtime" = "$BIN_MTIME" ] || echo "; REPLACED during the run (now $now_mtime): verify and bench ledger may have used the new one")"
  echo "- machine: $(nproc) cores, load average $LOADAVG before the runs; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT on 127.0.0.1, sharing the cores with the server"
  echo "- demo: seeded and listening after ${SEED_SECONDS} s; session of $USER_ID ($USER_ROLE, $USER_UNIT, inbox rows: $INBOX_ROWS)"
  echo
  echo "| run | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | statuses | CPU cores: server / wrk / machine |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"
  for n in "${RUNS[@]}"; do
    echo "| ${R[$n.label]} | ${R[$n.requests]} | ${R[$n.rps]} | $(ms "${R[$n.p50_us]}") | $(ms "${R[$n.p90_us]}") | $(ms "${R[$n.p99_us]}") | $(ms "${R[$n.max_us]}") | ${R[$n.errors]} | ${R[$n.statuses]} | ${R[$n.server_cpu]} / ${R[$n.wrk_cpu]} / ${R[$n.machine_cpu]} |"
  done
  echo
  wrk_counts=()
  for n in "${RUNS[@]}"; do wrk_counts+=("$n ${R[$n.wrk_non2xx]}"); done
  echo "- CPU cores busy during each run: the server's, wrk's and the whole machine's; machine − server − wrk is anything else that ran (a build, say), which the numbers then lack"
  for n in "${RUNS[@]}"; do
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "${R[$n.other_cpu]}" "$OTHER_CPU_WARN"; then
      echo "- WARNING: other processes used ${R[$n.other_cpu]} cores during the $n run: its numbers are low; run again on a quiet machine"
    fi
  done
  echo "- errors = responses outside 2xx + socket errors (connect/read/write/timeout); wrk's own 'Non-2xx or 3xx' count: $(printf '%s, ' "${wrk_counts[@]}" | sed 's/, $//')"
  echo "- store alone (bench ledger): ${LEDGER_GROUP:-no group-commit line (exit $LEDGER_EXIT)}"
  echo "- store alone, one client: ${LEDGER_SINGLE_LINE:-?}"
  echo "- server: peak RSS $SERVER_RSS; exited $SERVER_EXIT ${STOP_SECONDS} s after SIGTERM; log lines with error/critical: $LOG_PROBLEMS, with warning: $LOG_WARNINGS"
  echo "- verify after the load: $(if [ "$VERIFY_EXIT" -eq 0 ]; then echo OK; else echo "FAILED (exit $VERIFY_EXIT)"; fi) — $(head -n 1 "$T/verify.txt")"
  echo "- ledger: ${LEDGER_ENTRIES:-?} entries; database + WAL $((DB_BYTES / 1024 / 1024)) MiB; grew by $GROWTH during the comment runs: $ACKED acknowledged comments + $UNACKED more (requests in flight when each run stopped, at most $CONNECTIONS per run, and any findings raised)"
  if [ ${#FAILURES[@]} -gt 0 ]; then
    echo "- FAILED:"; for f in "${FAILURES[@]}"; do echo "  - $f"; done
  else
    echo "- result: PASS (error rate ≤ $MAX_ERROR_RATE in every run, graceful stop, ledger verified)"
  fi
} >"$OUT"
for n in "${RUNS[@]}"; do grep '^BENCH-SAMPLE' "$T/wrk-$n.txt" | sed "s/^BENCH-SAMPLE/  $n: non-2xx sample:/" >>"$OUT" || true; done

echo
cat "$OUT"
echo
echo "summary: $OUT  (wrk outputs, server log and inputs in $T)"
[ ${#FAILURES[@]} -eq 0 ]
