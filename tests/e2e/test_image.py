"""`cairn image build` and `cairn image push`: OCI layouts written by Cairn, checked with independent tools.

* reproducibility: two builds of the same input give the same manifest digest;
* skopeo (inspect, copy) and umoci (unpack, which checks every diff_id and size) accept the layout;
* Python's tarfile reads the layers back: sorted entries, mtime 0, root-owned, fixed modes;
* `cairn image push` to Debian's docker-registry on a loopback port, pulled back with skopeo;
* `podman run` with the recipe that works in this sandbox (runc, cgroupfs, lowered ulimits); skipped with
  the reason when podman cannot run containers here.

Skopeo, umoci, podman and docker-registry come from Debian (scripts/test.sh installs them).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tarfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests

PODMAN = [
    "podman",
    "--cgroup-manager=cgroupfs",
    "--events-backend=file",
    "--runtime",
    "runc",
]
PODMAN_RUN = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (scripts/test.sh installs it from Debian)")


def run(args, check=True, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def build(cairn_bin: str, *args: str, env: dict | None = None) -> dict:
    result = run([cairn_bin, "image", "build", *args], env={**os.environ, **(env or {})})
    return json.loads(result.stdout)


def blob(layout: Path, digest: str) -> bytes:
    return (layout / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()


def manifest_of(layout: Path, tag: str) -> tuple[dict, dict]:
    index = json.loads((layout / "index.json").read_text())
    entry = next(m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == tag)
    manifest = json.loads(blob(layout, entry["digest"]))
    return entry, manifest


@pytest.fixture(scope="module")
def tracking_images(cairn_bin, tmp_path_factory):
    """The tracking-server image built twice into separate layouts."""
    root = tmp_path_factory.mktemp("images")
    first = build(cairn_bin, "--service", "tracking", "--output", str(root / "a"), "--tag", "t1")
    second = build(cairn_bin, "--service", "tracking", "--output", str(root / "b"), "--tag", "t1")
    return root, first, second


def test_two_builds_give_the_same_manifest_digest(tracking_images):
    root, first, second = tracking_images
    assert first["digest"].startswith("sha256:") and len(first["digest"]) == 71
    assert first["digest"] == second["digest"]
    assert (root / "a" / "index.json").read_bytes() == (root / "b" / "index.json").read_bytes()
    blobs_a = sorted(p.name for p in (root / "a" / "blobs" / "sha256").iterdir())
    assert blobs_a == sorted(p.name for p in (root / "b" / "blobs" / "sha256").iterdir())
    for name in blobs_a:
        data = (root / "a" / "blobs" / "sha256" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == name


def test_a_different_source_date_epoch_changes_the_digest(cairn_bin, tracking_images, tmp_path):
    _, first, _ = tracking_images
    other = build(
        cairn_bin, "--service", "tracking", "--output", str(tmp_path / "c"), "--tag", "t1",
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert other["digest"] != first["digest"]
    _, manifest = manifest_of(tmp_path / "c", "t1")
    config = json.loads(blob(tmp_path / "c", manifest["config"]["digest"]))
    assert config["created"] == "2023-11-14T22:13:20Z"
    bad = run([cairn_bin, "image", "build", "--service", "tracking", "--output", str(tmp_path / "d")],
              check=False, env={**os.environ, "SOURCE_DATE_EPOCH": "yesterday"})
    assert bad.returncode != 0 and "SOURCE_DATE_EPOCH" in bad.stderr


def test_layers_read_back_with_python_tarfile(tracking_images, cairn_bin):
    root, first, _ = tracking_images
    layout = root / "a"
    _, manifest = manifest_of(layout, "t1")
    config = json.loads(blob(layout, manifest["config"]["digest"]))
    assert config["rootfs"]["type"] == "layers"
    assert len(config["rootfs"]["diff_ids"]) == len(manifest["layers"]) == len(config["history"])
    names = []
    for descriptor, diff_id in zip(manifest["layers"], config["rootfs"]["diff_ids"]):
        data = blob(layout, descriptor["digest"])
        assert len(data) == descriptor["size"]
        assert descriptor["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip"
        assert data[3] == 0 and data[4:8] == b"\0\0\0\0", "gzip header carries a name or an mtime"
        raw = gzip.decompress(data)
        assert "sha256:" + hashlib.sha256(raw).hexdigest() == diff_id
        with tarfile.open(fileobj=__import__("io").BytesIO(raw)) as tar:
            members = tar.getmembers()
        layer_names = [m.name for m in members]
        assert layer_names == sorted(layer_names, key=lambda n: n.encode())
        for m in members:
            assert m.mtime == 0, m.name
            assert m.mode in (0o644, 0o755, 0o1777), (m.name, oct(m.mode))
            if m.name not in ("home/nonroot", "data"):
                assert (m.uid, m.gid) == (0, 0), m.name
        names += layer_names
        binary = next((m for m in members if m.name == "app/cairn"), None)
        if binary is not None:
            assert binary.size == Path(cairn_bin).stat().st_size
            assert binary.mode == 0o755
    assert "etc/passwd" in names and "etc/group" in names
    ldd = run(["ldd", cairn_bin], check=False).stdout
    if "=>" in ldd:  # a dynamic build: the loader and every library ldd resolved are in the image
        needed = [line.split("=>")[1].split()[0] for line in ldd.splitlines() if "=> /" in line]
        for path in needed:
            assert path.lstrip("/") in names, path
        assert any(n.endswith("ld-linux-x86-64.so.2") for n in names)
    assert config["config"]["User"] == "65532:65532"
    assert config["config"]["Entrypoint"] == ["/app/cairn", "server"]
    assert "/data" in config["config"]["Volumes"]
    assert "5000/tcp" in config["config"]["ExposedPorts"]


def test_skopeo_inspect_and_copy(tracking_images, tmp_path):
    need("skopeo")
    root, first, _ = tracking_images
    ref = f"oci:{root / 'a'}:t1"
    inspected = json.loads(run(["skopeo", "inspect", ref]).stdout)
    assert inspected["Digest"] == first["digest"]
    assert inspected["Architecture"] == "amd64" and inspected["Os"] == "linux"
    assert inspected["Labels"]["org.opencontainers.image.title"] == "cairn-tracking"
    config = json.loads(run(["skopeo", "inspect", "--config", ref]).stdout)
    assert config["config"]["User"] == "65532:65532"
    run(["skopeo", "copy", ref, f"oci:{tmp_path / 'copy'}:t1"])  # re-reads every blob against its digest
    copied = json.loads(run(["skopeo", "inspect", f"oci:{tmp_path / 'copy'}:t1"]).stdout)
    assert copied["Digest"] == first["digest"]


def test_umoci_unpack_checks_diff_ids_and_sizes(tracking_images, tmp_path, cairn_bin):
    need("umoci")
    root, _, _ = tracking_images
    bundle = tmp_path / "bundle"
    run(["umoci", "unpack", "--image", f"{root / 'a'}:t1", str(bundle)])
    rootfs = bundle / "rootfs"
    assert (rootfs / "app" / "cairn").stat().st_size == Path(cairn_bin).stat().st_size
    assert os.access(rootfs / "app" / "cairn", os.X_OK)
    assert "nonroot:x:65532:65532" in (rootfs / "etc" / "passwd").read_text()
    assert (rootfs / "data").stat().st_uid == 65532
    runtime = json.loads((bundle / "config.json").read_text())
    assert runtime["process"]["user"]["uid"] == 65532 and runtime["process"]["user"]["gid"] == 65532
    assert runtime["process"]["args"][:2] == ["/app/cairn", "server"]
    assert "--host" in runtime["process"]["args"] and "0.0.0.0" in runtime["process"]["args"]


def test_a_corrupted_layer_is_caught_by_umoci(tracking_images, tmp_path):
    need("umoci")
    root, _, _ = tracking_images
    broken = tmp_path / "broken"
    shutil.copytree(root / "a", broken)
    _, manifest = manifest_of(broken, "t1")
    layer = broken / "blobs" / "sha256" / manifest["layers"][0]["digest"].split(":", 1)[1]
    data = bytearray(layer.read_bytes())
    data[len(data) // 2] ^= 0xFF
    layer.write_bytes(bytes(data))
    result = run(["umoci", "unpack", "--image", f"{broken}:t1", str(tmp_path / "bundle")], check=False)
    assert result.returncode != 0


def _start_registry(root: Path, port: int, htpasswd: Path | None = None, auth: str = ""):
    """Debian's docker-registry (CNCF distribution) on a loopback port, storage under `root`; with `htpasswd`,
    requests need Basic auth; `auth` is any other `auth:` section."""
    if htpasswd:
        auth = f"auth:\n  htpasswd:\n    realm: cairn-test\n    path: {htpasswd}\n"
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        "storage:\n  filesystem:\n    rootdirectory: " + str(root / "data") + "\n  delete:\n    enabled: true\n"
        "http:\n  addr: 127.0.0.1:" + str(port) + "\n" + auth
    )
    log = (root / "registry.log").open("wb")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/v2/", timeout=1).status_code in (200, 401):
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("docker-registry did not start:\n" + (root / "registry.log").read_text())


def _stop_registry(proc) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def registry(tmp_path_factory, free_port):
    """An open registry on a free loopback port."""
    need("docker-registry")
    port = free_port()
    proc = _start_registry(tmp_path_factory.mktemp("registry"), port)
    yield f"127.0.0.1:{port}"
    _stop_registry(proc)


@pytest.fixture(scope="module")
def private_registry(tmp_path_factory, free_port):
    """A registry that wants user `ci` with password `s3cret` (Basic auth, bcrypt htpasswd)."""
    need("docker-registry")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt
    hashed = crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH))
    if not hashed or not hashed.startswith("$2"):
        pytest.skip("this C library cannot make bcrypt hashes for the registry's htpasswd file")
    root = tmp_path_factory.mktemp("private-registry")
    (root / "htpasswd").write_text(f"ci:{hashed}\n")
    port = free_port()
    proc = _start_registry(root, port, root / "htpasswd")
    yield f"127.0.0.1:{port}"
    _stop_registry(proc)


def test_push_and_pull_with_basic_auth(cairn_bin, server, tracking_images, private_registry, tmp_path):
    """The registry answers 401 with a Basic challenge; push and a docker:// base pull answer it with --username
    and $CAIRN_REGISTRY_PASSWORD, and a wrong or missing password is a clear error."""
    need("skopeo")
    root, first, _ = tracking_images
    target = f"{private_registry}/cairn/tracking:auth"
    layout = str(root / "a")
    anonymous = run([cairn_bin, "image", "push", layout, target, "--tag", "t1", "--insecure"], check=False)
    assert anonymous.returncode == 1 and "asks for a user name and password (--username)" in anonymous.stderr
    wrong = run([cairn_bin, "image", "push", layout, target, "--tag", "t1", "--insecure", "--username", "ci"],
                check=False, env={**os.environ, "CAIRN_REGISTRY_PASSWORD": "nope"})
    assert wrong.returncode == 1 and "refused the credentials of 'ci' (HTTP 401)" in wrong.stderr
    env = {**os.environ, "CAIRN_REGISTRY_PASSWORD": "s3cret"}
    pushed = run([cairn_bin, "image", "push", layout, target, "--tag", "t1", "--insecure", "--username", "ci"],
                 env=env)
    assert first["digest"] in pushed.stdout
    inspected = json.loads(run(["skopeo", "inspect", "--tls-verify=false", "--creds", "ci:s3cret",
                                f"docker://{target}"]).stdout)
    assert inspected["Digest"] == first["digest"]
    version, _, _ = _register(server, "image-private-base", "sklearn")
    built = run(
        [cairn_bin, "image", "build", f"models:/{version.name}/{version.version}", "--output", str(tmp_path / "img"),
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--base", f"docker://{target}",
         "--base-insecure", "--base-username", "ci", "--no-install-requirements"], env=env)
    assert f"Pulling base {target}" in built.stderr


class _TokenService:
    """A registry token service on loopback: checks Basic `ci:s3cret` and issues RS256 JWTs for the scopes asked,
    signed with a throw-away key whose self-signed certificate the registry trusts (sent as `x5c`)."""

    def __init__(self, root: Path, port: int):
        import base64
        import http.server
        import uuid

        key, cert = root / "token.key", root / "token.pem"
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
             "-days", "2", "-subj", "/CN=cairn-test-token"])
        der = subprocess.run(["openssl", "x509", "-in", str(cert), "-outform", "DER"], capture_output=True,
                             check=True).stdout
        self.cert = cert
        self.issued = []

        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                expected = "Basic " + base64.b64encode(b"ci:s3cret").decode()
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                query = parse_qs(urlparse(self.path).query)
                access = []
                for scope in query.get("scope", []):
                    kind, name, actions = scope.split(":")
                    access.append({"type": kind, "name": name, "actions": actions.split(",")})
                now = int(time.time())
                header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}
                claims = {"iss": "cairn-test", "sub": "ci", "aud": query.get("service", [""])[0], "exp": now + 300,
                          "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex, "access": access}
                signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
                signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key)], input=signing.encode(),
                                           capture_output=True, check=True).stdout
                service.issued.append(access)
                body = json.dumps({"token": signing + "." + b64(signature)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory, free_port):
    """A registry that wants Bearer tokens from a token service that wants Basic `ci:s3cret`."""
    need("docker-registry")
    need("openssl")
    root = tmp_path_factory.mktemp("token-registry")
    tokens = _TokenService(root, free_port())
    auth = (f"auth:\n  token:\n    realm: {tokens.url}\n    service: cairn-registry\n    issuer: cairn-test\n"
            f"    rootcertbundle: {tokens.cert}\n")
    port = free_port()
    proc = _start_registry(root, port, auth=auth)
    yield f"127.0.0.1:{port}", tokens
    _stop_registry(proc)
    tokens.close()


def test_push_and_pull_with_bearer_tokens(cairn_bin, tracking_images, token_registry, tmp_path):
    """The registry answers 401 with a Bearer challenge; the client fetches a token for the challenge's scope from
    the realm with its Basic credentials and repeats the request with it."""
    need("skopeo")
    registry, tokens = token_registry
    root, first, _ = tracking_images
    target = f"{registry}/cairn/tracking:bearer"
    env = {**os.environ, "CAIRN_REGISTRY_PASSWORD": "s3cret"}
    wrong = run([cairn_bin, "image", "push", str(root / "a"), target, "--tag", "t1", "--insecure", "--username", "ci"],
                check=False, env={**os.environ, "CAIRN_REGISTRY_PASSWORD": "nope"})
    assert wrong.returncode == 1 and "token service" in wrong.stderr and "refused (HTTP 401)" in wrong.stderr
    pushed = run([cairn_bin, "image", "push", str(root / "a"), target, "--tag", "t1", "--insecure", "--username", "ci"],
                 env=env)
    assert first["digest"] in pushed.stdout
    assert any(a and "push" in a[0]["actions"] and a[0]["name"] == "cairn/tracking" for a in tokens.issued)
    out = tmp_path / "pulled"
    run(["skopeo", "copy", "--src-tls-verify=false", "--src-creds", "ci:s3cret", f"docker://{target}",
         f"oci:{out}:t1"])
    _, manifest = manifest_of(out, "t1")
    _, original = manifest_of(root / "a", "t1")
    assert [layer["digest"] for layer in manifest["layers"]] == [layer["digest"] for layer in original["layers"]]


def test_push_then_pull_back_gives_the_same_digest(cairn_bin, tracking_images, registry, tmp_path):
    need("skopeo")
    root, first, _ = tracking_images
    target = f"{registry}/cairn/tracking:t1"
    pushed = run([cairn_bin, "image", "push", str(root / "a"), target, "--insecure"])
    body = json.loads(pushed.stdout)
    assert body["digest"] == first["digest"]
    assert body["reference"] == f"{target}@{first['digest']}"
    assert "uploaded" in pushed.stderr
    again = run([cairn_bin, "image", "push", str(root / "a"), target, "--insecure"])
    assert "uploaded" not in again.stderr and "already present" in again.stderr
    response = requests.get(
        f"http://{registry}/v2/cairn/tracking/manifests/t1",
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Docker-Content-Digest"] == first["digest"]
    remote = json.loads(run(["skopeo", "inspect", "--tls-verify=false", f"docker://{target}"]).stdout)
    assert remote["Digest"] == first["digest"]
    run(["skopeo", "copy", "--src-tls-verify=false", f"docker://{target}", f"oci:{tmp_path / 'pulled'}:t1"])
    pulled = json.loads(run(["skopeo", "inspect", f"oci:{tmp_path / 'pulled'}:t1"]).stdout)
    assert pulled["Digest"] == first["digest"]


def test_push_errors_are_clear(cairn_bin, tracking_images, free_port):
    root, _, _ = tracking_images
    no_host = run([cairn_bin, "image", "push", str(root / "a"), "tracking:t1"], check=False)
    assert no_host.returncode != 0 and "registry host" in no_host.stderr
    closed = run([cairn_bin, "image", "push", str(root / "a"), f"127.0.0.1:{free_port()}/x/y:t1", "--insecure"],
                 check=False)
    assert closed.returncode == 1 and "Cannot reach the registry" in closed.stderr
    not_layout = run([cairn_bin, "image", "push", "/nonexistent-layout", "127.0.0.1:1/x/y:t1"], check=False)
    assert not_layout.returncode != 0 and "OCI image layout" in not_layout.stderr


# --- podman ------------------------------------------------------------------------------------------


_PODMAN_STATE: dict = {}


def podman_ready(layout: Path, tag: str) -> None:
    """Skips the test with podman's own error when it cannot run a container here."""
    need("podman")
    need("runc")
    if "error" not in _PODMAN_STATE:
        probe = run([*PODMAN, "run", "--rm", "--network=none", *PODMAN_RUN, f"oci:{layout}:{tag}", "--help"],
                    check=False, timeout=300)
        _PODMAN_STATE["error"] = None if probe.returncode == 0 else (probe.stderr.strip()[-400:] or "no output")
    if _PODMAN_STATE["error"]:
        pytest.skip("podman cannot run containers here: " + _PODMAN_STATE["error"])


