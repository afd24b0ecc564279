#!/usr/bin/env bash
# Authenticated-request benchmark: cairn server --auth vs cairn server (no auth) vs
# MLflow's basic-auth app (see bench.py).
#
#   CAIRN_BIN=.build-release/release/cairn bench/auth/run.sh
#   BENCH_SECONDS=3 CAIRN_BIN=... bench/auth/run.sh          # shorter windows
#   BENCH_SERVERS=cairn-auth,cairn CAIRN_BIN=... bench/auth/run.sh   # without MLflow
#
# Knobs (environment): CAIRN_BIN (required when a Cairn server is among the servers),
# BENCH_SERVERS (default cairn-auth,cairn,mlflow-auth,mlflow-auth-cache), BENCH_SECONDS (5; the length of each
# timed window). Extra arguments go to bench.py. Results: bench/auth/work/results-*.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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

mkdir -p "$here/work"
exec "$venv/bin/python" "$here/bench.py" "$@"
