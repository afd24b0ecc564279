"""Hostile inputs against the real server, one parametrised case each: deeply nested JSON, invalid
UTF-8, NUL characters, numbers beyond int64 and double, SQL metacharacters in filters and names, path
traversal in every field that names a file, and markup in every name the UI shows. Each gets a 4xx
with MLflow's error JSON (or is stored verbatim, for names), and every UI page escapes it."""

from __future__ import annotations

import json
import os
import socket

import pytest

from conftest import TARGET

pytestmark = pytest.mark.skipif(TARGET != "cairn", reason="Cairn's hardening")

PROXY = "/api/2.0/mlflow-artifacts/artifacts/"

BIG = 2**70
API = "/api/2.0/mlflow/"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def victim(client, rest):
    """An experiment, a run with a param and a file, a logged model and a model version to aim at."""
    experiment = client.create_experiment(f"victim-{os.getpid()}-{id(client)}")
    run = client.create_run(experiment).info.run_id
    client.log_param(run, "a", "1")
    assert rest.raw("PUT", f"{PROXY}{experiment}/{run}/artifacts/f.txt", body=b"x").status_code == 200
    model = rest.ok("POST", "logged-models", {"experiment_id": experiment})["model"]["info"]["model_id"]
    name = f"victim-model-{experiment}"
    rest.ok("POST", "registered-models/create", {"name": name})
    source = f"mlflow-artifacts:/{experiment}/{run}/artifacts"
    rest.ok("POST", "model-versions/create", {"name": name, "source": source, "run_id": run})
    return {"experiment": experiment, "run": run, "model": model, "name": name}


def _nested(depth: int, open_: bytes, close: bytes, leaf: bytes = b"1") -> bytes:
    return open_ * depth + leaf + close * depth


@pytest.mark.parametrize(
    "path, body",
    [
        ("experiments/create", b'{"name":' + _nested(10_000, b"[", b"]") + b"}"),
        ("runs/log-batch", b'{"run_id":"x","metrics":' + _nested(10_000, b'{"a":', b"}") + b"}"),
        ("runs/search", _nested(100_000, b"[", b"]")),
        ("runs/search", b"[" * 1_000_000),
    ],
    ids=["arrays-10k", "objects-10k", "top-level-100k", "unclosed-1M"],
)
def test_deeply_nested_json_is_400(rest, check_error, path, body):
    check_error(rest.raw("POST", API + path, body=body, headers=JSON), 400, "BAD_REQUEST", "nesting too deep")
    assert rest.get("/health").status_code == 200


@pytest.mark.parametrize(
    "method, target, body",
    [
        ("POST", API + "experiments/create", b'{"name":"bad\xc3\x28\xff"}'),
        ("POST", API + "experiments/create", b'{"na\xffme":"x"}'),
        ("POST", API + "runs/search", b'{"filter":"params.a = \'\xed\xa0\x80\'"}'),
        ("GET", API + "experiments/get-by-name?experiment_name=bad%C3%28%FF", None),
        ("GET", API + "experiments/get-by-name?experiment_%FFname=x", None),
        ("GET", API + "runs/search?filter=%ED%A0%80", None),
    ],
    ids=["body-value", "body-key", "body-surrogate", "query-value", "query-key", "query-surrogate"],
)
def test_invalid_utf8_is_400(rest, check_error, method, target, body):
    check_error(rest.raw(method, target, body=body, headers=JSON if body else None), 400, "BAD_REQUEST")


def test_raw_non_ascii_bytes_in_the_request_line_are_400(base_url):
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=\xff\xfe HTTP/1.1\r\n"
                     b"Host: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == b"400", head
    assert json.loads(body)["error_code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "runs/log-parameter", {"key": "a\u0000b", "value": "v"}),
        ("POST", "runs/set-tag", {"key": "k", "value": "v\u0000"}),
        ("POST", "runs/search", {"filter": "params.a = 'x\u0000'"}),
        ("POST", "runs/log-batch", {"metrics": [{"key": "m\u0000", "value": 1, "timestamp": 1}]}),
        ("POST", "registered-models/create", {"name": "m\u0000"}),
        ("GET", "runs/get?run_id={run}%00", None),
        ("GET", "metrics/get-history?run_id={run}&metric_key=m%00", None),
    ],
    ids=["param-key", "tag-value", "filter", "batch-metric-key", "model-name", "query-run-id", "query-key"],
)
def test_nul_characters_anywhere_are_400(rest, check_error, victim, method, path, body):
    if body is not None:
        body = {"run_id": victim["run"], **body}
    response = rest.request(method, API + path.format(run=victim["run"]), json=body)
    check_error(response, 400, "INVALID_PARAMETER_VALUE", "NUL")


