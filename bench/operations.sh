#!/usr/bin/env bash
# Operability under load (release build, SQLite):
#  1. the cost of metrics: `{ __typename }` req/s of a server with metrics on and one with
#     metrics off, alternating ROUNDS times (same machine, same moment), and their ratio;
#  2. during a wrk load of the nested page (bench/nested_page.sh's query): the latency histogram's
#     count before and after, and /ready's p50/p99/max from a probe every 50 ms.
#
#   bash bench/operations.sh                   # 2,000 demo clients, 5 rounds of 5 s, 10 s of load
#   CLIENTS=10000 ROUNDS=8 SECS=5 LOAD_SECS=20 bash bench/operations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
CLIENTS=${CLIENTS:-2000}
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-5}
LOAD_SECS=${LOAD_SECS:-10}
ON=${PORT:-18970}
OFF=$((ON + 1))
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release first, or set BIN" >&2; exit 1; }
command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
url="sqlite://$WORK/ops.db?mode=rwc"
DATABASE_URL=$url "$BIN" seed --demo --clients "$CLIENTS" --seed 42 --as-of 2026-06-30 > "$WORK/seed.log" 2>&1
serve() { # port, metrics on?
  DATABASE_URL=$url EXPANSION_REMINDERS__INTERVAL=0 EXPANSION_METRICS__ENABLED=$2 EXPANSION_RATE_LIMIT__COST_PER_SECOND=0 RUST_LOG=warn \
    "$BIN" serve --port "$1" > "$WORK/server-$1.log" 2>&1 &
  PIDS+=($!)
  until curl -sf "http://127.0.0.1:$1/ready" > /dev/null; do sleep 0.05; done
}
serve "$ON" true
serve "$OFF" false

echo '{"query":"{ __typename }"}' > "$WORK/typename.json"
rps() { wrk -t1 -c16 -d"${SECS}s" -s bench/post.lua "http://127.0.0.1:$1/graphql" -- "$WORK/typename.json" | grep -o 'rps=[0-9.]*' | cut -d= -f2; }
rps "$ON" > /dev/null; rps "$OFF" > /dev/null   # warm-up
on_total=0; off_total=0
for round in $(seq "$ROUNDS"); do
  # Alternate which goes first, so a drift in the machine's load hits both alike.
  if [ $((round % 2)) = 1 ]; then a=$(rps "$ON"); b=$(rps "$OFF"); else b=$(rps "$OFF"); a=$(rps "$ON"); fi
  echo "round $round: metrics on $a req/s, off $b req/s"
  on_total=$(python3 -c "print($on_total + $a)"); off_total=$(python3 -c "print($off_total + $b)")
done
python3 -c "print(f'typename: on {$on_total / $ROUNDS:.0f} req/s, off {$off_total / $ROUNDS:.0f} req/s, on/off = {$on_total / $off_total:.3f}')"

QUERY='{ clients(first: 50, orderBy: ID_ASC) { nodes { id name tier arr(asOf: "2026-06-30") healthScore(asOf: "2026-06-30") latestUsage(asOf: "2026-06-30") { usageRate } contracts { id renewalDate arr status } opportunities { id opportunityType value probability } } } }'
python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1]}))' "$QUERY" > "$WORK/nested.json"
count() { curl -s "http://127.0.0.1:$ON/metrics" | awk '/^expansion_graphql_operation_duration_seconds_count\{operation="anonymous",outcome="ok"\}/ {print $2}'; }
before=$(count)
wrk -t1 -c16 -d"${LOAD_SECS}s" --latency -s bench/post.lua "http://127.0.0.1:$ON/graphql" -- "$WORK/nested.json" > "$WORK/load.txt" &
LOAD=$!
sleep 1
middle=$(count)
: > "$WORK/ready.txt"
end=$((SECONDS + LOAD_SECS - 2))
while [ "$SECONDS" -lt "$end" ]; do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$ON/ready" >> "$WORK/ready.txt"
  sleep 0.05
done
wait "$LOAD"
after=$(count)
echo "nested page load: $(grep '^RESULT' "$WORK/load.txt" | sed 's/RESULT //')"
echo "latency histogram count (anonymous, ok): before ${before:-0}, 1 s into the load ${middle:-0}, after ${after:-0}"
python3 - "$WORK/ready.txt" <<'EOF'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
times = sorted(float(t) * 1000 for _, t in rows)
bad = sum(1 for code, _ in rows if code != "200")
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"/ready under that load: {len(times)} probes, p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {times[-1]:.1f} ms, non-200: {bad}")
EOF
curl -s "http://127.0.0.1:$ON/metrics" | grep -E '^expansion_(db_pool|sql_statement_duration_seconds_count|http_responses_total)' | head -8
