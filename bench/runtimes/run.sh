#!/usr/bin/env bash
# Native model runtimes vs the libraries' own predict (see bench_trees.py and onnx_bench.py).
#   bench/runtimes/run.sh [PYTHON]
# PYTHON needs xgboost, lightgbm, onnx, onnxruntime, skl2onnx and mlflow (tests/e2e/requirements.txt). Builds runtime-bench in
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
# ONNX: compiles its own timing program with swiftc (see onnx_bench.py).
"$PYTHON" bench/runtimes/onnx_bench.py --out "bench/runtimes/results-onnx-$(date -u +%Y-%m-%d).json"
