#!/usr/bin/env python3
"""Model-serving benchmark: `cairn serve` vs MLflow's `mlflow models serve --env-manager local`.

One model is trained and saved as an MLflow model folder — by default a scikit-learn pipeline
(StandardScaler + LogisticRegression on 10 numeric columns), with `--model xgboost` a 200-tree
XGBoost booster, which cairn serves with its native runtime — and each server serves that folder
on its own, on a free loopback port, with the same interpreter and the same number of workers.

  ready       process start to the first 200 on GET /ping (several starts); idle RSS
  check       the same requests to every server give the same predictions as model.predict
  load        POST /invocations with dataframe_split JSON, 1-row and 100-row bodies, at
              1 / 8 / 32 concurrent keep-alive connections (wrk, closed loop): req/s, rows/s,
              p50 / p99 latency, CPU per request, RSS of the whole process tree under load
  profile     the Python work per call, timed in this process: MLflow's invocations() and the
              steps a cairn worker runs (parse, DataFrame with the schema, predict, to JSON)

Results go to stdout as Markdown tables and to work/results-<stamp>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = HERE / "work"
SCRIPTS = Path(sysconfig.get_path("scripts"))
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024
N_FEATURES = 10
COLUMNS = [f"f{i}" for i in range(N_FEATURES)]

_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:7.1f}s] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The model and the request bodies


def train_and_save(model_dir: Path):
    """Trains the pipeline, saves it as an MLflow model folder, returns (model, holdout frame)."""
    import warnings

    warnings.filterwarnings("ignore", message=".*integer column.*")
    import mlflow.sklearn
    import numpy as np
    import pandas as pd
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = make_classification(
        n_samples=20_000, n_features=N_FEATURES, n_informative=6, n_redundant=2, random_state=7
    )
    # Spread the scales so the scaler has work to do.
    x = x * np.linspace(0.5, 50.0, N_FEATURES) + np.linspace(-10.0, 10.0, N_FEATURES)
    frame = pd.DataFrame(x, columns=COLUMNS)
    train, holdout = frame.iloc[:10_000], frame.iloc[10_000:].reset_index(drop=True)
    model = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=1000))])
    model.fit(train, y[:10_000])
    if model_dir.exists():
        shutil.rmtree(model_dir)
    mlflow.sklearn.save_model(model, str(model_dir), input_example=train.head(5))
    return model, holdout


def train_and_save_xgboost(model_dir: Path):
    """A 200-tree XGBoost booster (binary:logistic, depth 6) on the same data, saved with
    mlflow.xgboost; returns (predict function giving the booster's probabilities, holdout frame)."""
    import mlflow.xgboost
    import numpy as np
    import pandas as pd
    import xgboost as xgb
    from sklearn.datasets import make_classification

    x, y = make_classification(
        n_samples=20_000, n_features=N_FEATURES, n_informative=6, n_redundant=2, random_state=7
    )
    x = x * np.linspace(0.5, 50.0, N_FEATURES) + np.linspace(-10.0, 10.0, N_FEATURES)
    frame = pd.DataFrame(x, columns=COLUMNS)
    train, holdout = frame.iloc[:10_000], frame.iloc[10_000:].reset_index(drop=True)
    booster = xgb.train(
        {"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "nthread": 2, "seed": 7},
        xgb.DMatrix(train, label=y[:10_000]), num_boost_round=200,
    )
    if model_dir.exists():
        shutil.rmtree(model_dir)
    mlflow.xgboost.save_model(booster, str(model_dir), input_example=train.head(5))
    return (lambda f: [float(v) for v in booster.predict(xgb.DMatrix(f))]), holdout


def split_body(frame) -> str:
    # repr() of a Python float round-trips exactly; json.dumps uses it.
    return json.dumps(
        {"dataframe_split": {"columns": list(frame.columns), "data": frame.values.tolist()}},
        separators=(",", ":"),
    )


def make_bodies(holdout, rows: int, count: int, offset: int) -> list[tuple[str, object]]:
    """`count` distinct bodies of `rows` rows each, with the frames they encode."""
    out = []
    for i in range(count):
        start = (offset + i * rows) % (len(holdout) - rows)
        part = holdout.iloc[start : start + rows]
        out.append((split_body(part), part))
    return out


# --------------------------------------------------------------------------
# Processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_stat(pid: int) -> tuple[int, int, int] | None:
    """(process group id, utime+stime ticks, ppid) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    # fields[0] is state (field 3); ppid is field 4, process group field 5, utime 14, stime 15.
    return int(fields[2]), int(fields[11]) + int(fields[12]), int(fields[1])


def tree_pids(root: int) -> list[int]:
    """The process and all its descendants (by parent pid; cairn puts its workers in their own
    process groups, so the group alone would miss them)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = read_stat(int(name))
            if stat is not None:
                children.setdefault(stat[2], []).append(int(name))
    if read_stat(root) is None:
        return []
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(out)


def status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            parts = f.read().split(b"\0")
    except OSError:
        return "?"
    # The worker runs `python -c <script> folder`: show the interpreter and the folder only.
    parts = [p.decode(errors="replace") for p in parts if p]
    if "-c" in parts:
        i = parts.index("-c")
        parts = parts[:i] + ["-c", "<script>"] + parts[i + 2 :]
    # Paths inside the repository are shown relative to it.
    text = " ".join(Path(parts[0]).name if i == 0 else p for i, p in enumerate(parts))
    return text.replace(str(ROOT) + os.sep, "")[:120]


class Server:
    """A server process started as the leader of a new process group; its whole tree is measured
    and stopped."""

    def __init__(self, name: str, argv: list[str], port: int, log_path: Path):
        self.name = name
        self.argv = argv
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.ready_seconds: float | None = None

    def start(self, timeout: float = 300.0) -> float:
        env = dict(os.environ)
        env.update(
            MLFLOW_DISABLE_TELEMETRY="true",
            DO_NOT_TRACK="true",
            PYTHONDONTWRITEBYTECODE="1",
            # As in an activated environment: mlflow models serve runs `uvicorn` from PATH.
            PATH=f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        log_file = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )
        log_file.close()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"{self.name} not ready after {timeout} s; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/ping")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.005)
        self.ready_seconds = time.monotonic() - started
        return self.ready_seconds

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def tree(self) -> list[int]:
        return tree_pids(self.pid)

    def memory(self) -> dict:
        pids = self.tree()
        return {
            "processes": len(pids),
            "rss_mib": sum(status_kib(p, "VmRSS") for p in pids) / 1024,
            "pss_mib": sum(pss_kib(p) for p in pids) / 1024,
            "front_rss_mib": status_kib(self.pid, "VmRSS") / 1024,
            "per_process": [
                {"pid": p, "cmd": cmdline(p), "rss_mib": status_kib(p, "VmRSS") / 1024} for p in pids
            ],
        }

    def cpu_ticks(self) -> int:
        return sum((read_stat(p) or (0, 0, 0))[1] for p in self.tree())

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        pids = self.tree()
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            code = self.proc.wait()
        # Make sure no worker outlives its server.
        deadline = time.monotonic() + 10
        while any(read_stat(p) is not None for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        for p in pids:
            if read_stat(p) is None:
                continue
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None
        return code


class MemorySampler(threading.Thread):
    """Samples the RSS of a server's process tree while a load runs."""

    def __init__(self, server: Server, interval: float = 0.5):
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.stop_event = threading.Event()
        self.samples: list[tuple[float, float]] = []  # (tree RSS MiB, front-end RSS MiB)

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            pids = self.server.tree()
            tree = sum(status_kib(p, "VmRSS") for p in pids) / 1024
            self.samples.append((tree, status_kib(self.server.pid, "VmRSS") / 1024))

    def finish(self) -> dict:
        self.stop_event.set()
        self.join()
        if not self.samples:
            return {}
        trees = [s[0] for s in self.samples]
        fronts = [s[1] for s in self.samples]
        return {
            "rss_mib_peak": max(trees),
            "rss_mib_mean": statistics.fmean(trees),
            "front_rss_mib_peak": max(fronts),
        }


def busy_jiffies() -> int:
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    values = [int(v) for v in fields]
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    return sum(values) - values[3] - values[4]


# --------------------------------------------------------------------------
# HTTP


def post(port: int, body: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, dict]:
    own = conn is None
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/invocations", body=body.encode(), headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if own:
        conn.close()
    return response.status, json.loads(data)


def get_text(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    data = conn.getresponse().read().decode()
    conn.close()
    return data


METRIC_LINE = re.compile(r"^(cairn_serve_batch_(?:rows|requests))_(sum|count)(?:\{[^}]*\})?\s+([0-9.eE+-]+)$")


def batch_counters(port: int) -> dict[str, float]:
    """Sums of the batch-size histograms of cairn's /metrics (empty for other servers)."""
    out: dict[str, float] = {}
    try:
        text = get_text(port, "/metrics")
    except OSError:
        return out
    for line in text.splitlines():
        m = METRIC_LINE.match(line)
        if m:
            key = f"{m.group(1)}_{m.group(2)}"
            out[key] = out.get(key, 0.0) + float(m.group(3))
    return out


# --------------------------------------------------------------------------
# Load


def run_wrk(port: int, bodies_file: Path, clients: int, seconds: float, threads: int) -> dict:
    argv = [
        "wrk", f"-t{min(threads, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
        "-s", str(HERE / "post.lua"), f"http://127.0.0.1:{port}/invocations", "--", str(bodies_file),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((l for l in result.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}\n{result.stderr}")
    out = json.loads(line[len("WRKJSON ") :])
    out["wrk_cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def measure_cell(server: Server, bodies_file: Path, rows: int, clients: int, args) -> dict:
    counters_before = batch_counters(server.port) if server.name.startswith("cairn") else {}
    sampler = MemorySampler(server)
    cpu_before = server.cpu_ticks()
    front_before = (read_stat(server.pid) or (0, 0, 0))[1]
    busy_before = busy_jiffies()
    load_before = os.getloadavg()[0]
    wall_before = time.monotonic()
    sampler.start()
    wrk = run_wrk(server.port, bodies_file, clients, args.duration, args.wrk_threads)
    memory = sampler.finish()
    wall = time.monotonic() - wall_before
    cpu = (server.cpu_ticks() - cpu_before) / CLOCK_TICKS
    front_cpu = ((read_stat(server.pid) or (0, 0, 0))[1] - front_before) / CLOCK_TICKS
    busy = (busy_jiffies() - busy_before) / CLOCK_TICKS
    counters_after = batch_counters(server.port) if server.name.startswith("cairn") else {}

    seconds = wrk["duration_us"] / 1e6
    requests = wrk["requests"]
    errors = sum(wrk["errors"].values())
    cell = {
        "rows": rows,
        "clients": clients,
        "requests": requests,
        "errors": wrk["errors"],
        "req_per_s": requests / seconds,
        "rows_per_s": requests * rows / seconds,
        "latency_ms": {k: v / 1000 for k, v in wrk["latency_us"].items()},
        "server_cpu_cores": cpu / wall,
        "server_cpu_ms_per_request": 1000 * cpu / requests if requests else None,
        # The front process alone (cairn: the Swift server without its Python workers).
        "front_cpu_ms_per_request": 1000 * front_cpu / requests if requests else None,
        "wrk_cpu_cores": wrk["wrk_cpu_seconds"] / wall,
        # CPU used by everything else on the machine during the run (other users' jobs).
        "other_cpu_cores": max(0.0, (busy - cpu - wrk["wrk_cpu_seconds"]) / wall),
        "load_average_1m": [load_before, os.getloadavg()[0]],
        **memory,
    }
    if counters_after:
        calls = counters_after.get("cairn_serve_batch_rows_count", 0) - counters_before.get(
            "cairn_serve_batch_rows_count", 0
        )
        if calls > 0:
            cell["model_calls"] = calls
            cell["rows_per_model_call"] = (
                counters_after.get("cairn_serve_batch_rows_sum", 0)
                - counters_before.get("cairn_serve_batch_rows_sum", 0)
            ) / calls
            cell["requests_per_model_call"] = (
                counters_after.get("cairn_serve_batch_requests_sum", 0)
                - counters_before.get("cairn_serve_batch_requests_sum", 0)
            ) / calls
    log(
        f"  {server.name:9s} rows={rows:<3d} clients={clients:<2d} {cell['req_per_s']:8.1f} req/s "
        f"p50 {cell['latency_ms']['p50']:7.2f} ms p99 {cell['latency_ms']['p99']:7.2f} ms "
        f"cpu {cell['server_cpu_cores']:.2f} others {cell['other_cpu_cores']:.2f} "
        f"rss {memory.get('rss_mib_peak', 0):.0f} MiB"
        + (f" batch {cell.get('requests_per_model_call', 0):.1f} req" if "model_calls" in cell else "")
        + (f" ERRORS {errors}" if errors else "")
    )
    return cell


# --------------------------------------------------------------------------
# Profile of the Python work per call


def profile_python(model_dir: Path, holdout, row_counts: list[int], repeats: int) -> dict:
    import mlflow.pyfunc
    from mlflow.pyfunc import scoring_server
    from mlflow.utils.proto_json_utils import _get_jsonable_obj, dataframe_from_parsed_json

    model = mlflow.pyfunc.load_model(str(model_dir))
    schema = model.metadata.get_input_schema()
    out = {}
    for rows in row_counts:
        body = split_body(holdout.iloc[:rows])
        split = json.loads(body)["dataframe_split"]

        def best(fn) -> float:
            fn()
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t)
            return 1000 * statistics.median(times)

        frame = dataframe_from_parsed_json(split, pandas_orient="split", schema=schema)
        predictions = model.predict(frame)
        out[str(rows)] = {
            "mlflow_invocations_ms": best(
                lambda: scoring_server.invocations(body, "application/json", model, schema)
            ),
            "json_loads_ms": best(lambda: json.loads(body)),
            "dataframe_ms": best(lambda: dataframe_from_parsed_json(split, pandas_orient="split", schema=schema)),
            "predict_ms": best(lambda: model.predict(frame)),
            "to_json_ms": best(lambda: json.dumps(_get_jsonable_obj(predictions, pandas_orient="records"))),
        }
        p = out[str(rows)]
        p["cairn_worker_steps_ms"] = p["json_loads_ms"] + p["dataframe_ms"] + p["predict_ms"] + p["to_json_ms"]
        log(
            f"  profile rows={rows:<4d} MLflow invocations() {p['mlflow_invocations_ms']:.2f} ms; "
            f"worker steps {p['cairn_worker_steps_ms']:.2f} ms (loads {p['json_loads_ms']:.2f}, "
            f"DataFrame {p['dataframe_ms']:.2f}, predict {p['predict_ms']:.2f}, to JSON {p['to_json_ms']:.2f})"
        )
    return out


LOAD_SCRIPT = """
import sys, time
t0 = time.monotonic()
import mlflow.pyfunc
t1 = time.monotonic()
mlflow.pyfunc.load_model(sys.argv[1])
t2 = time.monotonic()
print(t1 - t0, t2 - t1)
"""


def python_load_floor(model_dir: Path, trials: int) -> dict:
    """What any Python server pays before it can answer: start the interpreter, import
    mlflow.pyfunc, load the model (each in a fresh process, as a worker does)."""
    walls, imports, loads = [], [], []
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true", PYTHONDONTWRITEBYTECODE="1")
    for _ in range(trials):
        t = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT, str(model_dir)], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        walls.append(time.monotonic() - t)
        imports.append(float(out[0]))
        loads.append(float(out[1]))
    floor = {
        "process_seconds": walls,
        "import_seconds": imports,
        "load_model_seconds": loads,
        "process_seconds_median": statistics.median(walls),
    }
    log(
        f"  python start + import mlflow.pyfunc + load_model: median {floor['process_seconds_median']:.2f} s "
        f"(import {statistics.median(imports):.2f} s, load_model {statistics.median(loads):.2f} s)"
    )
    return floor


# --------------------------------------------------------------------------
# Machine


def machine() -> dict:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    versions = {}
    for package in ("mlflow", "scikit-learn", "pandas", "numpy", "uvicorn", "fastapi"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version[0] if wrk_version else None,
        "packages": versions,
    }


# --------------------------------------------------------------------------
# Main


def server_argv(kind: str, workers: int, model_dir: Path, port: int, cairn_bin: str | None) -> list[str]:
    if kind == "mlflow":
        return [
            str(SCRIPTS / "mlflow"), "models", "serve", "-m", str(model_dir), "--env-manager", "local",
            "-h", "127.0.0.1", "-p", str(port), "--workers", str(workers),
        ]
    assert cairn_bin is not None
    return [
        cairn_bin, "serve", str(model_dir), "--python", sys.executable, "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--cache", str(WORK / "cache"),
        "--log-level", "warning",
    ]


SERVER_KINDS = {"mlflow": ("mlflow", 1), "cairn": ("cairn", 1), "cairn-w2": ("cairn", 2)}


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def report(results: dict) -> str:
    servers = results["servers"]
    lines = []
    names = [n for n in ("cairn", "cairn-w2", "mlflow") if n in servers]
    anchor = servers.get("mlflow")
    lines.append("| | " + " | ".join(names) + (" | cairn/mlflow |" if anchor and "cairn" in servers else " |"))
    lines.append("|---" * (len(names) + 1 + (1 if anchor and "cairn" in servers else 0)) + "|")

    def row(label: str, values: list[str], r: str | None = None) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + (f" | {r} |" if r is not None else " |"))

    has_ratio = anchor is not None and "cairn" in servers
    ready = [servers[n]["ready_seconds"] for n in names]
    row(
        "start to ready, median (s)",
        [fmt(statistics.median(r), 2) for r in ready],
        ratio(statistics.median(servers["cairn"]["ready_seconds"]), statistics.median(anchor["ready_seconds"]))
        if has_ratio else None,
    )
    row(
        "idle RSS, whole tree (MiB)",
        [f"{fmt(servers[n]['idle']['rss_mib'])} ({servers[n]['idle']['processes']} proc)" for n in names],
        ratio(servers["cairn"]["idle"]["rss_mib"], anchor["idle"]["rss_mib"]) if has_ratio else None,
    )
    row(
        "idle RSS, front process (MiB)",
        [fmt(servers[n]["idle"]["front_rss_mib"]) for n in names],
        "" if has_ratio else None,
    )
    for cell_key in results["cells"]:
        rows, clients = cell_key
        cells = {n: servers[n]["load"].get(f"{rows}x{clients}") for n in names}
        c, m = cells.get("cairn"), cells.get("mlflow")
        label = f"{rows} row{'s' if rows > 1 else ''}, {clients} client{'s' if clients > 1 else ''}"
        row(
            f"{label}: req/s",
            [fmt(cells[n]["req_per_s"]) if cells[n] else "—" for n in names],
            ratio(c and c["req_per_s"], m and m["req_per_s"]) if has_ratio else None,
        )
        row(
            f"{label}: p50 / p99 (ms)",
            [
                f"{fmt(cells[n]['latency_ms']['p50'], 2)} / {fmt(cells[n]['latency_ms']['p99'], 2)}" if cells[n] else "—"
                for n in names
            ],
            (f"{ratio(c['latency_ms']['p50'], m['latency_ms']['p50'])} / {ratio(c['latency_ms']['p99'], m['latency_ms']['p99'])}"
             if c and m else "—") if has_ratio else None,
        )
    for n in names:
        peaks = [cell.get("rss_mib_peak", 0) for cell in servers[n]["load"].values()]
        servers[n]["rss_mib_peak_under_load"] = max(peaks) if peaks else None
        fronts = [cell.get("front_rss_mib_peak", 0) for cell in servers[n]["load"].values()]
        servers[n]["front_rss_mib_peak_under_load"] = max(fronts) if fronts else None
    row(
        "peak RSS under load, whole tree (MiB)",
        [fmt(servers[n]["rss_mib_peak_under_load"]) for n in names],
        ratio(servers["cairn"]["rss_mib_peak_under_load"], anchor["rss_mib_peak_under_load"]) if has_ratio else None,
    )
    row(
        "peak RSS under load, front process (MiB)",
        [fmt(servers[n]["front_rss_mib_peak_under_load"]) for n in names],
        "" if has_ratio else None,
    )
    row(
        "idle RSS after load, whole tree (MiB)",
        [fmt(servers[n]["idle_after_load"]["rss_mib"]) for n in names],
        ratio(servers["cairn"]["idle_after_load"]["rss_mib"], anchor["idle_after_load"]["rss_mib"])
        if has_ratio else None,
    )

    detail = ["", "| server | rows | clients | req/s | rows/s | p50 ms | p99 ms | server CPU ms/req | "
              "front process CPU ms/req | req per model call | other jobs' CPU (cores) | errors |", "|---" * 12 + "|"]
    for n in names:
        for key, cell in servers[n]["load"].items():
            detail.append(
                f"| {n} | {cell['rows']} | {cell['clients']} | {fmt(cell['req_per_s'])} | {fmt(cell['rows_per_s'])} | "
                f"{fmt(cell['latency_ms']['p50'], 2)} | {fmt(cell['latency_ms']['p99'], 2)} | "
                f"{fmt(cell['server_cpu_ms_per_request'], 2)} | {fmt(cell['front_cpu_ms_per_request'], 2)} | "
                f"{fmt(cell.get('requests_per_model_call'), 1)} | "
                f"{cell['other_cpu_cores']:.2f} | {sum(cell['errors'].values())} |"
            )
    return "\n".join(lines + detail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cairn-bin", default=os.environ.get("CAIRN_BIN"))
    parser.add_argument("--servers", default=os.environ.get("BENCH_SERVERS", "cairn,mlflow,cairn-w2"))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_SECONDS", "15")))
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--rows", default="1,100")
    parser.add_argument("--ready-trials", type=int, default=3)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--model", choices=["sklearn", "xgboost"], default="sklearn",
        help="sklearn: a scaler + logistic regression pipeline (Python workers); xgboost: a 200-tree "
        "booster (cairn serves it with its native runtime, mlflow with Python)")
    args = parser.parse_args()

    kinds = [s.strip() for s in args.servers.split(",") if s.strip()]
    for kind in kinds:
        if kind not in SERVER_KINDS:
            parser.error(f"unknown server {kind!r} (known: {', '.join(SERVER_KINDS)})")
    if any(SERVER_KINDS[k][0] == "cairn" for k in kinds):
        if not args.cairn_bin or not os.access(args.cairn_bin, os.X_OK):
            parser.error("set CAIRN_BIN (or --cairn-bin) to a cairn release binary")
        args.cairn_bin = str(Path(args.cairn_bin).resolve())
    if shutil.which("wrk") is None:
        parser.error("wrk is needed for the load (Debian: apt-get install wrk)")
    clients = [int(c) for c in args.clients.split(",")]
    row_counts = [int(r) for r in args.rows.split(",")]

    WORK.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    results: dict = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "label": args.label,
        "machine": machine(),
        "settings": {
            "duration_s": args.duration, "warmup_s": args.warmup, "clients": clients, "rows": row_counts,
            "ready_trials": args.ready_trials, "wrk_threads": args.wrk_threads, "servers": kinds,
        },
        "load_average_start": os.getloadavg(),
        "servers": {},
    }
    log(f"machine: {results['machine']['nproc']} cores, {results['machine']['cpu']}, load {os.getloadavg()}")

    model_dir = WORK / "model"
    log(f"training and saving the {args.model} model")
    if args.model == "xgboost":
        predict, holdout = train_and_save_xgboost(model_dir)
        model_kind = "XGBoost booster, 200 trees, depth 6, binary:logistic"
    else:
        model, holdout = train_and_save(model_dir)
        predict = lambda f: [int(v) for v in model.predict(f)]  # noqa: E731
        model_kind = "Pipeline(StandardScaler, LogisticRegression)"
    bodies_files = {}
    for rows in row_counts:
        bodies = make_bodies(holdout, rows, 256 if rows < 10 else 32, offset=0)
        path = WORK / f"bodies-{rows}.jsonl"
        path.write_text("".join(b + "\n" for b, _ in bodies))
        bodies_files[rows] = path
    checks = make_bodies(holdout, 1, 64, offset=5000) + make_bodies(holdout, 100, 8, offset=6000)
    expected = [predict(frame) for _, frame in checks]
    results["model"] = {
        "kind": model_kind, "features": N_FEATURES,
        "body_bytes": {str(r): len(bodies_files[r].read_text().splitlines()[0]) for r in row_counts},
    }

    log("profiling the Python work per call (in this process)")
    results["profile"] = profile_python(model_dir, holdout, sorted({1, 8, 32, 100, 800, *row_counts}), 50)

    results["python_load_floor"] = python_load_floor(model_dir, max(1, args.ready_trials))

    cells = [(r, c) for r in row_counts for c in clients]
    results["cells"] = cells
    for kind in kinds:
        program, workers = SERVER_KINDS[kind]
        entry: dict = {"workers": workers, "ready_seconds": [], "load": {}}
        results["servers"][kind] = entry
        log_path = WORK / f"{kind}-{stamp}.log"
        server = None
        for trial in range(args.ready_trials):
            if server is not None:
                server.stop()
            port = free_port()
            server = Server(kind, server_argv(program, workers, model_dir, port, args.cairn_bin), port, log_path)
            seconds = server.start()
            entry["ready_seconds"].append(seconds)
            log(f"{kind}: ready in {seconds:.3f} s (start {trial + 1})")
        entry["argv"] = [Path(a).name if os.path.isabs(a) else a for a in server.argv]
        time.sleep(2)
        entry["idle"] = server.memory()
        log(f"{kind}: idle RSS {entry['idle']['rss_mib']:.1f} MiB in {entry['idle']['processes']} processes "
            f"(front process {entry['idle']['front_rss_mib']:.1f} MiB)")

        answers = []
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for body, _ in checks:
            status, reply = post(server.port, body, conn)
            answers.append(reply.get("predictions") if status == 200 else {"status": status, "reply": reply})
        conn.close()
        entry["check"] = {
            "requests": len(checks),
            "equal_to_model_predict": answers == expected,
        }
        entry["_answers"] = answers
        log(f"{kind}: predictions equal model.predict: {answers == expected}")

        try:
            for rows in row_counts:
                run_wrk(server.port, bodies_files[rows], 8, args.warmup, args.wrk_threads)
                for c in clients:
                    entry["load"][f"{rows}x{c}"] = measure_cell(server, bodies_files[rows], rows, c, args)
            time.sleep(3)
            entry["idle_after_load"] = server.memory()
        finally:
            entry["exit_code"] = server.stop()

    answers = {k: v.pop("_answers") for k, v in results["servers"].items()}
    first = next(iter(answers.values()), None)
    results["identical_predictions_across_servers"] = all(a == first for a in answers.values())
    results["load_average_end"] = os.getloadavg()
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")

    table = report(results)
    out = WORK / f"results-{stamp}{'-' + args.label if args.label else ''}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table)
    print()
    print(f"identical predictions across servers and equal to model.predict: "
          f"{results['identical_predictions_across_servers'] and all(s['check']['equal_to_model_predict'] for s in results['servers'].values())}")
    print(f"Python start + import mlflow.pyfunc + load_model alone (median): "
          f"{results['python_load_floor']['process_seconds_median']:.2f} s")
    print(f"load average: start {results['load_average_start']}, end {results['load_average_end']}")
    print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
