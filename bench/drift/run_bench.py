"""Drift benchmark: Cairn against Evidently 0.7.23 and scipy on the same data, in one run.

From the repository root, after a release build of the timing tool (and, optionally, of the CLI):

    swift build -c release --scratch-path .build-release --product drift-bench
    swift build -c release --scratch-path .build-release --product cairn     # optional

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -r bench/drift/requirements.txt
    .venv-bench/bin/python bench/drift/run_bench.py [--skip-evidently]

Cases:
  (a) drift report over 100k x 20 numeric columns read from CSV, end to end (process start to report);
      odd columns shifted by 0.3 sigma. Cairn: `drift-bench report` runs the same library calls as
      `cairn drift ref.csv cur.csv --json out.json` (read, type, test, write JSON), and the CLI itself when
      its release build exists; Evidently: pandas.read_csv + Report([DataDriftPreset()]).run(); both use
      the default tests (normed Wasserstein).
  (b) two-sample KS on 1M vs 1M (0.05 sigma shift): scipy.stats.ks_2samp vs Cairn in-process.
  (c) PSI from a stored reference profile on 1M current rows: numpy (precomputed decile edges +
      searchsorted + bincount) vs Cairn in-process, and `cairn drift --reference-profile` end to end.
  (d) peak resident memory of each process (ru_maxrss of the child).
Results are printed as a Markdown table and written to bench/drift/work/results.json.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "bench", "drift", "work")
RELEASE = os.path.join(ROOT, ".build-release", "release")


CPU_SECONDS = {}


def peak_of(cmd):
    """Wall time and peak RSS of one command, measured by a fresh wrapper process; its CPU time (user +
    system, which other load on the machine does not inflate) is kept in CPU_SECONDS[tuple(cmd)]."""
    wrapper = (
        "import resource,subprocess,sys,time;"
        "s=time.perf_counter();r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "w=time.perf_counter()-s;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(w, u.ru_maxrss/1024, r.returncode, u.ru_utime+u.ru_stime);"
        "sys.stdout.write(r.stdout)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper] + cmd, check=True, capture_output=True, text=True).stdout
    first, _, rest = out.partition("\n")
    wall, rss, code, cpu = first.split()
    if int(code) not in (0, 3):
        raise SystemExit(f"{cmd} failed with {code}")
    key = tuple(cmd)
    CPU_SECONDS[key] = min(CPU_SECONDS.get(key, float("inf")), float(cpu))
    return float(wall), float(rss), rest


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": mem, "python": platform.python_version(),
            "numpy": np.__version__, "scipy": scipy.__version__}


def make_data():
    os.makedirs(WORK, exist_ok=True)
    rng = np.random.default_rng(2026)
    n, cols = 100_000, 20
    ref = rng.normal(0, 1, (n, cols))
    cur = rng.normal(0, 1, (n, cols))
    cur[:, 1::2] += 0.3
    header = ",".join(f"f{i}" for i in range(cols))
    for name, arr in (("ref.csv", ref), ("cur.csv", cur)):
        np.savetxt(os.path.join(WORK, name), arr, delimiter=",", fmt="%.6f", header=header, comments="")
    big_ref = rng.normal(0, 1, 1_000_000)
    big_cur = rng.normal(0.05, 1, 1_000_000)
    big_ref.astype("<f8").tofile(os.path.join(WORK, "ref1m.f64"))
    big_cur.astype("<f8").tofile(os.path.join(WORK, "cur1m.f64"))
    for name, arr in (("ref1m.csv", big_ref), ("cur1m.csv", big_cur)):
        np.savetxt(os.path.join(WORK, name), arr, fmt="%.6f", header="x", comments="")


EVIDENTLY_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
ref = pd.read_csv(sys.argv[1]); cur = pd.read_csv(sys.argv[2])
snap = Report([DataDriftPreset()]).run(cur, ref)
scores = {}
share = None
for m in snap.dict()["metrics"]:
    cfg = m["config"]
    if cfg["type"].endswith("ValueDrift"):
        scores[cfg["column"]] = m["value"]
    elif cfg["type"].endswith("DriftedColumnsCount"):
        share = m["value"]["share"]
print(json.dumps({"seconds_in_process": time.perf_counter() - t0, "scores": scores, "share": share}))
"""


