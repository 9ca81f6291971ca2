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

setup_frontend() {
  echo "==> Web app dependencies (npm ci)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
}

build_frontend_if_needed() {
  local stamp="frontend/out/.build-stamp"
  local newest
  newest=$(find frontend/app frontend/components frontend/lib frontend/scripts frontend/package.json \
    frontend/package-lock.json frontend/next.config.* -type f -newer "$stamp" 2>/dev/null | head -n 1 || true)
  # csp-hashes.json: a build from before the CSP lacks the hashes the server needs.
  if [ -f "$stamp" ] && [ -f frontend/out/csp-hashes.json ] && [ -z "$newest" ]; then return; fi
  [ -d frontend/node_modules ] || setup_frontend
  echo "==> Building the web app (next build, static export)"
  (cd frontend && npm run build --silent)
  touch "$stamp"
}
