"""Raw HTTP wire rules: misc routes, JSON encoding, request parsing, paging tokens, prefixes."""

import json
import re

import pytest

DOUBLE_MAX = 1.7976931348623157e308


@pytest.fixture
def run(rest, experiment_id):
    """A RUNNING run created over raw REST; returns the JSON Run."""
    body = {"experiment_id": experiment_id, "run_name": "wire", "start_time": 1_700_000_000_123}
    return rest.ok("POST", "runs/create", body)["run"]


def test_health(rest):
    response = rest.get("/health")
    assert response.status_code == 200
    assert response.text.strip() == "OK"


def test_version(rest):
    response = rest.get("/version")
    assert response.status_code == 200
    assert re.fullmatch(r"\d+(\.\d+)*([abc]|rc|\.dev|\.post)?\d*", response.text.strip()), response.text


@pytest.mark.parametrize("prefix", ["/api", "/ajax-api"])
def test_server_info(rest, prefix):
    response = rest.get(f"{prefix}/3.0/mlflow/server-info")
    assert response.status_code == 200
    info = response.json()
    assert isinstance(info, dict)
    assert info["multipart_uploads_enabled"] is False
    assert info.get("workspaces_enabled", False) is False


def test_running_run_omits_end_time_and_uses_json_numbers(rest, run):
    info = run["info"]
    assert info["status"] == "RUNNING"
    assert "end_time" not in info
    assert info["start_time"] == 1_700_000_000_123
    assert info["run_id"] == info["run_uuid"]
    assert info["lifecycle_stage"] == "active"
    response = rest.get("runs/get", params={"run_id": info["run_id"]})
    assert re.search(r'"start_time"\s*:\s*1700000000123\b', response.text), response.text
    fetched = response.json()["run"]
    assert "end_time" not in fetched["info"]
    assert fetched["info"]["run_name"] == "wire"
    tags = {t["key"]: t["value"] for t in fetched["data"]["tags"]}
    assert tags["mlflow.runName"] == "wire"


def test_finished_run_has_integer_end_time(rest, run):
    run_id = run["info"]["run_id"]
    body = {"run_id": run_id, "status": "FINISHED", "end_time": 1_700_000_999_000}
    info = rest.ok("POST", "runs/update", body)["run_info"]
    assert info["status"] == "FINISHED"
    assert info["end_time"] == 1_700_000_999_000
    assert isinstance(rest.ok("GET", "runs/get", params={"run_id": run_id})["run"]["info"]["end_time"], int)


def test_experiment_fields_are_typed(rest, experiment_id):
    exp = rest.ok("GET", "experiments/get", params={"experiment_id": experiment_id})["experiment"]
    assert exp["experiment_id"] == experiment_id
    assert isinstance(exp["creation_time"], int)
    assert isinstance(exp["last_update_time"], int)
    assert exp["lifecycle_stage"] == "active"
    assert exp["artifact_location"] == f"mlflow-artifacts:/{experiment_id}"


def test_nan_and_infinity_are_strings_on_the_wire(rest, run):
    run_id = run["info"]["run_id"]
    metrics = [
        {"key": "nan", "value": "NaN", "timestamp": 5, "step": 0},
        {"key": "pinf", "value": "Infinity", "timestamp": 5, "step": 0},
        {"key": "ninf", "value": "-Infinity", "timestamp": 5, "step": 0},
        {"key": "plain", "value": 2.5, "timestamp": 5, "step": 0},
    ]
    assert rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics}) == {}

    def history(key):
        body = rest.ok("GET", "metrics/get-history", params={"run_id": run_id, "metric_key": key})
        [point] = body["metrics"]
        assert (point["key"], point["timestamp"], point["step"]) == (key, 5, 0)
        return point["value"]

    assert history("nan") == "NaN"
    assert history("plain") == 2.5
    pinf, ninf = history("pinf"), history("ninf")
    assert pinf == "Infinity" or pinf >= DOUBLE_MAX
    assert ninf == "-Infinity" or ninf <= -DOUBLE_MAX

    latest = rest.ok("GET", "runs/get", params={"run_id": run_id})["run"]["data"]["metrics"]
    assert {m["key"]: m["value"] for m in latest}["nan"] == "NaN"


