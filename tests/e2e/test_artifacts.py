"""Artifacts through the proxy: upload, layout on disk, list, download, path safety."""

import hashlib
import json
import os
from pathlib import Path

import mlflow
import pytest
import yaml
from mlflow.artifacts import download_artifacts as fluent_download

PROXY = "/api/2.0/mlflow-artifacts/artifacts"


def run_dir(artifacts_dir: Path, run) -> Path:
    return artifacts_dir / run.info.experiment_id / run.info.run_id / "artifacts"


def tree(root: Path) -> dict:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_log_artifact_lands_under_destination(fluent_experiment, client, artifacts_dir, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_text("hello")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(src), artifact_path="docs/a")
        mlflow.log_artifact(str(src))
    on_disk = run_dir(artifacts_dir, run)
    assert (on_disk / "docs" / "a" / "hello.txt").read_text() == "hello"
    assert (on_disk / "hello.txt").read_text() == "hello"

    top = {f.path: f for f in client.list_artifacts(run.info.run_id)}
    assert set(top) == {"docs", "hello.txt"}
    assert top["docs"].is_dir and top["docs"].file_size is None
    assert not top["hello.txt"].is_dir and top["hello.txt"].file_size == 5
    [leaf] = client.list_artifacts(run.info.run_id, "docs/a")
    assert (leaf.path, leaf.is_dir, leaf.file_size) == ("docs/a/hello.txt", False, 5)

    local = client.download_artifacts(run.info.run_id, "docs/a/hello.txt", str(tmp_path / "dl"))
    assert Path(local).read_text() == "hello"


def test_log_artifacts_directory_round_trip(fluent_experiment, client, artifacts_dir, tmp_path):
    src = tmp_path / "src"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "a.csv").write_text("a,b\n1,2\n")
    (src / "sub" / "b.json").write_text('{"x": 1}')
    (src / "sub" / "deeper" / "c.bin").write_bytes(bytes(range(256)))
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(src), artifact_path="tree")
        mlflow.log_artifacts(str(src / "sub"))
    assert tree(run_dir(artifacts_dir, run) / "tree") == tree(src)
    assert tree(run_dir(artifacts_dir, run)) == {
        **{f"tree/{k}": v for k, v in tree(src).items()},
        **tree(src / "sub"),
    }

    listed = client.list_artifacts(run.info.run_id, "tree")
    assert [(f.path, f.is_dir) for f in listed] == [
        ("tree/a.csv", False),
        ("tree/sub", True),
    ]
    local = client.download_artifacts(run.info.run_id, "tree", str(tmp_path / "dl"))
    assert tree(Path(local)) == tree(src)
    via_uri = fluent_download(
        artifact_uri=f"runs:/{run.info.run_id}/tree/sub", dst_path=str(tmp_path / "dl2")
    )
    assert tree(Path(via_uri)) == tree(src / "sub")


def test_log_dict_load_dict_and_log_text(fluent_experiment, artifacts_dir):
    config = {"k": [1, 2], "nested": {"lr": 0.1}, "name": "ünïcode"}
    with mlflow.start_run() as run:
        mlflow.log_dict(config, "cfg/config.json")
        mlflow.log_dict(config, "cfg/config.yaml")
        mlflow.log_text("line one\nline two\n", "notes/readme.txt")
    base = f"runs:/{run.info.run_id}"
    assert mlflow.artifacts.load_dict(f"{base}/cfg/config.json") == config
    assert mlflow.artifacts.load_text(f"{base}/notes/readme.txt") == "line one\nline two\n"
    on_disk = run_dir(artifacts_dir, run)
    assert json.loads((on_disk / "cfg" / "config.json").read_text()) == config
    assert yaml.safe_load((on_disk / "cfg" / "config.yaml").read_text()) == config
    assert (on_disk / "notes" / "readme.txt").read_text() == "line one\nline two\n"


def test_multi_megabyte_artifact_is_byte_identical(fluent_experiment, client, artifacts_dir, rest, tmp_path):
    payload = os.urandom(12 * 1024 * 1024 + 123)
    src = tmp_path / "blob.bin"
    src.write_bytes(payload)
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(src), artifact_path="big")
    digest = hashlib.sha256(payload).hexdigest()
    stored = run_dir(artifacts_dir, run) / "big" / "blob.bin"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest

    [info] = client.list_artifacts(run.info.run_id, "big")
    assert info.file_size == len(payload)
    local = client.download_artifacts(run.info.run_id, "big/blob.bin", str(tmp_path / "dl"))
    assert hashlib.sha256(Path(local).read_bytes()).hexdigest() == digest

    response = rest.get(f"{PROXY}/{run.info.experiment_id}/{run.info.run_id}/artifacts/big/blob.bin")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(payload)
    assert hashlib.sha256(response.content).hexdigest() == digest


def test_experiment_with_own_artifact_location(client, unique, tmp_path, artifacts_dir):
    root = tmp_path / "elsewhere"
    root.mkdir()
    exp_id = client.create_experiment(unique("ownloc"), artifact_location=root.as_uri())
    assert client.get_experiment(exp_id).artifact_location == root.as_uri()
    run = client.create_run(exp_id)
    assert run.info.artifact_uri == f"{root.as_uri()}/{run.info.run_id}/artifacts"
    src = tmp_path / "f.txt"
    src.write_text("direct")
    client.log_artifact(run.info.run_id, str(src), "sub")
    assert (root / run.info.run_id / "artifacts" / "sub" / "f.txt").read_text() == "direct"
    assert not (artifacts_dir / exp_id).exists()
    assert [f.path for f in client.list_artifacts(run.info.run_id, "sub")] == ["sub/f.txt"]