class Container:
    def __init__(self, name: str):
        self.name = name

    def host_pid(self) -> int:
        return int(run([*PODMAN, "inspect", "-f", "{{.State.Pid}}", self.name]).stdout.strip())

    def uid(self) -> int:
        status = Path(f"/proc/{self.host_pid()}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])

    def stop_seconds(self) -> tuple[float, int]:
        start = time.monotonic()
        run([*PODMAN, "stop", "-t", "2", self.name])
        elapsed = time.monotonic() - start
        code = int(run([*PODMAN, "inspect", "-f", "{{.State.ExitCode}}", self.name]).stdout.strip())
        return elapsed, code

    def remove(self):
        run([*PODMAN, "rm", "-f", self.name], check=False)


def start_container(layout: Path, tag: str, name: str, args: list[str], url: str) -> Container:
    run([*PODMAN, "rm", "-f", name], check=False)
    run([*PODMAN, "run", "-d", "--name", name, "--network=host", *PODMAN_RUN, f"oci:{layout}:{tag}", *args],
        timeout=300)
    container = Container(name)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return container
        except requests.RequestException:
            time.sleep(0.3)
    logs = run([*PODMAN, "logs", name], check=False)
    container.remove()
    pytest.fail(f"the container did not answer {url}:\n{logs.stdout}\n{logs.stderr}")


def test_tracking_image_runs_under_podman_as_nonroot(tracking_images, free_port):
    root, _, _ = tracking_images
    podman_ready(root / "a", "t1")
    port = free_port()
    args = ["--host", "127.0.0.1", "--port", str(port), "--backend-store-uri", "sqlite:////data/cairn.db",
            "--artifacts-destination", "/data/artifacts"]
    container = start_container(root / "a", "t1", "cairn-e2e-tracking", args, f"http://127.0.0.1:{port}/health")
    try:
        created = requests.post(f"http://127.0.0.1:{port}/api/2.0/mlflow/experiments/create",
                                json={"name": "in-a-container"}, timeout=10)
        assert created.status_code == 200, created.text
        assert container.uid() == 65532
        elapsed, code = container.stop_seconds()
        assert elapsed < 2.0, f"podman stop took {elapsed:.2f} s (SIGTERM not handled?)"
        assert code == 0
    finally:
        container.remove()


# --- model images ------------------------------------------------------------------------------------


def _register(server, name: str, model_kind: str):
    """Logs a small model with lineage (git commit tag, training data input) and registers it."""
    import mlflow
    import numpy as np
    import pandas as pd

    mlflow.set_tracking_uri(server.url)
    mlflow.set_experiment("image-" + name)
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=["f1", "f2", "f3", "f4"])
    y = (X["f1"] - X["f2"] > 0).astype(int)
    with mlflow.start_run() as run:
        mlflow.set_tag("mlflow.source.git.commit", "0123456789abcdef0123456789abcdef01234567")
        mlflow.log_input(mlflow.data.from_pandas(X.assign(y=y), name="train"), context="training")
        if model_kind == "xgboost":
            import xgboost

            booster = xgboost.XGBClassifier(n_estimators=5, max_depth=3).fit(X, y)
            info = mlflow.xgboost.log_model(booster, name="model", input_example=X.iloc[:3])
        else:
            from sklearn.linear_model import LogisticRegression

            info = mlflow.sklearn.log_model(LogisticRegression().fit(X, y), name="model", input_example=X.iloc[:3])
    version = mlflow.register_model(info.model_uri, name)
    return version, run.info.run_id, X


