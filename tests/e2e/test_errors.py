"""Error cases: codes and messages seen by the client (MlflowException / RestException)."""

import contextlib
import uuid

import pytest
from mlflow.entities import Metric, Param
from mlflow.exceptions import MlflowException, RestException


@contextlib.contextmanager
def raises(code: str, *fragments: str):
    """Expect an MlflowException with this error_code whose message holds every fragment."""
    with pytest.raises(MlflowException) as info:
        yield info
    error = info.value
    assert error.error_code == code, f"{error.error_code}: {error.message}"
    for fragment in fragments:
        assert fragment in error.message, error.message


def test_unknown_experiment_id(client):
    with raises("RESOURCE_DOES_NOT_EXIST", "No Experiment with id=99999 exists") as err:
        client.get_experiment("99999")
    assert isinstance(err.value, RestException)
    assert str(err.value).startswith("RESOURCE_DOES_NOT_EXIST: ")


def test_non_integer_experiment_id(client):
    with raises("INVALID_PARAMETER_VALUE", "Invalid experiment ID 'abc'", "must be a valid integer"):
        client.get_experiment("abc")


def test_unknown_run_id(client):
    with raises("RESOURCE_DOES_NOT_EXIST", "Run with id=deadbeef not found"):
        client.get_run("deadbeef")
    missing = uuid.uuid4().hex
    with raises("RESOURCE_DOES_NOT_EXIST", missing):
        client.log_param(missing, "a", "1")
    with raises("RESOURCE_DOES_NOT_EXIST", missing):
        client.delete_run(missing)


def test_create_run_in_unknown_experiment(client):
    with raises("RESOURCE_DOES_NOT_EXIST", "No Experiment with id=98765 exists"):
        client.create_run("98765")


def test_duplicate_experiment_name(client, unique):
    name = unique("dup")
    client.create_experiment(name)
    with raises("RESOURCE_ALREADY_EXISTS", name, "already exists"):
        client.create_experiment(name)


def test_rename_to_existing_name(client, unique):
    taken, original = unique("taken"), unique("other")
    client.create_experiment(taken)
    other = client.create_experiment(original)
    with pytest.raises(MlflowException) as err:
        client.rename_experiment(other, taken)
    # The reference answers 400 BAD_REQUEST with the SQL error text.
    assert err.value.error_code in ("RESOURCE_ALREADY_EXISTS", "BAD_REQUEST")
    assert err.value.get_http_status_code() == 400
    assert client.get_experiment(other).name == original


def test_changing_param_value(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "p", "1")
    client.log_param(run_id, "p", "1")
    with raises(
        "INVALID_PARAMETER_VALUE",
        "Changing param values is not allowed",
        "key='p'",
        "value='1'",
        f"run ID='{run_id}'",
        "new value '2'",
    ):
        client.log_param(run_id, "p", "2")
    with raises("INVALID_PARAMETER_VALUE", "Changing param values is not allowed"):
        client.log_batch(run_id, params=[Param("p", "3")])
    client.log_batch(run_id, params=[Param("p", "1")])
    assert client.get_run(run_id).data.params == {"p": "1"}


