"""MLflow UI artifact endpoints: /get-artifact, upload-artifact, logged-model and model-version
files, and artifacts/list, with the reference server's content types, listings and errors."""

import pytest

PROXY = "/api/2.0/mlflow-artifacts/artifacts"
UPLOAD = "/ajax-api/2.0/mlflow/upload-artifact"

FILES = {
    "MLmodel": (b"flavors: {}\n", "text/plain"),
    "MLproject": (b"name: p\n", "application/octet-stream"),
    "mlproject": (b"name: q\n", "text/plain"),
    "a.json": (b"{}", "text/plain"),
    "conda.yaml": (b"name: x\n", "text/plain"),
    "data.csv": (b"a,b\n", "text/plain"),
    "UP.TXT": (b"x", "text/plain"),
    "img.png": (b"\x89PNG\r\n", "image/png"),
    "d.pdf": (b"%PDF-1.4", "application/pdf"),
    "p.html": (b"<b>x</b>", "text/html"),
    "x.bin": (b"\x00\x01\x02", "application/octet-stream"),
    "model.skops": (b"\x00skops", "application/octet-stream"),
    "mlmodel": (b"lower", "application/octet-stream"),
    "sub/r.txt": (b"nested", "text/plain"),
    "name with space.csv": (b"1,2", "text/plain"),
}


@pytest.fixture
def run_with_files(rest, experiment_id):
    run = rest.ok("POST", "runs/create", {"experiment_id": experiment_id})["run"]["info"]
    prefix = f"{PROXY}/{experiment_id}/{run['run_id']}/artifacts"
    for name, (data, _) in FILES.items():
        assert rest.request("PUT", f"{prefix}/{name}", data=data).status_code == 200
    return run


def proxied(run, path: str) -> str:
    return f"{run['experiment_id']}/{run['run_id']}/artifacts/{path}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_get_artifact_content_type_and_body(rest, run_with_files, name):
    data, content_type = FILES[name]
    for key in ("run_id", "run_uuid"):
        r = rest.get("/get-artifact", params={key: run_with_files["run_id"], "path": name})
        assert r.status_code == 200, r.text
        assert r.content == data
        assert r.headers["content-type"] == content_type
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-disposition"].startswith("attachment; filename=")


def test_proxy_download_uses_the_same_content_types(rest, run_with_files):
    for name in ("MLmodel", "a.json", "img.png", "d.pdf", "model.skops"):
        r = rest.get(f"{PROXY}/{proxied(run_with_files, name)}")
        assert (r.status_code, r.headers["content-type"]) == (200, FILES[name][1])


def test_content_disposition_quotes_names_that_are_not_tokens(rest, run_with_files):
    run_id = run_with_files["run_id"]
    r = rest.get("/get-artifact", params={"run_id": run_id, "path": "sub/r.txt"})
    assert r.headers["content-disposition"] == "attachment; filename=r.txt"
    r = rest.get("/get-artifact", params={"run_id": run_id, "path": "name with space.csv"})
    assert r.headers["content-disposition"] == 'attachment; filename="name with space.csv"'


def test_get_artifact_errors(rest, run_with_files, check_error):
    run_id = run_with_files["run_id"]
    r = rest.get("/get-artifact", params={"run_id": run_id, "path": "missing.txt"})
    check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")
    assert r.json()["message"] == f"No such artifact: '{proxied(run_with_files, 'missing.txt')}'"
    r = rest.get("/get-artifact", params={"run_id": run_id, "path": "sub"})
    check_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert r.json()["message"] == (
        f"Artifact path refers to a directory, not a file: '{proxied(run_with_files, 'sub')}'"
    )
    for bad in ("../x", "/etc/passwd", "sub/../a.json", "%2e%2e/x"):
        r = rest.get("/get-artifact", params={"run_id": run_id, "path": bad})
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == "Invalid path"
    r = rest.get("/get-artifact", params={"run_id": "0" * 32, "path": "a.json"})
    assert check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")["message"] == f"Run with id={'0' * 32} not found"
    assert rest.get("/get-artifact", params={"run_id": run_id}).status_code == 400


def test_upload_artifact_round_trip(rest, run_with_files, artifacts_dir):
    run_id = run_with_files["run_id"]
    r = rest.request("POST", UPLOAD, params={"run_uuid": run_id, "path": "up/notes.txt"}, data=b"uploaded")
    assert (r.status_code, r.content) == (200, b"")
    on_disk = artifacts_dir / proxied(run_with_files, "up/notes.txt")
    assert on_disk.read_bytes() == b"uploaded"
    r = rest.get("/get-artifact", params={"run_id": run_id, "path": "up/notes.txt"})
    assert (r.content, r.headers["content-type"]) == (b"uploaded", "text/plain")


