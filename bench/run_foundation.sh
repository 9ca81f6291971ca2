#!/usr/bin/env bash
# Foundation benchmark: 1,000,000 tickets, tickets API over HTTP, 8 concurrent clients.
#
#   bench/run_foundation.sh            # fresh bench database, load, 1 then 2 server workers
#   BENCH_REUSE=1 bench/run_foundation.sh   # keep an already loaded bench database
#
# Env: DESKPILOT_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/deskpilot_bench,
# dropped and recreated unless BENCH_REUSE=1), BENCH_COUNT (1000000), BENCH_REQUESTS (2000 per
# query kind), BENCH_CONCURRENCY (8), BENCH_PORT (8765), BENCH_WORKERS ("1 2"),
# BENCH_MAX_WAIT_QUIET (600: seconds to wait for other work on the machine to calm down),
# BENCH_CLIENT (raw: light keep-alive HTTP client; httpx: the heavier httpx.AsyncClient),
# BENCH_BALANCE (1: with the raw client, spread its connections evenly over the uvicorn
# workers; 0: leave them as the kernel handed them out), BENCH_ONLY (comma-separated parts of
# query kind names to run, e.g. "search,similar"; default every kind).
source "$(dirname "$0")/../scripts/common.sh"
setup_python

DB_URL="${DESKPILOT_BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/deskpilot_bench}"
COUNT="${BENCH_COUNT:-1000000}"
REQUESTS="${BENCH_REQUESTS:-2000}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
PORT="${BENCH_PORT:-8765}"
WORKERS="${BENCH_WORKERS:-1 2}"
MAX_WAIT_QUIET="${BENCH_MAX_WAIT_QUIET:-600}"
CLIENT="${BENCH_CLIENT:-raw}"
BALANCE=()
[[ "${BENCH_BALANCE:-1}" == "1" && "$CLIENT" == "raw" ]] && BALANCE=(--balance)
EMAIL="bench@example.com"
PASSWORD="bench-password-1"
BASE="http://127.0.0.1:${PORT}"

export DESKPILOT_DATABASE_URL="$DB_URL"
export DESKPILOT_ENVIRONMENT=development
export DESKPILOT_LLM_PROVIDER=offline

recreate=1
[[ "${BENCH_REUSE:-0}" == "1" ]] && recreate=0
"$UV" run python - "$DB_URL" "$recreate" <<'PY'
import asyncio, sys
from bench.common import ensure_database, require_loopback
require_loopback(sys.argv[1])
created = asyncio.run(ensure_database(sys.argv[1], recreate=sys.argv[2] == "1"))
print("bench database", "created" if created else "kept")
PY

"$UV" run deskpilot migrate
loaded=$("$UV" run python - "$DB_URL" <<'PY'
import asyncio, sys, asyncpg
from bench.common import plain_postgres_url
async def count() -> int:
    conn = await asyncpg.connect(plain_postgres_url(sys.argv[1]))
    try:
        return await conn.fetchval("SELECT count(*) FROM tickets")
    finally:
        await conn.close()
print(asyncio.run(count()))
PY
)
if [[ "$loaded" -lt "$COUNT" ]]; then
  "$UV" run python -m bench.load_tickets --database-url "$DB_URL" --count "$COUNT" --truncate
else
  echo "reusing $loaded loaded tickets"
fi
"$UV" run deskpilot create-user --email "$EMAIL" --name Bench --password "$PASSWORD" --role agent \
  || echo "(bench user already exists)"

venv_bin="$("$UV" run python -c 'import sys, os; print(os.path.join(sys.prefix, "bin"))')"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

for workers in $WORKERS; do
  log="$(mktemp -t deskpilot-bench-server.XXXXXX.log)"
  # the venv's script directly: the PID is uvicorn's own, so one TERM stops it and its workers
  "$venv_bin/deskpilot" serve --host 127.0.0.1 --port "$PORT" --workers "$workers" --no-access-log >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "$BASE/api/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.5
  done
  curl -fsS "$BASE/api/health" >/dev/null
  "$UV" run python -m bench.http_bench --base-url "$BASE" --email "$EMAIL" --password "$PASSWORD" \
    --concurrency "$CONCURRENCY" --requests "$REQUESTS" --database-url "$DB_URL" --client "$CLIENT" "${BALANCE[@]}" \
    --server-pid "$server_pid" --max-wait-quiet "$MAX_WAIT_QUIET" --only "${BENCH_ONLY:-}" \
    --label "1 server, $workers uvicorn worker(s), $CONCURRENCY clients ($CLIENT)"
  stop_server
  rm -f "$log"
done
