#!/usr/bin/env bash
# Failure rate and throughput of 2, 8 and 16 concurrent writers on SQLite and PostgreSQL.
#
#   bash bench/concurrent_writes.sh                 # both backends, 10 s per run, release binary
#   BIN=target/debug/expansion-api SECONDS_PER_RUN=5 BACKENDS=sqlite bash bench/concurrent_writes.sh
#
# Each backend gets a fresh database with a 200-client demo book; the server runs with its default
# pool. PostgreSQL: $PGURL (default postgres://postgres@127.0.0.1:5432), database bench_writes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
SECS=${SECONDS_PER_RUN:-10}
WRITERS=${WRITERS:-"2 8 16"}
BACKENDS=${BACKENDS:-"sqlite postgres"}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18490}
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release first, or set BIN" >&2; exit 1; }
WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || { kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; }
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_writes WITH (FORCE)" > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for backend in $BACKENDS; do
  case $backend in
    sqlite) url="sqlite://$WORK/writes.db?mode=rwc" ;;
    postgres)
      psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_writes WITH (FORCE)" -c "CREATE DATABASE bench_writes" > /dev/null
      url="$PGURL/bench_writes" ;;
    *) echo "unknown backend $backend" >&2; exit 1 ;;
  esac
  DATABASE_URL=$url "$BIN" seed --demo --clients 200 --seed 42 > "$WORK/seed.log" 2>&1
  DATABASE_URL=$url EXPANSION_REMINDERS__INTERVAL=0 RUST_LOG=warn "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.1; done
  run=0
  for n in $WRITERS; do
    printf '%-8s ' "$backend"
    python3 bench/concurrent_writes.py "http://127.0.0.1:$PORT" --writers "$n" --seconds "$SECS" --month-base $((run * 6000))
    run=$((run + 1))
  done
  kill "$SERVER"; wait "$SERVER" 2> /dev/null || true; SERVER=
  if grep -q "internal error" "$WORK/server.log"; then
    echo "$backend: the server logged internal errors:"; grep -m3 "internal error" "$WORK/server.log"
  fi
done
