#!/usr/bin/env bash
# Runs every Cairn test: formatting lint, Swift unit/store/router tests, the web UI in headless
# Chromium, and the end-to-end suite that drives a real `cairn server` with the real mlflow Python client,
# plus the speech pipeline (VAD accuracy on a generated corpus, `cairn asr serve`, `cairn speech stream`).
# Installs what it needs on a fresh Debian machine with the Swift toolchain.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv-test"

step() { printf '\n==> %s\n' "$*"; }

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v git >/dev/null || need_apt+=(git)
# The speech pipeline: espeak-ng and sox generate the labelled VAD corpus; the recognition service
# links pocketsphinx and uses its US English acoustic model.
command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
command -v sox >/dev/null || need_apt+=(sox)
[ -f /usr/include/pocketsphinx/pocketsphinx.h ] || need_apt+=(libpocketsphinx-dev libsphinxbase-dev)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need_apt+=(pocketsphinx-en-us)
# The store suite and the tracking suites also run on a throw-away PostgreSQL cluster.
{ command -v psql >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need_apt+=(postgresql)
# The monitoring tests check the Prometheus rules `cairn monitor rules` prints with promtool.
command -v promtool >/dev/null || need_apt+=(prometheus)
# OCI images: zlib for gzip layers; skopeo, umoci, podman (with runc) and a local registry validate them.
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
for tool in skopeo umoci podman runc docker-registry; do command -v $tool >/dev/null || need_apt+=($tool); done
if [ ${#need_apt[@]} -gt 0 ]; then
    step "Installing system packages: ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y "${need_apt[@]}"
fi

# The Python environments install (network and disk) while Swift compiles (CPU).
mkdir -p "$ROOT/.build"
step "Python environments (in the background while Swift builds)"
(
    if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
) > "$ROOT/.build/venv-test.log" 2>&1 &
VENV_TEST_JOB=$!
(
    if ! python3 -c "import mlflow.server.auth.client" 2>/dev/null \
        && { [ ! -x "$ROOT/.venv-mlflow/bin/python" ] \
            || ! "$ROOT/.venv-mlflow/bin/python" -c "import mlflow.server.auth.client, psycopg2" 2>/dev/null; }
    then
        python3 -m venv "$ROOT/.venv-mlflow"
        "$ROOT/.venv-mlflow/bin/pip" install -q --disable-pip-version-check -r "$ROOT/tests/mlflow-ui/requirements.txt"
    fi
) > "$ROOT/.build/venv-mlflow.log" 2>&1 &
VENV_MLFLOW_JOB=$!
wait_for() {
    if ! wait "$1"; then
        echo "Installing the Python packages failed:" >&2
        cat "$2" >&2
        exit 1
    fi
}

step "Checking formatting (swift format lint)"
swift format lint --strict -r Sources Tests Package.swift

# A throw-away PostgreSQL cluster (installed from Debian if missing, run as a non-root user on a free
# port, removed on exit): the store suite and the tracking end-to-end suites run on it as on SQLite.
PG_DIR="$(mktemp -d /tmp/cairn-pg.XXXXXX)"
stop_postgres() { "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true; }
trap stop_postgres EXIT
step "PostgreSQL for the store tests (throw-away cluster)"
export CAIRN_TEST_POSTGRES_URL="$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")"
echo "PostgreSQL at $CAIRN_TEST_POSTGRES_URL"

step "Building (debug, with tests)"
swift build --build-tests

step "Swift tests (the store suite on SQLite and PostgreSQL)"
swift test --skip-build

step "Drift CLI smoke test"
CAIRN_BIN="$ROOT/.build/debug/cairn" ./scripts/drift_cli_check.sh

step "Web UI in a real browser (headless Chromium; screenshots in .browser-test/shots)"
scripts/ui-browser-test.sh "$ROOT/.build/debug/cairn"

step "MLflow's own web UI served by cairn server --mlflow-ui (headless Chromium; .browser-test-mlflow/)"
wait_for "$VENV_MLFLOW_JOB" "$ROOT/.build/venv-mlflow.log"
scripts/mlflow-ui-browser-test.sh "$ROOT/.build/debug/cairn"

step "Python environment for the end-to-end suite"
wait_for "$VENV_TEST_JOB" "$ROOT/.build/venv-test.log"

# The tracking suites a second time with the server on PostgreSQL, alongside the main run.
TRACKING_SUITES=(tests/e2e/test_compat_*.py tests/e2e/test_experiments.py tests/e2e/test_runs.py
    tests/e2e/test_search.py tests/e2e/test_registry.py tests/e2e/test_errors.py tests/e2e/test_hostile.py
    tests/e2e/test_hostile_inputs.py tests/e2e/test_wire.py tests/e2e/test_models.py tests/e2e/test_artifacts.py)
psql "$CAIRN_TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE cairn_e2e"
PG_E2E_LOG="$ROOT/.build/e2e-postgres.log"
step "End-to-end tracking suites on PostgreSQL (in the background; log in $PG_E2E_LOG)"
(
    E2E_BACKEND_STORE_URI="${CAIRN_TEST_POSTGRES_URL%/*}/cairn_e2e" CAIRN_BIN="$ROOT/.build/debug/cairn" \
        "$VENV/bin/python" -m pytest "${TRACKING_SUITES[@]}" -q -p no:cacheprovider
) > "$PG_E2E_LOG" 2>&1 &
PG_E2E_JOB=$!

step "End-to-end suite: the real mlflow client, replicas on PostgreSQL, and the speech pipeline"
# The import tests generate a real MLflow installation with the full mlflow package.
if [ -z "${MLFLOW_PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv-mlflow/bin/python" ]; then MLFLOW_PYTHON="$ROOT/.venv-mlflow/bin/python"; else MLFLOW_PYTHON="$(command -v python3)"; fi
fi
MLFLOW_PYTHON="$MLFLOW_PYTHON" \
    CAIRN_BIN="$ROOT/.build/debug/cairn" CAIRN_ASR_BIN="$ROOT/.build/debug/cairn-asr" \
    "$VENV/bin/python" -m pytest tests/e2e -q -p no:cacheprovider "$@"

step "End-to-end tracking suites on PostgreSQL: result"
if ! wait "$PG_E2E_JOB"; then
    tail -n 80 "$PG_E2E_LOG"
    echo "The tracking suites failed on PostgreSQL (full log: $PG_E2E_LOG)" >&2
    exit 1
fi
tail -n 3 "$PG_E2E_LOG"

step "All tests passed"