def test_nul_in_an_artifact_path_is_400(rest, check_error, victim):
    check_error(rest.raw("GET", f"{PROXY}{victim['experiment']}/a%00b.txt"), 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize(
    "path, fields",
    [
        ("runs/log-metric", {"key": "m", "value": 1, "timestamp": BIG}),
        ("runs/log-metric", {"key": "m", "value": 1, "timestamp": -BIG}),
        ("runs/log-metric", {"key": "m", "value": 1, "timestamp": 1, "step": "1e400"}),
        ("runs/log-metric", {"key": "m", "value": 1, "timestamp": 1.5}),
        ("runs/log-batch", {"metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": BIG}]}),
        ("runs/update", {"end_time": "1e400"}),
        ("runs/create", {"start_time": BIG}),
        ("experiments/search", {"max_results": BIG}),
        ("runs/search", {"max_results": "1e400"}),
        ("runs/outputs", {"models": [{"model_id": "m", "step": BIG}]}),
        ("model-versions/transition-stage", {"name": "x", "version": str(BIG), "stage": "Production"}),
    ],
    ids=["timestamp-2^70", "timestamp--2^70", "step-1e400", "timestamp-1.5", "batch-step-2^70", "end_time-1e400",
         "start_time-2^70", "max_results-2^70", "runs-max_results-1e400", "output-step-2^70", "version-2^70"],
)
def test_huge_numbers_in_integer_fields_are_400(rest, check_error, victim, path, fields):
    # Written by hand: 1e400 must reach the server as a JSON number, not as Python's "Infinity".
    body = json.dumps({"run_id": victim["run"], **fields}).replace('"1e400"', "1e400").encode()
    check_error(rest.raw("POST", API + path, body=body, headers=JSON), 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize(
    "query",
    [
        f"runs/search?experiment_ids=0&max_results={BIG}",
        f"experiments/get?experiment_id={BIG}",
        f"model-versions/get?name=x&version={BIG}",
        f"metrics/get-history-bulk-interval?run_ids=r&metric_key=m&start_step=0&end_step={BIG}",
        f"metrics/get-history?run_id=r&metric_key=m&max_results={BIG}",
    ],
    ids=["max_results", "experiment_id", "version", "end_step", "history-max_results"],
)
def test_huge_numbers_in_query_strings_are_400(rest, check_error, query):
    check_error(rest.raw("GET", API + query), 400, "INVALID_PARAMETER_VALUE")


def test_a_metric_value_beyond_double_range_is_infinity(rest, victim):
    body = f'{{"run_id":"{victim["run"]}","key":"huge","value":1e400,"timestamp":1}}'.encode()
    assert rest.raw("POST", API + "runs/log-metric", body=body, headers=JSON).status_code == 200
    history = rest.ok("GET", "metrics/get-history", params={"run_id": victim["run"], "metric_key": "huge"})
    assert history["metrics"][0]["value"] == "Infinity"


SQL = ["x' OR '1'='1", "x'; DROP TABLE runs; --", "x\" OR 1=1 --", "x') UNION SELECT * FROM experiments --", "%_\\"]


@pytest.mark.parametrize(
    "method, path, field, text",
    [
        ("POST", "runs/search", "filter", "params.a = '1' OR 1=1"),
        ("POST", "runs/search", "filter", "attributes.run_name = 'x'; DROP TABLE runs; --"),
        ("POST", "runs/search", "filter", "params.a = '1' UNION SELECT * FROM runs"),
        ("POST", "runs/search", "filter", "params.a = 1) OR (1=1"),
        ("POST", "runs/search", "order_by", ["start_time; DROP TABLE runs"]),
        ("POST", "runs/search", "order_by", ["params.a DESC, (SELECT 1)"]),
        ("POST", "experiments/search", "filter", "name = 'x' OR '1'='1'"),
        ("POST", "logged-models/search", "filter", "name = 'a' OR 1=1"),
        ("GET", "registered-models/search", "filter", "name = 'a' OR 1=1"),
        ("GET", "model-versions/search", "filter", "run_id IN ('a') OR 1=1"),
        ("GET", "registered-models/search", "order_by", ["name; DROP TABLE registered_models"]),
    ],
    ids=["or", "stacked", "union", "parenthesis", "order-stacked", "order-subquery", "experiments-or",
         "logged-models-or", "models-or", "versions-or", "models-order-stacked"],
)
def test_sql_in_filters_and_order_by_is_400(rest, check_error, victim, method, path, field, text):
    fields = {field: text}
    if path in ("runs/search", "logged-models/search"):
        fields["experiment_ids"] = [victim["experiment"]]
    if path == "experiments/search":
        fields["max_results"] = 10
    if method == "GET":
        response = rest.get(API + path, params=fields)
    else:
        response = rest.post(API + path, fields)
    check_error(response, 400, "INVALID_PARAMETER_VALUE")
    found = rest.ok("POST", "runs/search", {"experiment_ids": [victim["experiment"]]})
    assert [r["info"]["run_id"] for r in found["runs"]] == [victim["run"]]


@pytest.mark.parametrize("text", SQL)
def test_sql_in_quoted_filter_values_and_keys_matches_nothing(rest, victim, text):
    quoted = text.replace("'", "\\'")
    for expression in (f"params.a = '{quoted}'", f"params.`{text.replace('`', '')}` = '1'",
                       f"attributes.run_name LIKE '{quoted}'"):
        response = rest.post(API + "runs/search", {"experiment_ids": [victim["experiment"]], "filter": expression})
        assert response.status_code in (200, 400), (expression, response.text)
        if response.status_code == 400:
            assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
        else:
            assert response.json().get("runs", []) == [], expression


@pytest.mark.parametrize("text", SQL)
def test_sql_in_names_and_values_is_stored_verbatim(client, rest, unique, text):
    name = unique("sql") + text
    experiment = client.create_experiment(name)
    assert client.get_experiment_by_name(name).experiment_id == experiment
    run = client.create_run(experiment, run_name=text, tags={"t": text})
    client.log_param(run.info.run_id, "p", text)
    got = client.get_run(run.info.run_id)
    assert (got.info.run_name, got.data.tags["t"], got.data.params["p"]) == (text, text, text)
    model = unique("sqlmodel")
    rest.ok("POST", "registered-models/create", {"name": model, "description": text})
    assert rest.ok("GET", "registered-models/get", params={"name": model})["registered_model"]["description"] == text


# Every field that names a file or folder, each fed the same traversals.
TRAVERSALS = ["../../../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "a/../../../b", "/etc/passwd", "%252e%252e/x"]


def _traversal_requests(victim, path):
    run, model, name = victim["run"], victim["model"], victim["name"]
    return {
        "proxy-list": ("GET", "/api/2.0/mlflow-artifacts/artifacts", {"path": path}),
        "run-list": ("GET", API + "artifacts/list", {"run_id": run, "path": path}),
        "run-get-artifact": ("GET", "/get-artifact", {"run_id": run, "path": path}),
        "version-get-artifact": ("GET", "/model-versions/get-artifact", {"name": name, "version": "1", "path": path}),
        "logged-model-file": ("GET", f"/ajax-api/2.0/mlflow/logged-models/{model}/artifacts/files",
                              {"artifact_file_path": path}),
        "logged-model-directory": ("GET", f"{API}logged-models/{model}/artifacts/directories",
                                   {"artifact_directory_path": path}),
        "ui-upload": ("POST", "/ajax-api/2.0/mlflow/upload-artifact", {"run_uuid": run, "path": path}),
    }


@pytest.mark.parametrize("path", TRAVERSALS)
@pytest.mark.parametrize("field", ["proxy-list", "run-list", "run-get-artifact", "version-get-artifact",
                                   "logged-model-file", "logged-model-directory", "ui-upload"])
def test_path_traversal_in_every_path_field_is_400(rest, check_error, victim, field, path):
    method, target, params = _traversal_requests(victim, path)[field]
    response = rest.request(method, target, params=params, data=b"evil" if method == "POST" else None)
    check_error(response, 400, "INVALID_PARAMETER_VALUE", "Invalid path")
    assert b"root:" not in response.content


@pytest.mark.parametrize(
    "field, value",
    [
        ("artifact_location", "mlflow-artifacts:/../../etc"),
        ("artifact_location", "mlflow-artifacts:/a/%2e%2e/%2e%2e/%2e%2e/etc"),
        ("source", "../../../etc"),
        ("source", "mlflow-artifacts:/../../etc"),
        ("source", "mlflow-artifacts:/a/%2e%2e/%2e%2e/%2e%2e/etc"),
        ("source", "runs:/../../etc"),
        ("source", "file:///etc"),
    ],
)
def test_path_traversal_in_stored_locations_is_400(rest, check_error, victim, unique, field, value):
    if field == "artifact_location":
        response = rest.post(API + "experiments/create", {"name": unique("loc"), field: value})
    else:
        response = rest.post(API + "model-versions/create", {"name": victim["name"], field: value})
    check_error(response, 400, "INVALID_PARAMETER_VALUE")


SCRIPT = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def scripted(client, rest):
    """Entities whose every free-text field shown by the UI holds markup."""
    experiment = client.create_experiment(f"{SCRIPT}-{os.getpid()}", tags={"k": SCRIPT})
    run = client.create_run(experiment, run_name=SCRIPT, tags={"k": SCRIPT, "mlflow.note.content": SCRIPT}).info.run_id
    client.log_param(run, "p", SCRIPT)
    client.log_metric(run, "m", 1.0)
    rest.ok("POST", "runs/log-inputs", {"run_id": run, "datasets": [{
        "dataset": {"name": SCRIPT, "digest": "<b>d</b>", "source_type": SCRIPT, "source": SCRIPT},
        "tags": [{"key": "mlflow.data.context", "value": SCRIPT}]}]})
    file_name = "<svg onload=alert(3)>.txt"
    assert rest.raw("PUT", f"{PROXY}{experiment}/{run}/artifacts/%3Csvg%20onload%3Dalert(3)%3E.txt",
                    body=b"x").status_code == 200
    model = f"scripted-{experiment}"
    rest.ok("POST", "registered-models/create", {"name": model, "description": SCRIPT, "tags": [{"key": "k", "value": SCRIPT}]})
    rest.ok("POST", "model-versions/create", {"name": model, "run_id": run, "description": SCRIPT,
                                              "source": f"mlflow-artifacts:/{experiment}/{run}/artifacts",
                                              "tags": [{"key": "k", "value": SCRIPT}]})
    logged = rest.ok("POST", "logged-models", {"experiment_id": experiment, "name": SCRIPT, "model_type": SCRIPT,
                                                "params": [{"key": "p", "value": SCRIPT}],
                                                "tags": [{"key": "k", "value": SCRIPT}]})["model"]["info"]["model_id"]
    return {"experiment": experiment, "run": run, "model": model, "logged": logged, "file": file_name}


UI_PAGES = {
    "home": "/",
    "experiment": "/experiments/{experiment}",
    "run": "/runs/{run}",
    "run-artifacts": "/runs/{run}/artifacts",
    "compare": "/compare?runs={run}",
    "models": "/models",
    "model": "/models/{model}",
    "version": "/models/{model}/versions/1",
    "logged-model": "/logged-models/{logged}",
    "not-found": "/experiments/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "metric-not-found": "/runs/{run}/metric?key=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
}


@pytest.mark.parametrize("page", UI_PAGES)
def test_markup_in_names_is_escaped_on_every_ui_page(rest, scripted, page):
    response = rest.request("GET", UI_PAGES[page].format(**scripted), headers={"Accept": "text/html"})
    assert response.status_code in (200, 400, 404), response.status_code
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>d</b>"):
        assert raw not in body, (page, raw)
    if page not in ("models", "not-found", "metric-not-found", "home"):
        assert "&lt;script&gt;alert(1)" in body or "&lt;svg onload" in body, page