def test_raw_put_get_list_delete(rest, artifacts_dir, unique):
    prefix = unique("raw")
    put = rest.request("PUT", f"{PROXY}/{prefix}/dir/file.txt", data=b"payload")
    assert put.status_code == 200
    assert (artifacts_dir / prefix / "dir" / "file.txt").read_bytes() == b"payload"

    got = rest.get(f"{PROXY}/{prefix}/dir/file.txt")
    assert got.status_code == 200
    assert got.content == b"payload"
    assert got.headers["Content-Length"] == "7"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "file.txt" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"

    listed = rest.get(PROXY, params={"path": prefix}).json()
    assert listed == {"files": [{"path": "dir", "is_dir": True}]}
    listed = rest.get(PROXY, params={"path": f"{prefix}/dir"}).json()
    assert listed == {"files": [{"path": "file.txt", "is_dir": False, "file_size": 7}]}

    assert rest.get(PROXY, params={"path": f"{prefix}/nope"}).json() == {}
    assert rest.get(PROXY, params={"path": f"{prefix}/dir/file.txt"}).json() == {}

    deleted = rest.request("DELETE", f"{PROXY}/{prefix}/dir/file.txt")
    assert deleted.status_code == 200
    assert not (artifacts_dir / prefix / "dir" / "file.txt").exists()
    assert rest.get(f"{PROXY}/{prefix}/dir/file.txt").status_code == 404


def test_missing_artifact_is_404_json(rest, check_error, unique):
    path = f"{unique('missing')}/nothing.txt"
    check_error(rest.get(f"{PROXY}/{path}"), 404, "RESOURCE_DOES_NOT_EXIST", "No such artifact")


def test_list_of_missing_run_path_is_empty(fluent_experiment, client):
    with mlflow.start_run() as run:
        mlflow.log_text("x", "present.txt")
    assert client.list_artifacts(run.info.run_id, "absent") == []
    assert [f.path for f in client.list_artifacts(run.info.run_id)] == ["present.txt"]


def test_legacy_artifacts_list_endpoint(fluent_experiment, rest):
    with mlflow.start_run() as run:
        mlflow.log_text("abc", "d/e.txt")
    body = rest.ok("GET", "artifacts/list", params={"run_id": run.info.run_id, "path": "d"})
    assert body["root_uri"] == run.info.artifact_uri
    assert body["files"] == [{"path": "d/e.txt", "is_dir": False, "file_size": 3}]


INVALID_PATHS = [
    "../../etc/passwd",
    "a/../../b.txt",
    "%2e%2e/%2e%2e/etc/passwd",
    "a/%2E%2E/%2E%2E/b.txt",
    "%2Fetc%2Fpasswd",
    "a%23b.txt",
    "C:%5Cwindows%5Cwin.ini",
]


@pytest.mark.parametrize("path", INVALID_PATHS)
def test_path_traversal_get_is_rejected(rest, check_error, path):
    body = check_error(rest.raw("GET", f"{PROXY}/{path}"), 400, "INVALID_PARAMETER_VALUE")
    assert body["message"] == "Invalid path"


@pytest.mark.parametrize("path", INVALID_PATHS)
def test_path_traversal_put_is_rejected(rest, check_error, artifacts_dir, path):
    response = rest.raw("PUT", f"{PROXY}/{path}", body=b"evil")
    body = check_error(response, 400, "INVALID_PARAMETER_VALUE")
    assert body["message"] == "Invalid path"
    assert not (artifacts_dir.parent / "b.txt").exists()


@pytest.mark.parametrize("path", ["../x", "/etc", "a/../../x", "a#b", "%2e%2e/x"])
def test_path_traversal_list_is_rejected(rest, check_error, path):
    body = check_error(rest.get(PROXY, params={"path": path}), 400, "INVALID_PARAMETER_VALUE")
    assert body["message"] == "Invalid path"


def test_backslash_path_never_escapes_destination(rest, artifacts_dir, unique):
    name = unique("bs")
    response = rest.raw("PUT", f"{PROXY}/..%5C..%5C{name}.txt", body=b"evil")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["message"] == "Invalid path"
    outside = [p for p in artifacts_dir.parent.parent.rglob(f"*{name}*")]
    assert all(artifacts_dir in p.parents for p in outside), outside


def test_get_of_a_directory_is_400(rest, unique):
    prefix = unique("dirget")
    assert rest.request("PUT", f"{PROXY}/{prefix}/sub/f.txt", data=b"x").status_code == 200
    response = rest.get(f"{PROXY}/{prefix}/sub")
    assert response.status_code == 400


def test_multipart_create_is_not_implemented(rest, check_error):
    response = rest.post("/api/2.0/mlflow-artifacts/mpu/create/x", {"path": "x", "num_parts": 2})
    check_error(response, 501, "NOT_IMPLEMENTED")
