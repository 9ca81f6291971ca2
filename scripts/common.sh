# Shared by scripts/run.sh and scripts/test.sh: install what the project needs, idempotently.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ensure_uv() {
  if command -v uv >/dev/null 2>&1; then UV=uv; return; fi
  if [ ! -x "$ROOT/.tools/bin/uv" ]; then
    echo "==> Installing uv (Python package manager) into .tools/"
    python3 -m venv "$ROOT/.tools"
    "$ROOT/.tools/bin/pip" install --quiet uv
  fi
  UV="$ROOT/.tools/bin/uv"
}

setup_python() {
  ensure_uv
  echo "==> Python dependencies (uv sync)"
  "$UV" sync --frozen --quiet
}

# Content hashes (scripts/inputs_hash.py) decide whether `npm ci` and the build run again;
# the last ones are kept beside what they produced.
inputs_hash() { python3 "$ROOT/scripts/inputs_hash.py" "$1"; }

setup_frontend() {
  local stamp="frontend/node_modules/.deskpilot-lock-hash" want
  want=$(inputs_hash web-deps)
  if [ -d frontend/node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "==> Web app dependencies: up to date (package-lock.json unchanged since the last npm ci)"
    return
  fi
  echo "==> Web app dependencies (npm ci)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

build_frontend_if_needed() {
  local stamp="frontend/out/.deskpilot-build-hash" want
  want=$(inputs_hash web-build)  # before the build: a file edited during it is a change
  if [ -f frontend/out/index.html ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "==> Web app: up to date (its sources are unchanged since the last build)"
    return
  fi
  setup_frontend
  echo "==> Building the web app (next build, static export)"
  (cd frontend && npm run build --silent)
  echo "$want" >"$stamp"
}
