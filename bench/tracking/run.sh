#!/usr/bin/env bash
# Tracking-server benchmark: Cairn vs MLflow vs FastTrackML (see bench.py).
#
#   CAIRN_BIN=.build/release/cairn bench/tracking/run.sh
#   BENCH_QUICK=1 CAIRN_BIN=... bench/tracking/run.sh          # small smoke run
#   BENCH_SERVERS=mlflow,fml bench/tracking/run.sh             # without Cairn
#   BENCH_POSTGRES=cluster CAIRN_BIN=... bench/tracking/run.sh # Cairn x1, Cairn x2, MLflow on PostgreSQL
#
# Knobs (environment): CAIRN_BIN (required when cairn is among the servers),
# BENCH_SERVERS (default cairn,mlflow,fml; cairn,cairn2,mlflow on PostgreSQL),
# BENCH_QUICK=1, BENCH_RUNS (25000), BENCH_SEED_CLIENTS (12),
# BENCH_HISTORY_POINTS (100000), BENCH_LOG_SECONDS (5),
# BENCH_POSTGRES (a postgresql:// URI of a server where databases may be created,
# or "cluster" for a throw-away cluster from scripts/pg-cluster.sh, removed at exit).
# Extra arguments go to bench.py. Results: bench/tracking/work/results-*.json.
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
    grep -v '^fasttrackml' "$requirements" | "$venv/bin/pip" install --quiet -r /dev/stdin
    grep '^fasttrackml' "$requirements" | "$venv/bin/pip" install --quiet --no-deps -r /dev/stdin
    echo "$wanted" >"$stamp"
fi

mkdir -p "$here/work"
if [[ "${BENCH_POSTGRES:-}" == cluster ]]; then
    cluster="$(mktemp -d /tmp/cairn-bench-pg.XXXXXX)"
    rmdir "$cluster"
    trap '"$here/../../scripts/pg-cluster.sh" stop "$cluster"' EXIT
    BENCH_POSTGRES="$("$here/../../scripts/pg-cluster.sh" start "$cluster")"
    export BENCH_POSTGRES
    "$venv/bin/python" "$here/bench.py" "$@"
    exit
fi
exec "$venv/bin/python" "$here/bench.py" "$@"
