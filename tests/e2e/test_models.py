"""Logged models: sklearn log_model, loading through runs:/ and models:/ URIs, the logged-model API."""

import json
import re
import uuid

import mlflow
import numpy as np
import pandas as pd
import pytest
import yaml
from mlflow.entities import LoggedModelStatus
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

MODEL_FILES = {
    "MLmodel",
    "model.skops",
    "conda.yaml",
    "python_env.yaml",
    "requirements.txt",
    "input_example.json",
    "serving_input_example.json",
}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    features = pd.DataFrame({"x1": rng.normal(size=60), "x2": rng.normal(size=60)})
    target = (features["x1"] + 0.5 * features["x2"] > 0).astype(int)
    return features, target


@pytest.fixture(scope="module")
def logged(server, data):
    """A LogisticRegression logged with mlflow.sklearn.log_model inside a run."""
    features, target = data
    model = LogisticRegression().fit(features, target)
    experiment = mlflow.set_experiment(f"models-{uuid.uuid4().hex[:8]}")
    with mlflow.start_run() as run:
        mlflow.log_param("C", 1.0)
        mlflow.log_metric("acc", 0.95)
        info = mlflow.sklearn.log_model(model, name="model", input_example=features.iloc[:2])
    return {
        "experiment_id": experiment.experiment_id,
        "run_id": run.info.run_id,
        "info": info,
        "model": model,
        "expected": model.predict(features),
    }


def test_model_info(logged):
    info = logged["info"]
    assert re.fullmatch(r"m-[0-9a-f]{32}", info.model_id)
    assert info.model_uri == f"models:/{info.model_id}"
    assert info.run_id == logged["run_id"]
    assert {"sklearn", "python_function"} <= set(info.flavors)


def test_model_files_land_in_artifacts_destination(logged, artifacts_dir):
    model_id = logged["info"].model_id
    model_dir = artifacts_dir / logged["experiment_id"] / "models" / model_id / "artifacts"
    assert MODEL_FILES <= {p.name for p in model_dir.iterdir()}
    mlmodel = yaml.safe_load((model_dir / "MLmodel").read_text())
    assert mlmodel["model_id"] == model_id
    assert mlmodel["run_id"] == logged["run_id"]
    assert mlmodel["artifact_path"] == (
        f"mlflow-artifacts:/{logged['experiment_id']}/models/{model_id}/artifacts"
    )
    example = json.loads((model_dir / "input_example.json").read_text())
    assert example["columns"] == ["x1", "x2"]


def test_logged_model_entity(logged, client):
    model_id = logged["info"].model_id
    model = client.get_logged_model(model_id)
    assert model.model_id == model_id
    assert model.name == "model"
    assert model.experiment_id == logged["experiment_id"]
    assert model.source_run_id == logged["run_id"]
    assert model.status == LoggedModelStatus.READY
    assert model.artifact_location == (
        f"mlflow-artifacts:/{logged['experiment_id']}/models/{model_id}/artifacts"
    )
    assert model.params == {"C": "1.0"}
    assert model.creation_timestamp > 0
    assert model.last_updated_timestamp >= model.creation_timestamp
    metrics = {m.key: m for m in model.metrics or []}
    assert metrics["acc"].value == 0.95
    assert metrics["acc"].model_id == model_id
    assert metrics["acc"].run_id == logged["run_id"]


def test_run_records_model_output(logged, client):
    run = client.get_run(logged["run_id"])
    outputs = run.outputs.model_outputs
    assert [(o.model_id, o.step) for o in outputs] == [(logged["info"].model_id, 0)]


def test_model_artifacts_are_listed(logged, client):
    files = client.list_logged_model_artifacts(logged["info"].model_id)
    assert MODEL_FILES <= {f.path for f in files}


@pytest.mark.parametrize("uri_kind", ["runs", "models"])
def test_load_model_predictions_match(logged, data, uri_kind):
    features, _ = data
    if uri_kind == "runs":
        uri = f"runs:/{logged['run_id']}/model"
    else:
        uri = f"models:/{logged['info'].model_id}"
    pyfunc_model = mlflow.pyfunc.load_model(uri)
    assert list(pyfunc_model.predict(features)) == list(logged["expected"])
    sk_model = mlflow.sklearn.load_model(uri)
    assert isinstance(sk_model, LogisticRegression)
    assert list(sk_model.predict(features)) == list(logged["expected"])
    np.testing.assert_allclose(sk_model.coef_, logged["model"].coef_)


def test_search_logged_models(logged, client):
    found = client.search_logged_models(
        experiment_ids=[logged["experiment_id"]], filter_string="name = 'model'"
    )
    assert [m.model_id for m in found] == [logged["info"].model_id]
    assert client.search_logged_models(
        experiment_ids=[logged["experiment_id"]], filter_string="name = 'other'"
    ) == []


def test_create_finalize_tag_and_delete_logged_model(client, experiment_id):
    created = client.create_logged_model(
        experiment_id, name="manual", params={"depth": "3"}, tags={"team": "a"}, model_type="tree"
    )
    assert created.status == LoggedModelStatus.PENDING
    assert created.name == "manual"
    assert created.model_type == "tree"
    assert created.params == {"depth": "3"}
    assert created.tags["team"] == "a"

    ready = client.finalize_logged_model(created.model_id, LoggedModelStatus.READY)
    assert ready.status == LoggedModelStatus.READY

    client.set_logged_model_tags(created.model_id, {"team": "b", "extra": "1"})
    tags = client.get_logged_model(created.model_id).tags
    assert tags["team"] == "b" and tags["extra"] == "1"
    client.delete_logged_model_tag(created.model_id, "extra")
    assert "extra" not in client.get_logged_model(created.model_id).tags

    found = client.search_logged_models(experiment_ids=[experiment_id])
    assert [m.model_id for m in found] == [created.model_id]

    client.delete_logged_model(created.model_id)
    with pytest.raises(MlflowException) as err:
        client.get_logged_model(created.model_id)
    assert err.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.search_logged_models(experiment_ids=[experiment_id]) == []


def test_unknown_logged_model(client):
    with pytest.raises(MlflowException) as err:
        client.get_logged_model(f"m-{uuid.uuid4().hex}")
    assert err.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_cairn_predict_resolves_runs_uri_of_an_mlflow3_model(logged, data, server, cairn_bin, tmp_path):
    """`runs:/<run>/model` names the logged model the run produced (MLflow 3 keeps it outside the run's
    artifacts), as the mlflow client resolves it."""
    import subprocess
    import sys

    features, _ = data
    source = tmp_path / "x.csv"
    features.to_csv(source, index=False)
    target = tmp_path / "y.csv"
    out = subprocess.run(
        [cairn_bin, "predict", f"runs:/{logged['run_id']}/model", "--input", str(source), "--output", str(target),
         "--tracking-uri", server.url, "--python", sys.executable, "--cache", str(tmp_path / "cache"), "--quiet"],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert list(pd.read_csv(target)["prediction"]) == list(logged["expected"])
