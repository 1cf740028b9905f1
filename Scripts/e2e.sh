#!/usr/bin/env bash
# Browser end-to-end test: starts `buckstop serve --demo` on a free port with a throwaway database and keys, runs
# Tests/e2e/browser_e2e.py against it in headless Chromium, then stops the server with SIGTERM and requires a
# graceful exit (code 0) within 20 s. Builds nothing: run `swift build` first.
#
#   Scripts/e2e.sh [--screenshots DIR]
#
# Environment: BUCKSTOP_BIN or BIN (default .build/debug/buckstop), E2E_PYTHON (an interpreter that imports Selenium 4;
# default: the first of python3, /usr/bin/python3 that does), CHROMEDRIVER (default /usr/bin/chromedriver),
# E2E_START_TIMEOUT (default 120 s).
# With CI=true, missing Chromium/chromedriver/Selenium are installed by Scripts/install-e2e-deps.sh.
# Screenshots default to .build/e2e-screenshots; the server's log is saved there as server.log.
set -euo pipefail
cd "$(dirname "$0")/.."

SHOTS=.build/e2e-screenshots
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshots) SHOTS=${2:?--screenshots needs a directory}; shift 2 ;;
    --screenshots=*) SHOTS=${1#*=}; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e: unknown argument $1 (usage: Scripts/e2e.sh [--screenshots DIR])" >&2; exit 2 ;;
  esac
done

BUCKSTOP_BIN=${BUCKSTOP_BIN:-${BIN:-.build/debug/buckstop}}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
START_TIMEOUT=${E2E_START_TIMEOUT:-120}  # seconds for the server to seed the demo and listen
STOP_TIMEOUT=20    # seconds for a graceful stop after SIGTERM

has_selenium() {
  "$1" -c 'import sys, selenium; sys.exit(0 if int(selenium.__version__.split(".")[0]) >= 4 else 1)' >/dev/null 2>&1
}

find_python() {
  local c
  for c in ${E2E_PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 && has_selenium "$c"; then command -v "$c"; return 0; fi
  done
  return 1
}

ensure_deps() {
  if [ -x "$CHROMEDRIVER" ] && command -v chromium >/dev/null 2>&1 && PY=$(find_python); then return 0; fi
  if [ "${CI:-}" = "true" ]; then
    bash Scripts/install-e2e-deps.sh
    PY=$(find_python) || { echo "e2e: no python3 imports Selenium 4 after installing" >&2; exit 1; }
    [ -x "$CHROMEDRIVER" ] || { echo "e2e: $CHROMEDRIVER missing after installing" >&2; exit 1; }
  else
    echo "e2e: missing Chromium, $CHROMEDRIVER or Selenium 4 for python3; run: sudo Scripts/install-e2e-deps.sh" >&2
    exit 1
  fi
}

ensure_deps
# axe-core for the accessibility check (a download from PyPI, see the script).
AXE=$(bash Scripts/fetch-axe.sh) || { echo "e2e: could not fetch axe-core (Scripts/fetch-axe.sh)" >&2; exit 1; }
if [ ! -x "$BUCKSTOP_BIN" ]; then
  echo "e2e: $BUCKSTOP_BIN is not an executable; run \`swift build\` first or set BUCKSTOP_BIN" >&2
  exit 1
fi

mkdir -p "$SHOTS"
SHOTS=$(cd "$SHOTS" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/buckstop-e2e.XXXXXX")
LOG="$SHOTS/server.log"
SERVER_PID=""

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_log_tail() {
  echo "---- last lines of $LOG" >&2
  tail -n 40 "$LOG" >&2 || true
  echo "----" >&2
}

echo "e2e: starting $BUCKSTOP_BIN serve --demo (db and keys in $TMP)"
"$BUCKSTOP_BIN" serve --demo --db "$TMP/e2e.sqlite" --keys "$TMP/keys" --port 0 --port-file "$TMP/port" \
  >"$LOG" 2>&1 </dev/null &
SERVER_PID=$!

PORT=""
deadline=$((SECONDS + START_TIMEOUT))
while :; do
  if [ -s "$TMP/port" ]; then
    PORT=$(tr -d '[:space:]' <"$TMP/port")
    if [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -gt 0 ]; then break; fi
    PORT=""  # partly written: read again
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    rc=0; wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    echo "e2e: the server exited (code $rc) before writing its port" >&2
    server_log_tail
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "e2e: the server wrote no port to $TMP/port within $START_TIMEOUT s" >&2
    server_log_tail
    exit 1
  fi
  sleep 0.5
done
BASE="http://127.0.0.1:$PORT"
echo "e2e: server pid $SERVER_PID listening at $BASE (ready after $((SECONDS + START_TIMEOUT - deadline)) s)"

test_rc=0
"$PY" Tests/e2e/browser_e2e.py --base "$BASE" --screenshots "$SHOTS" --chromedriver "$CHROMEDRIVER" --axe "$AXE" || test_rc=$?

stop_rc=0
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  rc=0; wait "$SERVER_PID" || rc=$?
  echo "e2e: the server died during the test (exit code $rc)" >&2
  server_log_tail
  stop_rc=1
else
  kill -TERM "$SERVER_PID"
  stop_deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$SERVER_PID" 2>/dev/null && [ "$SECONDS" -lt "$stop_deadline" ]; do sleep 0.2; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server did not stop within $STOP_TIMEOUT s of SIGTERM" >&2
    server_log_tail
    stop_rc=1  # the EXIT trap kills it
  else
    rc=0; wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    if [ "$rc" -eq 0 ]; then
      echo "e2e: server stopped gracefully on SIGTERM"
    else
      echo "e2e: the server exited with code $rc on SIGTERM (want 0: a graceful stop)" >&2
      server_log_tail
      stop_rc=1
    fi
  fi
fi

echo "e2e: screenshots and server.log in $SHOTS"
if [ "$test_rc" -ne 0 ]; then
  echo "e2e: FAILED (browser test exit code $test_rc; see $SHOTS/failure.png)" >&2
  exit 1
fi
[ "$stop_rc" -eq 0 ] || { echo "e2e: FAILED (server shutdown)" >&2; exit 1; }
echo "e2e: passed"
