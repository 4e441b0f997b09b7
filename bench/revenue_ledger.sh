#!/usr/bin/env bash
# Latency of revenueExpansion(periods: 8) on a large book: 10,000 demo clients whose ledger is
# inflated to ≥ 1,000,000 events, on SQLite and on PostgreSQL; and, for comparison, the time of the
# raw SQL aggregate the server runs (ARR per client at the 9 period edges).
#
# The extra events come in pairs per client and day: an expansion of x and a contraction of x on the
# same date, so every client's ARR on every date — and the ledger invariant — is unchanged, while
# the database has to aggregate a million rows.
#
# Usage: bench/revenue_ledger.sh        (needs target/release/expansion-api, sqlite3, psql)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
AS_OF=${AS_OF:-2026-11-26}
CLIENTS=${CLIENTS:-10000}
PAIRS=${PAIRS:-50}            # pairs per client: 10,000 × 50 × 2 = 1,000,000 extra events
RUNS=${RUNS:-5}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18931}
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

query='{"query":"query($asOf: Date!) { revenueExpansion(timePeriod: QUARTERLY, periods: 8, asOf: $asOf) { periods { label startingArr netRevenueRetention grossRevenueRetention logoRetention } pipeline { openOpportunities } } }","variables":{"asOf":"'"$AS_OF"'"}}'

# The edge aggregate of the server, as plain SQL (9 edge dates of 8 quarters ending with asOf's).
edges=$(python3 - "$AS_OF" <<'PY'
import sys, datetime
d = datetime.date.fromisoformat(sys.argv[1])
q_start = datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
starts = []
y, m = q_start.year, q_start.month
for _ in range(8):
    starts.append(datetime.date(y, m, 1))
    m -= 3
    if m < 1:
        m += 12; y -= 1
dates = sorted({s - datetime.timedelta(days=1) for s in starts} | {d})
print(" ".join(x.isoformat() for x in dates))
PY
)
aggregate_sql() {
  local cols="" i=0
  for e in $edges; do cols+="${cols:+, }SUM(CASE WHEN occurred_on <= '$e' THEN arr_delta_cents ELSE 0 END) AS a$i"; i=$((i+1)); done
  echo "SELECT client_id, $cols FROM revenue_event WHERE occurred_on <= '$AS_OF' GROUP BY client_id"
}

serve_and_time() { # database_url label
  DATABASE_URL="$1" EXPANSION_PORT=$PORT "$BIN" serve > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null && break; sleep 0.1; done
  curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -d "$query" > "$work/warmup.json"
  grep -q '"errors"' "$work/warmup.json" && { cat "$work/warmup.json"; exit 1; }
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -d "$query")")
  done
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%s revenueExpansion(periods: 8): runs %s s; median %s s\n' "$2" "${times[*]}" \
    "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
}

echo "== SQLite"
db="$work/bench.db"
DATABASE_URL="sqlite://$db?mode=rwc" "$BIN" seed --demo --clients "$CLIENTS" --seed 42 --as-of "$AS_OF" 2> /dev/null
sqlite3 "$db" "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $PAIRS),
  pairs AS (SELECT c.id AS client_id, date('$AS_OF', '-' || ((k.n * 37 + c.rowid * 11) % 1000) || ' days') AS on_date, 100 * k.n AS cents
            FROM client c, k)
  INSERT INTO revenue_event (client_id, occurred_on, kind, category, arr_delta_cents, created_at)
  SELECT client_id, on_date, kind, category, amount, '2026-11-26 00:00:00+00:00' FROM (
    SELECT client_id, on_date, 'expansion' AS kind, 'usage_expansion' AS category, cents AS amount FROM pairs
    UNION ALL SELECT client_id, on_date, 'contraction', 'usage_expansion', -cents FROM pairs);
  ANALYZE;"
echo "events: $(sqlite3 "$db" 'SELECT COUNT(*) FROM revenue_event'), clients: $(sqlite3 "$db" 'SELECT COUNT(*) FROM client')"
sql=$(aggregate_sql)
for _ in 1 2; do printf '.timer on\n%s;\n' "$sql" | sqlite3 "$db" | grep "^Run Time"; done | tail -n 1 | sed "s/^/raw edge aggregate: /"
serve_and_time "sqlite://$db?mode=rwc" "SQLite"

echo "== PostgreSQL"
name="exp_bench_$$"
psql -q "$PG_ADMIN" -c "CREATE DATABASE $name"
pg_url="${PG_ADMIN%/*}/$name"
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $name" || true; rm -rf "$work"' EXIT
DATABASE_URL="$pg_url" "$BIN" seed --demo --clients "$CLIENTS" --seed 42 --as-of "$AS_OF" 2> /dev/null
psql -q "$pg_url" -c "INSERT INTO revenue_event (client_id, occurred_on, kind, category, arr_delta_cents, created_at)
  SELECT c.id, DATE '$AS_OF' - ((k * 37 + length(c.id) * 11) % 1000), kind, 'usage_expansion', sign * 100 * k, now()
  FROM client c CROSS JOIN generate_series(1, $PAIRS) k
  CROSS JOIN (VALUES ('expansion', 1), ('contraction', -1)) AS s(kind, sign); ANALYZE;"
echo "events: $(psql -tA "$pg_url" -c 'SELECT COUNT(*) FROM revenue_event'), clients: $(psql -tA "$pg_url" -c 'SELECT COUNT(*) FROM client')"
for _ in 1 2; do psql "$pg_url" -c '\timing on' -c "$sql" | grep '^Time'; done | tail -n 1 | sed 's/^/raw edge aggregate: /'
serve_and_time "$pg_url" "PostgreSQL"
