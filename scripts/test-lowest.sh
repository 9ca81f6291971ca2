#!/usr/bin/env bash
# CI: the dependency floors in pyproject.toml are real. Installs the lowest version each direct
# dependency allows (`--resolution lowest-direct`, dev group included) into a fresh virtual
# environment on the oldest supported Python, and runs the unit and API tests there.
source "$(dirname "$0")/common.sh"
ensure_uv
VENV="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$VENV")"' EXIT

echo "==> Lowest allowed dependency versions (uv pip install --resolution lowest-direct)"
"$UV" venv --quiet --python "${DESKPILOT_LOWEST_PYTHON:-3.11}" "$VENV"
"$UV" pip install --quiet --python "$VENV/bin/python" --resolution lowest-direct -e . --group dev
"$UV" pip list --python "$VENV/bin/python" 2>/dev/null \
  | grep -E '^(fastapi|starlette|uvicorn|pydantic|pydantic-settings|sqlalchemy|asyncpg|alembic|typer|openai|anthropic|httpx2|pytest-asyncio) ' \
  | tr -s ' ' | paste -sd ',' | sed 's/,/, /g'

echo "==> Unit and API tests on the lowest versions"
"$VENV/bin/python" -m pytest -q tests/llm tests/chat tests/api tests/test_cli.py "$@"