def test_log_metric_accepts_nan_string(rest, run):
    run_id = run["info"]["run_id"]
    body = {"run_id": run_id, "key": "n", "value": "NaN", "timestamp": 7, "step": 3}
    assert rest.ok("POST", "runs/log-metric", body) == {}
    points = rest.ok("GET", "metrics/get-history", params={"run_id": run_id, "metric_key": "n"})["metrics"]
    assert points == [{"key": "n", "value": "NaN", "timestamp": 7, "step": 3}]


def test_runs_search_page_token_absent_on_last_page(rest, experiment_id):
    for i in range(3):
        rest.ok("POST", "runs/create", {"experiment_id": experiment_id, "start_time": 1000 + i})
    first = rest.ok("POST", "runs/search", {"experiment_ids": [experiment_id], "max_results": 2})
    assert len(first["runs"]) == 2
    assert isinstance(first["next_page_token"], str) and first["next_page_token"]
    last = rest.ok(
        "POST",
        "runs/search",
        {"experiment_ids": [experiment_id], "max_results": 2, "page_token": first["next_page_token"]},
    )
    assert len(last["runs"]) == 1
    assert "next_page_token" not in last
    whole = rest.ok("POST", "runs/search", {"experiment_ids": [experiment_id]})
    assert len(whole["runs"]) == 3
    assert "next_page_token" not in whole


def test_experiments_search_page_token_absent_on_last_page(rest, client, unique):
    prefix = unique("tok")
    for i in range(3):
        client.create_experiment(f"{prefix}-{i}")
    body = {"filter": f"name LIKE '{prefix}-%'", "max_results": 2}
    first = rest.ok("POST", "experiments/search", body)
    assert len(first["experiments"]) == 2
    assert first["next_page_token"]
    last = rest.ok("POST", "experiments/search", {**body, "page_token": first["next_page_token"]})
    assert len(last["experiments"]) == 1
    assert "next_page_token" not in last
    via_get = rest.ok("GET", "experiments/search", params={**body, "max_results": 10})
    assert len(via_get["experiments"]) == 3


def test_empty_search_results_are_empty_objects(rest, experiment_id):
    assert rest.ok("POST", "runs/search", {"experiment_ids": [experiment_id]}) == {}
    body = {"filter": "name = 'no-such-experiment-anywhere'", "max_results": 10}
    assert rest.ok("POST", "experiments/search", body) == {}


def test_experiments_search_max_results_must_be_positive(rest, check_error):
    for bad in (0, -1):
        response = rest.post("experiments/search", {"max_results": bad})
        check_error(response, 400, "INVALID_PARAMETER_VALUE")
    check_error(rest.post("experiments/search", {"max_results": 50001}), 400, "INVALID_PARAMETER_VALUE")
    # The reference also rejects an absent max_results; a default page is accepted here too.
    response = rest.post("experiments/search", {})
    if response.status_code == 200:
        assert isinstance(response.json()["experiments"], list)
    else:
        check_error(response, 400, "INVALID_PARAMETER_VALUE")


def test_large_int64_values_round_trip(rest, run):
    run_id = run["info"]["run_id"]
    step, timestamp = 2**40 + 3, 2**42 + 5
    body = {"run_id": run_id, "key": "big", "value": 1.0, "timestamp": timestamp, "step": step}
    rest.ok("POST", "runs/log-metric", body)
    response = rest.get("metrics/get-history", params={"run_id": run_id, "metric_key": "big"})
    assert re.search(rf'"step"\s*:\s*{step}\b', response.text), response.text
    [point] = response.json()["metrics"]
    assert (point["step"], point["timestamp"]) == (step, timestamp)


def test_ajax_api_prefix(rest):
    response = rest.get("/ajax-api/2.0/mlflow/experiments/get", params={"experiment_id": "0"})
    assert response.status_code == 200
    assert response.json()["experiment"]["name"] == "Default"
    response = rest.request(
        "POST", "/ajax-api/2.0/mlflow/experiments/search", json={"max_results": 5}
    )
    assert response.status_code == 200
    assert response.json()["experiments"]