def test_python_model_without_base_stops_with_a_clear_error(cairn_bin, server, tmp_path):
    version, _, _ = _register(server, "image-sklearn", "sklearn")
    result = run(
        [cairn_bin, "image", "build", f"models:/{version.name}/{version.version}", "--output", str(tmp_path / "img"),
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache")],
        check=False)
    assert result.returncode == 1
    assert "Python base" in result.stderr and "--base oci:DIR:TAG" in result.stderr
    assert not (tmp_path / "img" / "index.json").exists()
    bad_base = run(
        [cairn_bin, "image", "build", f"models:/{version.name}/{version.version}", "--output", str(tmp_path / "img"),
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--base", f"oci:{tmp_path}/none:x"],
        check=False)
    assert bad_base.returncode == 1 and "not an OCI image layout" in bad_base.stderr


def test_python_model_on_a_base_reuses_its_layers(cairn_bin, server, tracking_images, registry, tmp_path):
    """--base oci:DIR:TAG: the base's layers come first unchanged; cairn's libraries go to /app/lib and it starts
    through the copied loader, so the base's C library and users stay. (The tracking image stands in for a Python
    base here, used as it is with --no-install-requirements; the layering is what is checked.)"""
    need("umoci")
    root, first, _ = tracking_images
    version, _, _ = _register(server, "image-on-base", "sklearn")
    result = run(
        [cairn_bin, "image", "build", f"models:/{version.name}/{version.version}", "--output", str(tmp_path / "img"),
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--base", f"oci:{root / 'a'}:t1",
         "--no-install-requirements"])
    tag = str(version.version)
    _, base_manifest = manifest_of(root / "a", "t1")
    _, manifest = manifest_of(tmp_path / "img", tag)
    assert manifest["layers"][0] == base_manifest["layers"][0]
    assert len(manifest["layers"]) == len(base_manifest["layers"]) + 2
    config = json.loads(blob(tmp_path / "img", manifest["config"]["digest"]))
    assert manifest["annotations"]["cairn.model.runtime"] == "python"
    entrypoint = config["config"]["Entrypoint"]
    if "dynamically linked" in result.stderr:
        assert entrypoint[:3] == ["/app/lib/ld-linux-x86-64.so.2", "--library-path", "/app/lib"]
    assert entrypoint[-3:] == ["/app/cairn", "serve", f"/models/{version.name}/{tag}"]
    run(["umoci", "unpack", "--image", f"{tmp_path / 'img'}:{tag}", str(tmp_path / "bundle")])
    rootfs = tmp_path / "bundle" / "rootfs"
    assert (rootfs / "models" / version.name / tag / "MLmodel").exists()
    assert "nonroot:x:65532" in (rootfs / "etc" / "passwd").read_text()  # the base's, not replaced
    # A push records the registry reference on the version (the layout's reference before).
    from mlflow import MlflowClient

    built = json.loads(result.stdout)
    tags = MlflowClient(server.url).get_model_version(version.name, tag).tags
    assert tags["cairn.image.ref"] == built["reference"] and tags["cairn.image.digest"] == built["digest"]
    target = f"{registry}/models/{version.name}:{tag}"
    pushed = json.loads(run([cairn_bin, "image", "push", str(tmp_path / "img"), target, "--insecure",
                             "--tracking-uri", server.url]).stdout)
    assert pushed["recorded_on_version"] is True
    tags = MlflowClient(server.url).get_model_version(version.name, tag).tags
    assert tags["cairn.image.ref"] == f"{target}@{built['digest']}"
    shown = run([cairn_bin, "models", "show", version.name, "--tracking-uri", server.url]).stdout
    assert f"{target}@{built['digest']}" in shown
    manifests = run([cairn_bin, "k8s", "manifests", f"models:/{version.name}/{tag}", "--tracking-uri", server.url])
    assert f"image: {target}@{built['digest']}" in manifests.stdout


def test_python_model_on_a_registry_base_pulls_it(cairn_bin, server, tracking_images, registry, tmp_path):
    """--base docker://HOST/REPO:TAG: the base is pulled over the distribution API (OCI and Docker v2 manifests)
    and its layers come first, byte for byte the registry's."""
    need("skopeo")
    root, _, _ = tracking_images
    _, base_manifest = manifest_of(root / "a", "t1")
    version, _, _ = _register(server, "image-registry-base", "sklearn")
    tag = str(version.version)
    for repository, fmt in (("bases/oci", "oci"), ("bases/docker", "v2s2")):
        run(["skopeo", "copy", "--format", fmt, "--dest-tls-verify=false", f"oci:{root / 'a'}:t1",
             f"docker://{registry}/{repository}:py"])
        out = tmp_path / repository.replace("/", "-")
        result = run(
            [cairn_bin, "image", "build", f"models:/{version.name}/{tag}", "--output", str(out),
             "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"),
             "--base", f"docker://{registry}/{repository}:py", "--base-insecure", "--no-install-requirements"])
        assert f"Pulling base {registry}/{repository}:py" in result.stderr
        _, manifest = manifest_of(out, tag)
        pulled = manifest["layers"][: len(base_manifest["layers"])]
        assert [layer["digest"] for layer in pulled] == [layer["digest"] for layer in base_manifest["layers"]]
        assert len(manifest["layers"]) == len(base_manifest["layers"]) + 2
        run(["umoci", "unpack", "--image", f"{out}:{tag}", str(tmp_path / f"bundle-{fmt}")])
        assert "nonroot:x:65532" in (tmp_path / f"bundle-{fmt}" / "rootfs" / "etc" / "passwd").read_text()
        # A second build finds every base blob in the cache.
        again = run(
            [cairn_bin, "image", "build", f"models:/{version.name}/{tag}", "--output", str(out) + "-again",
             "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"),
             "--base", f"docker://{registry}/{repository}:py", "--base-insecure", "--no-install-requirements"])
        assert "pulled (" not in again.stderr and "already here" in again.stderr
    missing = run(
        [cairn_bin, "image", "build", f"models:/{version.name}/{tag}", "--output", str(tmp_path / "none"),
         "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"),
         "--base", f"docker://{registry}/bases/absent:py", "--base-insecure"], check=False)
    assert missing.returncode == 1 and "bases/absent:py was not found" in missing.stderr
    flag = run([cairn_bin, "image", "build", f"models:/{version.name}/{tag}", "--output", str(tmp_path / "x"),
                "--base-insecure"], check=False)
    assert flag.returncode != 0 and "apply to a docker://HOST/REPO:TAG base" in flag.stderr


