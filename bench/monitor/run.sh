#!/usr/bin/env bash
# Monitor throughput (predictions per CPU second, single thread) and memory over generated
# prediction logs with 20 numeric features: 1M predictions, then 10M to check that memory stays flat.
# Usage: bench/monitor/run.sh [ROWS...]   (default: 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product monitor-bench >/dev/null
BENCH=.build-release/release/monitor-bench
WORK=bench/monitor/work
if [ $# -gt 0 ]; then ROWS=("$@"); else ROWS=(1000000 10000000); fi
for n in "${ROWS[@]}"; do
    dir="$WORK/log-$n"
    if [ ! -d "$dir" ]; then
        echo "writing $n predictions to $dir" >&2
        "$BENCH" write "$dir" "$n" 20
    fi
    echo "$(date -u +%FT%TZ) rows=$n load: $(uptime | sed 's/.*load average: //')" >&2
    "$BENCH" read "$dir" 10000
done