def test_unknown_route_is_404(rest):
    assert rest.get("/api/2.0/mlflow/no-such-endpoint").status_code == 404
    assert rest.post("/api/2.0/mlflow/runs/no-such-endpoint", {}).status_code == 404


def test_wrong_method_is_405(rest):
    assert rest.get("experiments/create").status_code == 405
    assert rest.request("DELETE", "runs/search", json={}).status_code == 405


def test_missing_content_type_is_rejected(rest, check_error, unique):
    response = rest.post("experiments/create", data=json.dumps({"name": unique("noct")}))
    assert "Content-Type" not in response.request.headers
    check_error(response, 400, "INVALID_PARAMETER_VALUE", "Content-Type header is missing")


def test_wrong_content_type_is_rejected(rest, check_error, unique):
    response = rest.post(
        "experiments/create",
        data=json.dumps({"name": unique("textct")}),
        headers={"Content-Type": "text/plain"},
    )
    check_error(response, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of")


def test_content_type_with_charset_is_accepted(rest, unique):
    name = unique("charset")
    response = rest.post(
        "experiments/create",
        data=json.dumps({"name": name}).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["experiment_id"].isdigit()


def test_missing_required_field(rest, check_error):
    check_error(
        rest.post("experiments/create", {}),
        400,
        "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'name'",
    )
    check_error(
        rest.get("experiments/get"),
        400,
        "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'experiment_id'",
    )


def test_unknown_fields_are_ignored(rest, unique):
    name = unique("extra")
    body = rest.ok("POST", "experiments/create", {"name": name, "no_such_field": [1, 2]})
    assert body["experiment_id"].isdigit()


def test_json_string_body_is_decoded_twice(rest, unique):
    name = unique("twice")
    response = rest.post("experiments/create", json.dumps({"name": name}))
    assert response.status_code == 200, response.text
    exp = rest.ok("GET", "experiments/get-by-name", params={"experiment_name": name})["experiment"]
    assert exp["experiment_id"] == response.json()["experiment_id"]


def test_get_by_name_missing_is_404(rest, check_error, unique):
    name = unique("nobody")
    response = rest.get("experiments/get-by-name", params={"experiment_name": name})
    check_error(response, 404, "RESOURCE_DOES_NOT_EXIST", f"Could not find experiment with name '{name}'")


def test_write_endpoints_answer_empty_objects(rest, run):
    run_id = run["info"]["run_id"]
    assert rest.ok("POST", "runs/log-parameter", {"run_id": run_id, "key": "a", "value": "1"}) == {}
    assert rest.ok("POST", "runs/set-tag", {"run_id": run_id, "key": "t", "value": "v"}) == {}
    assert rest.ok("POST", "runs/delete-tag", {"run_id": run_id, "key": "t"}) == {}
    assert rest.ok("POST", "runs/log-batch", {"run_id": run_id}) == {}


def test_run_uuid_is_accepted_instead_of_run_id(rest, run):
    run_id = run["info"]["run_id"]
    rest.ok("POST", "runs/log-parameter", {"run_uuid": run_id, "key": "legacy", "value": "yes"})
    fetched = rest.ok("GET", "runs/get", params={"run_uuid": run_id})["run"]
    assert {p["key"]: p["value"] for p in fetched["data"]["params"]}["legacy"] == "yes"


def test_raw_run_create_without_user(rest, experiment_id):
    info = rest.ok("POST", "runs/create", {"experiment_id": experiment_id})["run"]["info"]
    assert info.get("user_id", "") == ""
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{1,3}", info["run_name"])
    assert re.fullmatch(r"[0-9a-f]{32}", info["run_id"])


def test_error_bodies_are_json(rest, check_error):
    body = check_error(
        rest.get("experiments/get", params={"experiment_id": "424242"}),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "No Experiment with id=424242 exists",
    )
    assert set(body) >= {"error_code", "message"}
