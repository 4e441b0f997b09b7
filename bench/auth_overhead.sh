#!/bin/bash
# Same run: main's release binary (before) vs this branch's (after, with a VIEWER token), alternated.
# Usage: BEFORE=<release binary without auth> [AFTER=…] [ROUNDS=3] bench/auth_overhead.sh (after = target/release/expansion-api).
set -e
BEFORE=${BEFORE:?release binary of main}; AFTER=${AFTER:-target/release/expansion-api}
rm -f /tmp/wrk11/*.db*
mkdir -p /tmp/wrk11
DATABASE_URL="sqlite:///tmp/wrk11/before.db?mode=rwc" $BEFORE serve --port 18201 > /tmp/wrk11/before.log 2>&1 & PB=$!
# The bucket is set so high that it never refuses (the binary before had no such setting).
export EXPANSION_RATE_LIMIT__COST_PER_SECOND=1000000000 EXPANSION_RATE_LIMIT__BURST=1000000000000
TOKEN=$(DATABASE_URL="sqlite:///tmp/wrk11/after.db?mode=rwc" $AFTER token create --name bench --role VIEWER 2>/dev/null)
DATABASE_URL="sqlite:///tmp/wrk11/after.db?mode=rwc" $AFTER serve --port 18202 > /tmp/wrk11/after.log 2>&1 & PA=$!
DATABASE_URL="sqlite:///tmp/wrk11/open.db?mode=rwc" $AFTER serve --port 18203 > /tmp/wrk11/open.log 2>&1 & PO=$!
sleep 3
for round in $(seq "${ROUNDS:-3}"); do
  for target in before:18201: after:18202:$TOKEN open:18203:; do
    IFS=: read name port tok <<< "$target"
    rps=$(TOKEN=$tok wrk -t2 -c32 -d8s -s bench/auth_overhead.lua http://127.0.0.1:$port/graphql | awk '/Requests\/sec/ {print $2}')
    echo "round $round $name $rps"
  done
done
curl -s -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{__typename}"}' http://127.0.0.1:18202/graphql; echo
kill $PB $PA $PO
