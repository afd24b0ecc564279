"""Writes a real MLflow installation for test_import_mlflow.py and dumps what it recorded.

Run with the full ``mlflow`` package (SQLAlchemy, scikit-learn):

    python mlflow_import_generator.py TRACKING_URI EXPECTED_JSON

TRACKING_URI is ``sqlite:///…/mlflow.db`` or ``file:…/mlruns``; artifacts go to ./mlruns below
the working directory. The JSON lists experiments, runs (params, tags, full metric histories),
logged models and registered models as MLflow itself reads them back.
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
# MLflow 3 refuses the file store unless told that it is still wanted.
os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
warnings.filterwarnings("ignore")

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

MAX = 1.7976931348623157e308


def as_logged(value: float) -> float:
    """MLflow's SQL store keeps infinities as the largest double; the import gives them back."""
    if value == MAX:
        return math.inf
    if value == -MAX:
        return -math.inf
    return value


def main(uri: str, out: str) -> None:
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(uri)
    model_name = "imported-model"

    exp_a = mlflow.create_experiment("import-a", tags={"team": "vision", "note": "kept"})
    exp_b = mlflow.create_experiment("import-deleted")
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 3.0, 5.0, 7.0])
    frame = pd.DataFrame({"x": x[:, 0], "y": y})

    with mlflow.start_run(experiment_id=exp_a, run_name="trained") as run:
        trained = run.info.run_id
        mlflow.log_params({"alpha": "0.5", "layers": "3", "optimizer": "adam"})
        mlflow.set_tags({"stage": "dev", "owner": "ci"})
        for step in range(60):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=1_700_000_000_000 + step)
        mlflow.log_metric("odd", float("nan"), step=0, timestamp=1_700_000_000_000)
        mlflow.log_metric("odd", float("inf"), step=1, timestamp=1_700_000_000_001)
        mlflow.log_metric("odd", float("-inf"), step=2, timestamp=1_700_000_000_002)
        mlflow.log_metric("odd", 2.5, step=2, timestamp=1_700_000_000_000)
        dataset = mlflow.data.from_pandas(frame, name="train-frame", targets="y")
        mlflow.log_input(dataset, context="training")
        model = LinearRegression().fit(x, y)
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=model_name)
        logged_model_id = info.model_id

    with mlflow.start_run(experiment_id=exp_a, run_name="second") as run:
        second = run.info.run_id
        mlflow.log_param("alpha", "0.9")
        mlflow.log_metric("loss", 0.25, step=3)
        mlflow.sklearn.log_model(LinearRegression().fit(x, 2 * y), name="model")

    # A trace: a table Cairn does not model, which the import reports as skipped.
    mlflow.set_experiment(experiment_id=exp_a)
    with mlflow.start_span("predict") as span:
        span.set_inputs({"x": 1})

    with mlflow.start_run(experiment_id=exp_a, run_name="thrown-away") as run:
        deleted_run = run.info.run_id
        mlflow.log_param("p", "1")
    client.delete_run(deleted_run)

    with mlflow.start_run(experiment_id=exp_b, run_name="in-deleted") as run:
        mlflow.log_metric("m", 1.0)
    client.delete_experiment(exp_b)

    v2 = mlflow.register_model(f"runs:/{second}/model", model_name)
    v3 = mlflow.register_model(f"runs:/{second}/model", model_name)
    client.delete_model_version(model_name, v3.version)
    client.set_registered_model_tag(model_name, "domain", "tabular")
    client.set_model_version_tag(model_name, "1", "validated", "yes")
    client.set_registered_model_alias(model_name, "champion", "1")
    client.transition_model_version_stage(model_name, v2.version, "Production")

    experiments = []
    for e in client.search_experiments(view_type=mlflow.entities.ViewType.ALL):
        experiments.append(
            {"id": e.experiment_id, "name": e.name, "stage": e.lifecycle_stage, "tags": dict(e.tags)}
        )
    runs = []
    for exp in experiments:
        for r in client.search_runs([exp["id"]], run_view_type=mlflow.entities.ViewType.ALL):
            history = {}
            for key in r.data.metrics:
                points = client.get_metric_history(r.info.run_id, key)
                history[key] = sorted(
                    [p.step, p.timestamp, as_logged(p.value)] for p in points
                )
            runs.append(
                {
                    "id": r.info.run_id,
                    "experiment_id": r.info.experiment_id,
                    "name": r.info.run_name,
                    "status": r.info.status,
                    "stage": r.info.lifecycle_stage,
                    "params": dict(r.data.params),
                    "tags": {k: v for k, v in r.data.tags.items()},
                    "metrics": history,
                    "datasets": [
                        {"name": i.dataset.name, "digest": i.dataset.digest}
                        for i in (r.inputs.dataset_inputs if r.inputs else [])
                    ],
                }
            )
    versions = []
    for v in client.search_model_versions(f"name = '{model_name}'"):
        versions.append(
            {
                "version": v.version,
                "stage": v.current_stage,
                "source": v.source,
                "run_id": v.run_id,
                "model_id": getattr(v, "model_id", None),
                "tags": dict(v.tags),
            }
        )
    registered = client.get_registered_model(model_name)
    expected = {
        "experiments": experiments,
        "runs": runs,
        "trained_run": trained,
        "second_run": second,
        "deleted_run": deleted_run,
        "deleted_experiment": exp_b,
        "logged_model_id": logged_model_id,
        "model": {
            "name": model_name,
            "tags": dict(registered.tags),
            "aliases": dict(registered.aliases),
            "versions": sorted(versions, key=lambda v: int(v["version"])),
        },
        "sample_input": x.tolist(),
        "predictions": {"trained": model.predict(x).tolist()},
    }
    with open(out, "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
