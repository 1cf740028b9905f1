#!/usr/bin/env bash
# schemathesis (PyPI) against the served OpenAPI document: `buckstop serve --demo` on a free port with a throwaway
# database, one token per scope (each a system's token acting for every official, so writes reach the domain), and
# for each token schemathesis generates requests from /openapi.yaml — valid ones and broken ones — and checks that no
# answer is a 5xx, that every status, content type and body is what the document says, and that invalid input is
# refused. Domain refusals of schema-valid but meaningless requests (an unknown official, a closed case: 403, 404,
# 409, 422) are accepted answers; see Scripts/schemathesis.toml.
#
#   Scripts/api-fuzz.sh [EXAMPLES_PER_OPERATION]     default 25; the benchmark run uses 400 (≥ 10^4 requests)
#
# Environment: BUCKSTOP_BIN (default .build/debug/buckstop; built when missing), API_FUZZ_REPORTS (default
# .build/api-fuzz), ST (default: st, installed with pip
# when missing). Generation is deterministic (the same requests every run). One worker: CPython 3.11.7 raises "AST constructor recursion depth
# mismatch" when hypothesis describes strategies from two threads at once.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${1:-25}
BIN=${BUCKSTOP_BIN:-.build/debug/buckstop}
log() { printf '[api-fuzz] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

ST=${ST:-st}
if ! command -v "$ST" >/dev/null 2>&1; then
  log "pip install schemathesis"
  python3 -m pip install --quiet schemathesis >&2 || die "cannot install schemathesis"
  ST=$(command -v st) || die "schemathesis installed no 'st'"
fi
[ -x "$BIN" ] || { log "building buckstop"; swift build --product buckstop >/dev/null; }

T=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

DB="$T/api.sqlite"
"$BIN" demo --db "$DB" --cases 150 --seed 11 >/dev/null
declare -A TOKENS
for scope in cases:read actions:write findings:read findings:write ledger:read org:read; do
  TOKENS[$scope]=$("$BIN" token create --db "$DB" --name "fuzz-${scope/:/-}" --acts-for-everyone --scope "$scope" | tail -n 1 | tr -d '[:space:]')
done
"$BIN" serve --db "$DB" --demo --port 0 --port-file "$T/port" --survey-seconds 86400 >"$T/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do [ -s "$T/port" ] && break; kill -0 "$SERVER" 2>/dev/null || { cat "$T/server.log" >&2; die "server exited"; }; sleep 0.2; done
[ -s "$T/port" ] || die "server did not listen"
BASE="http://127.0.0.1:$(tr -d '[:space:]' <"$T/port")"
log "server at $BASE; $EXAMPLES examples per operation and token"

REPORTS=${API_FUZZ_REPORTS:-.build/api-fuzz}
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
total=0
failed=()
for scope in "${!TOKENS[@]}"; do
  out="$REPORTS/st-${scope/:/-}.txt"
  set +e
  "$ST" --config-file Scripts/schemathesis.toml --no-color run "$BASE/openapi.yaml" -H "Authorization: Bearer ${TOKENS[$scope]}" \
    --max-examples "$EXAMPLES" --generation-deterministic --workers 1 >"$out" 2>&1
  status=$?
  set -e
  calls=$({ grep -oE '[0-9,]+ (test cases|generated)' "$out" || true; } | head -n 1 | { grep -oE '^[0-9,]+' || true; } | tr -d ',')
  total=$((total + ${calls:-0}))
  if [ "$status" -eq 0 ]; then log "$scope: ok (${calls:-?} test cases)"; else log "$scope: FAILED"; grep -A 12 -E '^_+ |Failures:' "$out" | head -n 80 >&2; failed+=("$scope"); fi
done
cp "$T/server.log" "$REPORTS/server.log"
log "schemathesis reports and the server's log: $REPORTS"
log "total test cases: $total"
[ ${#failed[@]} -eq 0 ] || die "schemathesis failed for: ${failed[*]}"
