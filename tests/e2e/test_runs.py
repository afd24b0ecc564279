"""Runs: lifecycle, params, metrics (sync and async), history, tags, datasets."""

import json
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor

import mlflow
import pandas as pd
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

DOUBLE_MAX = 1.7976931348623157e308


def now_ms() -> int:
    return int(time.time() * 1000)


def history(client, run_id, key):
    return sorted(client.get_metric_history(run_id, key), key=lambda m: (m.step, m.timestamp))


def test_start_and_end_run(fluent_experiment, client):
    before = now_ms() - 5000
    with mlflow.start_run(run_name="first-run") as run:
        info = run.info
        assert info.status == "RUNNING"
        assert info.end_time is None
        assert info.lifecycle_stage == "active"
        assert info.run_name == "first-run"
        assert info.experiment_id == fluent_experiment.experiment_id
        assert re.fullmatch(r"[0-9a-f]{32}", info.run_id)
        assert info.start_time >= before
        assert info.artifact_uri == (
            f"mlflow-artifacts:/{fluent_experiment.experiment_id}/{info.run_id}/artifacts"
        )
        fetched = client.get_run(info.run_id)
        assert fetched.info.status == "RUNNING"
        assert fetched.info.end_time is None
        assert mlflow.active_run().info.run_id == info.run_id

    assert mlflow.active_run() is None
    done = client.get_run(info.run_id)
    assert done.info.status == "FINISHED"
    assert done.info.end_time is not None
    assert done.info.end_time >= done.info.start_time
    tags = done.data.tags
    assert tags["mlflow.runName"] == "first-run"
    assert "mlflow.user" in tags
    assert tags["mlflow.source.type"] == "LOCAL"
    assert done.info.user_id == tags["mlflow.user"]


def test_resume_finished_run(fluent_experiment, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0, step=0)
    first_end = client.get_run(run.info.run_id).info.end_time
    with mlflow.start_run(run_id=run.info.run_id) as resumed:
        assert resumed.info.run_id == run.info.run_id
        assert client.get_run(run.info.run_id).info.status == "RUNNING"
        mlflow.log_metric("m", 2.0, step=1)
    info = client.get_run(run.info.run_id).info
    assert info.status == "FINISHED"
    assert info.end_time >= first_end
    assert [m.value for m in history(client, run.info.run_id, "m")] == [1.0, 2.0]


def test_run_name_is_generated_when_absent(fluent_experiment, client):
    with mlflow.start_run() as run:
        pass
    fetched = client.get_run(run.info.run_id)
    name = fetched.info.run_name
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{1,3}", name), name
    assert fetched.data.tags["mlflow.runName"] == name


def test_end_run_with_failed_status(fluent_experiment, client):
    run = mlflow.start_run()
    mlflow.end_run(status="FAILED")
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_exception_in_with_block_marks_run_failed(fluent_experiment, client):
    with pytest.raises(ZeroDivisionError):
        with mlflow.start_run() as run:
            1 / 0
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_client_create_run_and_set_terminated(client, experiment_id):
    run = client.create_run(experiment_id, run_name="manual", tags={"origin": "client"}, start_time=1234567)
    assert run.info.status == "RUNNING"
    assert run.info.start_time == 1234567
    assert run.data.tags["origin"] == "client"
    client.set_terminated(run.info.run_id, status="KILLED", end_time=2345678)
    info = client.get_run(run.info.run_id).info
    assert info.status == "KILLED"
    assert info.end_time == 2345678


def test_update_run_name_rewrites_tag(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="before").info.run_id
    client.update_run(run_id, name="after")
    run = client.get_run(run_id)
    assert run.info.run_name == "after"
    assert run.data.tags["mlflow.runName"] == "after"
    assert run.info.status == "RUNNING"


def test_set_run_name_tag_renames_run(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="one").info.run_id
    client.set_tag(run_id, "mlflow.runName", "two")
    assert client.get_run(run_id).info.run_name == "two"


def test_params(fluent_experiment, client):
    with mlflow.start_run() as run:
        assert mlflow.log_param("lr", 0.01) == 0.01
        mlflow.log_param("layers", 3)
        mlflow.log_params({"opt": "adam", "empty": "", "flag": True})
        mlflow.log_param("layers", 3)  # the same value again is accepted
    params = client.get_run(run.info.run_id).data.params
    assert params == {"lr": "0.01", "layers": "3", "opt": "adam", "empty": "", "flag": "True"}


def test_many_params_are_chunked(fluent_experiment, client):
    values = {f"p{i:03d}": str(i) for i in range(250)}
    with mlflow.start_run() as run:
        mlflow.log_params(values)
    assert client.get_run(run.info.run_id).data.params == values


