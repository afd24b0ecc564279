#!/usr/bin/env bash
# Loads every web UI page in headless Chromium against a `cairn server` filled with sample runs,
# checks the DOM after the page scripts ran and saves screenshots in .browser-test/ for review.
# Usage: scripts/ui-browser-test.sh [path-to-cairn-binary]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CAIRN="${1:-$ROOT/.build/debug/cairn}"
OUT="$ROOT/.browser-test"

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v tidy >/dev/null || need+=(tidy)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    $SUDO apt-get install -y "${need[@]}"
fi

rm -rf "$OUT"
mkdir -p "$OUT/shots" "$OUT/dom" "$OUT/data"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$CAIRN" server --host 127.0.0.1 --port "$PORT" --backend-store-uri "sqlite:///$OUT/data/cairn.db" \
    --artifacts-destination "$OUT/data/artifacts" >"$OUT/server.log" 2>&1 &
SERVER=$!
AUTH_SERVER=""
trap 'kill $SERVER $AUTH_SERVER 2>/dev/null || true' EXIT
wait_healthy() { # wait_healthy BASE_URL
    for _ in $(seq 1 100); do
        curl -fs "$1/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
}
wait_healthy "$BASE"

IDS=$(python3 scripts/ui_sample_data.py "$BASE")
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$IDS"; }
EXP=$(field "$IDS" 'd["experiment"]')
RUN=$(field "$IDS" 'd["runs"][0]')
PLAIN_RUN=$(field "$IDS" 'd["runs"][1]')
COMPARE=$(field "$IDS" '"&".join("runs=" + r for r in d["runs"][:4])')
MODEL=$(field "$IDS" 'd["model"]')
LIVE=$(field "$IDS" 'd["live"]')
OTHER=$(field "$IDS" 'd["other"]')
EDIT_RUN=$(field "$IDS" 'd["runs"][5]')

failures=0
checks=0
# check NAME PATH EXPECTED...: validates the served HTML with tidy, dumps the DOM after scripts ran,
# takes a screenshot and greps the DOM for each expected text.
# tidy 5.6 predates ARIA 1.1's aria-current and flags empty colour swatches; both are expected.
check() {
    local name="$1" path="$2"
    shift 2
    local height="${HEIGHT:-1100}"
    local flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=4000
        --window-size=1400,$height)
    # Each page gets a fresh browser profile; PROFILE shares one between checks (remembered columns).
    flags+=(--user-data-dir="${PROFILE:-$OUT/profiles/$name}")
    checks=$((checks + 1))
    timeout 60 chromium "${flags[@]}" --dump-dom "$BASE$path" >"$OUT/dom/$name.html" 2>/dev/null || true
    timeout 60 chromium "${flags[@]}" --screenshot="$OUT/shots/$name.png" "$BASE$path" >/dev/null 2>&1 || true
    local ok=1
    curl -s "$BASE${path%%#*}" >"$OUT/dom/$name.served.html"
    tidy -q -e --drop-empty-elements no "$OUT/dom/$name.served.html" 2>&1 |
        grep -v -e 'proprietary attribute "aria-current"' -e 'trimming empty <span>' >"$OUT/dom/$name.tidy.txt" || true
    if [ -s "$OUT/dom/$name.tidy.txt" ]; then
        echo "FAIL $name: HTML problems:"
        cat "$OUT/dom/$name.tidy.txt"
        ok=0
    fi
    for expected in "$@"; do
        if ! grep -qF -- "$expected" "$OUT/dom/$name.html"; then
            echo "FAIL $name: '$expected' not in the rendered page"
            ok=0
        fi
    done
    [ -s "$OUT/shots/$name.png" ] || { echo "FAIL $name: no screenshot"; ok=0; }
    if [ $ok -eq 1 ]; then echo "ok   $name"; else failures=$((failures + 1)); fi
}

