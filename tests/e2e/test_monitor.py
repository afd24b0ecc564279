"""The production monitoring loop end to end: `cairn serve` writes the prediction log, `POST /feedback`
adds labels, `cairn monitor` reads it against the training run's reference profile, logs windows and
alerts as runs, posts alerts to a webhook and runs a rule's command; `promtool` checks and unit-tests
the Prometheus rules `cairn monitor rules` prints.

The stream: 20,000 predictions in requests of 100 rows. From prediction 10,000 on the first feature's
mean moves by one standard deviation (data drift); from 15,000 on the labels are the opposite of the
model's answers (concept drift).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from mlflow import MlflowClient

import serving_models
from test_serving import Served

HERE = Path(__file__).resolve().parent
FEATURES = [f"f{i}" for i in range(5)]
ROWS = 20_000
PER_REQUEST = 100
SHIFT_AT = 10_000
FLIP_AT = 15_000
WINDOW = 1000


class Receiver:
    """A local webhook receiver that keeps every JSON body it accepts; the first `failures` POSTs are
    answered 503 (and not kept)."""

    def __init__(self, failures=0):
        self.bodies = []
        self.attempts = 0
        received = self.bodies
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                owner.attempts += 1
                if owner.attempts <= failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                received.append(body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def monitored(cairn_bin, server, free_port, tmp_path_factory):
    """Trains, registers and profiles a model, serves it with a prediction log, streams the shifted
    traffic and its labels, and returns what the monitor needs."""
    workdir = tmp_path_factory.mktemp("monitor")
    mlflow.set_tracking_uri(server.url)
    mlflow.set_experiment(f"monitor-train-{uuid.uuid4().hex[:8]}")
    rng = np.random.default_rng(11)
    train = pd.DataFrame(rng.normal(size=(5000, len(FEATURES))), columns=FEATURES)
    name = f"monitored-{uuid.uuid4().hex[:6]}"
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(
            name="model", python_model=serving_models.SignOfFirst(), input_example=train.iloc[:3]
        )
    version = mlflow.register_model(info.model_uri, name)
    train_csv = workdir / "train.csv"
    train.to_csv(train_csv, index=False)
    profiled = subprocess.run(
        [cairn_bin, "profile", str(train_csv), "--log-to", server.url, "--run", run.info.run_id],
        capture_output=True, text=True, timeout=60,
    )
    assert profiled.returncode == 0, profiled.stderr
    assert "reference/profile.json" in profiled.stdout

    log_dir = workdir / "predictions"
    s = Served(
        cairn_bin, f"models:/{name}/{version.version}", free_port(), workdir,
        ["--prediction-log", str(log_dir), "--monitor-window", str(WINDOW)], tracking_uri=server.url,
    ).wait_ready()
    served_metrics = {}
    try:
        stream = pd.DataFrame(rng.normal(size=(ROWS, len(FEATURES))), columns=FEATURES)
        stream.loc[SHIFT_AT:, "f0"] += 1.0
        truth = (stream["f0"] > 0).astype(int).to_numpy().copy()
        truth[FLIP_AT:] = 1 - truth[FLIP_AT:]
        http = requests.Session()
        for start in range(0, ROWS, PER_REQUEST):
            chunk = stream.iloc[start : start + PER_REQUEST]
            body = {"dataframe_split": {"columns": FEATURES, "data": chunk.values.tolist()}}
            r = http.post(s.url + "/invocations", json=body, timeout=60)
            assert r.status_code == 200, r.text
            assert r.json()["predictions"] == (chunk["f0"] > 0).astype(int).tolist()
            labels = {"request_id": r.headers["Cairn-Request-Id"], "label": truth[start : start + PER_REQUEST].tolist()}
            f = http.post(s.url + "/feedback", json=labels, timeout=30)
            assert f.status_code == 200 and f.json() == {"labels": PER_REQUEST}, f.text
        bad = http.post(s.url + "/feedback", json={"label": 1}, timeout=30)
        assert bad.status_code == 400 and "request_id" in bad.json()["message"]
        assert s.metric("cairn_serve_feedback_labels_total", model=name) == ROWS
        # The in-process monitor reads the log as it is written; wait for the writer to drain.
        labels = {"model": name, "version": str(version.version)}
        deadline = time.monotonic() + 30
        while s.metric("cairn_monitor_windows_total", **labels) < ROWS // WINDOW and time.monotonic() < deadline:
            time.sleep(0.2)
        for metric in ("cairn_monitor_windows_total", "cairn_monitor_predictions_total",
                       "cairn_monitor_drift_drifted_columns", "cairn_monitor_accuracy"):
            served_metrics[metric] = s.metric(metric, **labels)
        served_metrics["data_drift_active"] = s.metric("cairn_monitor_alert_active", alertname="data_drift", **labels)
    finally:
        assert s.stop() == 0
    return {"name": name, "version": version.version, "run_id": run.info.run_id, "log_dir": log_dir,
            "workdir": workdir, "served_metrics": served_metrics}


def test_serve_publishes_the_monitor_gauges_on_its_own_metrics(monitored):
    """cairn serve --monitor-window: the same windows as `cairn monitor`, as gauges on the server's /metrics,
    against the reference profile stored with the training run."""
    got = monitored["served_metrics"]
    assert got["cairn_monitor_windows_total"] == ROWS // WINDOW
    assert got["cairn_monitor_predictions_total"] == ROWS
    assert got["cairn_monitor_drift_drifted_columns"] == 1  # f0, shifted since the middle
    assert got["data_drift_active"] == 1
    assert got["cairn_monitor_accuracy"] < 0.2  # the labels flipped at 75 %


def test_serve_monitor_options_are_checked(cairn_bin, tmp_path):
    no_log = subprocess.run([cairn_bin, "serve", str(tmp_path), "--monitor-window", "100"],
                            capture_output=True, text=True, timeout=30)
    assert no_log.returncode != 0 and "add --prediction-log DIR" in no_log.stderr
    orphan = subprocess.run([cairn_bin, "serve", str(tmp_path), "--monitor-rules", "r.yml"],
                            capture_output=True, text=True, timeout=30)
    assert orphan.returncode != 0 and "need --monitor-window" in orphan.stderr


def run_monitor(cairn_bin, server, monitored, *extra, timeout=300):
    command = [
        cairn_bin, "monitor", f"models:/{monitored['name']}/{monitored['version']}",
        "--prediction-log", str(monitored["log_dir"]), "--window", str(WINDOW),
        "--tracking-uri", server.url, "--json", *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_drift_alerts_concept_drift_webhook_and_runs(cairn_bin, server, monitored):
    receiver = Receiver()
    fired_file = monitored["workdir"] / "fired.txt"
    rules = monitored["workdir"] / "rules.yml"
    rules.write_text(
        "include_defaults: true\n"
        "rules:\n"
        "  - name: data_drift\n"
        "    metric: drift.drifted_columns\n"
        "    op: '>='\n"
        "    threshold: 1\n"
        "    severity: warning\n"
        "    cooldown: 1h\n"
        f"    on_fire: 'echo \"$CAIRN_ALERT_NAME $CAIRN_MODEL_VERSION $CAIRN_ALERT_WINDOW\" >> {fired_file}'\n"
    )
    try:
        done = run_monitor(cairn_bin, server, monitored, "--webhook", receiver.url, "--rules", str(rules))
    finally:
        receiver.close()
    assert done.returncode == 0, done.stderr
    assert "reference: reference/profile.json of training run" in done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    windows = [e for e in events if e["event"] == "window"]
    alerts = [e for e in events if e["event"] == "alert"]
    assert len(windows) == ROWS // WINDOW
    shift_window = SHIFT_AT // WINDOW
    # No alarm of any kind before the shift; the data-drift alert within two windows after it.
    assert all(a["window"] >= shift_window for a in alerts), alerts
    drift_alerts = [a for a in alerts if a["alert"] == "data_drift"]
    assert len(drift_alerts) == 1 and drift_alerts[0]["window"] <= shift_window + 1, alerts
    for w in windows[:shift_window]:
        assert w["drift.drifted_columns"] == 0, w
        assert w.get("accuracy") == 1.0
    for w in windows[shift_window:]:
        assert w["drift.f0.score"] > 0.3 and w["drift.drifted_columns"] == 1, w
    assert all(w["drift.f1.score"] < 0.1 for w in windows)
    # Concept drift: detected on the error stream after the labels flip, never before.
    concept = [a for a in alerts if a["alert"] == "concept_drift"]
    assert len(concept) == 1 and FLIP_AT // WINDOW <= concept[0]["window"] <= FLIP_AT // WINDOW + 1, alerts
    assert all(w["concept_drift.detections"] == 0 for w in windows[: FLIP_AT // WINDOW])
    assert windows[-1]["accuracy"] == 0.0
    assert all(w["error_rate"] == 0 and w["requests"] == WINDOW // PER_REQUEST for w in windows)
    # The webhook got exactly one Alertmanager-shaped notification per rule that fired.
    names = [b["alerts"][0]["labels"]["alertname"] for b in receiver.bodies]
    assert sorted(names) == sorted({a["alert"] for a in alerts}) and len(names) == len(set(names)), names
    first = next(b for b in receiver.bodies if b["alerts"][0]["labels"]["alertname"] == "data_drift")
    assert first["status"] == "firing" and first["version"] == "4"
    assert first["alerts"][0]["labels"]["model"] == monitored["name"]
    assert first["alerts"][0]["generatorURL"].startswith(server.url + "/runs/")
    # The rule's command ran once, with the alert in its environment.
    assert fired_file.read_text().split("\n")[:-1] == [f"data_drift {monitored['version']} {drift_alerts[0]['window']}"]
    # Windows and alerts are runs of monitor/NAME.
    client = MlflowClient(server.url)
    experiment = client.get_experiment_by_name(f"monitor/{monitored['name']}")
    runs = client.search_runs([experiment.experiment_id], max_results=1000)
    window_runs = [r for r in runs if r.data.tags.get("cairn.kind") == "monitor"]
    alert_runs = [r for r in runs if r.data.tags.get("cairn.kind") == "monitor-alert"]
    assert len(window_runs) == len(windows) and len(alert_runs) == len(alerts)
    eleven = next(r for r in window_runs if r.data.tags["monitor.window"] == str(shift_window + 1))
    assert eleven.data.tags["monitor.version"] == str(monitored["version"])
    assert eleven.data.tags["monitor.drifted_features"] == "f0"
    assert eleven.data.tags["monitor.training_run"] == monitored["run_id"]
    assert eleven.data.metrics["drift.share"] == pytest.approx(1 / len(FEATURES))
    assert "latency.p99_ms" in eleven.data.metrics
    artifacts = {a.path for a in client.list_artifacts(eleven.info.run_id, "monitor")}
    assert artifacts == {"monitor/report.json", "monitor/report.html"}
    report = json.loads(Path(client.download_artifacts(eleven.info.run_id, "monitor/report.json")).read_text())
    assert report["window"] == shift_window + 1 and report["first_prediction"] == (shift_window + 1) * WINDOW
    drift_run = next(r for r in alert_runs if r.data.tags["alert.name"] == "data_drift")
    assert drift_run.data.tags["alert.window_run"] in {r.info.run_id for r in window_runs}


def test_webhook_is_retried_after_server_errors(cairn_bin, server, monitored):
    receiver = Receiver(failures=2)
    try:
        done = run_monitor(cairn_bin, server, monitored, "--webhook", receiver.url, "--no-log")
    finally:
        receiver.close()
    assert done.returncode == 0, done.stderr
    alerts = [json.loads(line) for line in done.stdout.splitlines() if '"event":"alert"' in line]
    assert alerts and all(a["webhook"] == "delivered" for a in alerts), alerts
    # The first alert took three tries; every rule still arrived exactly once.
    assert receiver.attempts == len(alerts) + 2
    names = [b["alerts"][0]["labels"]["alertname"] for b in receiver.bodies]
    assert sorted(names) == sorted(a["alert"] for a in alerts) and len(set(names)) == len(names)


def test_bad_inputs_are_clear_errors(cairn_bin, server, monitored, tmp_path):
    missing = subprocess.run(
        [cairn_bin, "monitor", "models:/x/1", "--prediction-log", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=30,
    )
    assert missing.returncode != 0 and "No prediction log folder" in missing.stderr
    window = run_monitor(cairn_bin, server, monitored, "--window", "soon")
    assert window.returncode != 0 and "--window soon" in window.stderr
    test = run_monitor(cairn_bin, server, monitored, "--test", "wasserstein")
    assert test.returncode != 0 and "--test wasserstein: use one of" in test.stderr
    rules = tmp_path / "bad.yml"
    rules.write_text("rules:\n  - name: x\n    metric: drift.share\n    threshold: 1\n    op: '~'\n")
    bad = run_monitor(cairn_bin, server, monitored, "--rules", str(rules), "--no-log")
    assert bad.returncode == 1 and "op '~'" in bad.stderr
    two = tmp_path / "two.csv"
    two.write_text("a,b\n1,2\n")
    ambiguous = run_monitor(cairn_bin, server, monitored, "--validation-outputs", str(two), "--no-log")
    assert ambiguous.returncode != 0 and "name the model's output with --output-column" in ambiguous.stderr
    orphan = run_monitor(cairn_bin, server, monitored, "--output-column", "p", "--no-log")
    assert orphan.returncode != 0 and "--output-column needs --validation-outputs" in orphan.stderr


def test_validation_outputs_are_the_prediction_reference(cairn_bin, server, monitored, tmp_path):
    outputs = tmp_path / "validation.csv"
    outputs.write_text("id,prediction\n" + "".join(f"{i},{i % 2}\n" for i in range(2000)))
    done = run_monitor(cairn_bin, server, monitored, "--validation-outputs", str(outputs), "--no-log")
    assert done.returncode == 0, done.stderr
    assert f"prediction reference: {outputs} column 'prediction' (2000 outputs)" in done.stderr


def test_metrics_port_serves_gauges(cairn_bin, server, monitored, free_port):
    port = free_port()
    command = [
        cairn_bin, "monitor", f"models:/{monitored['name']}/{monitored['version']}",
        "--prediction-log", str(monitored["log_dir"]), "--window", str(WINDOW), "--no-log",
        "--follow", "--metrics-port", str(port),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        text = ""
        while time.time() < deadline:
            try:
                text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
                if "cairn_monitor_windows_total" in text and re.search(r"cairn_monitor_windows_total\{[^}]*\} 20", text):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        labels = f'model="{monitored["name"]}",version="{monitored["version"]}"'
        assert re.search(r'cairn_monitor_drift_drifted_columns\{[^}]*\} 1', text), text
        assert f"cairn_monitor_accuracy{{{labels}}} 0" in text or re.search(r"cairn_monitor_accuracy\{[^}]*\} 0", text)
        assert re.search(r'cairn_monitor_alert_active\{[^}]*alertname="data_drift"[^}]*\} 1', text), text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr.read()


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian package prometheus) is not installed")
def test_promtool_checks_and_tests_the_rules(cairn_bin, tmp_path):
    printed = subprocess.run([cairn_bin, "monitor", "rules", "--window", "1m"], capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    rules = tmp_path / "cairn-monitor.rules.yml"
    rules.write_text(printed.stdout)
    check = subprocess.run(["promtool", "check", "rules", str(rules)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS: 5 rules found" in check.stdout
    tests = tmp_path / "rules.test.yml"
    labels = 'model="churn",version="3"'
    tests.write_text(
        f"""