def bench_report(skip_evidently):
    ref, cur = os.path.join(WORK, "ref.csv"), os.path.join(WORK, "cur.csv")
    out_json = os.path.join(WORK, "cairn_report.json")
    runs = [peak_of([os.path.join(RELEASE, "drift-bench"), "report", ref, cur, out_json]) for _ in range(3)]
    wall = min(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    inner = [json.loads(r[2]) for r in runs]
    with open(out_json) as f:
        report = json.load(f)
    cairn_scores = {c["name"]: c["score"] for c in report["columns"]}
    row = {"case": "report 100k x 20 from CSV", "cairn_s": wall, "cairn_rss_mib": rss,
           "cairn_cpu_s": CPU_SECONDS[(os.path.join(RELEASE, "drift-bench"), "report", ref, cur, out_json)],
           "cairn_read_s": min(x["read_seconds"] for x in inner),
           "cairn_share": report["drift_share"], "csv_mib": os.path.getsize(ref) / 2**20}
    cairn = os.path.join(RELEASE, "cairn")
    if os.path.exists(cairn):
        cli = [peak_of([cairn, "drift", ref, cur, "--json", out_json, "-q"]) for _ in range(3)]
        row["cli_s"] = min(r[0] for r in cli)
        row["cli_rss_mib"] = max(r[1] for r in cli)
    if not skip_evidently:
        script = os.path.join(WORK, "evidently_run.py")
        with open(script, "w") as f:
            f.write(EVIDENTLY_SCRIPT)
        ev_wall, ev_rss, out = peak_of([sys.executable, script, ref, cur])
        row["anchor_cpu_s"] = CPU_SECONDS[(sys.executable, script, ref, cur)]
        ev = json.loads(out.strip().splitlines()[-1])
        diffs = [abs(cairn_scores[k] - v) / max(abs(v), 1e-300) for k, v in ev["scores"].items()]
        row.update({"anchor": "Evidently 0.7.23 DataDriftPreset", "anchor_s": ev_wall, "anchor_rss_mib": ev_rss,
                    "anchor_share": ev["share"], "max_rel_score_diff": max(diffs)})
    return row


def bench_ks():
    a = np.fromfile(os.path.join(WORK, "ref1m.f64"))
    b = np.fromfile(os.path.join(WORK, "cur1m.f64"))
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(3):
        t, c0 = time.perf_counter(), time.process_time()
        r = stats.ks_2samp(a, b, method="auto")
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c0)
    wall, rss, out = peak_of([os.path.join(RELEASE, "drift-bench"), "ks", os.path.join(WORK, "ref1m.f64"),
                              os.path.join(WORK, "cur1m.f64")])
    c = json.loads(out)
    return {"case": "KS 1M vs 1M", "cairn_s": c["seconds"], "cairn_cpu_s": c["cpu_seconds"], "cairn_rss_mib": rss,
            "anchor": "scipy.stats.ks_2samp",
            "anchor_s": best, "anchor_cpu_s": best_cpu, "cairn_value": c["pvalue"], "anchor_value": float(r.pvalue),
            "statistic_diff": abs(c["statistic"] - float(r.statistic)),
            "max_rel_score_diff": abs(c["pvalue"] - r.pvalue) / r.pvalue if r.pvalue > 0 else abs(c["pvalue"])}


def bench_psi():
    a = np.fromfile(os.path.join(WORK, "ref1m.f64"))
    b = np.fromfile(os.path.join(WORK, "cur1m.f64"))
    t = time.perf_counter()
    edges = np.quantile(a, np.linspace(0, 1, 11)[1:-1])
    ref_frac = np.bincount(np.searchsorted(edges, a, side="left"), minlength=10) / len(a)
    profile_s = time.perf_counter() - t
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(3):
        t, c0 = time.perf_counter(), time.process_time()
        cur_frac = np.bincount(np.searchsorted(edges, b, side="left"), minlength=10) / len(b)
        r = np.clip(ref_frac, 1e-4, None)
        c = np.clip(cur_frac, 1e-4, None)
        psi = float(np.sum((r - c) * np.log(r / c)))
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c0)
    _, rss, out = peak_of([os.path.join(RELEASE, "drift-bench"), "psi", os.path.join(WORK, "ref1m.f64"),
                           os.path.join(WORK, "cur1m.f64")])
    c = json.loads(out)
    row = {"case": "PSI from stored profile, 1M rows", "cairn_s": c["seconds"], "cairn_cpu_s": c["cpu_seconds"],
           "cairn_rss_mib": rss, "anchor": "numpy deciles + searchsorted + bincount", "anchor_s": best,
           "anchor_cpu_s": best_cpu, "anchor_profile_s": profile_s, "cairn_profile_s": c["profile_seconds"],
           "cairn_profile_cpu_s": c["profile_cpu_seconds"], "cairn_value": c["psi"], "anchor_value": psi}
    cairn = os.path.join(RELEASE, "cairn")
    if os.path.exists(cairn):
        profile = os.path.join(WORK, "ref1m-profile.json")
        prof_wall, prof_rss, _ = peak_of([cairn, "profile", os.path.join(WORK, "ref1m.csv"), "-o", profile])
        e2e = [peak_of([cairn, "drift", "--reference-profile", profile, os.path.join(WORK, "cur1m.csv"), "-q"])
               for _ in range(3)]
        row.update({"cli_profile_s": prof_wall, "cli_profile_rss_mib": prof_rss,
                    "cli_drift_from_profile_s": min(x[0] for x in e2e), "cli_drift_rss_mib": max(x[1] for x in e2e)})
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-evidently", action="store_true", help="leave out the slow Evidently anchor")
    parser.add_argument("--reuse-data", action="store_true", help="do not regenerate the input files")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(RELEASE, "drift-bench")):
        raise SystemExit("missing drift-bench: swift build -c release --scratch-path .build-release --product drift-bench")
    if not args.reuse_data or not os.path.exists(os.path.join(WORK, "cur1m.csv")):
        make_data()
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
               "command": "python bench/drift/run_bench.py" + (" --skip-evidently" if args.skip_evidently else ""),
               "rows": [bench_report(args.skip_evidently), bench_ks(), bench_psi()]}
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
