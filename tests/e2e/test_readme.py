"""The README's Python example runs as written against a real server and does what it says."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, TARGET


def readme_python_example() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the Python section should hold exactly one example"
    return blocks[0]


def test_readme_mentions_fast_failure_and_install():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    assert "pip install mlflow" in section
    assert "MLFLOW_HTTP_REQUEST_MAX_RETRIES" in section


@pytest.mark.skipif(TARGET != "cairn", reason="checks the README against Cairn")
def test_readme_python_example_runs_verbatim(base_url, client, tmp_path):
    if client.search_registered_models(filter_string="name = 'iris'"):
        pytest.skip("the shared server already has a model named iris")
    env = dict(os.environ)
    for key in ("MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
        env.pop(key, None)
    env["MLFLOW_TRACKING_URI"] = base_url
    env["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
    script = tmp_path / "example.py"
    script.write_text(readme_python_example())
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    version = client.get_model_version_by_alias("iris", "champion")
    assert version.version == "1"
    run = client.get_run(version.run_id)
    assert run.data.params == {"C": "0.5", "max_iter": "200"}
    assert run.data.metrics["accuracy"] > 0.9
    assert "metrics.accuracy" in done.stdout
