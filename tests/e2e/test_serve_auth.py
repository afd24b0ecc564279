"""`cairn serve --auth-token-file`: a served model that answers only requests with a token.

A scikit-learn model saved in a local folder is served twice by the real `cairn` binary (Python
workers of this interpreter): once open, once with a token file. Requests without a token, or with
a wrong one, get 401 with `WWW-Authenticate: Bearer realm="cairn"`; with the token (Bearer, or as
the password of HTTP Basic, or matching a `sha256:` line) the predictions equal the open server's.
The probes and /metrics stay open; rewriting the file rotates the tokens without a restart; a file
every user can read is refused at start-up.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from sklearn.linear_model import LogisticRegression
from test_serving import Served as ServedModel

FEATURES = ["f1", "f2", "f3"]
OPEN_PATHS = ["/ping", "/health", "/v2/health/live", "/v2/health/ready", "/metrics"]
CHALLENGE = 'Bearer realm="cairn"'


def write_tokens(path: Path, text: str, mode: int = 0o600) -> None:
    """Replaces the file in one step (a new inode), as a rotation would."""
    staged = path.with_suffix(".new")
    staged.write_text(text)
    os.chmod(staged, mode)
    os.replace(staged, path)


class Served(ServedModel):
    """test_serving's `cairn serve` process, waited for at start, passing requests' keyword arguments
    (``auth=``, ``headers=``) through to /invocations."""

    def __init__(self, cairn_bin: str, model: Path, port: int, workdir: Path, extra=()):
        super().__init__(cairn_bin, str(model), port, workdir, extra)
        self.wait_ready()

    def invoke(self, body: dict, **kwargs) -> requests.Response:
        return requests.post(self.url + "/invocations", json=body, timeout=60, **kwargs)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A logistic regression saved as an MLflow model folder, with its rows and expected labels."""
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=FEATURES)
    y = (X["f1"] - X["f2"] > 0).astype(int)
    clf = LogisticRegression().fit(X, y)
    folder = tmp_path_factory.mktemp("auth-model") / "churn"
    mlflow.sklearn.save_model(clf, str(folder), input_example=X.iloc[:3])
    rows = X.iloc[:20]
    return folder, {"dataframe_split": rows.to_dict(orient="split") | {"index": None}}, clf.predict(rows)


@pytest.fixture(scope="module")
def servers(cairn_bin, model, free_port, tmp_path_factory):
    """(open server, guarded server, token file, first token, token behind the sha256: line)."""
    workdir = tmp_path_factory.mktemp("serve-auth")
    token, hashed = secrets.token_hex(24), "hashed-" + secrets.token_urlsafe(24)
    tokens = workdir / "tokens"
    digest = hashlib.sha256(hashed.encode()).hexdigest()
    write_tokens(tokens, f"# model clients\n\n{token}\nsha256:{digest}\n")
    started = []
    try:
        started.append(Served(cairn_bin, model[0], free_port(), workdir))
        started.append(Served(cairn_bin, model[0], free_port(), workdir, ["--auth-token-file", str(tokens)]))
        yield started[0], started[1], tokens, token, hashed
    finally:
        for s in started:
            s.stop()


