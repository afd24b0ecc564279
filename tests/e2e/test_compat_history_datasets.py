"""The MLflow UI's bulk metric history and dataset summaries, with their limits and errors."""

import pytest

BULK = "/ajax-api/2.0/mlflow/metrics/get-history-bulk"
DATASETS = "/ajax-api/2.0/mlflow/experiments/search-datasets"


@pytest.fixture
def three_runs(rest, experiment_id):
    ids = []
    for j in range(3):
        run_id = rest.ok("POST", "runs/create", {"experiment_id": experiment_id})["run"]["info"]["run_id"]
        metrics = [{"key": "m", "value": j * 10 + k, "timestamp": 1000 - k, "step": k} for k in range(4)]
        metrics += [{"key": "m", "value": 5, "timestamp": 5, "step": 9}, {"key": "other", "value": 1, "timestamp": 1}]
        rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics})
        ids.append(run_id)
    return ids


def expected_points(run_ids, offsets):
    points = []
    for run_id in sorted(run_ids):
        j = offsets[run_id]
        series = [(1000 - k, k, float(j * 10 + k)) for k in range(4)] + [(5, 9, 5.0)]
        for timestamp, step, value in sorted(series):
            points.append({"key": "m", "value": value, "timestamp": timestamp, "step": step, "run_id": run_id})
    return points


def test_history_bulk_orders_by_run_then_timestamp(rest, three_runs):
    offsets = {run_id: j for j, run_id in enumerate(three_runs)}
    body = rest.ok("GET", BULK, params={"run_id": list(reversed(three_runs[:2])), "metric_key": "m"})
    assert body == {"metrics": expected_points(three_runs[:2], offsets)}
    limited = rest.ok("GET", BULK, params={"run_id": three_runs, "metric_key": "m", "max_results": 3})
    assert limited == {"metrics": expected_points(three_runs, offsets)[:3]}
    for params in (
        {"run_id": ["0" * 32], "metric_key": "m"},
        {"run_id": three_runs, "metric_key": "absent"},
        {"run_id": three_runs, "metric_key": "m", "max_results": 0},
    ):
        assert rest.ok("GET", BULK, params=params) == {"metrics": []}


def test_history_bulk_errors(rest, three_runs, check_error):
    cases = [
        ({"metric_key": "m"}, "GetMetricHistoryBulk request must specify at least one run_id."),
        ({"run_id": three_runs}, "GetMetricHistoryBulk request must specify a metric_key."),
        (
            {"run_id": [three_runs[0]] * 101, "metric_key": "m"},
            "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.",
        ),
    ]
    for params, message in cases:
        r = rest.get(BULK, params=params)
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == message


def dataset(name, digest):
    return {"name": name, "digest": digest, "source_type": "local", "source": "{}"}


def test_search_datasets_summaries(rest, experiment_id, three_runs):
    context = lambda value: [{"key": "mlflow.data.context", "value": value}]
    rest.ok("POST", "runs/log-inputs", {"run_id": three_runs[0], "datasets": [
        {"tags": context("training"), "dataset": dataset("d1", "aaa")},
        {"tags": [], "dataset": dataset("d2", "bbb")},
    ]})
    rest.ok("POST", "runs/log-inputs", {"run_id": three_runs[1], "datasets": [
        {"tags": context("eval"), "dataset": dataset("d1", "aaa")},
    ]})
    rest.ok("POST", "runs/log-inputs", {"run_id": three_runs[2], "datasets": [
        {"tags": context("training"), "dataset": dataset("d1", "aaa")},
    ]})
    body = rest.ok("POST", DATASETS, {"experiment_ids": [experiment_id]})
    key = lambda s: (s["name"], s.get("context", ""))
    assert sorted(body["dataset_summaries"], key=key) == [
        {"experiment_id": experiment_id, "name": "d1", "digest": "aaa", "context": "eval"},
        {"experiment_id": experiment_id, "name": "d1", "digest": "aaa", "context": "training"},
        {"experiment_id": experiment_id, "name": "d2", "digest": "bbb"},
    ]
    assert rest.ok("POST", DATASETS, {"experiment_ids": ["99999"]}) == {}


def test_search_datasets_errors(rest, experiment_id, check_error):
    none = "SearchDatasets request must specify at least one experiment_id."
    cases = [
        ({}, none),
        ({"experiment_ids": experiment_id}, none),
        ({"experiment_ids": [1]}, none),
        (
            {"experiment_ids": [experiment_id] * 21},
            "SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids.",
        ),
        ({"experiment_ids": ["abc"]}, "Invalid experiment ID 'abc'. Experiment ID must be a valid integer."),
    ]
    for body, message in cases:
        r = rest.post(DATASETS, body)
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == message, body
    r = rest.request("POST", DATASETS, data=b"{}")
    assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == "Bad Request. Content-Type header is missing."