check experiments "/" "Digits classifier" "Speech &lt;VAD&gt; &amp; friends" 'class="js"'
check experiment "/experiments/$EXP?col=metrics.accuracy&col=params.lr&order=metrics.accuracy+DESC" \
    "baseline-0" "sweep-lr" 'aria-sort="descending"' "Top-level runs 1–13 of 13"
check filter-error "/experiments/$EXP?filter=metrics.loss+%3E+%27high%27" 'id="filter-error"' \
    "Expected numeric value type for metric"
HEIGHT=1600 check run "/runs/$RUN" "cairn reproduce $RUN" "3f9a7c21" 'class="spark"' "source/changes.diff" "digits-clf version 1"
check run-not-reproducible "/runs/$PLAIN_RUN" 'id="reproduce-missing"' "was not started by"
check artifacts "/runs/$RUN/artifacts?path=metrics.csv" "<th scope=\"col\">accuracy</th>" "config.yaml"
check artifact-image "/runs/$RUN/artifacts?path=plots/curve.svg" 'class="artifact-image"'
HEIGHT=2200 check compare "/compare?$COMPARE&param=lr&metric=accuracy" 'data-series="4"' 'class="diff"' "metrics.accuracy against params.lr"
check compare-log "/compare?$COMPARE&scale=log&x=time" "log scale" "seconds since start"
check models "/models" "digits-clf" "@champion"
check model "/models/digits-clf" "Version 1" "Production"
check model-version "/models/digits-clf/versions/1" "Trained by run" "baseline-0"
HEIGHT=1600 check monitoring "/models/digits-clf/versions/1/monitoring" "Alert timeline" "data_drift" \
    "Data drift per feature" "pixel_1" "class 1" "Latency (ms)" "Live accuracy" "monitor/report.html"
check model-version-quotes "/models/it%27s%20%22q%22/versions/1" "Trained by run" ">baseline-1</a>"
check not-found "/runs/0000deadbeef" "Run with id=0000deadbeef not found"

# Default columns: the experiment's metrics and the params that vary, without choosing them.
check experiment-default "/experiments/$EXP" ">accuracy</a></th>" ">test_accuracy</a></th>" ">param lr</a></th>" \
    ">param batch_size</a></th>" 'data-cols="defaults"'
# A column choice is remembered per experiment: a later visit without columns restores it.
PROFILE="$OUT/profile" check columns-chosen "/experiments/$EXP?cols=chosen&col=params.optimizer" ">param optimizer</a></th>"
PROFILE="$OUT/profile" check columns-remembered "/experiments/$EXP" 'data-cols="chosen"' ">param optimizer</a></th>"
PROFILE="$OUT/profile" check columns-reset "/experiments/$EXP?cols=default" 'data-cols="reset"' ">accuracy</a></th>"
PROFILE="$OUT/profile" check columns-forgotten "/experiments/$EXP" 'data-cols="defaults"'
# MLflow's own links (printed by its client) land on the right pages.
check mlflow-run-link "/#/experiments/$EXP/runs/$RUN" "cairn reproduce $RUN" "<h1>baseline-0"
check mlflow-experiment-link "/#/experiments/$EXP" "Top-level runs 1–13 of 13"
check mlflow-model-link "/#/models/digits-clf/versions/1" "Trained by run"
check mlflow-logged-model-link "/#/experiments/$EXP/models/$MODEL" "sklearn_version"
MLFLOW_COMPARE=$(field "$IDS" '"%5B" + ",".join("%22" + r + "%22" for r in d["runs"][:2]) + "%5D"')
check mlflow-compare-link "/#/compare-runs?runs=$MLFLOW_COMPARE&experiments=%5B%22$EXP%22%5D" "Compare 2 runs" \
    'data-series="2"'
# Compare: single-value metrics as bars, latest values with the best marked, parallel coordinates.
HEIGHT=3200 check compare-bars "/compare?$COMPARE&metric=test_accuracy" 'class="chart bars"' 'class="grid latest-values"' \
    'class="num best"' 'class="chart parallel"'
