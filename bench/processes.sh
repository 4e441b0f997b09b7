#!/usr/bin/env bash
# The whole-book processes as the book grows, on SQLite and PostgreSQL (release build):
# seed time, the median of RUNS computations of each process (answer cache off), the growth from
# the smallest size to the largest, the peak RSS of the server, and what a cached answer costs.
#
#   bash bench/processes.sh                      # 10000 and 50000 clients, both backends
#   SIZES="2000 10000" BACKENDS=sqlite RUNS=3 bash bench/processes.sh
#
# PostgreSQL: $PGURL (default postgres://postgres@127.0.0.1:5432), databases bench_proc_<size>,
# dropped at the end. The demo book is seeded --as-of $AS_OF and every query asks on that date.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
SIZES=${SIZES:-"10000 50000"}
BACKENDS=${BACKENDS:-"sqlite postgres"}
RUNS=${RUNS:-5}
AS_OF=${AS_OF:-2026-06-30}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18940}
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release first, or set BIN" >&2; exit 1; }
WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || { kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; }
  for size in $SIZES; do psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_proc_$size WITH (FORCE)" > /dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

QUERIES=(
  "upsell|{ upsellOpportunities(asOf: \"$AS_OF\") { summary { totalOpportunities totalExpansionValue } } }"
  "crossSell|{ crossSellOpportunities(asOf: \"$AS_OF\") { summary { totalOpportunities totalPotentialArr } } }"
  "pipeline|{ expansionOpportunities(asOf: \"$AS_OF\") { portfolio { totalOpportunities totalPipelineValue weightedValue } } }"
  "renewals|{ renewals(asOf: \"$AS_OF\") { summary { totalRenewalsTracked totalArrUpForRenewal arrAtRisk expectedArr } } }"
  "renewalForecast|{ renewalForecast(asOf: \"$AS_OF\") { renewalsDue predictedRenewalRate model { kind trainedOn } } }"
  "revenueExpansion8|{ revenueExpansion(periods: 8, asOf: \"$AS_OF\") { periods { label netRevenueRetention grossRevenueRetention } } }"
  "revenueFactors8|{ revenueExpansion(periods: 8, asOf: \"$AS_OF\") { periods { label successFactors { health { correlation } adoption { correlation } } } } }"
  "lifetimeValue|{ customerLifetimeValue(asOf: \"$AS_OF\") { customerLifetimeValue ltvCacRatio } }"
)

# serve URL CACHE: starts the server, waits for /ready
serve() {
  DATABASE_URL=$1 EXPANSION_PROCESS_CACHE=$2 EXPANSION_REMINDERS__INTERVAL=0 RUST_LOG=warn \
    "$BIN" serve --port "$PORT" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null; do sleep 0.05; done
}
stop() { kill "$SERVER"; wait "$SERVER" 2> /dev/null || true; SERVER=; }
# ms QUERY: one request's wall time in ms; fails on a GraphQL error
ms() {
  local body out
  body=$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$1")
  out=$(curl -s -o "$WORK/answer.json" -w '%{time_total}' -H 'Content-Type: application/json' --data "$body" "http://127.0.0.1:$PORT/graphql")
  grep -q '"errors"' "$WORK/answer.json" && { echo "error: $(head -c 300 "$WORK/answer.json")" >&2; exit 1; }
  python3 -c "print(round(float('$out') * 1000, 1))"
}
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

RESULTS=$WORK/results.tsv
for backend in $BACKENDS; do
  for size in $SIZES; do
    case $backend in
      sqlite) url="sqlite://$WORK/proc-$size.db?mode=rwc" ;;
      postgres)
        psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_proc_$size WITH (FORCE)" -c "CREATE DATABASE bench_proc_$size" > /dev/null
        url="$PGURL/bench_proc_$size" ;;
    esac
    t0=$(date +%s.%N)
    DATABASE_URL=$url "$BIN" seed --demo --clients "$size" --seed 42 --as-of "$AS_OF" > "$WORK/seed.log" 2>&1
    seed_s=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
    [ "$backend" = postgres ] && psql "$url" -qc "VACUUM ANALYZE" > /dev/null
    echo "== $backend, $size clients: seeded in $seed_s s"
    printf '%s\t%s\tseed\t%s\n' "$backend" "$size" "$seed_s" >> "$RESULTS"
    serve "$url" false
    for entry in "${QUERIES[@]}"; do
      name=${entry%%|*} query=${entry#*|} times=()
      for _ in $(seq "$RUNS"); do times+=("$(ms "$query")"); done
      m=$(median "${times[@]}")
      printf '%s\t%s\t%s\t%s\n' "$backend" "$size" "$name" "$m" >> "$RESULTS"
      printf '  %-18s median %8.1f ms  (%s)\n' "$name" "$m" "${times[*]}"
    done
    rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
    printf '%s\t%s\tpeak_rss_mb\t%s\n' "$backend" "$size" "$rss" >> "$RESULTS"
    echo "  peak RSS of the server: $rss MB"
    stop
    serve "$url" true
    query=${QUERIES[3]#*|}
    ms "$query" > /dev/null   # computed once, kept
    times=(); for _ in $(seq "$RUNS"); do times+=("$(ms "$query")"); done
    echo "  cached renewals answer: median $(median "${times[@]}") ms"
    stop
  done
done

python3 - "$RESULTS" $SIZES <<'PY'
import collections, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
sizes = sys.argv[2:]
small, large = sizes[0], sizes[-1]
table = collections.defaultdict(dict)
for backend, size, name, value in rows:
    table[(backend, name)][size] = float(value)
print("\nbackend   measure              " + "  ".join("%10s" % s for s in sizes) + "   growth")
for (backend, name), by_size in table.items():
    growth = by_size[large] / by_size[small] if by_size.get(small) else float("nan")
    cells = "  ".join("%10.1f" % by_size.get(s, float("nan")) for s in sizes)
    print("%-9s %-20s %s   %5.2f×" % (backend, name, cells, growth))
PY
