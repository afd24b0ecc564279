"""Loads MLflow's own web UI, served by `cairn server --mlflow-ui`, in headless Chromium.

Fills the server with an experiment, a run (params, metrics, a text artifact) and a logged model
registered as a model version whose MLmodel has a signature, then renders the experiment page,
the run page, the run's artifact preview and the model version page, plus the home, experiment
list, registry, chart, logged-model and run comparison pages. Each page must show the expected
texts, and no call the UI makes to the server may fail (GET users/current is 404 on the
reference server too: it only exists with authentication).

Usage: python3 scripts/mlflow_ui_browser_check.py BASE_URL OUT_DIR
"""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE, OUT = sys.argv[1].rstrip("/"), Path(sys.argv[2])
ALLOWED_FAILURES = ("/ajax-api/2.0/mlflow/users/current",)
MLMODEL = """artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
mlflow_version: 3.17.2
signature:
  inputs: '[{"type": "double", "name": "sepal_length", "required": true}, {"type": "double", "name": "petal_width", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
"""


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        return json.loads(raw) if raw else {}


def api(method, path, body=None):
    return call(method, "/api/2.0/mlflow/" + path, body)


def upload(artifact_uri, name, content):
    relative = artifact_uri.removeprefix("mlflow-artifacts:/")
    call_put = urllib.request.Request(
        f"{BASE}/api/2.0/mlflow-artifacts/artifacts/{relative}/{name}", data=content.encode(), method="PUT")
    urllib.request.urlopen(call_put, timeout=30).read()


def sample_data():
    tags = [{"key": "mlflow.experimentKind", "value": "custom_model_development"}]
    exp = api("POST", "experiments/create", {"name": f"Iris classifier {int(time.time())}", "tags": tags})
    exp_id = exp["experiment_id"]
    run = api("POST", "runs/create", {"experiment_id": exp_id, "run_name": "forest-baseline",
                                      "start_time": int(time.time() * 1000),
                                      "tags": [{"key": "mlflow.user", "value": "ana"}]})["run"]["info"]
    run_id = run["run_id"]
    metrics = [{"key": "accuracy", "value": 0.5 + step / 20, "timestamp": 1000 + step, "step": step} for step in range(8)]
    api("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics,
                                   "params": [{"key": "n_estimators", "value": "250"}]})
    upload(run["artifact_uri"], "notes.txt", "trained on the iris-v2 split\n")
    model = api("POST", "logged-models", {"experiment_id": exp_id, "name": "forest", "source_run_id": run_id})
    info = model["model"]["info"]
    upload(info["artifact_uri"], "MLmodel", MLMODEL)
    api("PATCH", f"logged-models/{info['model_id']}", {"model_id": info["model_id"], "status": "LOGGED_MODEL_READY"})
    name = f"iris-forest-{int(time.time())}"
    api("POST", "registered-models/create", {"name": name})
    api("POST", "model-versions/create", {"name": name, "source": f"models:/{info['model_id']}",
                                          "model_id": info["model_id"], "run_id": run_id})
    api("POST", "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": int(time.time() * 1000)})
    return exp_id, run_id, name


def failed_requests(net_log: Path):
    log = json.loads(net_log.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requests, failures = {}, []
    for event in log["events"]:
        kind, source, params = names.get(event["type"]), event["source"]["id"], event.get("params", {})
        if kind == "URL_REQUEST_START_JOB" and "url" in params:
            requests[source] = params["url"]
        elif kind == "HTTP_TRANSACTION_READ_RESPONSE_HEADERS" and source in requests:
            url, status = requests[source], (params.get("headers") or [""])[0]
            code = status.split(" ")[1] if " " in status else "?"
            if url.startswith(BASE) and not code.startswith(("2", "3")) and not url.split("?")[0].endswith(ALLOWED_FAILURES):
                failures.append(f"{status} {url}")
    return failures


def render(name, fragment, expected, check_banners=True):
    url = f"{BASE}/mlflow/#{fragment}"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=15000",
             "--window-size=1400,1100"]
    net_log = OUT / f"{name}.netlog.json"
    dom = subprocess.run(["chromium", *flags, f"--log-net-log={net_log}", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120).stdout
    (OUT / f"{name}.html").write_text(dom)
    subprocess.run(["chromium", *flags, f"--screenshot={OUT / (name + '.png')}", url],
                   capture_output=True, timeout=120)
    problems = [f"'{text}' not rendered" for text in expected if text not in dom]
    problems += [f"request failed: {f}" for f in failed_requests(net_log)]
    for banner in ("Something went wrong", "Failed to load", "Request failed"):
        if check_banners and banner in dom:
            problems.append(f"error banner '{banner}' shown")
    print(("ok   " if not problems else "FAIL ") + name + "".join("\n     " + p for p in problems))
    return not problems


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    index = urllib.request.urlopen(BASE + "/mlflow/", timeout=30).read().decode()
    assert "static-files/static/js/main" in index, "GET /mlflow/ did not serve MLflow's index.html"
    exp_id, run_id, model = sample_data()
    second = api("POST", "runs/create", {"experiment_id": exp_id, "run_name": "second"})["run"]["info"]["run_id"]
    api("POST", "runs/log-batch", {"run_id": second, "metrics": [
        {"key": "accuracy", "value": 0.7, "timestamp": 5, "step": step} for step in range(3)]})
    compare = f'/compare-runs?runs=["{run_id}","{second}"]&experiments=["{exp_id}"]'
    results = [
        render("home", "/", ["Experiments"]),
        render("experiments", "/experiments", ["Iris classifier"]),
        render("models", "/models", [model]),
        render("model", f"/models/{model}", ["Version 1"]),
        render("run-charts", f"/experiments/{exp_id}/runs/{run_id}/model-metrics", ["accuracy"]),
        render("experiment-charts", f"/experiments/{exp_id}/runs?compareRunsMode=CHART", ["accuracy"]),
        render("logged-models", f"/experiments/{exp_id}/models", ["forest"]),
        # MLflow 3.17.2's own server shows "Something went wrong" in this page's Artifacts section
        # as well, so only the content is checked here.
        render("compare", compare, ["Comparing 2 Runs", "n_estimators", "second"], check_banners=False),
        render("experiment", f"/experiments/{exp_id}/runs", ["Iris classifier", "forest-baseline"]),
        render("run", f"/experiments/{exp_id}/runs/{run_id}", ["forest-baseline", "n_estimators", "250", "accuracy"]),
        render("artifact", f"/experiments/{exp_id}/runs/{run_id}/artifacts/notes.txt",
               ["notes.txt", "trained on the iris-v2 split"]),
        render("model-version", f"/models/{model}/versions/1", ["Version 1", "Source Model", "Inputs (2)", "Outputs (1)"]),
    ]
    print(f"mlflow ui: {sum(results)} passed, {len(results) - sum(results)} failed; screenshots in {OUT}")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