def test_writes_to_deleted_run_are_rejected(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    message = f"The run {run_id} must be in the 'active' state. Current state is deleted."
    with raises("INVALID_PARAMETER_VALUE", message):
        client.log_param(run_id, "a", "1")
    with raises("INVALID_PARAMETER_VALUE", message):
        client.log_metric(run_id, "m", 1.0)
    with raises("INVALID_PARAMETER_VALUE", message):
        client.set_tag(run_id, "t", "v")
    with raises("INVALID_PARAMETER_VALUE", message):
        client.log_batch(run_id, metrics=[Metric("m", 1.0, 1, 0)])


def test_create_run_in_deleted_experiment(client, experiment_id):
    client.delete_experiment(experiment_id)
    with raises("INVALID_PARAMETER_VALUE", f"The experiment {experiment_id} must be in the 'active' state"):
        client.create_run(experiment_id)


def test_delete_missing_run_tag(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    with raises("RESOURCE_DOES_NOT_EXIST", f"No tag with name: nope in run with id {run_id}"):
        client.delete_tag(run_id, "nope")


def test_delete_missing_experiment_tag(client, experiment_id):
    with raises("RESOURCE_DOES_NOT_EXIST", f"No tag with name: nope in experiment with id {experiment_id}"):
        client.delete_experiment_tag(experiment_id, "nope")


@pytest.mark.parametrize(
    "filter_string, fragment",
    [
        ("metrics.x > 1 OR metrics.y < 2", "Invalid clause(s) in filter string"),
        ("params.model = cnn", "Parameter value is either not quoted or unidentified quote types"),
        ("metrics.acc > 'high'", "Expected numeric value type for metric"),
        ("foo.bar = '1'", "Invalid entity type 'foo'"),
        ("attributes.unknown_attr = 'x'", "Invalid attribute key"),
        ("params.model IN ('a', 'b')", ""),
    ],
)
def test_bad_run_filter(client, experiment_id, filter_string, fragment):
    with raises("INVALID_PARAMETER_VALUE", fragment):
        client.search_runs([experiment_id], filter_string=filter_string)


def test_bad_order_by(client, experiment_id):
    with raises("INVALID_PARAMETER_VALUE"):
        client.search_runs([experiment_id], order_by=["metrics.acc SIDEWAYS"])


def test_bad_experiment_filter(client):
    with raises("INVALID_PARAMETER_VALUE"):
        client.search_experiments(filter_string="name = 'a' OR name = 'b'")


@pytest.mark.parametrize("key", ["a@b", "a!b", "../escape", "/leading", "a//b"])
def test_invalid_metric_and_param_keys(client, experiment_id, key):
    run_id = client.create_run(experiment_id).info.run_id
    with raises("INVALID_PARAMETER_VALUE"):
        client.log_metric(run_id, key, 1.0)
    with raises("INVALID_PARAMETER_VALUE"):
        client.log_param(run_id, key, "v")
    with raises("INVALID_PARAMETER_VALUE"):
        client.set_tag(run_id, key, "v")
    data = client.get_run(run_id).data
    assert not data.metrics and not data.params


def test_invalid_key_message(rest, check_error, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    body = {"run_id": run_id, "key": "a@b", "value": 1.0, "timestamp": 1, "step": 0}
    check_error(
        rest.post("runs/log-metric", body),
        400,
        "INVALID_PARAMETER_VALUE",
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( )",
    )
    check_error(
        rest.post("runs/log-parameter", {"run_id": run_id, "key": "k" * 251, "value": "v"}),
        400,
        "INVALID_PARAMETER_VALUE",
        "exceeds the maximum length of 250",
    )


def test_log_batch_limits(rest, check_error, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    metrics = [{"key": "m", "value": 1.0, "timestamp": 1, "step": i} for i in range(1001)]
    check_error(
        rest.post("runs/log-batch", {"run_id": run_id, "metrics": metrics}),
        400,
        "INVALID_PARAMETER_VALUE",
        "A batch logging request can contain at most 1000 metrics. Got 1001 metrics.",
    )
    params = [{"key": f"p{i}", "value": "v"} for i in range(101)]
    check_error(
        rest.post("runs/log-batch", {"run_id": run_id, "params": params}),
        400,
        "INVALID_PARAMETER_VALUE",
        "at most 100 params. Got 101 params.",
    )
    tags = [{"key": f"t{i}", "value": "v"} for i in range(101)]
    check_error(
        rest.post("runs/log-batch", {"run_id": run_id, "tags": tags}),
        400,
        "INVALID_PARAMETER_VALUE",
        "at most 100 tags. Got 101 tags.",
    )
    mixed = {
        "run_id": run_id,
        "metrics": metrics[:950],
        "params": params[:30],
        "tags": tags[:30],
    }
    check_error(
        rest.post("runs/log-batch", mixed),
        400,
        "INVALID_PARAMETER_VALUE",
        "at most 1000",
    )
    check_error(
        rest.post(
            "runs/log-batch",
            {"run_id": run_id, "params": [{"key": "d", "value": "1"}, {"key": "d", "value": "2"}]},
        ),
        400,
        "INVALID_PARAMETER_VALUE",
        "Duplicate parameter keys have been submitted",
    )
    data = client.get_run(run_id).data
    assert not data.metrics and not data.params
    assert not [k for k in data.tags if not k.startswith("mlflow.")]
    rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics[:1000]})
    assert len(client.get_metric_history(run_id, "m")) == 1000


def test_metric_needs_numeric_value_and_timestamp(rest, check_error, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    check_error(
        rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0}),
        400,
        "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'timestamp'",
    )
    response = rest.post(
        "runs/log-metric", {"run_id": run_id, "key": "m", "value": "abc", "timestamp": 1}
    )
    check_error(response, 400, "INVALID_PARAMETER_VALUE")
    assert client.get_metric_history(run_id, "m") == []


def test_search_limits(rest, check_error, experiment_id, client):
    check_error(
        rest.post("runs/search", {"experiment_ids": [experiment_id], "max_results": 50001}),
        400,
        "INVALID_PARAMETER_VALUE",
    )
    assert rest.ok("POST", "runs/search", {"experiment_ids": [experiment_id], "max_results": 50000}) == {}
    run_id = client.create_run(experiment_id).info.run_id
    response = rest.get(
        "metrics/get-history", params={"run_id": run_id, "metric_key": "m", "max_results": 0}
    )
    check_error(response, 400, "INVALID_PARAMETER_VALUE")