def test_long_param_value_is_truncated_to_6000(client, experiment_id, rest):
    run_id = client.create_run(experiment_id).info.run_id
    rest.ok("POST", "runs/log-parameter", {"run_id": run_id, "key": "long", "value": "v" * 6001})
    assert client.get_run(run_id).data.params["long"] == "v" * 6000


def test_long_tag_value_is_truncated_to_8000(client, experiment_id, rest):
    run_id = client.create_run(experiment_id).info.run_id
    rest.ok("POST", "runs/set-tag", {"run_id": run_id, "key": "long", "value": "t" * 8001})
    assert client.get_run(run_id).data.tags["long"] == "t" * 8000


def test_concurrent_log_batch_to_one_run(client, experiment_id, rest):
    run_id = client.create_run(experiment_id).info.run_id

    def send(worker):
        for i in range(10):
            metrics = [
                {"key": f"w{worker}", "value": float(i * 50 + j), "timestamp": 1000 + i, "step": i * 50 + j}
                for j in range(50)
            ]
            params = [{"key": f"p{worker}-{i}", "value": str(i)}]
            rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": params})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send, range(8)))
    run = client.get_run(run_id)
    assert len(run.data.params) == 80
    for worker in range(8):
        assert run.data.metrics[f"w{worker}"] == 499.0
        assert len(client.get_metric_history(run_id, f"w{worker}")) == 500


def test_sync_metrics_and_history(fluent_experiment, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.9, step=0)
        mlflow.log_metric("loss", 0.5, step=1)
        mlflow.log_metrics({"loss": 0.2, "acc": 0.75}, step=2)
        mlflow.log_metric("neg", -1.5, step=-3)
    run_id = run.info.run_id
    metrics = client.get_run(run_id).data.metrics
    assert metrics == {"loss": 0.2, "acc": 0.75, "neg": -1.5}
    loss = history(client, run_id, "loss")
    assert [(m.step, m.value) for m in loss] == [(0, 0.9), (1, 0.5), (2, 0.2)]
    assert all(isinstance(m.timestamp, int) and m.timestamp > 0 for m in loss)
    assert [m.step for m in history(client, run_id, "neg")] == [-3]
    assert client.get_metric_history(run_id, "never-logged") == []


def test_latest_metric_is_max_step_then_timestamp(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 1.0, timestamp=1000, step=5)
    client.log_metric(run_id, "m", 9.0, timestamp=2000, step=3)
    assert client.get_run(run_id).data.metrics["m"] == 1.0
    client.log_metric(run_id, "m", 4.0, timestamp=3000, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 4.0
    client.log_metric(run_id, "m", 7.0, timestamp=500, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 4.0
    assert len(client.get_metric_history(run_id, "m")) == 4


def test_async_metric_logging(fluent_experiment, client):
    with mlflow.start_run() as run:
        op = mlflow.log_metric("async_m", 1.0, step=0, synchronous=False)
        op.wait()
        for step in range(1, 20):
            mlflow.log_metric("async_m", float(step), step=step, synchronous=False)
        mlflow.log_metrics({"async_a": 1.0, "async_b": 2.0}, step=7, synchronous=False)
        mlflow.log_param("async_p", "x", synchronous=False)
        mlflow.set_tag("async_t", "y", synchronous=False)
        mlflow.flush_async_logging()
        run_id = run.info.run_id
        steps = [m.step for m in history(client, run_id, "async_m")]
        assert steps == list(range(20))
    data = client.get_run(run_id).data
    assert data.metrics["async_m"] == 19.0
    assert data.metrics["async_a"] == 1.0 and data.metrics["async_b"] == 2.0
    assert data.params["async_p"] == "x"
    assert data.tags["async_t"] == "y"


def test_client_log_batch(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    ts = now_ms()
    client.log_batch(
        run_id,
        metrics=[Metric("b", float(i), ts + i, i) for i in range(1500)],
        params=[Param("bp", "1")],
        tags=[RunTag("bt", "t")],
    )
    run = client.get_run(run_id)
    assert run.data.metrics["b"] == 1499.0
    assert run.data.params["bp"] == "1"
    assert run.data.tags["bt"] == "t"
    assert len(client.get_metric_history(run_id, "b")) == 1500


def test_duplicate_metric_rows_are_accepted(client, experiment_id, rest):
    run_id = client.create_run(experiment_id).info.run_id
    body = {"run_id": run_id, "metrics": [{"key": "dup", "value": 1.5, "timestamp": 10, "step": 1}]}
    rest.ok("POST", "runs/log-batch", body)
    rest.ok("POST", "runs/log-batch", body)
    assert client.get_run(run_id).data.metrics["dup"] == 1.5
    assert 1 <= len(client.get_metric_history(run_id, "dup")) <= 2


def test_nan_and_infinity_round_trip(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "nan", float("nan"), step=0)
    client.log_metric(run_id, "pinf", float("inf"), step=0)
    client.log_metric(run_id, "ninf", float("-inf"), step=0)
    client.log_batch(run_id, metrics=[Metric("batch_nan", float("nan"), now_ms(), 0)])

    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)
    assert math.isnan(client.get_metric_history(run_id, "batch_nan")[0].value)
    assert client.get_metric_history(run_id, "pinf")[0].value >= DOUBLE_MAX
    assert client.get_metric_history(run_id, "ninf")[0].value <= -DOUBLE_MAX
    latest = client.get_run(run_id).data.metrics
    assert math.isnan(latest["nan"])
    assert latest["pinf"] >= DOUBLE_MAX
    assert latest["ninf"] <= -DOUBLE_MAX


def test_long_metric_history_pages(client, experiment_id, rest):
    """More than one 25000-point page of history, read back through the client's paging."""
    run_id = client.create_run(experiment_id).info.run_id
    total = 26_500
    for start in range(0, total, 1000):
        metrics = [
            {"key": "long", "value": float(i) / 2, "timestamp": 1_000_000 + i, "step": i}
            for i in range(start, min(start + 1000, total))
        ]
        rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics})
    points = client.get_metric_history(run_id, "long")
    assert len(points) == total
    assert sorted(m.step for m in points) == list(range(total))
    assert all(m.value == m.step / 2 for m in points)
    assert client.get_run(run_id).data.metrics["long"] == (total - 1) / 2


