"""`cairn drift` input speed on full-precision CSVs: 100k x 20 normal columns written by pandas'
`to_csv` (shortest round-trip repr, 16-17 significant digits, about 39 MB a file), odd columns of the
current file shifted by 0.3 sigma, as in bench/drift.

From the repository root, after
    swift build -c release --scratch-path .build-release --product drift-bench
run
    python bench/monitor/csv_parse.py
It prints wall and CPU seconds of `drift-bench report ref.csv cur.csv out.json` (what `cairn drift ref.csv
cur.csv --json out.json` does, from process start) and of its CSV reading, best of five.
"""

import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "bench", "monitor", "work")
BENCH = os.path.join(ROOT, ".build-release", "release", "drift-bench")


def main():
    os.makedirs(WORK, exist_ok=True)
    ref_path, cur_path = os.path.join(WORK, "ref17.csv"), os.path.join(WORK, "cur17.csv")
    if not os.path.exists(cur_path):
        rng = np.random.default_rng(2026)
        ref = rng.normal(0, 1, (100_000, 20))
        cur = rng.normal(0, 1, (100_000, 20))
        cur[:, 1::2] += 0.3
        columns = [f"f{i}" for i in range(20)]
        pd.DataFrame(ref, columns=columns).to_csv(ref_path, index=False)
        pd.DataFrame(cur, columns=columns).to_csv(cur_path, index=False)
    out = os.path.join(WORK, "report17.json")
    runs = []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([BENCH, "report", ref_path, cur_path, out], check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        inner = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append({"wall_s": wall, "cpu_s": cpu, "read_s": inner.get("read_seconds")})
    with open(out) as f:
        report = json.load(f)
    drifted = sorted(c["name"] for c in report["columns"] if c["drift_detected"])
    best = min(runs, key=lambda r: r["wall_s"])
    print(json.dumps({
        "csv_mib": round(os.path.getsize(ref_path) / 2**20, 1),
        "best_wall_s": round(best["wall_s"], 3), "best_cpu_s": round(min(r["cpu_s"] for r in runs), 3),
        "best_read_s": round(min(r["read_s"] for r in runs), 3),
        "drifted": drifted, "load": os.getloadavg(),
    }))


if __name__ == "__main__":
    sys.exit(main())
