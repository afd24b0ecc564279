"""Error texts that clients match on, compared message for message with MLflow 3.17.2.

Each case sends one invalid request and expects the reference server's status, error code and
exact message. ``{run}`` and ``{exp}`` in a body stand for a fresh run and experiment id.
"""

import json

import pytest

CASES = [
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": "foo"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "foo" for parameter \'metrics\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "tags": 5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'tags' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "tags": "5"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "5" for parameter \'tags\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "params": {"a": 1}}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value {"a":1} for parameter \'params\' supplied:  Hint: Value was of type \'dict\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": [{"key": "m", "timestamp": 1}]}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metrics[0].value'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": [{"value": 1, "timestamp": 1}]}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metrics[0].key'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": [{"key": "m", "value": 1}]}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metrics[0].timestamp'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "tags": [{"value": "p"}]}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'tags[0].key'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-batch', '{"metrics": []}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "m", "value": 1, "timestamp": 1, "step": "foo"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "foo" for parameter \'step\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "m", "value": "foo", "timestamp": 1}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "foo" for parameter \'value\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "m", "value": 1, "timestamp": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'timestamp\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "m", "value": 1}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": 5, "value": 1, "timestamp": 1}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'key' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "m", "value": null, "timestamp": 1}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'value'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-parameter', '{"run_id": "{run}", "key": "p", "value": 5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'value' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-parameter', '{"run_id": "{run}", "key": "p", "value": ["x"]}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value ["x"] for parameter \'value\' supplied:  Hint: Value was of type \'list\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/set-tag', '{"run_id": "{run}", "key": "t", "value": {"a": "\\u00e9"}}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value {"a":"\\u00e9"} for parameter \'value\' supplied:  Hint: Value was of type \'dict\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/set-tag', '{"run_id": "{run}", "key": "t", "value": 1.0}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 1.0 for parameter 'value' supplied:  Hint: Value was of type 'float'. See the API docs for more information about request parameters."),
    ('POST', 'runs/set-tag', '{"run_id": "{run}", "key": "t", "value": 1e+20}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 1e+20 for parameter 'value' supplied:  Hint: Value was of type 'float'. See the API docs for more information about request parameters."),
    ('POST', 'runs/set-tag', '{"key": "t", "value": "v"}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters."),
    ('POST', 'experiments/create', '{"name": 123}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'experiments/create', '{"name": ""}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'name'. See the API docs for more information about request parameters."),
    ('POST', 'experiments/create', '{}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'name'. See the API docs for more information about request parameters."),
    ('POST', 'experiments/create', '{"name": "x", "tags": "t"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "t" for parameter \'tags\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'experiments/create', '{"name": "x", "artifact_location": 5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'artifact_location' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'experiments/search', '{"max_results": "abc"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "abc" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'experiments/search', '{"max_results": 0}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"),
    ('POST', 'experiments/search', '{"max_results": 50001}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000"),
    ('POST', 'runs/search', '{"experiment_ids": ["{exp}"], "max_results": 50001}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'runs/search', '{"experiment_ids": ["{exp}"], "max_results": -1}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value -1 for parameter 'max_results' supplied. It must be a positive integer"),
    ('POST', 'runs/search', '{"experiment_ids": "{exp}"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "{exp}" for parameter \'experiment_ids\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/search', '{"experiment_ids": ["{exp}"], "order_by": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'order_by\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/create', '{"experiment_id": 5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'experiment_id' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'runs/create', '{"experiment_id": "{exp}", "start_time": "abc"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "abc" for parameter \'start_time\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'runs/update', '{"run_id": "{run}", "end_time": "abc"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "abc" for parameter \'end_time\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('GET', 'metrics/get-history', '{"run_id": "{run}", "metric_key": "m", "max_results": 0}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer."),
    ('GET', 'metrics/get-history', '{"run_id": "{run}"}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metric_key'. See the API docs for more information about request parameters."),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "max_results": 0}', 400, 'INVALID_PARAMETER_VALUE', 'max_results must be between 1 and 2500. See the API docs for more information about request parameters.'),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "max_results": 2501}', 400, 'INVALID_PARAMETER_VALUE', 'max_results must be between 1 and 2500. See the API docs for more information about request parameters.'),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "max_results": "abc"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "abc" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('GET', 'metrics/get-history-bulk-interval', lambda run, exp: {"run_ids": [run] * 101, "metric_key": "m"}, 400, 'INVALID_PARAMETER_VALUE', 'GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. See the API docs for more information about request parameters.'),
    ('GET', 'metrics/get-history-bulk-interval', '{"metric_key": "m"}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters."),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}"}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'metric_key'. See the API docs for more information about request parameters."),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "start_step": 1}', 400, 'INVALID_PARAMETER_VALUE', 'If either start step or end step are specified, both must be specified.'),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "start_step": 5, "end_step": 1}', 400, 'INVALID_PARAMETER_VALUE', 'end_step must be greater than start_step. Found start_step=5 and end_step=1.'),
    ('GET', 'metrics/get-history-bulk-interval', '{"run_ids": "{run}", "metric_key": "m", "start_step": "a", "end_step": 1}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a" for parameter \'start_step\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('GET', 'runs/get', '{}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters."),
    ('GET', 'experiments/get', '{"experiment_id": "abc"}', 400, 'INVALID_PARAMETER_VALUE', "Invalid experiment ID 'abc'. Experiment ID must be a valid integer."),
    ('GET', 'experiments/get', '{"experiment_id": "99999"}', 404, 'RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=99999 exists'),
    ('GET', 'registered-models/search', '{"max_results": 1001}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "1001" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('GET', 'registered-models/search', '{"max_results": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('GET', 'model-versions/search', '{"max_results": 200001}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "200001" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'registered-models/create', '{"name": 5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 5 for parameter 'name' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
    ('POST', 'registered-models/create', '{"name": "a/b"}', 400, 'INVALID_PARAMETER_VALUE', "Invalid model name 'a/b'. Names cannot contain '/' or ':'."),
    ('POST', 'model-versions/create', '{"name": "nomodel", "source": "s3://x"}', 400, 'INVALID_PARAMETER_VALUE', "Invalid model version source: 's3://x'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path."),
    ('POST', 'model-versions/create', '{"name": "nomodel"}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'source'. See the API docs for more information about request parameters."),
    ('POST', 'logged-models', '{}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'experiment_id'. See the API docs for more information about request parameters."),
    ('POST', 'logged-models', '{"experiment_id": "{exp}", "params": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'params\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'logged-models/search', '{"experiment_ids": ["{exp}"], "order_by": [{"field_name": "bogus"}]}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid order by field name: bogus'),
    ('POST', 'runs/search', '{"experiment_ids": ["{exp}"], "page_token": "garbage"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode'),
    ('POST', 'experiments/search', '{"max_results": 10, "page_token": "garbage"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode'),
    ('GET', 'runs/get', '{"run_id": "deadbeef"}', 404, 'RESOURCE_DOES_NOT_EXIST', 'Run with id=deadbeef not found'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "params": [{"key": "d", "value": "1"}, {"key": "d", "value": "2"}]}', 400, 'INVALID_PARAMETER_VALUE', "Duplicate parameter keys have been submitted: ['d']. Please ensure the request contains only one param value per param key."),
    ('POST', 'runs/log-parameter', '{"run_id": "{run}", "key": "a@b", "value": "1"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'key\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/log-parameter', '{"run_id": "{run}", "key": "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "value": "1"}', 400, 'INVALID_PARAMETER_VALUE', "'Param key' exceeds the maximum length of 250 characters"),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "a@b", "value": 1, "timestamp": 1}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'name\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/set-tag', '{"run_id": "{run}", "key": "a@b", "value": "1"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'key\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "params": [{"key": "a@b", "value": "1"}]}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'params[0].key\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": [{"key": "a@b", "value": 1, "timestamp": 1}]}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'metrics[0].name\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "tags": [{"key": "a@b", "value": "1"}]}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'tags[0].key\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'experiments/set-experiment-tag', '{"experiment_id": "{exp}", "key": "a@b", "value": "1"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "a@b" for parameter \'key\' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "params": [{"value": "1"}]}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'params[0].key'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-metric', '{"run_id": "{run}", "key": "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "value": 1, "timestamp": 1}', 400, 'INVALID_PARAMETER_VALUE', "'Metric name' exceeds the maximum length of 250 characters"),
    ('GET', 'model-versions/search', '{"max_results": 0}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value for max_results. It must be a positive integer, but got 0'),
    ('GET', 'metrics/get-history', '{"run_id": "{run}", "metric_key": "m", "max_results": -5}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value -5 for parameter 'max_results' supplied. It must be a positive integer."),
    ('POST', 'experiments/search', '{"max_results": -1}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value -1 for parameter 'max_results' supplied. It must be a positive integer"),
    ('POST', 'experiments/search', '{}', 400, 'INVALID_PARAMETER_VALUE', "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"),
    ('POST', 'runs/search', '{"experiment_ids": ["{exp}"], "max_results": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'logged-models/search', '{"experiment_ids": ["{exp}"], "max_results": "x"}', 400, 'INVALID_PARAMETER_VALUE', 'Invalid value "x" for parameter \'max_results\' supplied:  Hint: Value was of type \'str\'. See the API docs for more information about request parameters.'),
    ('POST', 'registered-models/alias', '{"name": "{model}", "alias": "a b", "version": "1"}', 400, 'INVALID_PARAMETER_VALUE', "Invalid alias name: 'a b'. Names may only contain alphanumerics, underscores (_), and dashes (-)."),
    ('POST', 'registered-models/alias', '{"name": "{model}", "alias": "latest", "version": "1"}', 400, 'INVALID_PARAMETER_VALUE', "'latest' alias name (case insensitive) is reserved."),
    ('GET', 'registered-models/alias', '{"name": "{model}", "alias": "nope"}', 400, 'INVALID_PARAMETER_VALUE', 'Registered model alias nope not found.'),
    ('GET', 'model-versions/get', '{"name": "{model}", "version": "abc"}', 400, 'INVALID_PARAMETER_VALUE', "Parameter 'version' must be an integer, got 'abc'."),
    ('GET', 'model-versions/get', '{"name": "{model}", "version": "9"}', 404, 'RESOURCE_DOES_NOT_EXIST', 'Model Version (name={model}, version=9) not found'),
    ('GET', 'registered-models/get', '{"name": "no-such-model"}', 404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=no-such-model not found'),
    ('POST', 'registered-models/create', '{"name": "{model}"}', 400, 'RESOURCE_ALREADY_EXISTS', 'Registered Model (name={model}) already exists.'),
    ('POST', 'experiments/update', '{"experiment_id": "{exp}", "new_name": ""}', 400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'new_name'. See the API docs for more information about request parameters."),
    ('POST', 'runs/log-inputs', '{"run_id": "{run}", "datasets": [{"dataset": {"name": "' + "d" * 501 + '", "digest": "x", "source_type": "l", "source": "s"}}]}', 400, 'INVALID_PARAMETER_VALUE', "'name' exceeds the maximum length of 500 characters"),
    ('POST', 'runs/log-batch', '{"run_id": "{run}", "metrics": ' + str([{"key": "m", "value": 1, "timestamp": 1}] * 1001).replace("'", '"') + '}', 400, 'INVALID_PARAMETER_VALUE', 'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.'),
]


def case_id(case):
    method, path, body = case[0], case[1], case[2]
    text = body if isinstance(body, str) else "101 run_ids"
    return f"{method} {path} {text}"[:90]


@pytest.fixture(scope="module")
def ids(rest):
    exp = rest.ok("POST", "experiments/create", {"name": f"compat-errors-{id(rest)}"})["experiment_id"]
    run = rest.ok("POST", "runs/create", {"experiment_id": exp})["run"]["info"]["run_id"]
    model = f"compat-errors-model-{exp}"
    rest.ok("POST", "registered-models/create", {"name": model})
    rest.ok("POST", "model-versions/create", {"name": model, "source": "s3://bucket/model"})
    return run, exp, model


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_error_message_matches_the_reference(rest, ids, check_error, case):
    method, path, body, status, code, message = case
    run, exp, model = ids
    if isinstance(body, str):
        fields = json.loads(body.replace("{run}", run).replace("{exp}", exp).replace("{model}", model))
    else:
        fields = body(run, exp)
    if method == "GET":
        response = rest.get(path, params=fields)
    else:
        response = rest.post(path, fields)
    expected = message.replace("{run}", run).replace("{exp}", exp).replace("{model}", model)
    assert check_error(response, status, code)["message"] == expected
