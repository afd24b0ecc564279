"""Native ONNX runtime vs onnxruntime: single-row latency and a 100,000-row batch.

Models: an MLP (scikit-learn MLPRegressor, 20 → 64 → 64 → 1, converted with skl2onnx: MatMul,
Add, Relu) and a 100-tree random forest (RandomForestRegressor, max_depth 10:
TreeEnsembleRegressor). Rows: 100,000 × 20 float32, the same bytes for both sides.

* Cairn: bench/runtimes/onnx_bench.swift compiled with `swiftc -O` together with
  Sources/CairnInference; in-process, a one-row table per call; the batch on every core.
* onnxruntime 1.32.0 in Python, 2 intra-op threads: its `run` per row and on the
  batch; and MLflow's ONNX pyfunc (`mlflow.pyfunc.load_model(...).predict(frame)`) per row, which is
  what a Python scoring worker runs for each request.

Usage: python bench/runtimes/onnx_bench.py [--out results.json]  (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[2]
ROWS, FEATURES = 100_000, 20
SINGLE_CALLS, BATCH_REPEATS = 2000, 3


def build_models(tmp: Path) -> dict[str, Path]:
    from skl2onnx import to_onnx
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.neural_network import MLPRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, FEATURES)).astype(np.float32)
    y = X[:, :5].sum(axis=1) + np.sin(X[:, 5]) + rng.normal(scale=0.1, size=len(X))
    models = {
        "mlp": MLPRegressor(hidden_layer_sizes=(64, 64), max_iter=50, random_state=0).fit(X, y),
        "forest": RandomForestRegressor(n_estimators=100, max_depth=10, random_state=0, n_jobs=2).fit(X, y),
    }
    paths = {}
    for name, model in models.items():
        path = tmp / f"{name}.onnx"
        onnx.save(to_onnx(model, X[:1]), path)
        paths[name] = path
    return paths


def compile_swift(tmp: Path) -> Path:
    sources = sorted(str(p) for p in (ROOT / "Sources" / "CairnInference").rglob("*.swift"))
    binary = tmp / "onnx_bench"
    subprocess.run(["swiftc", "-O", "-wmo", "-swift-version", "6", "-parse-as-library", "-module-name", "onnx_bench", *sources,
                    str(ROOT / "bench" / "runtimes" / "onnx_bench.swift"), "-o", str(binary)], check=True)
    return binary


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def onnxruntime_side(path: Path, X: np.ndarray) -> dict:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    started = time.perf_counter()
    runtime = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    load = time.perf_counter() - started
    name = runtime.get_inputs()[0].name
    single = []
    for i in range(SINGLE_CALLS):
        row = X[i % len(X)][None, :]
        t = time.perf_counter()
        runtime.run(None, {name: row})
        single.append(time.perf_counter() - t)
    best = float("inf")
    cpu_start = time.process_time()
    for _ in range(BATCH_REPEATS):
        t = time.perf_counter()
        runtime.run(None, {name: X})
        best = min(best, time.perf_counter() - t)
    cpu = (time.process_time() - cpu_start) / BATCH_REPEATS
    return {"load_ms": load * 1e3, "single_p50_us": percentile(single, 50) * 1e6,
            "single_p99_us": percentile(single, 99) * 1e6, "batch_best_ms": best * 1e3,
            "batch_cpu_ms": cpu * 1e3}


def pyfunc_side(path: Path, X: np.ndarray, tmp: Path) -> dict:
    import mlflow.onnx
    import mlflow.pyfunc

    folder = tmp / f"pyfunc-{path.stem}"
    shutil.rmtree(folder, ignore_errors=True)
    mlflow.onnx.save_model(onnx.load(path), str(folder))
    model = mlflow.pyfunc.load_model(str(folder))
    columns = [f"f{i}" for i in range(FEATURES)]
    single = []
    for i in range(SINGLE_CALLS // 4):
        frame = pd.DataFrame(X[i % len(X)][None, :].astype(np.float64), columns=columns)
        t = time.perf_counter()
        model.predict(frame)
        single.append(time.perf_counter() - t)
    return {"single_p50_us": percentile(single, 50) * 1e6, "single_p99_us": percentile(single, 99) * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
               "cpus": os.cpu_count(), "onnxruntime": ort.__version__, "models": {}}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        paths = build_models(tmp)
        binary = compile_swift(tmp)
        X = np.random.default_rng(1).normal(size=(ROWS, FEATURES)).astype(np.float32)
        rows_file = tmp / "rows.f32"
        X.tofile(rows_file)
        for name, path in paths.items():
            out = subprocess.run([str(binary), str(path), str(rows_file), str(FEATURES), str(SINGLE_CALLS),
                                  str(BATCH_REPEATS)], check=True, capture_output=True, text=True)
            native = json.loads(out.stdout)
            runtime = onnxruntime_side(path, X)
            pyfunc = pyfunc_side(path, X, tmp)
            results["models"][name] = {"cairn": native, "onnxruntime": runtime, "mlflow_pyfunc": pyfunc}
    for name, r in results["models"].items():
        c, o, p = r["cairn"], r["onnxruntime"], r["mlflow_pyfunc"]
        print(f"{name}: single-row p50 cairn {c['single_p50_us']:.1f} µs, onnxruntime {o['single_p50_us']:.1f} µs "
              f"({o['single_p50_us'] / c['single_p50_us']:.1f}×), pyfunc {p['single_p50_us']:.0f} µs "
              f"({p['single_p50_us'] / c['single_p50_us']:.0f}×); 100k rows cairn {c['batch_best_ms']:.1f} ms, "
              f"onnxruntime {o['batch_best_ms']:.1f} ms ({c['batch_best_ms'] / o['batch_best_ms']:.2f}× its time; CPU "
              f"{c['batch_cpu_ms']:.0f} vs {o['batch_cpu_ms']:.0f} ms)")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
