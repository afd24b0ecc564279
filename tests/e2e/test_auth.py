"""Users, permissions and tokens on `cairn server --auth`, driven by the unchanged mlflow client.

Users sign in with MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (Basic) or MLFLOW_TRACKING_TOKEN
(Bearer). MLflow 3.17.2's own ``AuthServiceClient`` (which needs the full mlflow package with its auth
extra) runs in ``MLFLOW_PYTHON`` against the same server.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

ROOT = Path(__file__).resolve().parents[2]
MLFLOW_PYTHON = Path(os.environ.get("MLFLOW_PYTHON", ROOT / ".venv-mlflow" / "bin" / "python"))
ADMIN = ("admin", "admin-password-1")
CREDENTIAL_VARS = ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cairn() -> str:
    binary = os.environ.get("CAIRN_BIN")
    if not binary:
        pytest.skip("CAIRN_BIN is not set")
    return str(Path(binary).absolute())


class AuthServer:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = f"sqlite:///{workdir / 'cairn.db'}"
        env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARS + ("MLFLOW_TRACKING_URI",)}
        env["CAIRN_ADMIN_PASSWORD"] = ADMIN[1]
        self.log = open(workdir / "server.log", "wb")
        self.proc = subprocess.Popen(
            [_cairn(), "server", "--auth", "--port", str(self.port), "--backend-store-uri", self.db,
             "--artifacts-destination", str(workdir / "artifacts")],
            cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail("cairn server --auth exited: " + (workdir / "server.log").read_text())
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        pytest.fail("cairn server --auth did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()

    def cli(self, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([_cairn(), *args, "--backend-store-uri", self.db], input=stdin, capture_output=True,
                              text=True, timeout=60, cwd=self.workdir)


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    server = AuthServer(tmp_path_factory.mktemp("auth"))
    yield server
    server.stop()


def api(server, method, path, user=ADMIN, version="2.0", **kwargs):
    return requests.request(method, f"{server.url}/api/{version}/mlflow/{path}", auth=user, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def users(auth_server):
    """ana and bo (plain users) and cy, created by the administrator over the REST API."""
    made = {}
    for name in ("ana", "bo", "cy"):
        password = f"{name}-password-1"
        r = api(auth_server, "POST", "users/create", json={"username": name, "password": password})
        assert r.status_code == 200, r.text
        assert r.json()["user"]["username"] == name and r.json()["user"]["is_admin"] is False
        made[name] = (name, password)
    return made


class As:
    """Points the mlflow client at the server with one user's credentials (or a token)."""

    def __init__(self, server, user=None, token=None):
        self.server, self.user, self.token = server, user, token

    def __enter__(self) -> MlflowClient:
        self.saved = {k: os.environ.get(k) for k in CREDENTIAL_VARS}
        for k in CREDENTIAL_VARS:
            os.environ.pop(k, None)
        if self.user:
            os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = self.user
        if self.token:
            os.environ["MLFLOW_TRACKING_TOKEN"] = self.token
        self.previous_uri = mlflow.get_tracking_uri()
        mlflow.set_tracking_uri(self.server.url)
        return MlflowClient(self.server.url)

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        mlflow.set_tracking_uri(self.previous_uri)


def error_code(excinfo) -> str:
    return getattr(excinfo.value, "error_code", "") or str(excinfo.value)


