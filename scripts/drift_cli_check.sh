#!/usr/bin/env bash
# Smoke test of the drift commands through the built `cairn` binary: a drift report with the
# --fail-on-drift exit status, a profile round trip, and ADWIN on river's seeded stream (drift at 2079).
set -euo pipefail

cd "$(dirname "$0")/.."
CAIRN="${CAIRN_BIN:-.build/debug/cairn}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(7)
with open(f"{work}/ref.csv", "w") as ref, open(f"{work}/cur.csv", "w") as cur:
    ref.write("x,c\n")
    cur.write("x,c\n")
    for i in range(3000):
        ref.write(f"{rng.gauss(0, 1)},{'ab'[i % 2]}\n")
        cur.write(f"{rng.gauss(1, 1)},{'abc'[i % 3]}\n")
doc = json.load(open("Tests/CairnDriftTests/Fixtures/detectors.json"))
with open(f"{work}/stream.txt", "w") as f:
    f.write("\n".join(repr(v) for v in doc["streams"]["gauss42"]) + "\n")
PY

status=0
"$CAIRN" drift "$WORK/ref.csv" "$WORK/cur.csv" --json "$WORK/r.json" --html "$WORK/r.html" --fail-on-drift -q \
    || status=$?
[ "$status" -eq 3 ] || { echo "expected exit status 3 for a drifted dataset, got $status"; exit 1; }
grep -q '"dataset_drift" : true' "$WORK/r.json" || { echo "JSON report lacks dataset_drift: true"; exit 1; }
grep -q '<svg' "$WORK/r.html" || { echo "HTML report has no chart"; exit 1; }

"$CAIRN" profile "$WORK/ref.csv" -o "$WORK/p.json" >/dev/null
"$CAIRN" drift --reference-profile "$WORK/p.json" "$WORK/ref.csv" --json "$WORK/same.json" -q
grep -q '"dataset_drift" : false' "$WORK/same.json" || { echo "reference vs its own profile should not drift"; exit 1; }

out="$("$CAIRN" drift-stream --detector adwin "$WORK/stream.txt")"
[ "$out" = '{"index": 2079, "kind": "drift"}' ] || { echo "ADWIN detections differ from river: $out"; exit 1; }

if "$CAIRN" drift "$WORK/ref.csv" "$WORK/missing.csv" -q 2>/dev/null; then
    echo "a missing input should fail"
    exit 1
fi
echo "Drift CLI checks passed (4 checks)."
