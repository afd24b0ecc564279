"""Fills a running Cairn server with sample runs for the browser test of the web UI.

Uses only the REST API and the Python standard library. Prints the ids it created as JSON.
"""

import json
import math
import random
import sys
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")


def call(method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as resp:
        text = resp.read().decode()
        return json.loads(text) if text else {}


def api(method, endpoint, body=None):
    return call(method, "/api/2.0/mlflow/" + endpoint, body)


def create_run(exp, name, start, tags=()):
    tags = [{"key": k, "value": v} for k, v in tags]
    run = api("POST", "runs/create", {"experiment_id": exp, "run_name": name, "start_time": start, "tags": tags})
    return run["run"]["info"]


def finish(run_id, end):
    api("POST", "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": end})


def log_curves(run_id, lr, seed, steps=60):
    rnd = random.Random(seed)
    metrics = []
    for s in range(steps):
        loss = 2.3 * math.exp(-lr * 40 * s / steps) + 0.05 + rnd.random() * 0.03
        metrics.append({"key": "loss", "value": loss, "timestamp": 1_700_000_000_000 + s * 1000, "step": s})
        metrics.append({"key": "val_loss", "value": loss * 1.1, "timestamp": 1_700_000_000_000 + s * 1000, "step": s})
        metrics.append({"key": "accuracy", "value": 1 - loss / 2.5, "timestamp": 1_700_000_000_000 + s * 1000, "step": s})
    api("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics})


def upload(artifact_uri, name, content):
    base = artifact_uri.split("mlflow-artifacts:/", 1)[1]
    call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + base + "/" + name, raw=content.encode())


def main():
    exp = api("POST", "experiments/create", {"name": "Digits classifier"})["experiment_id"]
    api("POST", "experiments/create", {"name": "Speech <VAD> & friends"})
    runs = []
    for i in range(12):
        lr = [0.01, 0.03, 0.1][i % 3]
        # Run 3's name would end the compare page's chart data early if it were not escaped there.
        name = "baseline-3 <!--<script" if i == 3 else f"baseline-{i}"
        tags = [
            ("mlflow.source.git.commit", f"{i:02d}9f3c2a7b1e4d5c6a8b9c0d1e2f3a4b5c6d7e8f"),
            ("mlflow.user", "ana"), ("mlflow.source.name", "train.py"), ("team", "vision"),
        ]
        if i == 0:  # only run 0 was started by `cairn run`, so only it can be reproduced
            tags.append(("cairn.command", json.dumps(["python", "train.py"])))
        info = create_run(exp, name, 1_700_000_000_000 + i * 60_000, tags)
        api("POST", "runs/log-batch", {"run_id": info["run_id"], "params": [
            {"key": "lr", "value": str(lr)}, {"key": "batch_size", "value": str([32, 64][i % 2])},
            {"key": "layers", "value": "4"}, {"key": "optimizer", "value": "adam"}]})
        log_curves(info["run_id"], lr, i)
        finish(info["run_id"], 1_700_000_000_000 + i * 60_000 + 45_000 + i * 1000)
        runs.append(info)
    api("POST", "runs/log-inputs", {"run_id": runs[0]["run_id"], "datasets": [{
        "tags": [{"key": "mlflow.data.context", "value": "training"}],
        "dataset": {"name": "digits", "digest": "3f9a7c21", "source_type": "local", "source": "data/digits.csv"}}]})
    upload(runs[0]["artifact_uri"], "notes.txt", "Baseline run.\nLearning rate 0.01 <- best so far.\n")
    upload(runs[0]["artifact_uri"], "metrics.csv", "step,loss,accuracy\n0,2.3,0.08\n1,1.2,0.52\n2,0.6,0.81\n")
    upload(runs[0]["artifact_uri"], "config.yaml", "model:\n  layers: 4\n  lr: 0.01\n")
    upload(runs[0]["artifact_uri"], "source/changes.diff", "--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n-lr=0.1\n+lr=0.01\n")
    upload(runs[0]["artifact_uri"], "plots/curve.svg",
           '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><polyline fill="none" '
           'stroke="#1f6feb" stroke-width="3" points="0,10 50,50 100,65 200,72"/></svg>')
    parent = create_run(exp, "sweep-lr", 1_700_001_000_000, [("mlflow.user", "ana")])
    children = []
    for j, lr in enumerate([0.005, 0.02, 0.05, 0.2]):
        child = create_run(exp, f"sweep-lr-{lr}", 1_700_001_000_000 + j, [
            ("mlflow.parentRunId", parent["run_id"]), ("mlflow.user", "ana")])
        api("POST", "runs/log-parameter", {"run_id": child["run_id"], "key": "lr", "value": str(lr)})
        log_curves(child["run_id"], lr, 100 + j)
        children.append(child["run_id"])
        finish(child["run_id"], 1_700_001_050_000)
    finish(parent["run_id"], 1_700_001_060_000)
    api("POST", "registered-models/create", {"name": "digits-clf", "description": "Digit classifier"})
    api("POST", "model-versions/create", {"name": "digits-clf", "source": "runs:/" + runs[0]["run_id"] + "/model",
                                          "run_id": runs[0]["run_id"]})
    api("POST", "registered-models/alias", {"name": "digits-clf", "alias": "champion", "version": "1"})
    api("POST", "model-versions/transition-stage", {"name": "digits-clf", "version": "1", "stage": "Production",
                                                    "archive_existing_versions": False})
    # Two models whose names differ only by double quotes: each version page must show its own model.
    for model, run in (("it's \"q\"", runs[1]), ("it's q", runs[2])):
        api("POST", "registered-models/create", {"name": model})
        api("POST", "model-versions/create", {"name": model, "source": "runs:/" + run["run_id"] + "/model",
                                              "run_id": run["run_id"]})
    # A metric logged once per run: the compare page draws it as bars, not as an empty line chart.
    for i, r in enumerate(runs[:4]):
        api("POST", "runs/log-metric", {"run_id": r["run_id"], "key": "test_accuracy", "value": 0.9 + i * 0.013,
                                        "timestamp": 1_700_000_100_000, "step": 0})
    api("POST", "runs/set-tag", {"run_id": runs[0]["run_id"], "key": "mlflow.note.content",
                                 "value": "Baseline with the <small> learning rate."})
    # A logged model with an MLmodel file, registered as version 2 under an alias.
    model = api("POST", "logged-models", {"experiment_id": exp, "name": "digits-sklearn",
                                          "source_run_id": runs[0]["run_id"]})["model"]
    info = model.get("info", model)
    upload(info["artifact_uri"], "MLmodel", MLMODEL)
    upload(info["artifact_uri"], "input_example.json",
           json.dumps({"columns": ["pixel_0", "pixel_1"], "data": [[0.0, 0.5], [1.0, 0.25]]}))
    api("POST", "model-versions/create", {"name": "digits-clf", "source": "models:/" + info["model_id"],
                                          "run_id": runs[0]["run_id"], "model_id": info["model_id"]})
    api("POST", "registered-models/alias", {"name": "digits-clf", "alias": "challenger", "version": "2"})
    add_monitoring("digits-clf", "1")
    # A run still running, in the other experiment, for the auto-refresh toggle.
    other = api("GET", "experiments/get-by-name?experiment_name=" + urllib.parse.quote("Speech <VAD> & friends"))
    live = create_run(other["experiment"]["experiment_id"], "live-training", 1_700_002_000_000)
    log_curves(live["run_id"], 0.03, 7, steps=20)
    print(json.dumps({"experiment": exp, "runs": [r["run_id"] for r in runs], "parent": parent["run_id"],
                      "children": children, "model": info["model_id"], "live": live["run_id"],
                      "other": other["experiment"]["experiment_id"]}))


