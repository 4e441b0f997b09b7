#!/usr/bin/env bash
# Bring-your-own-book speed, on SQLite and PostgreSQL (release build): the demo book of $CLIENTS
# clients is seeded (timed: the bulk writer), exported, imported cold into an empty database, then
# imported again unchanged (idempotent re-import). Prints seconds and rows/s for each step.
#
#   bash bench/import.sh                         # 10000 clients, both backends
#   CLIENTS=50000 STEPS=seed bash bench/import.sh   # only the seeding time at 50k
#   BACKENDS=sqlite CLIENTS=2000 bash bench/import.sh
#
# PostgreSQL: $PGURL (default postgres://postgres@127.0.0.1:5432), databases bench_imp_{src,dst},
# dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/expansion-api}
CLIENTS=${CLIENTS:-10000}
BACKENDS=${BACKENDS:-"sqlite postgres"}
STEPS=${STEPS:-"seed export import reimport"}
AS_OF=${AS_OF:-2026-06-30}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release first, or set BIN" >&2; exit 1; }
WORK=$(mktemp -d)
cleanup() {
  for db in src dst; do psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_imp_$db WITH (FORCE)" > /dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
export RUST_LOG=warn

url() { # backend, name
  if [ "$1" = sqlite ]; then echo "sqlite://$WORK/$2.db?mode=rwc"; else
    psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS bench_imp_$2 WITH (FORCE)" > /dev/null
    psql "$PGURL/postgres" -qc "CREATE DATABASE bench_imp_$2" > /dev/null
    echo "$PGURL/bench_imp_$2"; fi
}
timed() { # label rows command…
  local label=$1 rows=$2; shift 2
  local start end
  start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v r="$rows" 'BEGIN { t = e - s; printf "  %-10s %8.1f s  %9d rows  %8.0f rows/s\n", l, t, r, r / t }'
}

for backend in $BACKENDS; do
  echo "$backend, $CLIENTS clients (commit $(git rev-parse --short HEAD 2> /dev/null || echo ?))"
  SRC=$(url "$backend" src)
  DATABASE_URL=$SRC "$BIN" migrate
  rows=0
  if [[ " $STEPS " == *" seed "* ]]; then
    timed seed 0 env DATABASE_URL="$SRC" "$BIN" seed --demo --clients "$CLIENTS" --as-of "$AS_OF"
  fi
  if [[ " $STEPS " == *" export "* ]]; then
    timed export 0 env DATABASE_URL="$SRC" "$BIN" export "$WORK/book"
    rows=$(cat "$WORK"/book/*.csv | wc -l); rows=$((rows - 10))
    echo "  exported  $rows rows ($(du -sh "$WORK/book" | cut -f1))"
  fi
  if [[ " $STEPS " == *" import "* ]]; then
    DST=$(url "$backend" dst)
    DATABASE_URL=$DST "$BIN" migrate
    timed import "$rows" env DATABASE_URL="$DST" "$BIN" import "$WORK/book"
    if [[ " $STEPS " == *" reimport "* ]]; then
      timed reimport "$rows" env DATABASE_URL="$DST" "$BIN" import "$WORK/book"
    fi
  fi
  rm -rf "$WORK/book" "$WORK"/*.db*
done
