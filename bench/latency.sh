#!/usr/bin/env bash
# Latency of every process query on the demo book, release build, SQLite (or DATABASE_URL's PostgreSQL
# server when PG_ADMIN is set): seed time, cold start to /ready, and the median of RUNS requests per query.
#
# Usage: bench/latency.sh [clients ...]      e.g. bench/latency.sh 500 10000
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
AS_OF=${AS_OF:-2026-11-26}
RUNS=${RUNS:-5}
PORT=${PORT:-18932}
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

queries=(
  "upsellOpportunities|{ upsellOpportunities(asOf: \"$AS_OF\") { summary { totalOpportunities totalExpansionValue } } }"
  "crossSellOpportunities|{ crossSellOpportunities(asOf: \"$AS_OF\") { summary { totalOpportunities totalPotentialArr } } }"
  "expansionOpportunities|{ expansionOpportunities(asOf: \"$AS_OF\") { portfolio { totalOpportunities totalPipelineValue weightedValue } } }"
  "renewals(90 days)|{ renewals(asOf: \"$AS_OF\") { summary { totalRenewalsTracked totalArrUpForRenewal } } }"
  "renewalForecast(180 days)|{ renewalForecast(asOf: \"$AS_OF\") { renewalsDue predictedRenewalRate model { kind trainedOn } } }"
  "revenueExpansion(periods: 8)|{ revenueExpansion(periods: 8, asOf: \"$AS_OF\") { periods { label netRevenueRetention } } }"
  "customerLifetimeValue|{ customerLifetimeValue(asOf: \"$AS_OF\") { customerLifetimeValue ltvCacRatio } }"
  "clients page of 100, nested|{ clients(first: 100) { nodes { id arr contracts { items { product { id } } } renewals { id } opportunities { id } contacts { id } } } }"
)

for clients in "${@:-500}"; do
  db="$work/latency-$clients.db"
  url="sqlite://$db?mode=rwc"
  start=$(date +%s.%N)
  DATABASE_URL="$url" "$BIN" seed --demo --clients "$clients" --seed 42 --as-of "$AS_OF" 2> /dev/null
  seeded=$(date +%s.%N)
  DATABASE_URL="$url" EXPANSION_PORT=$PORT EXPANSION_REMINDERS__INTERVAL=0 "$BIN" serve > "$work/server.log" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null; do sleep 0.02; done
  ready=$(date +%s.%N)
  printf '== %s clients: seed %.2f s; cold start to /ready %.2f s (migrations checked, reminders scheduled)\n' \
    "$clients" "$(python3 -c "print($seeded - $start)")" "$(python3 -c "print($ready - $seeded)")"
  for entry in "${queries[@]}"; do
    name=${entry%%|*}
    body=$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "${entry#*|}")
    out=$(curl -s "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -d "$body")
    case "$out" in *'"errors"'*) echo "$name failed: $out"; continue;; esac
    times=()
    for _ in $(seq 1 "$RUNS"); do
      times+=("$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -d "$body")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
    printf '  %-32s median %6.3f s   %s\n' "$name" "$median" "$(echo "$out" | cut -c1-150)"
  done
  kill "$server"; wait "$server" 2>/dev/null || true
done