def add_monitoring(model, version, windows=12):
    """Window and alert runs as `cairn monitor` logs them: pixel_1 drifts from window 6 on."""
    exp = api("POST", "experiments/create", {"name": "monitor/" + model})["experiment_id"]
    rnd = random.Random(3)
    start = 1_700_100_000_000
    window_runs = []
    for w in range(windows):
        t = start + w * 3_600_000
        run = create_run(exp, f"window {w}", t, [
            ("cairn.kind", "monitor"), ("monitor.model", model), ("monitor.version", version),
            ("monitor.window", str(w)), ("monitor.window.end", f"2023-11-16T{w:02d}:00:00.000Z")])
        shifted = w >= 6
        metrics = {
            "drift.pixel_1.score": (0.6 if shifted else 0.01) + rnd.random() * 0.02,
            "drift.pixel_2.score": 0.01 + rnd.random() * 0.02,
            "drift.drifted_columns": 1 if shifted else 0,
            "prediction.share.0": 0.5 - (0.2 if shifted else 0) + rnd.random() * 0.02,
            "prediction.share.1": 0.5 + (0.2 if shifted else 0) - rnd.random() * 0.02,
            "latency.p50_ms": 3 + rnd.random(), "latency.p99_ms": 9 + rnd.random() * 3,
            "error_rate": 0.0, "accuracy": 0.95 - (0.3 if w >= 9 else 0),
        }
        api("POST", "runs/log-batch", {"run_id": run["run_id"], "metrics": [
            {"key": k, "value": v, "timestamp": t, "step": w} for k, v in metrics.items()]})
        finish(run["run_id"], t + 3_600_000)
        window_runs.append(run["run_id"])
    alert = create_run(exp, "alert data_drift (window 6)", start + 7 * 3_600_000, [
        ("cairn.kind", "monitor-alert"), ("monitor.model", model), ("monitor.version", version),
        ("monitor.window", "6"), ("alert.name", "data_drift"), ("alert.severity", "warning"),
        ("alert.metric", "drift.drifted_columns"), ("alert.window_run", window_runs[6]),
        ("monitor.window.end", "2023-11-16T07:00:00.000Z")])
    api("POST", "runs/log-batch", {"run_id": alert["run_id"], "metrics": [
        {"key": "alert.value", "value": 1, "timestamp": start, "step": 0}]})
    finish(alert["run_id"], start + 7 * 3_600_000)


MLMODEL = """artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
    python_version: 3.11.5
  sklearn:
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.2
mlflow_version: 2.17.0
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "pixel_0", "required": true}, {"type": "double",
    "name": "pixel_1", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
"""


main()
