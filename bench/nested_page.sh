#!/usr/bin/env bash
# The nested page under load on SQLite and PostgreSQL (release build): req/s, p50/p99, SQL
# statements per request and the server's CPU ms per request, on a 10,000-client demo book.
#
#   bash bench/nested_page.sh                  # both backends, 10 s per run
#   SECS=5 CLIENTS=2000 BACKENDS=sqlite bash bench/nested_page.sh
#
# The page is the peer benchmark's (../shared/peer-bench): 50 clients by id with arr, healthScore,
# latestUsage, contracts (with their ARR) and opportunities. wrk is installed with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
CLIENTS=${CLIENTS:-10000}
SECS=${SECS:-10}
BACKENDS=${BACKENDS:-"sqlite postgres"}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18960}
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release first, or set BIN" >&2; exit 1; }
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || { kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; }
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_nested WITH (FORCE)" > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
QUERY='{ clients(first: 50, orderBy: ID_ASC) { nodes { id name tier arr(asOf: "2026-06-30") healthScore(asOf: "2026-06-30") latestUsage(asOf: "2026-06-30") { usageRate } contracts { id renewalDate arr status } opportunities { id opportunityType value probability } } } }'
python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1]}))' "$QUERY" > "$WORK/body.json"
statements() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^expansion_sql_statements_total/ {n += $2} END {print n + 0}'; }
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

for backend in $BACKENDS; do
  case $backend in
    sqlite) url="sqlite://$WORK/nested.db?mode=rwc" ;;
    postgres)
      psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_nested WITH (FORCE)" -c "CREATE DATABASE bench_nested" > /dev/null
      url="$PGURL/bench_nested" ;;
  esac
  DATABASE_URL=$url "$BIN" seed --demo --clients "$CLIENTS" --seed 42 --as-of 2026-06-30 > "$WORK/seed.log" 2>&1
  [ "$backend" = postgres ] && psql "$url" -qc "VACUUM ANALYZE" > /dev/null
  DATABASE_URL=$url EXPANSION_REMINDERS__INTERVAL=0 RUST_LOG=warn "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null; do sleep 0.05; done
  curl -s -H 'Content-Type: application/json' --data @"$WORK/body.json" "http://127.0.0.1:$PORT/graphql" > /dev/null
  s0=$(statements); for _ in $(seq 20); do curl -s -H 'Content-Type: application/json' --data @"$WORK/body.json" "http://127.0.0.1:$PORT/graphql" > /dev/null; done
  per_request=$(python3 -c "print(($(statements) - $s0) / 20)")
  wrk -t1 -c16 -d"${SECS}s" -s bench/post.lua "http://127.0.0.1:$PORT/graphql" -- "$WORK/body.json" > /dev/null 2>&1   # warm-up
  c0=$(ticks "$SERVER")
  result=$(wrk -t1 -c16 -d"${SECS}s" --latency -s bench/post.lua "http://127.0.0.1:$PORT/graphql" -- "$WORK/body.json" | grep '^RESULT')
  c1=$(ticks "$SERVER")
  requests=$(grep -o 'requests=[0-9]*' <<< "$result" | cut -d= -f2)
  cpu=$(python3 -c "print(round(1000.0 * ($c1 - $c0) / $(getconf CLK_TCK) / max($requests, 1), 2))")
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
  echo "$backend: ${result#RESULT } sql_per_request=$per_request server_cpu_ms_per_request=$cpu peak_rss_mb=$rss"
  kill "$SERVER"; wait "$SERVER" 2> /dev/null || true; SERVER=
done
