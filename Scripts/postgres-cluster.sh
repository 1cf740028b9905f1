#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benchmarks (Debian's postgresql package).
#
#   Scripts/postgres-cluster.sh start    creates (first time) and starts it; prints `export POSTGRES_…` lines
#   Scripts/postgres-cluster.sh env      prints the export lines only
#   Scripts/postgres-cluster.sh stop     stops it (fast shutdown)
#   Scripts/postgres-cluster.sh remove   stops it and deletes its directory
#
# Environment: PG_DIR (default /tmp/buckstop-pg), PG_PORT (54329), PG_USER (buckstop), PG_PASSWORD (buckstop-test),
# PG_DATABASE (buckstop). Durability settings are PostgreSQL's defaults (fsync on, synchronous_commit on): the
# benchmarks compare durable commits. Runs the server as the `postgres` user when started as root. Installs the
# package with apt-get when initdb is missing.
set -euo pipefail

PG_DIR=${PG_DIR:-/tmp/buckstop-pg}
PG_PORT=${PG_PORT:-54329}
PG_USER=${PG_USER:-buckstop}
PG_PASSWORD=${PG_PASSWORD:-buckstop-test}
PG_DATABASE=${PG_DATABASE:-buckstop}

log() { printf '[postgres-cluster] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    log "apt-get install postgresql"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2 ||
      { $sudo apt-get update >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2; }
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  printf '%s\n' "$d"
}

# as_owner CMD...: runs CMD as the cluster's owner (postgres when we are root, ourselves otherwise).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Closes every descriptor above 2 of the current (sub)shell.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

print_env() {
  cat <<ENV
export POSTGRES_HOST=127.0.0.1
export POSTGRES_PORT=$PG_PORT
export POSTGRES_USER=$PG_USER
export POSTGRES_PASSWORD=$PG_PASSWORD
export POSTGRES_DB=$PG_DATABASE
ENV
}

start() {
  local bin
  bin=$(bindir)
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "initdb in $PG_DIR/data"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DIR"
    as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb"; }
    cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
CONF
  fi
  if as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    log "already running on 127.0.0.1:$PG_PORT"
  else
    # The server outlives this script: it must not inherit a caller's pipe (a CI runner, or a `| tee`, reading the
    # caller's output would wait for it forever), so every descriptor above 2 is closed for pg_ctl.
    (close_inherited_fds; as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >&2) ||
      { tail -n 30 "$PG_DIR/server.log" >&2; die "pg_ctl start"; }
  fi
  # Role and database (idempotent); the role owns the database so tests can create and drop schemas in it.
  as_owner "$bin/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE "$PG_USER" LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
  if ! as_owner "$bin/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
    as_owner "$bin/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres -O "$PG_USER" "$PG_DATABASE"
  fi
  PGPASSWORD=$PG_PASSWORD "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" -tAc "SELECT 1" >/dev/null ||
    die "cannot connect as $PG_USER over TCP"
  log "ready: postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DATABASE"
  print_env
}

stop() {
  local bin
  bin=$(bindir)
  [ -f "$PG_DIR/data/PG_VERSION" ] || { log "no cluster in $PG_DIR"; return 0; }
  as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2 || true
}

case "${1:-}" in
  start) start ;;
  env) print_env ;;
  stop) stop ;;
  remove) stop; rm -rf "$PG_DIR" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
