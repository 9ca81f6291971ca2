#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, type checks, unit, API and browser tests.
source "$(dirname "$0")/common.sh"
setup_python
setup_frontend

install_system_packages() {
  # Without recommends: the browser tests need the browser and a font, not the desktop
  # services it recommends (avahi, cups, upower...). fonts-liberation is one of those
  # recommends, named here so that pages render text with Arial/Helvetica metrics.
  # wamerican: the word list the offline assistant's not-a-typo list is checked against.
  local packages=(chromium fonts-liberation wamerican) log="$ROOT/test-artifacts/apt-chromium.log"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  mkdir -p "$ROOT/test-artifacts"
  echo "==> Installing Chromium and a word list for the tests (the system's packages, once)"
  echo "    apt-get update"
  $sudo apt-get update -qq
  local count
  count=$(apt-get install -s --no-install-recommends "${packages[@]}" | grep -c '^Inst ' || true)
  echo "    apt-get install --no-install-recommends ${packages[*]} ($count packages; log: test-artifacts/apt-chromium.log)"
  if ! $sudo apt-get install -y -q --no-install-recommends "${packages[@]}" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    return 1
  fi
  echo "    installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
}

if { ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; } ||
  [ ! -f /usr/share/dict/american-english ]; then
  install_system_packages
fi

echo "==> Lint and types (ruff, mypy)"
"$UV" run ruff check backend tests bench
"$UV" run ruff format --check backend tests bench
"$UV" run mypy

echo "==> Web app: API types in sync with the backend, types, lint, unit tests, build"
"$UV" run deskpilot openapi --output openapi.json >/dev/null
COMMITTED_SCHEMA="$ROOT/.api-schema.committed.d.ts"
cp frontend/lib/api-schema.d.ts "$COMMITTED_SCHEMA"
# however this check ends (drift, a failing gen:api under set -e, Ctrl-C), put the committed file back
restore_committed_schema() {
  if [ -f "$COMMITTED_SCHEMA" ]; then mv -f "$COMMITTED_SCHEMA" frontend/lib/api-schema.d.ts; fi
}
trap restore_committed_schema EXIT
(cd frontend && npm run --silent gen:api >/dev/null)
if ! cmp -s frontend/lib/api-schema.d.ts "$COMMITTED_SCHEMA"; then
  echo "frontend/lib/api-schema.d.ts is out of date: run 'uv run deskpilot openapi && (cd frontend && npm run gen:api)' and commit it" >&2
  exit 1
fi
restore_committed_schema
trap - EXIT
(cd frontend && npm run --silent typecheck && npm run --silent lint && npm run --silent test)
build_frontend_if_needed

echo "==> Backend, API and browser tests (pytest on real PostgreSQL, Chromium)"
"$UV" run pytest "$@"

# The offline assistant on the evaluation sets (evals/README.md; docs/eval.md): at least 95%
# right on each file and no write nobody asked for. It runs in its own scratch database on
# the tests' server (the embedded one in .deskpilot-test, or DESKPILOT_TEST_DATABASE_URL's).
if [ "$#" -eq 0 ]; then
  echo "==> Evaluation: the offline assistant on evals/ (>= 95% right, 0 unwanted writes)"
  mkdir -p "$ROOT/test-artifacts"
  if [ -n "${DESKPILOT_TEST_DATABASE_URL:-}" ]; then
    eval_server=(DESKPILOT_DATABASE_URL="$DESKPILOT_TEST_DATABASE_URL")
  else
    eval_server=(DESKPILOT_DATA_DIR="$ROOT/.deskpilot-test")
  fi
  env "${eval_server[@]}" "$UV" run deskpilot eval --provider offline \
    --min-accuracy 0.95 --max-unwanted-writes 0 --json "$ROOT/test-artifacts/eval-offline.json"
fi

# The oldest PostgreSQL Deskpilot supports for an external server (README: 15), when this
# machine has one: the database-facing tests (no browser, no model-provider parsing) again on it.
OLDEST_URL="${DESKPILOT_TEST_OLDEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if [ "$#" -eq 0 ]; then
  if OLDEST_VERSION=$("$UV" run python -m tests.support.server_version "$OLDEST_URL" 2>/dev/null); then
    echo "==> Database tests again on PostgreSQL $OLDEST_VERSION at $OLDEST_URL"
    DESKPILOT_TEST_DATABASE_URL="$OLDEST_URL" "$UV" run pytest -q -m "not browser and not embedded" \
      --ignore=tests/llm --ignore=tests/demo
  else
    echo "==> Skipped: no PostgreSQL 15+ answering at $OLDEST_URL (trust auth), so the database tests ran on the embedded server only"
  fi
fi
