#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initialise it in a
# temporary folder owned by the postgres user, start it on a free loopback port,
# export DATABASE_URL, run the command, then stop the cluster and delete it.
# Exits non-zero if PostgreSQL cannot start, and with the command's status otherwise.
set -euo pipefail

# `|| true`: with pipefail a failed glob would otherwise end the script silently.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (install postgresql, or set PG_BIN)" >&2
  exit 1
fi
run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
DIR=$(mktemp -d /tmp/exchange-outcome-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  run_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
run_pg "$PG_BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
run_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres exchange_outcome
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/exchange_outcome"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
exit $status
