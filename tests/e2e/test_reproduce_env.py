"""`cairn reproduce` and the Python environment: recorded packages compared, refused with
--strict-env, and rebuilt exactly with --env venv (a real virtual environment, a tiny package built
as two wheels in the test and installed from a local folder)."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from test_reproducibility import artifact_text, cairn, describe, make_repo, only_run, reproduced_runs

PACKAGE = "cairn_probe_pkg"

TRAIN_PY = """\
import json
import os
import time
import urllib.request

import cairn_probe_pkg

body = json.dumps({
    "run_id": os.environ["MLFLOW_RUN_ID"], "key": "score", "value": 3 * cairn_probe_pkg.FACTOR,
    "timestamp": int(time.time() * 1000), "step": 0,
}).encode()
request = urllib.request.Request(
    os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + "/api/2.0/mlflow/runs/log-metric",
    data=body, headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(request, timeout=60).read()
print("score", 3 * cairn_probe_pkg.FACTOR)
"""


def build_wheel(folder: Path, version: str, factor: float) -> Path:
    """A pure-Python wheel of the probe package, written by hand (no build backend, no network)."""
    files = {
        f"{PACKAGE}/__init__.py": f"FACTOR = {factor!r}\n",
        f"{PACKAGE}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n",
        f"{PACKAGE}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: cairn-tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append(f"{PACKAGE}-{version}.dist-info/RECORD,,")
    files[f"{PACKAGE}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    path = folder / f"{PACKAGE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def pip_install(python: Path, wheels: Path, spec: str) -> None:
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "--no-index", "--find-links", str(wheels), spec], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("envrepro")
    wheels = root / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "1.0", 1.0)
    build_wheel(wheels, "2.0", 2.0)
    venv = root / "venv"
    done = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    pip_install(python, wheels, f"{PACKAGE}==1.0")
    repo = make_repo(root / "repo", {"train.py": TRAIN_PY, "requirements.txt": f"{PACKAGE}==1.0\n"})
    return {"root": root, "wheels": wheels, "python": python, "repo": repo}


def test_environment_recorded_compared_refused_and_rebuilt(server, client, project, tmp_path):
    experiment = f"envrepro-{uuid.uuid4().hex[:8]}"
    python, wheels, repo = project["python"], project["wheels"], project["repo"]
    done = cairn(server.url, "run", "--experiment", experiment, "--", str(python), "train.py", cwd=repo)
    assert done.returncode == 0, describe(done)
    original = only_run(client, experiment)
    run_id = original.info.run_id
    tags = original.data.tags
    assert tags["cairn.env.python"].startswith(str(python)) and tags["cairn.env.pip"]
    assert tags["cairn.env.platform"].startswith("linux")
    freeze = artifact_text(client, run_id, "cairn/env/requirements.txt", tmp_path)
    assert "cairn_probe_pkg==1.0" in freeze.replace("-", "_")
    assert artifact_text(client, run_id, "cairn/env/project/requirements.txt", tmp_path) == f"{PACKAGE}==1.0\n"
    assert original.data.metrics["score"] == 3.0

    # The package is upgraded: reproduce names the change, runs anyway, and the metric differs.
    pip_install(python, wheels, f"{PACKAGE}==2.0")
    done = cairn(server.url, "reproduce", run_id, cwd=repo)
    assert done.returncode == 1, describe(done)
    assert "1.0 → 2.0" in done.stderr and "probe" in done.stderr, describe(done)
    assert "environment differed in 1 package: 1 of 1 metrics differ" in done.stderr, describe(done)
    first = reproduced_runs(client, original.info.experiment_id, run_id)
    assert len(first) == 1 and first[0].data.tags["cairn.reproduce.env"] == "current"
    assert first[0].data.metrics["score"] == 6.0
    assert "1.0 → 2.0" in artifact_text(client, first[0].info.run_id, "cairn/reproduce/environment-diff.txt", tmp_path)

    # --strict-env refuses before any run is made.
    done = cairn(server.url, "reproduce", run_id, "--strict-env", cwd=repo)
    assert done.returncode == 2 and "probe" in done.stderr and "--strict-env" in done.stderr, describe(done)
    assert len(reproduced_runs(client, original.info.experiment_id, run_id)) == 1

    # --env venv rebuilds the recorded packages and reproduces the metric exactly; a second call reuses it.
    cache = tmp_path / "envs"
    for attempt in range(2):
        done = cairn(server.url, "reproduce", run_id, "--env", "venv", "--find-links", str(wheels),
                     "--env-cache", str(cache), cwd=repo)
        assert done.returncode == 0, describe(done)
        assert "identical code, data and environment: metrics identical" in done.stderr, describe(done)
        assert ("Reusing the environment" in done.stderr) == (attempt == 1), describe(done)
    runs = reproduced_runs(client, original.info.experiment_id, run_id)
    venv_runs = [r for r in runs if r.data.tags.get("cairn.reproduce.env") == "venv"]
    assert len(venv_runs) == 2 and all(r.data.metrics["score"] == 3.0 for r in venv_runs)
    assert len(list(cache.iterdir())) == 1
