#!/usr/bin/env bash
# Times `cairn import mlflow` and `cairn db copy` on an MLflow SQLite database with 100,000 metric points.
#   CAIRN_BIN=.build/release/cairn MLFLOW_PYTHON=.venv-mlflow/bin/python bench/transfer/run.sh [RUNS] [POINTS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CAIRN_BIN="${CAIRN_BIN:-$ROOT/.build/debug/cairn}"
MLFLOW_PYTHON="${MLFLOW_PYTHON:-$ROOT/.venv-mlflow/bin/python}"
WORK="$ROOT/bench/transfer/work"
rm -rf "$WORK" && mkdir -p "$WORK"
echo "Generating the MLflow database (${1:-20} runs x ${2:-5000} points)..."
"$MLFLOW_PYTHON" "$ROOT/bench/transfer/make_mlflow_db.py" "$WORK/mlflow.db" "${1:-20}" "${2:-5000}" > "$WORK/make.log" 2>&1
echo "== cairn import mlflow"
/usr/bin/time -f "wall %e s, max RSS %M KB" "$CAIRN_BIN" import mlflow --quiet \
    --from "sqlite:///$WORK/mlflow.db" --to "sqlite:///$WORK/cairn.db"
echo "== again (everything already there)"
/usr/bin/time -f "wall %e s, max RSS %M KB" "$CAIRN_BIN" import mlflow --quiet \
    --from "sqlite:///$WORK/mlflow.db" --to "sqlite:///$WORK/cairn.db" | head -4
echo "== cairn db copy"
/usr/bin/time -f "wall %e s, max RSS %M KB" "$CAIRN_BIN" db copy --quiet \
    --from "sqlite:///$WORK/cairn.db" --to "sqlite:///$WORK/copy.db" | tail -1
