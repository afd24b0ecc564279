"""Experiment artifact locations, model version sources and logged-model search, compared with
MLflow 3.17.2: what is accepted, what is refused and with which message, and the exact order."""

import os
import time

import pytest

LOCAL = (
    "To use a local path as a model version source, the run_id request parameter has to be specified and the "
    "local path has to be contained within the artifact directory of the run specified by the run_id."
)


def test_relative_artifact_location_is_made_absolute(rest, server, unique):
    cwd = os.path.realpath(server.workdir)
    cases = {
        "rel/dir": f"{cwd}/rel/dir",
        "./rel2": f"{cwd}/rel2",
        "rel3/": f"{cwd}/rel3",
        "file:rel4": f"file://{cwd}/rel4",
        "/abs/x": "/abs/x",
        "s3://bucket/p": "s3://bucket/p",
        "mlflow-artifacts:/custom": "mlflow-artifacts:/custom",
    }
    for given, expected in cases.items():
        exp = rest.ok("POST", "experiments/create", {"name": unique("loc"), "artifact_location": given})
        got = rest.ok("GET", "experiments/get", params={"experiment_id": exp["experiment_id"]})
        assert got["experiment"]["artifact_location"] == expected, given


def test_host_addressed_artifact_location_is_refused(rest, unique, check_error):
    for location in ("mlflow-artifacts://127.0.0.1/hosted", "http://example.com/artifacts"):
        scheme = location.split(":")[0]
        r = rest.post("experiments/create", {"name": unique("host"), "artifact_location": location})
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == (
            f"'artifact_location' cannot use the '{scheme}' scheme: the '{scheme}' scheme addresses a host other "
            "than the tracking server's configured artifact storage, so the server would connect to the host named "
            "in the URI. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on the server "
            "to allow it."
        )


@pytest.fixture
def registry(rest, experiment_id, unique):
    name = unique("reg")
    rest.ok("POST", "registered-models/create", {"name": name})
    run = rest.ok("POST", "runs/create", {"experiment_id": experiment_id})["run"]["info"]
    model = rest.ok("POST", "logged-models", {"experiment_id": experiment_id, "source_run_id": run["run_id"]})
    return name, run, model["model"]["info"]


def create_version(rest, name, **fields):
    return rest.post("model-versions/create", {"name": name, **fields})


def test_model_versions_accepted_as_the_reference_accepts(rest, registry):
    name, run, model = registry
    mid, rid = model["model_id"], run["run_id"]
    accepted = [
        ({"source": f"models:/{mid}", "model_id": mid}, rid),
        ({"source": "s3://bucket/model", "model_id": mid}, rid),
        ({"source": f"runs:/{rid}/model", "run_id": rid}, rid),
        ({"source": run["artifact_uri"] + "/model", "run_id": rid}, rid),
        ({"source": model["artifact_uri"] + "/MLmodel", "model_id": mid}, rid),
        ({"source": "s3://bucket/other"}, None),
    ]
    for fields, run_id in accepted:
        r = create_version(rest, name, **fields)
        assert r.status_code == 200, (fields, r.text)
        version = r.json()["model_version"]
        assert version["source"] == fields["source"]
        assert (version.get("run_id") or None) == run_id, fields


def test_model_versions_refused_with_the_reference_messages(rest, registry, check_error):
    name, run, model = registry
    mid, rid = model["model_id"], run["run_id"]
    contains = "request parameter must identify the resource that contains the source."
    refused = [
        ({"source": "file:///tmp/x"}, f"Invalid model version source: 'file:///tmp/x'. {LOCAL}"),
        ({"source": "file:///tmp/x", "run_id": rid}, f"Invalid model version source: '/tmp/x'. {LOCAL}"),
        ({"source": "/tmp/x"}, f"Invalid model version source: '/tmp/x'. {LOCAL}"),
        ({"source": f"models:/{mid}"}, f"Invalid model version source: 'models:/{mid}'. The model_id {contains}"),
        (
            {"source": "models:/m-0123", "model_id": mid},
            f"Invalid model version source: 'models:/m-0123'. The model_id {contains}",
        ),
        (
            {"source": f"runs:/{'0' * 32}/model", "run_id": rid},
            f"Invalid model version source: 'runs:/{'0' * 32}/model'. The run_id {contains}",
        ),
        (
            {"source": f"runs:/{rid}/model", "model_id": mid},
            f"Invalid model version source: 'runs:/{rid}/model'. The model_id {contains}",
        ),
        (
            {"source": f"mlflow-artifacts:/0/{'0' * 32}/artifacts/model", "run_id": rid},
            f"Invalid model version source: 'mlflow-artifacts:/0/{'0' * 32}/artifacts/model'. The run_id {contains}",
        ),
        (
            {"source": "s3://bucket"},
            "Invalid model version source: 's3://bucket'. If supplying a source as an http, https, local file path, "
            "ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path "
            "references present. Please provide an absolute path.",
        ),
        (
            {"source": "http://example.com/model"},
            "'source' cannot use the 'http' scheme: the 'http' scheme addresses a host other than the tracking "
            "server's configured artifact storage, so the server would connect to the host named in the URI. Set "
            "the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on the server to allow it.",
        ),
    ]
    for fields, message in refused:
        r = create_version(rest, name, **fields)
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == message, fields