def test_tags(fluent_experiment, client):
    with mlflow.start_run() as run:
        mlflow.set_tag("team", "vision")
        mlflow.set_tag("team", "nlp")
        mlflow.set_tags({"a": "1", "b": 2, "blank": ""})
        mlflow.delete_tag("a")
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["team"] == "nlp"
    assert tags["b"] == "2"
    assert tags["blank"] == ""
    assert "a" not in tags
    client.delete_tag(run.info.run_id, "b")
    assert "b" not in client.get_run(run.info.run_id).data.tags


def test_delete_and_restore_run(client, experiment_id):
    keep = client.create_run(experiment_id).info.run_id
    gone = client.create_run(experiment_id).info.run_id
    client.delete_run(gone)
    deleted = client.get_run(gone)
    assert deleted.info.lifecycle_stage == "deleted"
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == [keep]
    only_deleted = client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in only_deleted] == [gone]
    assert len(client.search_runs([experiment_id], run_view_type=ViewType.ALL)) == 2

    client.restore_run(gone)
    assert client.get_run(gone).info.lifecycle_stage == "active"
    assert {r.info.run_id for r in client.search_runs([experiment_id])} == {keep, gone}


def test_log_input_dataset(fluent_experiment, client):
    df = pd.DataFrame({"x1": [0.0, 1.0, 2.0], "x2": [1.0, 0.0, 1.0], "y": [0, 1, 0]})
    dataset = mlflow.data.from_pandas(df, name="train-set", targets="y")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    logged = inputs[0].dataset
    assert logged.name == "train-set"
    assert logged.digest == dataset.digest
    assert logged.source_type == "code"
    assert "x1" in [col["name"] for col in json.loads(logged.schema)["mlflow_colspec"]]
    assert json.loads(logged.profile)["num_rows"] == 3
    tags = {t.key: t.value for t in inputs[0].tags}
    assert tags["mlflow.data.context"] == "training"

    exp_ids = [fluent_experiment.experiment_id]
    for flt in ["datasets.name = 'train-set'", "dataset.context = 'training'",
                f"datasets.digest IN ('{dataset.digest}')"]:
        found = client.search_runs(exp_ids, filter_string=flt)
        assert [r.info.run_id for r in found] == [run.info.run_id], flt
    assert client.search_runs(exp_ids, filter_string="datasets.name = 'other'") == []


def test_nested_runs_record_parent(fluent_experiment, client):
    with mlflow.start_run() as parent:
        with mlflow.start_run(nested=True) as child:
            pass
    tags = client.get_run(child.info.run_id).data.tags
    assert tags["mlflow.parentRunId"] == parent.info.run_id
    children = client.search_runs(
        [fluent_experiment.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'",
    )
    assert [r.info.run_id for r in children] == [child.info.run_id]

