"""The calls MLflow's web UI makes besides the REST API: the GraphQL run and experiment queries
(MLflow's response shape, int64 as strings, __typename on objects) and the feature probes that
answer "off" (gateway, telemetry, assistant, trace metrics)."""

import pytest

RUN_QUERY = """
query GetRun($data: MlflowGetRunInput!) @component(name: "MLflow.ExperimentRunTracking") {
  mlflowGetRun(input: $data) {
    apiError { helpUrl code message __typename }
    run {
      info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId __typename }
      experiment { experimentId name tags { key value __typename } artifactLocation lifecycleStage __typename }
      modelVersions { status version name source __typename }
      data {
        metrics { key value step timestamp __typename }
        params { key value __typename }
        tags { key value __typename }
        __typename
      }
      inputs {
        datasetInputs {
          dataset { digest name profile schema source sourceType __typename }
          tags { key value __typename }
          __typename
        }
        modelInputs { modelId __typename }
        __typename
      }
      outputs { modelOutputs { modelId step __typename } __typename }
      __typename
    }
    __typename
  }
}
"""

EXPERIMENT_QUERY = """
query MlflowGetExperimentQuery($input: MlflowGetExperimentInput!) @component(name: "MLflow.ExperimentRunTracking") {
  mlflowGetExperiment(input: $input) {
    apiError { code message __typename }
    experiment {
      artifactLocation creationTime experimentId lastUpdateTime lifecycleStage name
      tags { key value __typename }
      __typename
    }
    __typename
  }
}
"""


@pytest.fixture
def run_for_graphql(rest, unique):
    exp = rest.ok("POST", "experiments/create", {"name": unique("gql"), "tags": [{"key": "t", "value": "v"}]})
    run = rest.ok("POST", "runs/create", {"experiment_id": exp["experiment_id"], "run_name": "r1", "start_time": 123})
    run_id = run["run"]["info"]["run_id"]
    metrics = [
        {"key": "m", "value": 1.5, "timestamp": 10, "step": 2},
        {"key": "n", "value": "NaN", "timestamp": 10, "step": 2},
    ]
    rest.ok("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": [{"key": "p", "value": "1"}]})
    dataset = {"name": "d", "digest": "x", "source_type": "local", "source": "{}"}
    tags = [{"key": "mlflow.data.context", "value": "training"}]
    rest.ok("POST", "runs/log-inputs", {"run_id": run_id, "datasets": [{"tags": tags, "dataset": dataset}]})
    return exp["experiment_id"], run_id


def graphql(rest, name, query, variables):
    response = rest.post("/graphql", {"operationName": name, "variables": variables, "query": query})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_get_run_query(rest, run_for_graphql):
    exp_id, run_id = run_for_graphql
    body = graphql(rest, "GetRun", RUN_QUERY, {"data": {"runId": run_id}})
    assert body["errors"] is None
    result = body["data"]["mlflowGetRun"]
    assert result["__typename"] == "MlflowGetRunResponse" and result["apiError"] is None
    run = result["run"]
    assert run["__typename"] == "MlflowRunExtension"
    info = run["info"]
    assert info["__typename"] == "MlflowRunInfo"
    assert (info["runUuid"], info["runName"], info["experimentId"]) == (run_id, "r1", exp_id)
    assert (info["status"], info["startTime"], info["endTime"], info["lifecycleStage"]) == (
        "RUNNING", "123", "0", "active")
    assert run["experiment"]["experimentId"] == exp_id
    assert run["experiment"]["tags"] == [{"__typename": "MlflowExperimentTag", "key": "t", "value": "v"}]
    metrics = {m["key"]: m for m in run["data"]["metrics"]}
    assert metrics["m"] == {"__typename": "MlflowMetricExtension", "key": "m", "value": 1.5, "step": "2",
                            "timestamp": "10"}
    assert metrics["n"]["value"] is None
    assert run["data"]["params"] == [{"__typename": "MlflowParam", "key": "p", "value": "1"}]
    [dataset_input] = run["inputs"]["datasetInputs"]
    assert dataset_input["dataset"] == {
        "__typename": "MlflowDataset", "digest": "x", "name": "d", "profile": "", "schema": "", "source": "{}",
        "sourceType": "local"}
    assert dataset_input["tags"] == [{"__typename": "MlflowInputTag", "key": "mlflow.data.context",
                                      "value": "training"}]
    assert run["inputs"]["modelInputs"] == [] and run["outputs"]["modelOutputs"] == []
    assert run["modelVersions"] == []


def test_get_experiment_query(rest, run_for_graphql):
    exp_id, _ = run_for_graphql
    body = graphql(rest, "MlflowGetExperimentQuery", EXPERIMENT_QUERY, {"input": {"experimentId": exp_id}})
    assert body["errors"] is None
    experiment = body["data"]["mlflowGetExperiment"]["experiment"]
    assert experiment["__typename"] == "MlflowExperiment"
    assert experiment["experimentId"] == exp_id
    assert experiment["creationTime"].isdigit() and experiment["lastUpdateTime"].isdigit()
    assert experiment["artifactLocation"] == f"mlflow-artifacts:/{exp_id}"


def test_graphql_errors_for_missing_objects(rest):
    body = graphql(rest, "GetRun", RUN_QUERY, {"data": {"runId": "nope"}})
    assert body == {"data": {"mlflowGetRun": None}, "errors": ["Run with id=nope not found"]}
    body = graphql(rest, "MlflowGetExperimentQuery", EXPERIMENT_QUERY, {"input": {"experimentId": "99999"}})
    assert body == {"data": {"mlflowGetExperiment": None}, "errors": ["No Experiment with id=99999 exists"]}


def test_disabled_feature_probes(rest):
    assert rest.ok("GET", "/ajax-api/2.0/mlflow/gateway-proxy") == {"endpoints": []}
    telemetry = rest.ok("GET", "/ajax-api/3.0/mlflow/ui-telemetry")
    assert telemetry["disable_ui_telemetry"] is True
    config = rest.ok("GET", "/ajax-api/3.0/mlflow/assistant/config")
    assert config["providers"] == {} and config["remote_access_allowed"] is False
    # Which providers the reference lists depends on the tools installed on its machine.
    assert isinstance(rest.ok("GET", "/ajax-api/3.0/mlflow/assistant/providers")["providers"], list)
    r = rest.post("/ajax-api/3.0/mlflow/traces/metrics", {})
    assert r.status_code == 400 and r.json()["error_code"] == "INVALID_PARAMETER_VALUE"