def test_local_source_inside_a_local_run_root_is_accepted(rest, unique, tmp_path, check_error):
    root = f"file://{tmp_path}/local-root"
    exp = rest.ok("POST", "experiments/create", {"name": unique("local"), "artifact_location": root})
    run = rest.ok("POST", "runs/create", {"experiment_id": exp["experiment_id"]})["run"]["info"]
    assert run["artifact_uri"] == f"{root}/{run['run_id']}/artifacts"
    name = unique("local-model")
    rest.ok("POST", "registered-models/create", {"name": name})
    for source in (run["artifact_uri"] + "/model", f"{tmp_path}/local-root/{run['run_id']}/artifacts/model"):
        r = create_version(rest, name, source=source, run_id=run["run_id"])
        assert r.status_code == 200, r.text
        assert r.json()["model_version"]["source"] == source
    outside = f"{tmp_path}/local-root/other/model"
    r = create_version(rest, name, source=outside, run_id=run["run_id"])
    assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == (
        f"Invalid model version source: '{outside}'. {LOCAL}"
    )


def test_logged_model_accepts_any_source_run_id(rest, experiment_id):
    model = rest.ok("POST", "logged-models", {"experiment_id": experiment_id, "source_run_id": "doesnotexist"})
    info = model["model"]["info"]
    assert info["source_run_id"] == "doesnotexist"
    assert info["status"] == "LOGGED_MODEL_PENDING"


@pytest.fixture
def models(rest, experiment_id):
    created = []
    for i, name in enumerate(["b", "a", "b", "c", "a", "b"]):
        body = {"experiment_id": experiment_id, "name": name}
        created.append(rest.ok("POST", "logged-models", body)["model"]["info"])
        if i in (1, 3):
            time.sleep(0.01)
    for model, value in zip(created, [3.0, 1.0, None, 2.0, 1.0, None]):
        if value is not None:
            metric = {"key": "acc", "value": value, "timestamp": 1, "step": 0, "model_id": model["model_id"]}
            run = rest.ok("POST", "runs/create", {"experiment_id": experiment_id})["run"]["info"]["run_id"]
            rest.ok("POST", "runs/log-batch", {"run_id": run, "metrics": [metric]})
    return created


def search(rest, experiment_id, **fields):
    ids, token = [], None
    while True:
        body = {"experiment_ids": [experiment_id], **fields}
        if token:
            body["page_token"] = token
        page = rest.ok("POST", "logged-models/search", body)
        ids += [m["info"]["model_id"] for m in page.get("models", [])]
        token = page.get("next_page_token")
        if not token:
            return ids


def test_logged_model_search_orders_and_pages_like_the_reference(rest, experiment_id, models):
    by_creation = sorted(models, key=lambda m: m["model_id"])
    by_creation.sort(key=lambda m: m["creation_timestamp_ms"], reverse=True)
    default = [m["model_id"] for m in by_creation]
    assert search(rest, experiment_id) == default
    assert search(rest, experiment_id, max_results=2) == default
    assert search(rest, experiment_id, max_results=0) == default

    by_name = sorted(by_creation, key=lambda m: m["name"])
    assert search(rest, experiment_id, order_by=[{"field_name": "name"}], max_results=4) == [
        m["model_id"] for m in by_name
    ]
    oldest_first = sorted(models, key=lambda m: (m["creation_timestamp_ms"], m["model_id"]))
    ordered = search(rest, experiment_id, order_by=[{"field_name": "creation_timestamp", "ascending": True}])
    assert ordered == [m["model_id"] for m in oldest_first]

    values = {m["model_id"]: v for m, v in zip(models, [3.0, 1.0, None, 2.0, 1.0, None])}
    with_value = [m for m in by_creation if values[m["model_id"]] is not None]
    without = [m["model_id"] for m in by_creation if values[m["model_id"]] is None]
    descending = sorted(with_value, key=lambda m: values[m["model_id"]], reverse=True)
    got = search(rest, experiment_id, order_by=[{"field_name": "metrics.acc", "ascending": False}], max_results=3)
    assert got == [m["model_id"] for m in descending] + without


def test_logged_model_search_order_errors(rest, experiment_id, check_error):
    cases = [
        ("bogus", "Invalid order by field name: bogus"),
        ("params.x", "Invalid order by field name: params.x. Only metrics are supported."),
    ]
    for field, message in cases:
        r = rest.post("logged-models/search", {"experiment_ids": [experiment_id], "order_by": [{"field_name": field}]})
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == message
