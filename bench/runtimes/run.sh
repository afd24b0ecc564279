#!/usr/bin/env bash
# Native model runtimes vs the libraries' own predict (see bench_trees.py).
#   bench/runtimes/run.sh [PYTHON]
# PYTHON needs xgboost, lightgbm and mlflow (tests/e2e/requirements.txt). Builds runtime-bench in
# release mode; results go to bench/runtimes/results-<date>.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${1:-python3}
swift build -c release --product runtime-bench
BIN=$(swift build -c release --show-bin-path)/runtime-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "load: $(uptime)"
"$PYTHON" bench/runtimes/bench_trees.py --runtime-bench "$BIN" --workdir "$WORK" \
    --output "bench/runtimes/results-$(date -u +%Y-%m-%d).json"
# ONNX models add their own script here (bench/runtimes/bench_onnx.py) when that runtime lands.
