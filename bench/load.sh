#!/usr/bin/env bash
# Load test (not a test: it asserts nothing). Production settings, gunicorn with 2 workers,
# a throwaway PostgreSQL (scripts/with-postgres.sh), everything on 127.0.0.1 only; wrk for
# 30 s at 16 and at 64 connections against
#   (a) the compare page, a different holding on every request (bench/load/compare.lua),
#   (b) the baseline: a trivial Django view on the same server, /bench/trivial, mounted only
#       because this script sets BENCH_BASELINE=1 (lexp_site/bench.py, bench/load/trivial.lua), and
#   (c) for reference, the liveness check /healthz (no database; bench/load/healthz.lua).
# Prints a table (requests/s, p50/p99 latency, non-2xx, socket errors, each row's requests/s
# as a share of (b), and the server's CPU time per request, which other work on the machine
# does not distort) and the load average before and after, and writes it to
# bench/results/load-<time>.md with the raw wrk output and logs beside it.
#
#   bench/load.sh                      # or: make bench
#   DURATION=10s CONNECTIONS="16" bench/load.sh
#
# Goals at 16 connections: (a) >= 10% of (b)'s requests/s, p99 <= 100 ms, 0 socket errors and 0 non-2xx.
# Needs wrk (apt-get install -y wrk) and the PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ "${BENCH_IN_POSTGRES:-}" != 1 ]; then
  command -v wrk >/dev/null || { echo "bench/load.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
  exec env BENCH_IN_POSTGRES=1 scripts/with-postgres.sh "$0" "$@"
fi

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-16 64}
WORKERS=${WORKERS:-2}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$ROOT/bench/results"
RAW="$RESULTS/load-$STAMP.raw.txt"
TABLE="$RESULTS/load-$STAMP.md"
mkdir -p "$RESULTS"
STATIC=$(mktemp -d /tmp/exchange-outcome-static.XXXXXX)

export DJANGO_ENV=production
export BENCH_BASELINE=1
export SECRET_KEY
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1
export WEB_CONCURRENCY=$WORKERS
export GUNICORN_BIND="127.0.0.1:$PORT"
export STATIC_ROOT="$STATIC"
export BENCH_LOAD_DIR="$ROOT/bench/load"

.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

# gunicorn's own messages and the app's log lines (stderr) go to one file.
.venv/bin/gunicorn -c gunicorn.conf.py 2>>"$RESULTS/load-$STAMP.error.log" &
SERVER=$!
stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$STATIC"
}
trap stop_server EXIT

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "bench/load.sh: gunicorn did not start" >&2; exit 1; }
  sleep 0.2
done
# Both targets must answer 200 through the proxy header before anything is measured.
for path in "/?principal=1000&consummation=2003-10-10" "/bench/trivial" "/healthz"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$BASE$path")
  [ "$status" = 200 ] || { echo "bench/load.sh: $path answered $status, not 200" >&2; exit 1; }
done
# Warm up: imports, connections and caches in every worker.
wrk -t2 -c8 -d3s -s bench/load/compare.lua "$BASE" >/dev/null
wrk -t2 -c8 -d2s -s bench/load/trivial.lua "$BASE" >/dev/null
wrk -t2 -c8 -d1s -s bench/load/healthz.lua "$BASE" >/dev/null

# CPU seconds used so far by gunicorn's workers, live and exited (the master reaps exited
# workers, whose time then counts in its cutime/cstime): a figure other work on the machine
# does not distort, unlike requests/s.
server_cpu() {
  python3 - "$SERVER" <<'PY'
import os, sys
master = sys.argv[1]
def fields(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()
ticks = sum(int(v) for v in fields(master)[13:15])  # cutime, cstime (utime/stime of reaped workers)
with open(f"/proc/{master}/task/{master}/children") as children:
    for pid in children.read().split():
        try:
            ticks += sum(int(v) for v in fields(pid)[11:13])  # utime, stime
        except FileNotFoundError:
            pass
print(ticks / os.sysconf("SC_CLK_TCK"))
PY
}

declare -A RPS
declare -A LABEL=([trivial]="(b) trivial view /bench/trivial (baseline)"
                  [compare]="(a) compare page, varied holding" [healthz]="(c) /healthz (no database)")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Load test $STAMP"
  echo
  echo "gunicorn $WORKERS sync workers, DJANGO_ENV=production, PostgreSQL $(.venv/bin/python -c \
    'import os, psycopg; print(psycopg.connect(os.environ["DATABASE_URL"]).info.parameter_status("server_version"))'),"
  echo "wrk $DURATION per row, all on 127.0.0.1, $(nproc) CPU cores shared by server, database and wrk"
  echo "(and whatever else runs on the machine: load average $LOAD_BEFORE before the first row)."
  echo
  echo "| target | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors | share of (b) | server CPU ms/request |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$TABLE"
: >"$RAW"
for connections in $CONNECTIONS; do
  threads=$((connections < 2 ? 1 : 2))
  for target in trivial compare healthz; do
    cpu_before=$(server_cpu)
    output=$(wrk -t"$threads" -c"$connections" -d"$DURATION" --timeout 10s --latency -s "bench/load/$target.lua" "$BASE")
    cpu_after=$(server_cpu)
    printf '## %s, %s connections\n%s\n\n' "$target" "$connections" "$output" >>"$RAW"
    line=$(grep '^RESULT ' <<<"$output")
    value() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$line"; }
    RPS[$target]=$(value rps)
    ratio=$(python3 -c "print(f'{${RPS[$target]} / ${RPS[trivial]}:.1%}')")
    cpu_ms=$(python3 -c "print(f'{($cpu_after - $cpu_before) * 1000 / $(value requests):.2f}')")
    echo "| ${LABEL[$target]} | $connections | $(value rps) | $(value p50_ms) | $(value p99_ms) | $(value non2xx) | $(value socket_errors) | $ratio | $cpu_ms |" >>"$TABLE"
  done
done
echo >>"$TABLE"
echo "Load average after the last row: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$TABLE"
cat "$TABLE"
echo
echo "bench/load.sh: table in ${TABLE#"$ROOT"/}, raw wrk output in ${RAW#"$ROOT"/}"
