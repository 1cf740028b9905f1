#!/usr/bin/env bash
# The limit for durable appends on a PostgreSQL cluster: pgbench's built-in simple-update script (one UPDATE, one
# SELECT, one INSERT per transaction, each transaction committed durably) with the clients and threads the store
# benchmarks use. Run it on the cluster a store benchmark uses, in the same session, to put the two side by side.
#
#   Scripts/bench-pgbench.sh           (starts the throwaway cluster of Scripts/postgres-cluster.sh if needed)
#
# Environment: CLIENTS (64), THREADS (2), DURATION (15 s), SCALE (10), and the cluster's settings (PG_DIR, PG_PORT,
# PG_USER, PG_PASSWORD, PG_DATABASE — see postgres-cluster.sh). Prints one line:
#   pgbench simple-update: N tps (clients C, threads T, D s, scale S, synchronous_commit on, fsync on)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${CLIENTS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-15}
SCALE=${SCALE:-10}
eval "$(bash "$ROOT/Scripts/postgres-cluster.sh" start)"
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
export PGPASSWORD=$POSTGRES_PASSWORD
conn=(-h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER")
settings=$("$BIN/psql" "${conn[@]}" -d "$POSTGRES_DB" -tAc "SELECT current_setting('synchronous_commit') || ',' || current_setting('fsync')")
[ "$settings" = "on,on" ] || { echo "bench-pgbench: synchronous_commit,fsync = $settings; expected on,on" >&2; exit 1; }
"$BIN/pgbench" "${conn[@]}" -i -s "$SCALE" -q "$POSTGRES_DB" >/dev/null 2>&1
out=$("$BIN/pgbench" "${conn[@]}" -b simple-update -c "$CLIENTS" -j "$THREADS" -T "$DURATION" -n "$POSTGRES_DB" 2>&1) ||
  { printf '%s\n' "$out" >&2; exit 1; }
tps=$(printf '%s\n' "$out" | sed -nE 's/^tps = ([0-9.]+) .*/\1/p' | head -n 1)
[ -n "$tps" ] || { printf '%s\n' "$out" >&2; echo "bench-pgbench: no tps in pgbench's output" >&2; exit 1; }
echo "pgbench simple-update: $tps tps (clients $CLIENTS, threads $THREADS, ${DURATION} s, scale $SCALE, synchronous_commit on, fsync on)"
