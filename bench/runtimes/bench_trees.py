"""Native tree runtimes vs the libraries' own predict: single-row latency and a 100,000-row batch.

Trains a 500-tree XGBoost and a 500-tree LightGBM model (binary, 20 features, 10% missing), saves each
as an MLflow model folder, then times
  - the library from Python: one row per call (XGBoost `inplace_predict`, LightGBM `Booster.predict`
    on a 1-row NumPy array: the fastest calls each library offers; pyfunc `predict(df)` too), and
    the 100,000-row batch with 2 threads;
  - `runtime-bench` (Swift, release build) on the same folders and rows.
Prints a table with ratios and writes the raw numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import lightgbm as lgb
import mlflow
import numpy as np
import pandas as pd
import xgboost as xgb

FEATURES = 20
TREES = 500


def per_call_us(fn, calls):
    times = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - start) / 1e3)
    times.sort()
    return times[len(times) // 2], sum(times) / len(times)


def best_s(fn, repeats=5):
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runtime-bench", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--single-calls", type=int, default=2_000)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(0)
    train = rng.normal(size=(20_000, FEATURES))
    train[rng.random(train.shape) < 0.1] = np.nan
    filled = np.nan_to_num(train)
    y = (filled[:, 0] + filled[:, 1] * filled[:, 2] - 0.5 * filled[:, 3] + rng.normal(size=len(train)) > 0)
    names = [f"f{i}" for i in range(FEATURES)]
    X = rng.normal(size=(args.rows, FEATURES))
    X[rng.random(X.shape) < 0.1] = np.nan
    rows_path = work / "rows.f64"
    X.astype("<f8").tofile(rows_path)
    frame = pd.DataFrame(X, columns=names)

    booster_x = xgb.train({"objective": "binary:logistic", "max_depth": 6, "nthread": 2},
                          xgb.DMatrix(train, label=y, feature_names=names), TREES)
    booster_l = lgb.train({"objective": "binary", "num_leaves": 31, "num_threads": 2, "verbose": -1},
                          lgb.Dataset(pd.DataFrame(train, columns=names), y), TREES)
    folders = {"xgboost": work / "xgb-model", "lightgbm": work / "lgb-model"}
    for flavor, folder in folders.items():
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
    mlflow.xgboost.save_model(booster_x, str(folders["xgboost"]))
    mlflow.lightgbm.save_model(booster_l, str(folders["lightgbm"]))

    row = X[:1]
    row_frame = frame.iloc[:1]
    library = {}
    booster_x.set_param({"nthread": 1})
    pyfunc_x = mlflow.pyfunc.load_model(str(folders["xgboost"]))
    library["xgboost"] = {
        "single_p50_us": per_call_us(lambda: booster_x.inplace_predict(row), args.single_calls)[0],
        "pyfunc_single_p50_us": per_call_us(lambda: pyfunc_x.predict(row_frame), args.single_calls // 4)[0],
    }
    booster_x.set_param({"nthread": 2})
    library["xgboost"]["batch_best_s"] = best_s(lambda: booster_x.inplace_predict(X))
    pyfunc_l = mlflow.pyfunc.load_model(str(folders["lightgbm"]))
    library["lightgbm"] = {
        "single_p50_us": per_call_us(lambda: booster_l.predict(row, num_threads=1), args.single_calls)[0],
        "pyfunc_single_p50_us": per_call_us(lambda: pyfunc_l.predict(row_frame), args.single_calls // 4)[0],
        "batch_best_s": best_s(lambda: booster_l.predict(X, num_threads=2)),
    }

    native = {}
    for flavor, folder in folders.items():
        out = subprocess.run([args.runtime_bench, str(folder), str(rows_path)], capture_output=True, text=True,
                             check=True)
        native[flavor] = json.loads(out.stdout)

    print(f"{'model':10} {'measure':28} {'library':>12} {'native':>12} {'ratio':>9}")
    for flavor in folders:
        lib, nat = library[flavor], native[flavor]
        print(f"{flavor:10} {'single row p50 (us)':28} {lib['single_p50_us']:12.1f} {nat['single_p50_us']:12.2f} "
              f"{lib['single_p50_us'] / nat['single_p50_us']:8.1f}x")
        print(f"{flavor:10} {'single row pyfunc p50 (us)':28} {lib['pyfunc_single_p50_us']:12.1f} "
              f"{nat['single_p50_us']:12.2f} {lib['pyfunc_single_p50_us'] / nat['single_p50_us']:8.1f}x")
        print(f"{flavor:10} {f'{args.rows} rows, 2 threads (s)':28} {lib['batch_best_s']:12.4f} "
              f"{nat['batch_best_s']:12.4f} {nat['batch_best_s'] / lib['batch_best_s']:8.2f}x time")
    if args.output:
        Path(args.output).write_text(json.dumps({"library": library, "native": native, "rows": args.rows,
                                                 "trees": TREES, "features": FEATURES,
                                                 "load": os.getloadavg()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
