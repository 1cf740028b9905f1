#!/usr/bin/env bash
# libFuzzer over every parser of outside input (Fuzz/: XES, CSV, gzip, canonical JSON, ledger entries, rulebook and
# organisation YAML, the API's request bodies, checkpoints), with AddressSanitizer (memory errors and leaks) and an
# RSS limit (bounded memory).
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]      default: 60 s, every target
#
# Corpora are seeded from ../shared/data/eventlogs and a demo ledger, and kept in .build-fuzz/corpus between runs;
# a crash leaves its input in .build-fuzz/artifacts and fails the script. Prints executions per target and the total.
# Environment: FUZZ_RSS_MB (default 2048), SHARED (default ../shared), BUCKSTOP_BIN (a built buckstop, for the
# demo-ledger seeds; default .build/debug/buckstop, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzXES FuzzCSV FuzzGzip FuzzCanonicalJSON FuzzEntryCodec FuzzRulebookYAML FuzzOrganizationYAML FuzzAPIRequests FuzzCheckpoint)
RSS=${FUZZ_RSS_MB:-2048}
SHARED=${SHARED:-../shared}
OUT=.build-fuzz
log() { printf '[fuzz] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# One product at a time: building the package as a whole would also build every product of BuckStop (the server).
# lld links them (gold fails on the sanitizer's debug info).
FLAGS=(-c release --package-path Fuzz --scratch-path "$PWD/$OUT" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
mkdir -p "$OUT"
log "building ${TARGETS[*]} (-sanitize=fuzzer,address)"
for t in "${TARGETS[@]}"; do
  swift build "${FLAGS[@]}" --product "$t" >"$OUT/build.log" 2>&1 || { tail -n 40 "$OUT/build.log" >&2; die "fuzz build of $t failed"; }
done
BIN_DIR=$(swift build "${FLAGS[@]}" --show-bin-path)

BUCKSTOP=${BUCKSTOP_BIN:-.build/debug/buckstop}
if [ ! -x "$BUCKSTOP" ]; then
  log "building buckstop for the seeds"
  swift build --product buckstop >/dev/null
fi
SEEDS=$(mktemp -d)
trap 'rm -rf "$SEEDS"' EXIT
"$BUCKSTOP" demo --db "$SEEDS/demo.sqlite" --cases 40 --seed 7 >/dev/null
"$BUCKSTOP" org show --yaml --db "$SEEDS/demo.sqlite" >"$SEEDS/org.yaml"
mkdir -p "$OUT/corpus" "$OUT/artifacts"
python3 Scripts/fuzz_seeds.py "$OUT/corpus" "$SHARED/data/eventlogs" "$SEEDS/demo.sqlite" "$SEEDS/org.yaml" \
  Sources/BuckStopDefaults/Data/rulebook-vn.yaml

# The Swift runtime's own crash backtracer is off: libFuzzer and ASan report, and the backtracer reading memory
# around a crash would be reported by ASan as a second fault.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=1:symbolize=0:allocator_may_return_null=1

total=0
failed=()
printf '%-22s %14s %10s %s\n' target executions seconds result
for t in "${TARGETS[@]}"; do
  mkdir -p "$OUT/corpus/$t"
  start=$(date +%s)
  set +e
  "$BIN_DIR/$t" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS" -malloc_limit_mb="$RSS" -timeout=20 \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" "$OUT/corpus/$t" >"$OUT/$t.log" 2>&1
  status=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$' | tail -n 1)
  runs=${runs:-0}
  total=$((total + runs))
  if [ "$status" -eq 0 ]; then result=ok; else result="FAILED (exit $status; see $OUT/$t.log)"; failed+=("$t"); fi
  printf '%-22s %14s %10s %s\n' "$t" "$runs" "$(( $(date +%s) - start ))" "$result"
done
printf '%-22s %14s\n' total "$total"
if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do grep -E 'ERROR|Fatal error|SUMMARY|==[0-9]+==' "$OUT/$t.log" | head -n 8 >&2 || true; done
  die "${failed[*]}"
fi
