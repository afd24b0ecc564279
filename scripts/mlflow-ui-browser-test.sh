#!/usr/bin/env bash
# Serves MLflow's own web UI with `cairn server --mlflow-ui` and renders its experiment, run,
# artifact and model version pages in headless Chromium (scripts/mlflow_ui_browser_check.py).
# The UI comes from the mlflow package that python3 imports; without one, mlflow==3.17.2 is
# installed into .venv-mlflow first. Screenshots and DOM dumps are kept in .browser-test-mlflow/.
# Usage: scripts/mlflow-ui-browser-test.sh [path-to-cairn-binary]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CAIRN="${1:-$ROOT/.build/debug/cairn}"
OUT="$ROOT/.browser-test-mlflow"

command -v chromium >/dev/null || { echo "chromium is needed (apt-get install chromium)"; exit 1; }
if ! python3 -c "import mlflow.server" >/dev/null 2>&1; then
    if [ ! -x "$ROOT/.venv-mlflow/bin/python" ] || ! "$ROOT/.venv-mlflow/bin/python" -c "import mlflow.server" 2>/dev/null; then
        python3 -m venv "$ROOT/.venv-mlflow"
        "$ROOT/.venv-mlflow/bin/pip" install -q -r "$ROOT/tests/mlflow-ui/requirements.txt"
    fi
    export PATH="$ROOT/.venv-mlflow/bin:$PATH"
fi

rm -rf "$OUT"
mkdir -p "$OUT/data"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$CAIRN" server --host 127.0.0.1 --port "$PORT" --backend-store-uri "sqlite:///$OUT/data/cairn.db" \
    --artifacts-destination "$OUT/data/artifacts" --mlflow-ui >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fs "$BASE/health" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "$BASE/health" >/dev/null || { cat "$OUT/server.log"; exit 1; }

python3 scripts/mlflow_ui_browser_check.py "$BASE" "$OUT"