def test_upload_artifact_errors(rest, run_with_files, check_error):
    run_id = run_with_files["run_id"]
    cases = [
        ({"path": "u.txt"}, b"x", "Request must specify run_uuid."),
        ({"run_id": run_id, "path": "u.txt"}, b"x", "Request must specify run_uuid."),
        ({"run_uuid": run_id}, b"x", "Request must specify path."),
        ({"run_uuid": run_id, "path": "u.txt"}, b"", "Request must specify data."),
        ({"run_uuid": run_id, "path": "../u.txt"}, b"x", "Invalid path"),
        ({"run_uuid": run_id, "path": "big.bin"}, b"x" * (10 * 1024 * 1024 + 1), "Artifact size is too large. Max size is 10MB."),
    ]
    for params, data, message in cases:
        r = rest.request("POST", UPLOAD, params=params, data=data)
        assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == message, params
    r = rest.request("POST", UPLOAD, params={"run_uuid": "nope", "path": "u.txt"}, data=b"x")
    assert check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")["message"] == "Run with id=nope not found"


def test_artifacts_list_fills_files_as_mlflow(rest, run_with_files):
    run_id = run_with_files["run_id"]
    root = f"mlflow-artifacts:/{run_with_files['experiment_id']}/{run_id}/artifacts"
    top = rest.ok("GET", "artifacts/list", params={"run_id": run_id})
    assert top["root_uri"] == root
    by_path = {f["path"]: f for f in top["files"]}
    assert by_path["sub"] == {"path": "sub", "is_dir": True}
    assert by_path["MLmodel"] == {"path": "MLmodel", "is_dir": False, "file_size": len(FILES["MLmodel"][0])}
    assert set(by_path) == {name.split("/")[0] for name in FILES}
    for path in ("sub", "sub/"):
        nested = rest.ok("GET", "/ajax-api/2.0/mlflow/artifacts/list", params={"run_uuid": run_id, "path": path})
        assert nested == {"root_uri": root, "files": [{"path": "sub/r.txt", "is_dir": False, "file_size": 6}]}
    for path in ("a.json", "nope"):
        assert rest.ok("GET", "artifacts/list", params={"run_id": run_id, "path": path}) == {"root_uri": root}


@pytest.fixture
def logged_model(rest, experiment_id):
    model = rest.ok("POST", "logged-models", {"experiment_id": experiment_id})["model"]["info"]
    prefix = f"{PROXY}/{experiment_id}/models/{model['model_id']}/artifacts"
    for name, data in (("MLmodel", b"artifact_path: x\n"), ("sub/w.bin", b"\x00\x01")):
        assert rest.request("PUT", f"{prefix}/{name}", data=data).status_code == 200
    return model


def test_logged_model_files_and_listing(rest, logged_model, check_error):
    mid = logged_model["model_id"]
    files = f"/ajax-api/2.0/mlflow/logged-models/{mid}/artifacts/files"
    r = rest.get(files, params={"artifact_file_path": "MLmodel"})
    assert (r.status_code, r.content, r.headers["content-type"]) == (200, b"artifact_path: x\n", "text/plain")
    r = rest.get(files, params={"artifact_file_path": "sub/w.bin"})
    assert (r.content, r.headers["content-type"]) == (b"\x00\x01", "application/octet-stream")
    base = f"{logged_model['experiment_id']}/models/{mid}/artifacts"
    r = rest.get(files)
    assert check_error(r, 400, "BAD_REQUEST")["message"] == (
        'Request must include the "artifact_file_path" query parameter.'
    )
    r = rest.get(files, params={"artifact_file_path": "nope"})
    assert check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")["message"] == f"No such artifact: '{base}/nope'"
    r = rest.get(files, params={"artifact_file_path": "../x"})
    assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == "Invalid path"
    r = rest.get("/ajax-api/2.0/mlflow/logged-models/m-nope/artifacts/files", params={"artifact_file_path": "MLmodel"})
    assert check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")["message"] == "Logged model with ID 'm-nope' not found."

    listing = rest.ok("GET", f"logged-models/{mid}/artifacts/directories")
    assert listing == {
        "root_uri": logged_model["artifact_uri"],
        "files": [{"path": "MLmodel", "is_dir": False, "file_size": 17}, {"path": "sub", "is_dir": True}],
    }
    sub = rest.ok("GET", f"logged-models/{mid}/artifacts/directories", params={"artifact_directory_path": "sub"})
    assert sub["files"] == [{"path": "sub/w.bin", "is_dir": False, "file_size": 2}]


def test_model_version_get_artifact(rest, logged_model, unique, check_error):
    name = unique("mv")
    rest.ok("POST", "registered-models/create", {"name": name})
    mid = logged_model["model_id"]
    rest.ok("POST", "model-versions/create", {"name": name, "source": f"models:/{mid}", "model_id": mid})
    r = rest.get("/model-versions/get-artifact", params={"name": name, "version": "1", "path": "MLmodel"})
    assert (r.status_code, r.content, r.headers["content-type"]) == (200, b"artifact_path: x\n", "text/plain")
    r = rest.get("/model-versions/get-artifact", params={"name": name, "version": "1", "path": "../MLmodel"})
    assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == "Invalid path"
    r = rest.get("/model-versions/get-artifact", params={"name": name, "version": "9", "path": "MLmodel"})
    assert check_error(r, 404, "RESOURCE_DOES_NOT_EXIST")["message"] == (
        f"Model Version (name={name}, version=9) not found"
    )
    r = rest.get("/model-versions/get-artifact", params={"version": "1", "path": "MLmodel"})
    assert check_error(r, 400, "INVALID_PARAMETER_VALUE")["message"] == "Missing value for required parameter 'name'."