def test_requests_need_an_accepted_token(servers, model):
    open_server, guarded, _, token, hashed = servers
    _, body, expected = model
    reference = open_server.invoke(body)
    assert reference.status_code == 200, reference.text
    assert reference.json()["predictions"] == expected.tolist()

    refused = [
        {},
        {"Authorization": f"Bearer {token[:-1]}"},
        {"Authorization": f"Bearer {token}x"},
        {"Authorization": f"Bearer sha256:{hashlib.sha256(hashed.encode()).hexdigest()}"},
        {"Authorization": token},
    ]
    for headers in refused:
        r = guarded.invoke(body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["WWW-Authenticate"] == CHALLENGE
        assert r.json()["error_code"] == "UNAUTHENTICATED" and r.json()["message"]
    assert guarded.invoke(body, auth=("anyone", "not-the-token-at-all")).status_code == 401

    for kwargs in ({"headers": {"Authorization": f"Bearer {token}"}}, {"auth": ("ci", token)},
                   {"headers": {"Authorization": f"Bearer {hashed}"}}):
        r = guarded.invoke(body, **kwargs)
        assert r.status_code == 200, (kwargs, r.text)
        assert r.json() == reference.json()

    # The Open Inference Protocol and every other route are guarded too; probes and /metrics are not.
    name = reference.headers["Cairn-Model"].split("/")[0]
    rows = body["dataframe_split"]["data"]
    infer = {"inputs": [{"name": "x", "shape": [len(rows), 3], "datatype": "FP64", "data": rows}]}
    r = requests.post(f"{guarded.url}/v2/models/{name}/infer", json=infer, timeout=30)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == CHALLENGE, r.text
    r = requests.post(f"{guarded.url}/v2/models/{name}/infer", json=infer, timeout=30,
                      headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert np.asarray(r.json()["outputs"][0]["data"]).tolist() == expected.tolist()
    for path in ["/version", f"/v2/models/{name}", "/no-such-route"]:
        assert requests.get(guarded.url + path, timeout=5).status_code == 401, path
    for path in OPEN_PATHS:
        assert requests.get(guarded.url + path, timeout=5).status_code == 200, path
    assert "cairn_serve_requests_total" in requests.get(guarded.url + "/metrics", timeout=5).text
    log = guarded.output()
    assert token not in log and hashed not in log


def test_tokens_rotate_without_a_restart(servers, model):
    _, guarded, tokens, token, _ = servers
    _, body, _ = model
    bearer = lambda t: {"Authorization": f"Bearer {t}"}  # noqa: E731
    assert guarded.invoke(body, headers=bearer(token)).status_code == 200
    rotated = secrets.token_hex(20)
    write_tokens(tokens, f"{rotated}\n")
    started = time.monotonic()
    while guarded.invoke(body, headers=bearer(rotated)).status_code != 200:
        assert time.monotonic() - started < 5, f"the new token is not accepted after 5 s:\n{guarded.output()}"
        time.sleep(0.2)
    assert guarded.invoke(body, headers=bearer(token)).status_code == 401
    # A rotation gone wrong (emptied, then world-readable) keeps the last good tokens and says so once each.
    write_tokens(tokens, "# nothing here\n")
    time.sleep(2.5)
    assert guarded.invoke(body, headers=bearer(rotated)).status_code == 200
    write_tokens(tokens, f"{token}\n", mode=0o644)
    time.sleep(2.5)
    assert guarded.invoke(body, headers=bearer(rotated)).status_code == 200
    assert guarded.invoke(body, headers=bearer(token)).status_code == 401
    time.sleep(2.5)
    assert guarded.invoke(body, headers=bearer(rotated)).status_code == 200
    log = guarded.output()
    assert log.count("holds no token") == 1, log
    assert log.count("chmod 600") == 1, log
    assert rotated not in log and token not in log
    write_tokens(tokens, f"{token}\n")
    started = time.monotonic()
    while guarded.invoke(body, headers=bearer(token)).status_code != 200:
        assert time.monotonic() - started < 5, f"the fixed file is not read again after 5 s:\n{guarded.output()}"
        time.sleep(0.2)


@pytest.mark.parametrize("text,mode,message", [
    (None, 0o600, "does not exist"),
    ("{token}\n", 0o644, "chmod 600"),
    ("# no tokens yet\n\n", 0o600, "holds no token"),
    ("{token}\nsha256:1234\n", 0o600, "line 2: 'sha256:' must be followed by 64 hex digits"),
])
def test_an_unusable_token_file_is_refused_at_start(cairn_bin, model, free_port, tmp_path, text, mode, message):
    token = secrets.token_hex(16)
    path = tmp_path / "tokens"
    if text is not None:
        write_tokens(path, text.format(token=token), mode)
    started = time.monotonic()
    result = subprocess.run(
        [cairn_bin, "serve", str(model[0]), "--port", str(free_port()), "--python", sys.executable,
         "--cache", str(tmp_path / "cache"), "--auth-token-file", str(path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert token not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert time.monotonic() - started < 10, "the token file should be checked before the model is loaded"