def test_refuses_open_listening_and_missing_admin(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_ADMIN_PASSWORD", "MLFLOW_AUTH_ADMIN_PASSWORD")}
    open_run = subprocess.run([_cairn(), "server", "--host", "0.0.0.0", "--port", str(_port()),
                               "--backend-store-uri", f"sqlite:///{tmp_path / 'a.db'}"],
                              capture_output=True, text=True, timeout=30, env=env, cwd=tmp_path)
    assert open_run.returncode != 0
    assert "without --auth" in open_run.stderr and "--insecure-no-auth" in open_run.stderr
    no_admin = subprocess.run([_cairn(), "server", "--auth", "--port", str(_port()),
                               "--backend-store-uri", f"sqlite:///{tmp_path / 'b.db'}"],
                              capture_output=True, text=True, timeout=30, env=env, cwd=tmp_path)
    assert no_admin.returncode != 0
    assert "cairn users create" in no_admin.stderr and "CAIRN_ADMIN_PASSWORD" in no_admin.stderr


def test_requests_without_credentials_get_401(auth_server):
    r = requests.get(auth_server.url + "/api/2.0/mlflow/experiments/search", params={"max_results": 5}, timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    assert r.json()["error_code"] == "UNAUTHENTICATED"
    assert requests.get(auth_server.url + "/health", timeout=10).status_code == 200
    bad = api(auth_server, "GET", "experiments/search", user=("admin", "wrong-password"), params={"max_results": 5})
    assert bad.status_code == 401
    page = requests.get(auth_server.url + "/models", timeout=10, allow_redirects=False)
    assert page.status_code == 303 and page.headers["Location"].startswith("/login?next=")
    with As(auth_server) as client, pytest.raises(MlflowException) as excinfo:
        client.search_experiments()
    assert "401" in str(excinfo.value) or "UNAUTHENTICATED" in error_code(excinfo)


def test_read_edit_manage_with_the_mlflow_client(auth_server, users):
    with As(auth_server, users["ana"]) as ana:
        exp = ana.create_experiment("ana-experiment")
        run = ana.create_run(exp)
        ana.log_metric(run.info.run_id, "loss", 0.5)
    # bo holds the default READ: reads work, writes are refused.
    with As(auth_server, users["bo"]) as bo:
        assert bo.get_run(run.info.run_id).data.metrics["loss"] == 0.5
        assert exp in {e.experiment_id for e in bo.search_experiments()}
        with pytest.raises(MlflowException) as excinfo:
            bo.log_metric(run.info.run_id, "loss", 0.4)
        assert error_code(excinfo) == "PERMISSION_DENIED"
        with pytest.raises(MlflowException) as excinfo:
            bo.create_run(exp)
        assert error_code(excinfo) == "PERMISSION_DENIED"
        with pytest.raises(MlflowException) as excinfo:
            bo.delete_experiment(exp)
        assert error_code(excinfo) == "PERMISSION_DENIED"
    # ana created the experiment, so she holds MANAGE and may grant bo EDIT.
    r = api(auth_server, "POST", "users/permissions/grant", user=users["ana"], version="3.0",
            json={"username": "bo", "resource_type": "experiment", "resource_id": exp, "permission": "EDIT"})
    assert r.status_code == 200, r.text
    with As(auth_server, users["bo"]) as bo:
        bo.log_metric(run.info.run_id, "loss", 0.4)
        with pytest.raises(MlflowException) as excinfo:
            bo.delete_experiment(exp)
        assert error_code(excinfo) == "PERMISSION_DENIED"
        # EDIT is not MANAGE: bo cannot grant cy anything.
        r = api(auth_server, "POST", "users/permissions/grant", user=users["bo"], version="3.0",
                json={"username": "cy", "resource_type": "experiment", "resource_id": exp, "permission": "READ"})
        assert r.status_code == 403 and r.json()["error_code"] == "PERMISSION_DENIED"
    got = api(auth_server, "GET", "users/permissions/get", version="3.0",
              params={"username": "bo", "resource_type": "experiment", "resource_id": exp})
    assert got.json() == {"allowed": True, "permission": "EDIT"}
    # DENY hides the experiment from bo's searches and refuses reads.
    api(auth_server, "POST", "users/permissions/grant", user=users["ana"], version="3.0",
        json={"username": "bo", "resource_type": "experiment", "resource_id": exp, "permission": "DENY"})
    with As(auth_server, users["bo"]) as bo:
        assert exp not in {e.experiment_id for e in bo.search_experiments()}
        with pytest.raises(MlflowException) as excinfo:
            bo.get_run(run.info.run_id)
        assert error_code(excinfo) == "PERMISSION_DENIED"
        with pytest.raises(MlflowException) as excinfo:
            bo.search_runs([exp])
        assert error_code(excinfo) == "PERMISSION_DENIED"
    r = api(auth_server, "POST", "users/permissions/revoke", user=users["ana"], version="3.0",
            json={"username": "bo", "resource_type": "experiment", "resource_id": exp})
    assert r.status_code == 200
    with As(auth_server, users["bo"]) as bo:
        assert bo.get_run(run.info.run_id).info.run_id == run.info.run_id


def test_artifacts_follow_the_experiment_grant(auth_server, users, tmp_path):
    with As(auth_server, users["ana"]) as ana:
        exp = ana.create_experiment("artifact-experiment")
        run = ana.create_run(exp)
        (tmp_path / "note.txt").write_text("hello")
        ana.log_artifact(run.info.run_id, str(tmp_path / "note.txt"))
    with As(auth_server, users["bo"]) as bo:
        path = bo.download_artifacts(run.info.run_id, "note.txt", str(tmp_path))
        assert Path(path).read_text() == "hello"
        with pytest.raises(Exception) as excinfo:
            bo.log_artifact(run.info.run_id, str(tmp_path / "note.txt"), "copy")
        assert "403" in str(excinfo.value) or "PERMISSION_DENIED" in str(excinfo.value)


def test_registry_permissions_and_filtered_search(auth_server, users):
    with As(auth_server, users["ana"]) as ana:
        ana.create_registered_model("ana-model")
        ana.create_registered_model("ana-secret-model")
    api(auth_server, "POST", "users/permissions/grant", user=users["ana"], version="3.0",
        json={"username": "cy", "resource_type": "registered_model", "resource_id": "ana-secret-model",
              "permission": "DENY"})
    with As(auth_server, users["cy"]) as cy:
        names = {m.name for m in cy.search_registered_models()}
        assert "ana-model" in names and "ana-secret-model" not in names
        with pytest.raises(MlflowException) as excinfo:
            cy.get_registered_model("ana-secret-model")
        assert error_code(excinfo) == "PERMISSION_DENIED"
        with pytest.raises(MlflowException) as excinfo:
            cy.update_registered_model("ana-model", description="not mine")
        assert error_code(excinfo) == "PERMISSION_DENIED"
    # A rename carries the grants along; the creator still manages the renamed model.
    with As(auth_server, users["ana"]) as ana:
        ana.rename_registered_model("ana-secret-model", "ana-renamed-model")
        ana.update_registered_model("ana-renamed-model", description="still mine")
    with As(auth_server, users["cy"]) as cy:
        assert "ana-renamed-model" not in {m.name for m in cy.search_registered_models()}


def test_tokens_work_until_revoked(auth_server, users):
    created = auth_server.cli("tokens", "create", "--user", "ana", "--expires", "1d", "--name", "ci")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("cairn_") and "shown only now" in created.stderr
    with As(auth_server, token=secret) as client:
        exp = client.create_experiment("made-with-a-token")
        assert client.get_experiment(exp).name == "made-with-a-token"
    listed = auth_server.cli("tokens", "list", "--user", "ana")
    token_id = next(line.split()[0] for line in listed.stdout.splitlines() if " ci " in line)
    assert secret not in listed.stdout
    assert auth_server.cli("tokens", "revoke", token_id).returncode == 0
    with As(auth_server, token=secret) as client, pytest.raises(MlflowException) as excinfo:
        client.get_experiment(exp)
    assert "401" in str(excinfo.value) or "UNAUTHENTICATED" in error_code(excinfo)


def test_mlflow_2_per_resource_endpoints(auth_server, users):
    with As(auth_server, users["ana"]) as ana:
        exp = ana.create_experiment("legacy-grants")
    body = {"experiment_id": exp, "username": "cy", "permission": "EDIT"}
    r = api(auth_server, "POST", "experiments/permissions/create", user=users["ana"], json=body)
    assert r.status_code == 200 and r.json()["experiment_permission"]["permission"] == "EDIT"
    r = api(auth_server, "GET", "experiments/permissions/get", user=users["ana"],
            params={"experiment_id": exp, "username": "cy"})
    assert r.json()["experiment_permission"]["experiment_id"] == exp
    r = api(auth_server, "PATCH", "experiments/permissions/update", user=users["ana"], json={**body, "permission": "READ"})
    assert r.json()["experiment_permission"]["permission"] == "READ"
    r = api(auth_server, "DELETE", "experiments/permissions/delete", user=users["ana"],
            json={"experiment_id": exp, "username": "cy"})
    assert r.status_code == 200
    r = api(auth_server, "GET", "experiments/permissions/get", user=users["ana"],
            params={"experiment_id": exp, "username": "cy"})
    assert r.status_code == 404


def test_user_endpoints_are_for_admins_and_self(auth_server, users):
    r = api(auth_server, "GET", "users/list", user=users["bo"])
    assert r.status_code == 403
    r = api(auth_server, "GET", "users/current", user=users["bo"])
    assert r.json()["user"]["username"] == "bo" and r.json()["is_basic_auth"] is True
    assert "password" not in r.text
    r = api(auth_server, "POST", "users/create", user=users["bo"], json={"username": "x", "password": "password-x"})
    assert r.status_code == 403
    r = api(auth_server, "POST", "users/create", json={"username": "short", "password": "abc"})
    assert r.status_code == 400 and "at least 8" in r.json()["message"]
    r = api(auth_server, "POST", "users/create", json={"username": "ana", "password": "password-x"})
    assert r.status_code == 400 and r.json()["error_code"] == "RESOURCE_ALREADY_EXISTS"
    # Changing one's own password needs the current one.
    r = api(auth_server, "PATCH", "users/update-password", user=users["cy"],
            json={"username": "cy", "password": "cy-password-2"})
    assert r.status_code == 400 and "Current password" in r.json()["message"]
    r = api(auth_server, "DELETE", "users/delete", json={"username": "admin"})
    assert r.status_code == 400


def test_failed_sign_ins_are_rate_limited(auth_server, users):
    r = api(auth_server, "POST", "users/create", json={"username": "fay", "password": "fay-password-1"})
    assert r.status_code == 200
    codes = [api(auth_server, "GET", "users/current", user=("fay", f"wrong-{i}-password")).status_code
             for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[-1] == 429
    assert "try again in" in api(auth_server, "GET", "users/current", user=("fay", "wrong")).json()["message"]
    # The right password is refused too while the user is locked out (it was never checked before, so
    # no earlier sign-in vouches for it); other users are unaffected.
    assert api(auth_server, "GET", "users/current", user=("fay", "fay-password-1")).status_code == 429
    assert api(auth_server, "GET", "users/current", user=users["bo"]).status_code == 200


AUTH_CLIENT_SCRIPT = r"""
import json, sys
from mlflow.server.auth.client import AuthServiceClient
client = AuthServiceClient(sys.argv[1])
out = {}
user = client.create_user("dee", "dee-password-1")
out["created"] = [user.username, user.is_admin]
out["got"] = client.get_user("dee").username
client.grant_user_permission("dee", "experiment", sys.argv[2], "MANAGE")
result = client.get_user_permission("dee", "experiment", sys.argv[2])
out["permission"] = [result.permission, result.allowed]
client.revoke_user_permission("dee", "experiment", sys.argv[2])
out["after_revoke"] = client.get_user_permission("dee", "experiment", sys.argv[2]).permission
client.update_user_password("dee", "dee-password-2")
client.update_user_admin("dee", True)
out["admin"] = client.get_user("dee").is_admin
client.delete_user("dee")
try:
    client.get_user("dee")
    out["deleted"] = False
except Exception as e:
    out["deleted"] = "RESOURCE_DOES_NOT_EXIST" in str(e)
print(json.dumps(out))
"""


def test_mlflow_auth_service_client(auth_server, users):
    if not MLFLOW_PYTHON.is_file():
        pytest.skip(f"no full mlflow installation at {MLFLOW_PYTHON} (set MLFLOW_PYTHON)")
    check = subprocess.run([str(MLFLOW_PYTHON), "-c", "import mlflow.server.auth.client"], capture_output=True)
    if check.returncode != 0:
        pytest.skip("mlflow's auth extra is not installed in MLFLOW_PYTHON")
    with As(auth_server, users["ana"]) as ana:
        exp = ana.create_experiment("auth-client-experiment")
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARS}
    env.update(MLFLOW_TRACKING_USERNAME=ADMIN[0], MLFLOW_TRACKING_PASSWORD=ADMIN[1])
    done = subprocess.run([str(MLFLOW_PYTHON), "-c", AUTH_CLIENT_SCRIPT, auth_server.url, exp], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {"created": ["dee", False], "got": "dee", "permission": ["MANAGE", True],
                   "after_revoke": "READ", "admin": True, "deleted": True}


def test_audit_log_records_who_did_what(auth_server, users):
    with As(auth_server, users["ana"]) as ana:
        exp = ana.create_experiment("audited")
        ana.delete_experiment(exp)
    shown = auth_server.cli("audit", "--since", "1h", "--json")
    assert shown.returncode == 0, shown.stderr
    events = [json.loads(line) for line in shown.stdout.splitlines()]
    created = [e for e in events if e["action"] == "experiments/create" and e["resource_id"] == "audited"]
    deleted = [e for e in events if e["action"] == "experiments/delete" and e["resource_id"] == exp]
    assert created and created[0]["user"] == "ana" and created[0]["address"] == "127.0.0.1"
    assert deleted and deleted[0]["user"] == "ana"
    grants = [e for e in events if e["action"] == "users/permissions/grant"]
    assert any(e["user"] == "ana" and "user=bo" in e["detail"] for e in grants)
    only_bo = auth_server.cli("audit", "--since", "1h", "--json", "--user", "nobody")
    assert only_bo.stdout.strip() == ""