@pytest.fixture(scope="module")
def native_model_image(cairn_bin, server, tmp_path_factory):
    """An XGBoost model (native runtime) registered with lineage and built into an image."""
    pytest.importorskip("xgboost")
    root = tmp_path_factory.mktemp("model-image")
    version, run_id, X = _register(server, "image-xgb", "xgboost")
    uri = f"models:/{version.name}/{version.version}"
    result = run([cairn_bin, "image", "build", uri, "--output", str(root / "img"), "--tracking-uri", server.url,
                  "--cache", str(root / "cache")], check=False)
    if result.returncode != 0 and "Python base" in result.stderr:
        pytest.skip("this cairn has no native runtime for XGBoost models yet")
    assert result.returncode == 0, result.stderr
    return {"root": root, "uri": uri, "version": version, "run_id": run_id, "X": X,
            "build": json.loads(result.stdout), "stderr": result.stderr}


def test_model_image_layout_labels_and_registry_tags(native_model_image, server, cairn_bin):
    image = native_model_image
    version = image["version"]
    tag = str(version.version)
    _, manifest = manifest_of(image["root"] / "img", tag)
    labels = manifest["annotations"]
    assert labels["cairn.model.name"] == version.name and labels["cairn.model.version"] == tag
    assert labels["cairn.run.id"] == image["run_id"]
    assert labels["cairn.git.commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert labels["cairn.data.digest"]
    assert labels["cairn.model.runtime"] == "native"
    config = json.loads(blob(image["root"] / "img", manifest["config"]["digest"]))
    assert config["config"]["Entrypoint"] == ["/app/cairn", "serve", f"/models/{version.name}/{tag}"]
    assert config["config"]["ExposedPorts"] == {"8080/tcp": {}}
    assert config["config"]["User"] == "65532:65532"
    from mlflow import MlflowClient

    tags = MlflowClient(server.url).get_model_version(version.name, tag).tags
    assert tags["cairn.image.digest"] == image["build"]["digest"]
    assert tags["cairn.image.ref"] == image["build"]["reference"]
    shown = run([cairn_bin, "models", "show", version.name, "--tracking-uri", server.url]).stdout
    assert image["build"]["digest"] in shown and image["build"]["reference"] in shown
    size = sum(layer["size"] for layer in manifest["layers"])
    print(f"native model image: {size / 1e6:.1f} MB compressed")
    if "statically linked" in image["stderr"]:
        assert size <= 40 * 1024 * 1024, f"{size} bytes compressed"


def test_model_image_serves_like_the_host_under_podman(native_model_image, cairn_bin, free_port, tmp_path):
    image = native_model_image
    tag = str(image["version"].version)
    layout = image["root"] / "img"
    podman_ready(layout, tag)
    body = {"dataframe_split": image["X"].iloc[:20].to_dict(orient="split") | {"index": None}}
    host_port = free_port()
    host = subprocess.Popen(
        [cairn_bin, "serve", image["uri"], "--port", str(host_port), "--cache", str(image["root"] / "cache")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{host_port}/ping", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        expected = requests.post(f"http://127.0.0.1:{host_port}/invocations", json=body, timeout=30).json()
    finally:
        host.send_signal(signal.SIGTERM)
        host.wait(timeout=30)
    port = free_port()
    container = start_container(layout, tag, "cairn-e2e-model", ["--host", "127.0.0.1", "--port", str(port)],
                                f"http://127.0.0.1:{port}/ping")
    try:
        got = requests.post(f"http://127.0.0.1:{port}/invocations", json=body, timeout=30)
        assert got.status_code == 200, got.text
        assert got.json() == expected
        assert requests.get(f"http://127.0.0.1:{port}/v2/health/ready", timeout=5).status_code == 200
        assert container.uid() == 65532
        elapsed, code = container.stop_seconds()
        assert elapsed < 2.0, f"podman stop took {elapsed:.2f} s"
        assert code == 0
    finally:
        container.remove()


# --- the speech-recognition service --------------------------------------------------------------------


def test_asr_image_carries_pocketsphinx_and_its_models(cairn_bin, tmp_path, free_port):
    asr = os.environ.get("CAIRN_ASR_BIN") or str(Path(cairn_bin).with_name("cairn-asr"))
    if not Path(asr).is_file():
        pytest.skip("no cairn-asr binary next to cairn (swift build builds it)")
    out = build(cairn_bin, "--service", "asr", "--asr-binary", asr, "--output", str(tmp_path / "asr"), "--tag", "a1")
    _, manifest = manifest_of(tmp_path / "asr", "a1")
    names = set()
    for descriptor in manifest["layers"]:
        with tarfile.open(fileobj=__import__("io").BytesIO(gzip.decompress(blob(tmp_path / "asr", descriptor["digest"])))) as tar:
            names |= set(tar.getnames())
    assert "app/cairn-asr" in names
    assert "usr/share/pocketsphinx/model/en-us/en-us.lm.bin" in names
    ldd = run(["ldd", asr]).stdout
    sphinx = [line.split("=>")[1].split()[0] for line in ldd.splitlines() if "pocketsphinx" in line and "=> /" in line]
    assert sphinx and all(p.lstrip("/") in names for p in sphinx)
    if shutil.which("podman") is None:
        return
    podman_ready(tmp_path / "asr", "a1")
    port = free_port()
    container = start_container(tmp_path / "asr", "a1", "cairn-e2e-asr", ["--host", "127.0.0.1", "--port", str(port),
                                "--decoders", "1"], f"http://127.0.0.1:{port}/health")
    try:
        assert container.uid() == 65532
        elapsed, _ = container.stop_seconds()
        assert elapsed < 2.0
    finally:
        container.remove()
    assert out["digest"].startswith("sha256:")