rule_files:
  - {rules.name}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'cairn_monitor_drift_drifted_columns{{{labels}}}'
        values: '0 0 2 2 2'
      - series: 'cairn_monitor_error_rate{{{labels}}}'
        values: '0 0.2 0.2 0.2 0'
    alert_rule_test:
      - eval_time: 1m
        alertname: data_drift
        exp_alerts: []
      - eval_time: 2m
        alertname: data_drift
        exp_alerts:
          - exp_labels: {{severity: warning, model: churn, version: "3"}}
            exp_annotations:
              summary: "Input features drifted from the training reference"
              description: "churn/3: drift.drifted_columns = 2 (threshold 1)"
      - eval_time: 1m
        alertname: error_rate
        exp_alerts: []
      - eval_time: 2m
        alertname: error_rate
        exp_alerts:
          - exp_labels: {{severity: critical, model: churn, version: "3"}}
            exp_annotations:
              summary: "More than 5% of predictions failed"
              description: "churn/3: error_rate = 0.2 (threshold 0.05)"
"""
    )
    unit = subprocess.run(["promtool", "test", "rules", str(tests)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert unit.returncode == 0, unit.stdout + unit.stderr
    assert "SUCCESS" in unit.stdout
    broken = subprocess.run([cairn_bin, "monitor", "rules", "--config", str(tmp_path / "missing.yml")], capture_output=True, text=True)
    assert broken.returncode != 0 and "cannot read the rules file" in broken.stderr
