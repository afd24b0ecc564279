#!/usr/bin/env bash
# Seeds a 25,000-run SQLite store (once, kept in bench/ui/work/) and times every UI page through
# the real router. Usage: bench/ui/run.sh [--runs N] [--iterations N]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product cairn-ui-bench
mkdir -p bench/ui/work
exec .build/release/cairn-ui-bench --dir bench/ui/work "$@"
