#!/usr/bin/env bash
# Model-serving benchmark: cairn serve vs mlflow models serve (see bench.py).
#
#   swift build -c release --product cairn
#   CAIRN_BIN=.build/release/cairn bench/serving/run.sh
#   BENCH_SECONDS=3 CAIRN_BIN=... bench/serving/run.sh --ready-trials 1    # quick smoke run
#   BENCH_SERVERS=mlflow bench/serving/run.sh                              # MLflow only
#
# Needs wrk (Debian: apt-get install wrk). Knobs (environment): CAIRN_BIN (default: the
# repository's .build/release/cairn), BENCH_SERVERS (default cairn,mlflow,cairn-w2),
# BENCH_SECONDS (15 per measurement). Extra arguments go to bench.py.
# Results: bench/serving/work/results-*.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
requirements="$here/requirements.txt"

if [[ ! -x "$venv/bin/python" ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi

stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "installing $requirements into $venv" >&2
    "$venv/bin/pip" install --quiet -r "$requirements"
    echo "$wanted" >"$stamp"
fi

export CAIRN_BIN="${CAIRN_BIN:-$root/.build/release/cairn}"
mkdir -p "$here/work"
exec "$venv/bin/python" "$here/bench.py" "$@"
