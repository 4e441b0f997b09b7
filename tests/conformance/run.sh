#!/usr/bin/env bash
# Starts the debug server on a free port with a fresh SQLite database, runs the graphql-http
# audit against its /graphql, and stops the server. Exits non-zero on any failed audit.
#   tests/conformance/run.sh            (builds target/debug/expansion-api first)
#   SKIP_BUILD=1 tests/conformance/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="$root/target/debug/expansion-api"

if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && cargo build --bin expansion-api)
fi

# A free port from the kernel: bind port 0, read it back, release it.
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
workdir=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# From the temp dir, so no expansion.toml of the checkout changes what is audited.
(cd "$workdir" && DATABASE_URL="sqlite://$workdir/audit.db?mode=rwc" EXPANSION_REMINDERS__INTERVAL=0 \
  exec "$binary" serve --port "$port") > "$workdir/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "server exited before it was ready:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" > /dev/null || { echo "server not ready on :$port" >&2; cat "$workdir/server.log" >&2; exit 1; }

cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
node audit.mjs "http://127.0.0.1:$port/graphql"