SWEEP=$(field "$IDS" '"&".join("runs=" + r for r in d["children"])')
HEIGHT=2600 check compare-sweep "/compare?$SWEEP" 'class="chart parallel"' ">params.lr</text>" 'data-series="4"'
HEIGHT=1000 check metric "/runs/$RUN/metric?key=val_loss" 'id="metric-chart"' 'data-series="1"' "Points drawn"
HEIGHT=1400 check logged-model "/logged-models/$MODEL" "sklearn_version" "pixel_1" \
    "models:/digits-clf@challenger" "input_example.json"
check running-experiment "/experiments/$OTHER" 'data-autorefresh="15"' "live-training"
check running-run "/runs/$LIVE" 'data-autorefresh="15"' 'class="spark"'

# Edits through the pages' own forms: fill, click, check the page the post redirects to.
checks=$((checks + 1))
if ! python3 scripts/ui_browser_edits.py "$BASE" "$OUT/shots" "$EDIT_RUN" "$LIVE"; then failures=$((failures + 1)); fi
# The same posts from another site's page are refused, even with the browser's cookie.
JAR="$OUT/cookies.txt"
cross_site() { # cross_site POST_PATH PAGE_PATH BODY -> prints the HTTP status
    local token
    token=$(curl -s -c "$JAR" -b "$JAR" "$BASE$2" | grep -o 'name="form_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
    curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -H "Origin: http://evil.example" \
        --data "form_token=$token&$3" "$BASE$1"
}
checks=$((checks + 1))
refused=1
for spec in "/runs/$EDIT_RUN/rename|/runs/$EDIT_RUN|name=evil" "/runs/$EDIT_RUN/delete|/runs/$EDIT_RUN|" \
    "/models/digits-clf/versions/1/stage|/models/digits-clf/versions/1|stage=Archived"; do
    IFS='|' read -r target from body <<<"$spec"
    status=$(cross_site "$target" "$from" "$body")
    [ "$status" = 403 ] || { echo "FAIL cross-site post to $target: status $status"; refused=0; }
done
if [ $refused -eq 1 ]; then echo "ok   cross-site edits refused"; else failures=$((failures + 1)); fi
check after-edits "/runs/$EDIT_RUN" "<h1>renamed &lt;baseline&gt;" "Delete run"

# A second server with --auth (its own port and data): sign-in, sessions, CSRF refusal and pages
# filtered by permission (scripts/ui_browser_auth.py counts its own checks).
mkdir -p "$OUT/auth-data"
AUTH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AUTH_BASE="http://127.0.0.1:$AUTH_PORT"
export CAIRN_ADMIN_PASSWORD="admin-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
"$CAIRN" server --auth --host 127.0.0.1 --port "$AUTH_PORT" --backend-store-uri "sqlite:///$OUT/auth-data/cairn.db" \
    --artifacts-destination "$OUT/auth-data/artifacts" >"$OUT/auth-server.log" 2>&1 &
AUTH_SERVER=$!
wait_healthy "$AUTH_BASE"
BASE="$AUTH_BASE" check login "/login?next=/models" "Sign in to Cairn" 'name="next" value="/models"' \
    'autocomplete="current-password"'
python3 scripts/ui_browser_auth.py "$AUTH_BASE" "$OUT/shots" | tee "$OUT/auth.txt" || true
auth_summary=$(tail -1 "$OUT/auth.txt")
if auth_counts=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["checks"], len(d["failures"]))' \
    "$auth_summary" 2>/dev/null); then
    read -r auth_checks auth_failures <<<"$auth_counts"
    checks=$((checks + auth_checks))
    failures=$((failures + auth_failures))
else
    echo "FAIL auth: scripts/ui_browser_auth.py did not finish"
    checks=$((checks + 1))
    failures=$((failures + 1))
fi

passed=$((checks - failures))
echo "Screenshots in $OUT/shots"
echo "browser: $passed passed, $failures failed"
[ $failures -eq 0 ]
