"""Abuse on loopback against the real server: symbolic links in the artifacts folder, cross-site form
posts, huge URLs and bodies, NUL characters. Each gets a clear 4xx with MLflow's error JSON."""

from __future__ import annotations

import os
import re

import pytest
from mlflow.exceptions import MlflowException

from conftest import TARGET

pytestmark = pytest.mark.skipif(TARGET != "cairn", reason="Cairn's hardening")

PROXY = "/api/2.0/mlflow-artifacts/artifacts/"


def test_links_out_of_the_artifacts_folder_are_refused(rest, artifacts_dir, tmp_path, unique):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret")
    name = unique("links")
    base = artifacts_dir / name
    base.mkdir()
    os.symlink(outside, base / "escape")
    os.symlink(outside / "secret.txt", base / "secret.txt")

    for path in ("escape/secret.txt", "secret.txt"):
        got = rest.raw("GET", PROXY + f"{name}/{path}")
        assert got.status_code == 400 and b"top secret" not in got.content, (path, got.status_code)
        put = rest.raw("PUT", PROXY + f"{name}/{path}", body=b"overwritten")
        assert put.status_code == 400, path
        assert rest.raw("DELETE", PROXY + f"{name}/{path}").status_code == 400, path
    assert rest.raw("PUT", PROXY + f"{name}/escape/new.txt", body=b"x").status_code == 400
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "top secret"
    listed = rest.get(PROXY.rstrip("/"), params={"path": name}).json()
    assert listed.get("files", []) == []
    assert rest.get(PROXY.rstrip("/"), params={"path": f"{name}/escape"}).status_code == 400


def test_cross_site_form_posts_are_refused(rest, base_url, client, unique):
    page = rest.session.get(base_url + "/", timeout=60)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', page.text).group(1)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    evil = unique("evil")
    refused = rest.session.post(
        base_url + "/experiments", data={"form_token": token, "name": evil},
        headers={**form, "Origin": "http://evil.example"}, allow_redirects=False, timeout=60)
    assert refused.status_code == 403
    plain = rest.session.post(
        base_url + "/experiments", data=f"name={evil}", headers={"Content-Type": "text/plain"},
        allow_redirects=False, timeout=60)
    assert plain.status_code == 403
    assert client.get_experiment_by_name(evil) is None
    fine = unique("fine")
    ok = rest.session.post(
        base_url + "/experiments", data={"form_token": token, "name": fine},
        headers={**form, "Origin": base_url}, allow_redirects=False, timeout=60)
    assert ok.status_code == 303
    assert client.get_experiment_by_name(fine) is not None


def test_long_urls_and_large_bodies_get_json_errors(rest):
    long = rest.raw("GET", "/api/2.0/mlflow/experiments/get?experiment_id=" + "1" * 90_000)
    assert long.status_code == 414
    assert long.json()["error_code"] == "BAD_REQUEST"
    assert rest.get("/health").status_code == 200

    body = b'{"run_id":"x","metrics":[' + b",".join([b'{"key":"k","value":1,"timestamp":1}'] * 1_800_000) + b"]}"
    assert len(body) > 60 << 20
    big = rest.raw("POST", "/api/2.0/mlflow/runs/log-batch", body=body, headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    assert big.json()["error_code"] == "RESOURCE_LIMIT_EXCEEDED"


def test_nul_characters_are_refused_not_truncated(client, unique):
    with pytest.raises(MlflowException) as refused:
        client.create_experiment(unique("evil") + "\u0000tail")
    assert "NUL" in str(refused.value)
    run = client.create_run(client.create_experiment(unique("nul")))
    with pytest.raises(MlflowException):
        client.set_tag(run.info.run_id, "k", "evil\u0000tail")
    assert "k" not in client.get_run(run.info.run_id).data.tags


def test_slowloris_connections_are_closed_and_health_keeps_answering(free_port, tmp_path):
    """Connections that never finish their request head, or sit idle, are closed after --idle-timeout;
    while they hang, /health still answers."""
    import socket
    import subprocess
    import time

    import requests

    port = free_port()
    server = subprocess.Popen(
        [os.environ["CAIRN_BIN"], "server", "--port", str(port), "--idle-timeout", "2",
         "--backend-store-uri", f"sqlite:///{tmp_path}/slow.db", "--artifacts-destination", str(tmp_path / "a")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(url + "/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        hanging = []
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\nHost: x\r\n")
            hanging.append(sock)
        assert requests.get(url + "/health", timeout=5).status_code == 200
        started = time.time()
        for sock in hanging:
            while sock.recv(4096):  # raises socket.timeout if the server never closes it
                pass
            sock.close()
        assert time.time() - started < 8
    finally:
        server.terminate()
        server.wait(15)
