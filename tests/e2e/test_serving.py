"""`cairn serve`, `cairn predict` and `cairn rollout report` with real models, real worker processes
and the real mlflow client.

Models are trained here with scikit-learn, logged and registered on the suite's Cairn server, then
served by `cairn serve` (Python workers running this test environment's interpreter). Predictions
must equal `model.predict` in Python for every request shape and both protocols.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from mlflow import MlflowClient
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
FEATURES = ["f1", "f2", "f3", "f4"]


class Served:
    """A `cairn serve` process on a free port; stopped with SIGTERM."""

    def __init__(self, cairn_bin, uri, port, workdir: Path, extra=(), tracking_uri=None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = workdir / f"serve-{port}.log"
        env = dict(os.environ)
        env["PYTHONPATH"] = str(HERE) + os.pathsep + env.get("PYTHONPATH", "")
        command = [
            cairn_bin, "serve", uri, "--port", str(port), "--python", sys.executable,
            "--cache", str(workdir / "cache"), *extra,
        ]
        if tracking_uri:
            command += ["--tracking-uri", tracking_uri]
        self.handle = open(self.log, "wb")
        self.proc = subprocess.Popen(command, stdout=self.handle, stderr=subprocess.STDOUT, env=env)

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"cairn serve exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if requests.get(self.url + "/ping", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"cairn serve not ready after {timeout} s:\n{self.output()}")

    def output(self) -> str:
        self.handle.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.handle.close()
        return self.proc.returncode

    def invoke(self, body, content_type="application/json", headers=None):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        h = {"Content-Type": content_type, **(headers or {})}
        return requests.post(self.url + "/invocations", data=data, headers=h, timeout=60)

    def metric(self, name: str, **labels) -> float:
        """The sample of `name` whose labels include `labels` (0 when absent)."""
        text = requests.get(self.url + "/metrics", timeout=5).text
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            series, _, value = line.rpartition(" ")
            metric, _, label_text = series.partition("{")
            if metric != name:
                continue
            found = dict(re.findall(r'(\w+)="([^"]*)"', label_text))
            if all(found.get(k) == str(v) for k, v in labels.items()):
                return float(value)
        return 0.0


@pytest.fixture(scope="module")
def serve(cairn_bin, server, free_port, tmp_path_factory):
    """Start `cairn serve URI [args…]`; every server is stopped at the end of the module."""
    workdir = tmp_path_factory.mktemp("serving")
    started = []

    def start(uri, *extra, ready=True):
        s = Served(cairn_bin, uri, free_port(), workdir, extra, tracking_uri=server.url)
        started.append(s)
        return s.wait_ready() if ready else s

    start.workdir = workdir
    yield start
    for s in started:
        s.stop()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(400, 4)), columns=FEATURES)
    y_class = (X["f1"] + 0.5 * X["f2"] - 0.25 * X["f3"] > 0).astype(int)
    y_reg = 3 * X["f1"] - 2 * X["f2"] + X["f3"] * X["f4"] + rng.normal(scale=0.1, size=400)
    return X, y_class, y_reg


def _register(model, name, X, flavor="sklearn", **kwargs):
    with mlflow.start_run():
        if flavor == "sklearn":
            info = mlflow.sklearn.log_model(model, name="model", input_example=X.iloc[:3], **kwargs)
        else:
            info = mlflow.pyfunc.log_model(name="model", python_model=model, input_example=X.iloc[:3], **kwargs)
    return mlflow.register_model(info.model_uri, name)


@pytest.fixture(scope="module")
def models(server, data):
    """Registered models: a classifier (labels), the same as probabilities, a regressor, a pipeline."""
    X, y_class, y_reg = data
    mlflow.set_experiment(f"serving-{uuid.uuid4().hex[:8]}")
    suffix = uuid.uuid4().hex[:6]
    clf = LogisticRegression().fit(X, y_class)
    reg = RandomForestRegressor(n_estimators=20, max_depth=6, random_state=0).fit(X, y_reg)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.5)).fit(X, y_class)
    out = {}
    out["clf"] = (_register(clf, f"serve-clf-{suffix}", X), clf.predict)
    out["proba"] = (
        _register(clf, f"serve-proba-{suffix}", X, pyfunc_predict_fn="predict_proba"),
        clf.predict_proba,
    )
    out["reg"] = (_register(reg, f"serve-reg-{suffix}", X, serialization_format="cloudpickle"), reg.predict)
    out["pipe"] = (_register(pipe, f"serve-pipe-{suffix}", X), pipe.predict)
    return out


def _uri(version):
    return f"models:/{version.name}/{version.version}"


def _shapes(X):
    """The same rows in every request shape /invocations reads."""
    csv_text = X.to_csv(index=False)
    return {
        "dataframe_split": ({"dataframe_split": X.to_dict(orient="split") | {"index": None}}, "application/json"),
        "dataframe_records": ({"dataframe_records": X.to_dict(orient="records")}, "application/json"),
        "instances": ({"instances": X.to_dict(orient="records")}, "application/json"),
        "inputs": ({"inputs": X.to_dict(orient="list")}, "application/json; charset=utf-8"),
        "csv": (csv_text, "text/csv"),
    }


@pytest.mark.parametrize("kind", ["clf", "proba", "reg", "pipe"])
def test_predictions_equal_python_for_every_shape_and_protocol(serve, models, data, kind):
    version, predict = models[kind]
    X = data[0].iloc[:25]
    expected = np.asarray(predict(X))
    s = serve(_uri(version))
    for shape, (body, content_type) in _shapes(X).items():
        r = s.invoke(body, content_type)
        assert r.status_code == 200, (shape, r.text)
        assert r.headers["Cairn-Model"] == f"{version.name}/{version.version}"
        got = np.asarray(r.json()["predictions"])
        assert got.shape == expected.shape, shape
        assert np.array_equal(got, expected) if kind != "reg" else np.allclose(got, expected, rtol=0, atol=1e-12), shape
    # Open Inference Protocol: one tensor per column, and one [N, 4] tensor.
    per_column = {
        "id": "req-1",
        "inputs": [{"name": c, "shape": [len(X)], "datatype": "FP64", "data": X[c].tolist()} for c in FEATURES],
    }
    matrix = {"inputs": [{"name": "x", "shape": [len(X), 4], "datatype": "FP64", "data": X.values.tolist()}]}
    for body in (per_column, matrix):
        r = requests.post(f"{s.url}/v2/models/{version.name}/infer", json=body, timeout=30)
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["model_name"] == version.name and doc["model_version"] == str(version.version)
        out = doc["outputs"][0]
        assert out["shape"] == list(expected.shape)
        assert np.allclose(np.asarray(out["data"]).reshape(expected.shape), expected, rtol=0, atol=1e-12)
    assert per_column["id"] == requests.post(
        f"{s.url}/v2/models/{version.name}/versions/{version.version}/infer", json=per_column, timeout=30
    ).json()["id"]


def test_health_metadata_and_metrics(serve, models):
    version, _ = models["clf"]
    s = serve(_uri(version))
    assert requests.get(s.url + "/health", timeout=5).status_code == 200
    assert requests.get(s.url + "/v2/health/live", timeout=5).json() == {"live": True}
    assert requests.get(s.url + "/v2/health/ready", timeout=5).json() == {"ready": True}
    ready = requests.get(f"{s.url}/v2/models/{version.name}/ready", timeout=5).json()
    assert ready == {"name": version.name, "ready": True}
    meta = requests.get(f"{s.url}/v2/models/{version.name}", timeout=5).json()
    assert meta["name"] == version.name and meta["versions"] == [str(version.version)]
    assert [i["name"] for i in meta["inputs"]] == FEATURES and {i["datatype"] for i in meta["inputs"]} == {"FP64"}
    r = requests.get(f"{s.url}/v2/models/nope", timeout=5)
    assert r.status_code == 404 and "nope" in r.json()["error"]
    s.invoke({"dataframe_records": [{"f1": 1, "f2": 2, "f3": 3, "f4": 4}]})
    assert s.metric("cairn_serve_requests_total", model=version.name, version=version.version, role="primary",
                    status=200) >= 1
    text = requests.get(s.url + "/metrics", timeout=5).text
    for name in ("cairn_serve_request_duration_seconds_bucket", "cairn_serve_batch_rows_bucket",
                 "cairn_serve_model_load_seconds", "cairn_serve_in_flight_requests"):
        assert name in text, name


def test_error_statuses(serve, models):
    version, _ = models["clf"]
    s = serve(_uri(version), "--max-body-mb", "1")
    row = {"f1": 1.0, "f2": 2.0, "f3": 3.0, "f4": 4.0}
    cases = [
        ({"dataframe_records": [{"f1": 1.0, "f2": 2.0, "f3": 3.0}]}, "application/json", 400, "f4"),
        ({"dataframe_records": [row | {"f2": "high"}]}, "application/json", 400, "f2"),
        ({"rows": [row]}, "application/json", 400, "exactly one of the input fields"),
        ([row], "application/json", 400, "Received a list"),
        ("{not json", "application/json", 400, "valid JSON"),
        ({"dataframe_records": [row]}, "application/xml", 415, "only supports the following content types"),
        ({"dataframe_records": [row]}, "application/json; charset=latin-1", 415, "UTF-8"),
        ("f1,f2\n1,2,3\n", "text/csv", 400, "fields"),
    ]
    for body, content_type, status, text in cases:
        r = s.invoke(body, content_type)
        assert r.status_code == status, (body, r.status_code, r.text)
        assert text in r.text, (text, r.text)
        if status == 400:
            assert r.json()["error_code"] == "BAD_REQUEST"
        assert r.headers["Cairn-Model"] == f"{version.name}/{version.version}"
    big = {"dataframe_records": [row] * 30000}
    r = s.invoke(big)
    assert r.status_code == 413, r.text[:200]
    r = requests.post(f"{s.url}/v2/models/{version.name}/infer", json={"inputs": [{"name": "f1"}]}, timeout=5)
    assert r.status_code == 400 and "datatype" in r.json()["error"]
    # The server still answers after every refusal.
    assert s.invoke({"dataframe_records": [row]}).status_code == 200


@pytest.fixture(scope="module")
def doubler(server, data):
    import serving_models

    from mlflow.models import infer_signature

    X = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    name = f"serve-doubler-{uuid.uuid4().hex[:6]}"
    with_params = infer_signature(X, [2.0, 4.0, 6.0], params={"factor": 2.0})
    first = _register(serving_models.Doubler(), name, X, flavor="pyfunc", signature=with_params)
    second = _register(serving_models.Doubler(), name, X, flavor="pyfunc", signature=with_params)
    failing = _register(serving_models.Failing(), f"serve-failing-{uuid.uuid4().hex[:6]}", X, flavor="pyfunc")
    slow = _register(serving_models.Slow(), f"serve-slow-{uuid.uuid4().hex[:6]}", X, flavor="pyfunc")
    return {"name": name, "v1": first, "v2": second, "failing": failing, "slow": slow}


def _x(*values):
    return {"dataframe_split": {"columns": ["x"], "data": [[v] for v in values]}}


def test_params_timeout_and_model_errors(serve, doubler):
    s = serve(_uri(doubler["v1"]), "--timeout", "1")
    r = s.invoke(_x(1.5, 2.5) | {"params": {"factor": 3.0}})
    assert r.status_code == 200 and r.json()["predictions"] == [4.5, 7.5]
    r = s.invoke(_x(-500.0))
    assert r.status_code == 500 and "refused x = -500" in r.json()["message"]
    started = time.time()
    r = s.invoke(_x(-1.0))
    assert r.status_code == 504, r.text
    assert "exceeded limit" in r.json()["message"]
    assert time.time() - started < 3
    # After a hung worker is replaced, requests succeed again.
    for _ in range(100):
        r = s.invoke(_x(4.0))
        if r.status_code == 200:
            break
        time.sleep(0.1)
    assert r.status_code == 200 and r.json()["predictions"] == [8.0]


def test_worker_crash_is_replaced(serve, doubler):
    s = serve(_uri(doubler["v1"]), "--workers", "2")
    def restarts():
        return s.metric("cairn_serve_worker_restarts_total", model=f"{doubler['name']}/1")

    before = restarts()
    r = s.invoke(_x(-999.0))
    assert r.status_code == 503, r.text
    assert "worker" in r.json()["message"]
    ok = 0
    for _ in range(200):
        if s.invoke(_x(2.0)).status_code == 200:
            ok += 1
        if ok >= 20:
            break
    assert ok >= 20
    deadline = time.time() + 30
    while restarts() < before + 1 and time.time() < deadline:
        time.sleep(0.1)
    assert restarts() == before + 1


def test_micro_batching_combines_concurrent_requests(serve, doubler):
    s = serve(_uri(doubler["v1"]), "--max-batch-wait-ms", "20")
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda i: s.invoke(_x(float(i))), range(64)))
    for i, r in enumerate(results):
        assert r.status_code == 200 and r.json()["predictions"] == [2.0 * i]
    text = requests.get(s.url + "/metrics", timeout=5).text
    count = sum_ = 0.0
    for line in text.splitlines():
        if line.startswith("cairn_serve_batch_requests_count"):
            count = float(line.split()[-1])
        if line.startswith("cairn_serve_batch_requests_sum"):
            sum_ = float(line.split()[-1])
    assert sum_ == 64 and count < 64, (count, sum_)


def _read_log(folder: Path):
    records = []
    for f in sorted(folder.glob("predictions-*.jsonl")):
        for line in f.read_text().splitlines():
            records.append(json.loads(line))
    return records


def test_shadow_never_delays_or_breaks_the_primary(serve, doubler, tmp_path):
    log = tmp_path / "log-shadow"
    s = serve(_uri(doubler["v1"]), "--shadow", _uri(doubler["failing"]), "--prediction-log", str(log))
    for i in range(20):
        r = s.invoke(_x(float(i), float(i) + 0.5))
        assert r.status_code == 200 and r.json()["predictions"] == [2.0 * i, 2.0 * i + 1]
        assert r.headers["Cairn-Model"] == f"{doubler['name']}/1"
    slow_log = tmp_path / "log-slow"
    s2 = serve(_uri(doubler["v1"]), "--shadow", _uri(doubler["slow"]), "--prediction-log", str(slow_log))
    started = time.time()
    for i in range(10):
        assert s2.invoke(_x(float(i))).status_code == 200
    assert time.time() - started < 4, "a 0.5 s shadow delayed the primary"
    time.sleep(1.5)
    records = _read_log(log)
    primary = [r for r in records if r["role"] == "primary"]
    shadow = [r for r in records if r["role"] == "shadow"]
    assert len(primary) == 40
    deadline = time.time() + 10
    while len(shadow) < 40 and time.time() < deadline:
        time.sleep(0.2)
        shadow = [r for r in _read_log(log) if r["role"] == "shadow"]
    assert len(shadow) == 40 and {r["status"] for r in shadow} == {500}
    assert {r["request_id"] for r in shadow} == {r["request_id"] for r in primary}
    first = primary[0]
    assert set(first) >= {"ts", "request_id", "model", "version", "role", "inputs", "outputs", "latency_ms", "status"}
    assert first["ts"].endswith("Z") and len(first["ts"]) == 24
    assert first["version"] == "1" and first["status"] == 200 and first["inputs"] == {"x": 0.0}
    assert first["outputs"] == 0.0


def test_canary_split_stickiness_and_report(serve, doubler, cairn_bin, tmp_path):
    log = tmp_path / "log-canary"
    s = serve(_uri(doubler["v1"]), "--canary", _uri(doubler["v2"]), "--canary-percent", "30",
              "--prediction-log", str(log))
    seen = {}

    def one(i):
        r = s.invoke(_x(float(i % 7)))
        assert r.status_code == 200
        return r.headers["Cairn-Model"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(2000)))
    share = sum(a.endswith("/2") for a in answers) / len(answers)
    assert abs(share - 0.30) <= 0.03, share
    for key in ("alice", "bob", "carol", "dave", "erin"):
        got = {s.invoke(_x(1.0), headers={"Cairn-Routing-Key": key}).headers["Cairn-Model"] for _ in range(10)}
        assert len(got) == 1, (key, got)
        seen[key] = got.pop()
    time.sleep(1)
    out = subprocess.run([cairn_bin, "rollout", "report", "--prediction-log", str(log), "--json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = {r["role"]: r for r in json.loads(out.stdout)["rows"]}
    assert rows["primary"]["version"] == "1" and rows["canary"]["version"] == "2"
    assert rows["primary"]["requests"] + rows["canary"]["requests"] == 2050
    assert rows["canary"]["error_rate"] == 0 and rows["canary"]["compared"] > 0
    assert rows["canary"]["mean_abs_diff"] == 0.0
    table = subprocess.run([cairn_bin, "rollout", "report", "--prediction-log", str(log)],
                           capture_output=True, text=True, timeout=60)
    assert "canary" in table.stdout and "mean |diff| 0" in table.stdout, table.stdout


def test_canary_that_errors_is_rolled_back(serve, doubler):
    s = serve(_uri(doubler["v1"]), "--canary", _uri(doubler["failing"]), "--canary-percent", "50",
              "--max-error-rate", "0.2", "--rollback-min-requests", "10")
    statuses = [s.invoke(_x(1.0)).status_code for _ in range(200)]
    failures = statuses.count(500)
    assert 5 <= failures <= 40, failures
    assert statuses[-50:] == [200] * 50
    assert s.metric("cairn_serve_canary_rollbacks_total") == 1
    assert s.metric("cairn_serve_canary_percent") == 0
    assert "rolled back" in s.output()


def test_alias_move_switches_without_failed_requests(serve, doubler, server):
    client = MlflowClient(server.url)
    name = doubler["name"]
    client.set_registered_model_alias(name, "live", "1")
    s = serve(f"models:/{name}@live", "--poll-interval", "0.2")
    stop = threading.Event()
    results = []

    def load():
        while not stop.is_set():
            r = s.invoke(_x(1.0))
            results.append((r.status_code, r.headers.get("Cairn-Model")))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1)
    client.set_registered_model_alias(name, "live", "2")
    deadline = time.time() + 60
    while time.time() < deadline and not any(m and m.endswith("/2") for _, m in results[-10:]):
        time.sleep(0.1)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    assert {code for code, _ in results} == {200}, [r for r in results if r[0] != 200][:5]
    models_seen = [m for _, m in results]
    assert models_seen[0].endswith("/1") and models_seen[-1].endswith("/2")
    assert s.metric("cairn_serve_model_switches_total") == 1


def test_sigterm_drains_in_flight_requests(serve, doubler):
    s = serve(_uri(doubler["v1"]))
    result = {}

    def slow():
        result["r"] = s.invoke(_x(-1.0))

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.5)
    s.proc.send_signal(signal.SIGTERM)
    t.join(30)
    assert result["r"].status_code == 200 and result["r"].json()["predictions"] == [-2.0]
    assert s.proc.wait(30) == 0


def test_unknown_model_fails_clearly(cairn_bin, server, free_port, tmp_path):
    out = subprocess.run(
        [cairn_bin, "serve", "models:/no-such-model/1", "--port", str(free_port()), "--tracking-uri", server.url,
         "--python", sys.executable, "--cache", str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "no-such-model" in out.stderr, out.stderr


def test_runtime_choice_names_why_a_model_is_not_native(cairn_bin, server, models, data, serve, tmp_path):
    version, predict = models["reg"]
    X = data[0].iloc[:5]
    source = tmp_path / "rows.csv"
    X.to_csv(source, index=False)
    base = [cairn_bin, "predict", _uri(version), "--input", str(source), "--tracking-uri", server.url,
            "--python", sys.executable, "--cache", str(tmp_path / "cache")]
    out = subprocess.run(base + ["--output", str(tmp_path / "n.csv"), "--runtime", "native"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "cannot run on the native runtime" in out.stderr and "sklearn" in out.stderr, out.stderr
    assert "xgboost, lightgbm, onnx" in out.stderr, out.stderr
    out = subprocess.run(base + ["--output", str(tmp_path / "a.csv")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "with Python workers: the native runtime cannot run it" in out.stderr, out.stderr
    assert np.allclose(pd.read_csv(tmp_path / "a.csv")["prediction"].values, predict(X), rtol=0, atol=1e-12)
    bad = subprocess.run(base + ["--output", str(tmp_path / "b.csv"), "--runtime", "fast"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 64 and "auto|native|python" in bad.stderr + bad.stdout, bad.stderr
    s = serve(_uri(version))
    r = requests.post(s.url + "/invocations", json={"dataframe_records": X.to_dict(orient="records")}, timeout=30)
    assert r.status_code == 200 and r.headers["Cairn-Runtime"] == "python"
    assert requests.get(f"{s.url}/v2/models/{version.name}", timeout=5).json()["platform"] == "mlflow_pyfunc"


def test_predict_100k_rows_equals_python(cairn_bin, server, models, data, tmp_path):
    version, predict = models["pipe"]
    rng = np.random.default_rng(11)
    X = pd.DataFrame(rng.normal(size=(100_000, 4)), columns=FEATURES)
    source = tmp_path / "rows.csv"
    X.to_csv(source, index=False)
    target = tmp_path / "scored.csv"
    out = subprocess.run(
        [cairn_bin, "predict", _uri(version), "--input", str(source), "--output", str(target), "--workers", "2",
         "--tracking-uri", server.url, "--python", sys.executable, "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "Scored 100000 of 100000 rows" in out.stderr
    scored = pd.read_csv(target)
    assert list(scored.columns) == FEATURES + ["prediction"]
    assert len(scored) == 100_000
    assert np.allclose(scored[FEATURES].values, X.values, rtol=0, atol=1e-12)
    assert np.array_equal(scored["prediction"].values, predict(X))
    # JSON Lines in, with a bad line: its range is reported and the command fails.
    lines = [json.dumps(r) for r in X.iloc[:2500].to_dict(orient="records")]
    lines[1500] = "{broken"
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        [cairn_bin, "predict", _uri(version), "--input", str(jsonl), "--output", str(tmp_path / "out.jsonl"),
         "--tracking-uri", server.url, "--python", sys.executable, "--cache", str(tmp_path / "cache"), "--quiet"],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 1
    assert "lines 1001-2000" in out.stderr and "line 1501" in out.stderr, out.stderr
    written = [json.loads(l) for l in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(written) == 1500
    assert [w["prediction"] for w in written[:1000]] == predict(X.iloc[:1000]).tolist()


def test_predict_shards_split_rows_without_overlap(cairn_bin, server, models, data, tmp_path):
    """--shard I/N: the parts are disjoint, cover every row once, and hold rows p with p % N == I."""
    version, predict = models["clf"]
    rng = np.random.default_rng(5)
    X = pd.DataFrame(rng.normal(size=(1003, 4)), columns=FEATURES).assign(row=np.arange(1003, dtype=float))
    for fmt in ("csv", "jsonl"):
        source = tmp_path / f"rows.{fmt}"
        if fmt == "csv":
            X.to_csv(source, index=False)
        else:
            source.write_text("\n".join(json.dumps(r) for r in X.to_dict(orient="records")) + "\n")
        parts = []
        for index in range(3):
            target = tmp_path / f"part-{index}.{fmt}"
            out = subprocess.run(
                [cairn_bin, "predict", _uri(version), "--input", str(source), "--output", str(target),
                 "--shard", f"{index}/3", "--chunk-rows", "100", "--tracking-uri", server.url,
                 "--python", sys.executable, "--cache", str(tmp_path / "cache"), "--quiet"],
                capture_output=True, text=True, timeout=600)
            assert out.returncode == 0, out.stderr
            part = pd.read_csv(target) if fmt == "csv" else pd.read_json(target, lines=True)
            assert (part["row"].astype(int) % 3 == index).all()
            assert part["prediction"].tolist() == predict(part[FEATURES]).tolist()
            parts.append(part)
        rows = sorted(int(r) for p in parts for r in p["row"])
        assert rows == list(range(1003))
    # A folder input: the files (in name order) are split, each scored whole into the output folder.
    folder = tmp_path / "files"
    folder.mkdir()
    for i in range(5):
        X.iloc[i * 10:(i + 1) * 10].to_csv(folder / f"day-{i}.csv", index=False)
    (folder / "notes.txt").write_text("not an input")
    for index in range(2):
        out = subprocess.run(
            [cairn_bin, "predict", _uri(version), "--input", str(folder), "--output", str(tmp_path / "scored"),
             "--shard", f"{index}/2", "--tracking-uri", server.url, "--python", sys.executable,
             "--cache", str(tmp_path / "cache"), "--quiet"],
            capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
    written = sorted(p.name for p in (tmp_path / "scored").iterdir())
    assert written == [f"day-{i}.csv" for i in range(5)]
    day3 = pd.read_csv(tmp_path / "scored" / "day-3.csv")
    assert day3["row"].astype(int).tolist() == list(range(30, 40))
    assert day3["prediction"].tolist() == predict(day3[FEATURES]).tolist()
    bad = subprocess.run([cairn_bin, "predict", _uri(version), "--input", str(tmp_path / "rows.csv"),
                          "--output", "-", "--shard", "3/3"], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "--shard" in bad.stderr


def test_virtualenv_env_manager_builds_the_models_environment_once(cairn_bin, server, models, data, free_port,
                                                                   tmp_path):
    version, predict = models["clf"]
    X = data[0].iloc[:5]
    cache = tmp_path / "venv-cache"
    for attempt in range(2):
        s = Served(cairn_bin, _uri(version), free_port(), tmp_path,
                   ("--env-manager", "virtualenv", "--cache", str(cache)), tracking_uri=server.url)
        try:
            s.wait_ready(timeout=600)
            r = s.invoke({"dataframe_split": X.to_dict(orient="split")})
            assert r.status_code == 200, r.text
            assert r.json()["predictions"] == predict(X).tolist()
            envs = list((cache / "envs").iterdir())
            assert len(envs) == 1 and (envs[0] / "bin" / "python").exists()
            building = "Creating a virtual environment" in s.output()
            assert building == (attempt == 0), s.output()
        finally:
            assert s.stop() == 0


def test_slow_and_idle_connections_are_closed(serve, doubler):
    import socket

    s = serve(_uri(doubler["v1"]), "--idle-timeout", "2")
    slow = []
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        sock.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        slow.append(sock)
    idle = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    idle.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
    assert idle.recv(4096).startswith(b"HTTP/1.1 200")
    # The server keeps answering others while the slow connections hang.
    assert requests.get(s.url + "/ping", timeout=5).status_code == 200
    started = time.time()
    for sock in slow + [idle]:
        sock.settimeout(10)
        while sock.recv(4096):  # raises socket.timeout if the server never closes it
            pass
    assert time.time() - started < 8, "slow connections were not closed by the idle timeout"
    for sock in slow + [idle]:
        sock.close()


def test_prediction_log_rotates_by_size_and_a_full_disk_never_blocks(serve, doubler, tmp_path):
    log = tmp_path / "rotating"
    s = serve(_uri(doubler["v1"]), "--prediction-log", str(log), "--prediction-log-max-mb", "1")
    for i in range(60):
        assert s.invoke(_x(*[float(i * 100 + j) for j in range(100)])).status_code == 200
    deadline = time.time() + 10
    while time.time() < deadline and len(_read_log(log)) < 6000:
        time.sleep(0.2)
    files = sorted(p.name for p in log.glob("predictions-*.jsonl"))
    assert len(files) >= 2, files
    stem = files[0][: len("predictions-YYYY-MM-DDTHH")]
    assert all(f.startswith(stem) for f in files) and f"{stem}.1.jsonl" in files, files
    records = _read_log(log)
    assert len(records) == 6000 and len({r["request_id"] for r in records}) == 60
    # A log file that cannot take writes (/dev/full) drops records and keeps serving.
    full = tmp_path / "full"
    full.mkdir()
    hour = time.strftime("%Y-%m-%dT%H", time.gmtime())
    (full / f"predictions-{hour}.jsonl").symlink_to("/dev/full")
    s2 = serve(_uri(doubler["v1"]), "--prediction-log", str(full))
    for i in range(20):
        assert s2.invoke(_x(float(i))).status_code == 200
    deadline = time.time() + 10
    while time.time() < deadline and s2.metric("cairn_serve_prediction_log_dropped_total") < 20:
        time.sleep(0.2)
    assert s2.metric("cairn_serve_prediction_log_dropped_total") == 20
