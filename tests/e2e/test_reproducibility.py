"""Reproducibility commands driven as real processes: cairn run, reproduce, sweep, best, runs compare.

Each test builds a small git repository in a temp folder with a deterministic Python training
script (seeded by CAIRN_SEED) and runs the real ``cairn`` binary against the session server.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import textwrap
from itertools import product
from pathlib import Path

import mlflow
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

PYTHON = sys.executable
CLI_TIMEOUT = 180

TRAIN_PY = """\
import argparse
import os
import random
import sys
from pathlib import Path

import mlflow

from config import EPOCHS

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--data", default="data")
args = parser.parse_args()

rng = random.Random(int(os.environ["CAIRN_SEED"]))
rows = []
for path in sorted(Path(args.data).glob("*.csv")):
    for line in path.read_text().splitlines()[1:]:
        x, y = line.split(",")
        rows.append((float(x), float(y)))

w, b = rng.uniform(-1.0, 1.0), 0.0
for _ in range(EPOCHS):
    rng.shuffle(rows)
    for x, y in rows:
        err = w * x + b - y
        w -= args.lr * err * x
        b -= args.lr * err
loss = sum((w * x + b - y) ** 2 for x, y in rows) / len(rows)

print(f"env CAIRN_PARAM_LR={os.environ.get('CAIRN_PARAM_LR')} CAIRN_SEED={os.environ.get('CAIRN_SEED')}")
print(f"argv lr={args.lr!r}")
print(f"loss={loss!r}")
print("training finished on stderr", file=sys.stderr)
with mlflow.start_run():
    mlflow.log_metric("loss", loss)
    mlflow.log_metric("w", w)
    mlflow.log_metric("b", b)
"""

FAIL_PY = """\
import sys

print("starting a doomed job")
print("fatal: the job cannot continue", file=sys.stderr)
sys.exit(3)
"""

NOISY_PY = """\
import os
import random
import time

import mlflow

rng = random.Random(int(os.environ["CAIRN_SEED"]))
with mlflow.start_run():
    mlflow.log_metric("stable", rng.random())
    mlflow.log_metric("clock", time.time_ns() % 1_000_000_007)
"""

# Sweep trials log through the REST API with the standard library only, so each trial starts fast.
SWEEP_PY = """\
import json
import os
import sys
import time
import urllib.request


def log_metric(key, value):
    body = json.dumps({
        "run_id": os.environ["MLFLOW_RUN_ID"], "key": key, "value": value,
        "timestamp": int(time.time() * 1000), "step": 0,
    }).encode()
    request = urllib.request.Request(
        os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + "/api/2.0/mlflow/runs/log-metric",
        data=body, headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=60).read()


mode = sys.argv[1]
if mode == "grid":
    a, b = sys.argv[2], sys.argv[3]
    if (a, b) == ("2", "z"):
        print("this combination diverges", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.4)
    log_metric("m", int(a) * 10 + "xyz".index(b) + 1)
else:
    lr = float(sys.argv[2])
    log_metric("lr_seen", lr)
    log_metric("m", -abs(lr - 0.01))
"""


def data_csv(n: int, slope: float = 2.0, intercept: float = 1.0) -> str:
    lines = ["x,y"]
    for i in range(n):
        x = i / n
        noise = ((i * 7919) % 13 - 6) / 100.0
        lines.append(f"{x:.4f},{slope * x + intercept + noise:.4f}")
    return "\n".join(lines) + "\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout.strip()


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """A git repository with `files` committed on branch main."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "config", "user.email", "e2e@example.com")
    git(root, "config", "user.name", "Cairn E2E")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "checkout", "-q", "-b", "main")
    write_files(root, {".gitignore": "__pycache__/\n*.pyc\n", **files})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def child_env(base_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
        env.pop(key, None)
    if base_url is not None:
        env["MLFLOW_TRACKING_URI"] = base_url
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def cairn(base_url: str | None, command: str, *args: str, cwd: Path | None = None,
          use_flag: bool = True) -> subprocess.CompletedProcess:
    """Run `cairn <command> [--tracking-uri URL] args...` and capture its output."""
    binary = os.environ["CAIRN_BIN"]
    argv = [binary, *command.split()]
    if use_flag and base_url is not None:
        argv += ["--tracking-uri", base_url]
    argv += list(args)
    return subprocess.run(
        argv, cwd=cwd, env=child_env(base_url), capture_output=True, text=True, timeout=CLI_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def describe(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"


def experiment_runs(client, name: str, filter_string: str = ""):
    experiment = client.get_experiment_by_name(name)
    assert experiment is not None, f"experiment {name} was not created"
    return client.search_runs([experiment.experiment_id], filter_string=filter_string, max_results=1000)


def only_run(client, name: str):
    runs = experiment_runs(client, name)
    assert len(runs) == 1, [r.info.run_id for r in runs]
    return runs[0]


def artifact_text(client, run_id: str, path: str, tmp_path: Path) -> str:
    dst = tmp_path / "downloads" / run_id
    dst.mkdir(parents=True, exist_ok=True)
    return Path(client.download_artifacts(run_id, path, str(dst))).read_text()


def same_path(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def reproduced_runs(client, experiment_id: str, original_id: str):
    return client.search_runs(
        [experiment_id], filter_string=f"tags.`cairn.reproducedFrom` = '{original_id}'", max_results=100
    )


def final_metrics(run) -> dict[str, float]:
    return dict(run.data.metrics)


@pytest.fixture
def train_repo(tmp_path):
    return make_repo(
        tmp_path / "project",
        {
            "train.py": TRAIN_PY,
            "config.py": "EPOCHS = 3\n",
            "fail.py": FAIL_PY,
            "data/train.csv": data_csv(24),
        },
    )


# 1. cairn run -------------------------------------------------------------------------------------


def test_run_records_source_environment_data_and_output(client, base_url, unique, train_repo, tmp_path):
    name = unique("repro-run")
    done = cairn(
        base_url, "run", "--experiment", name, "--param", "lr=0.1", "--data", "data/", "--seed", "7",
        "--", PYTHON, "train.py", "--lr", "{lr}", cwd=train_repo,
    )
    assert done.returncode == 0, describe(done)
    # The script's output is streamed to the terminal as it runs.
    assert "training finished on stderr" in done.stderr
    assert "argv lr=0.1" in done.stdout

    run = only_run(client, name)
    assert run.info.experiment_id == client.get_experiment_by_name(name).experiment_id
    assert run.info.status == "FINISHED"
    assert run.info.end_time is not None and run.info.end_time >= run.info.start_time
    tags = run.data.tags

    assert tags["mlflow.source.git.commit"] == git(train_repo, "rev-parse", "HEAD")
    assert tags["mlflow.source.git.branch"] == "main"
    assert "train.py" in tags["mlflow.source.name"]
    assert tags["mlflow.source.type"] == "LOCAL"
    assert tags.get("mlflow.user")
    command = json.loads(tags["cairn.command"])
    assert command == [PYTHON, "train.py", "--lr", "0.1"]
    assert same_path(tags["cairn.workdir"], train_repo)
    assert tags["cairn.seed"] == "7"
    assert tags.get("cairn.source.dirty") == "false"
    assert "cairn/source/diff.patch" not in {a.path for a in client.list_artifacts(run.info.run_id, "cairn/source")}

    assert platform.system() in tags["cairn.env.os"]
    assert tags["cairn.env.cpu"].strip()
    assert platform.python_version() in tags["cairn.env.python"]

    assert run.data.params["lr"] == "0.1"
    assert run.data.params["seed"] == "7"

    inputs = run.inputs.dataset_inputs
    assert len(inputs) == 1, inputs
    dataset = inputs[0].dataset
    assert dataset.name == "data"
    assert len(dataset.digest) >= 8 and all(c in "0123456789abcdef" for c in dataset.digest.lower())
    assert str(train_repo / "data") in dataset.source or os.path.realpath(train_repo / "data") in dataset.source

    stdout = artifact_text(client, run.info.run_id, "cairn/logs/stdout.txt", tmp_path)
    stderr = artifact_text(client, run.info.run_id, "cairn/logs/stderr.txt", tmp_path)
    assert "env CAIRN_PARAM_LR=0.1 CAIRN_SEED=7" in stdout
    assert "argv lr=0.1" in stdout
    assert "training finished on stderr" in stderr
    assert "training finished" not in stdout

    freeze = artifact_text(client, run.info.run_id, "cairn/env/requirements.txt", tmp_path)
    assert any(line.lower().startswith(("mlflow==", "mlflow-skinny==")) for line in freeze.splitlines()), freeze

    printed_loss = next(line for line in stdout.splitlines() if line.startswith("loss="))
    assert run.data.metrics["loss"] == pytest.approx(float(printed_loss.split("=", 1)[1]), rel=1e-12)
    assert {"loss", "w", "b"} <= set(run.data.metrics)


def test_run_propagates_failing_exit_code(client, base_url, unique, train_repo, tmp_path):
    name = unique("repro-fail")
    done = cairn(base_url, "run", "--experiment", name, "--", PYTHON, "fail.py", cwd=train_repo)
    assert done.returncode == 3, describe(done)
    run = only_run(client, name)
    assert run.info.status == "FAILED"
    assert "fatal: the job cannot continue" in artifact_text(
        client, run.info.run_id, "cairn/logs/stderr.txt", tmp_path
    )
    assert "starting a doomed job" in artifact_text(client, run.info.run_id, "cairn/logs/stdout.txt", tmp_path)


def test_run_without_command_is_a_usage_error(client, base_url, unique, train_repo):
    name = unique("repro-usage")
    done = cairn(base_url, "run", "--experiment", name, "--param", "lr=0.1", "--", cwd=train_repo)
    assert done.returncode == 64, describe(done)
    assert "usage" in (done.stderr + done.stdout).lower()
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        assert client.search_runs([experiment.experiment_id]) == []


# 2. cairn reproduce of a dirty tree -------------------------------------------------------------


def test_reproduce_rebuilds_dirty_source_and_matches_metrics(client, base_url, unique, train_repo, tmp_path):
    repo = train_repo
    commit = git(repo, "rev-parse", "HEAD")
    # Staged change, unstaged change of a tracked file, and an untracked source file.
    (repo / "config.py").write_text("EPOCHS = 5\n")
    git(repo, "add", "config.py")
    dirty_train = TRAIN_PY.replace("from config import EPOCHS\n", "from config import EPOCHS\nfrom helper import scale\n")
    dirty_train = dirty_train.replace("rows.append((float(x), float(y)))", "rows.append((scale(float(x)), float(y)))")
    assert dirty_train != TRAIN_PY
    (repo / "train.py").write_text(dirty_train)
    helper = "def scale(x):\n    return 0.5 * x + 0.25\n"
    (repo / "helper.py").write_text(helper)

    name = unique("repro-dirty")
    done = cairn(
        base_url, "run", "--experiment", name, "--param", "lr=0.2", "--data", "data", "--seed", "11",
        "--", PYTHON, "train.py", "--lr", "{lr}", cwd=repo,
    )
    assert done.returncode == 0, describe(done)
    original = only_run(client, name)
    original_id = original.info.run_id
    assert original.data.tags["mlflow.source.git.commit"] == commit
    assert original.data.tags.get("cairn.source.dirty") == "true"

    patch = artifact_text(client, original_id, "cairn/source/diff.patch", tmp_path)
    assert "+EPOCHS = 5" in patch
    assert "+from helper import scale" in patch
    assert artifact_text(client, original_id, "cairn/source/untracked/helper.py", tmp_path) == helper

    # Move on: commit further changes, then leave the working tree different again.
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "later work")
    (repo / "config.py").write_text("EPOCHS = 1\n")
    git(repo, "commit", "-q", "-am", "fewer epochs")
    (repo / "helper.py").write_text("def scale(x):\n    return 3.0 * x\n")
    (repo / "train.py").write_text(dirty_train.replace("err * x", "err * x * 0.5"))
    assert git(repo, "rev-parse", "HEAD") != commit

    workdir = tmp_path / "rebuilt"
    repro = cairn(base_url, "reproduce", original_id, "--workdir", str(workdir), cwd=tmp_path)
    assert repro.returncode == 0, describe(repro)
    assert "DIFFERS" not in repro.stdout
    for key in ("loss", "w", "b"):
        assert any(line.split()[:1] == [key] for line in repro.stdout.splitlines()), repro.stdout

    # The rebuilt source is the recorded one, not the current tree.
    assert (workdir / "train.py").read_text() == dirty_train
    assert (workdir / "config.py").read_text() == "EPOCHS = 5\n"
    assert (workdir / "helper.py").read_text() == helper

    again = reproduced_runs(client, original.info.experiment_id, original_id)
    assert len(again) == 1, [r.info.run_id for r in again]
    new = again[0]
    assert new.info.run_id != original_id
    assert new.info.status == "FINISHED"
    assert new.data.tags["cairn.reproducedFrom"] == original_id
    assert new.data.tags["mlflow.source.git.commit"] == commit
    assert new.data.tags["cairn.seed"] == "11"
    assert new.data.params["lr"] == "0.2"
    assert json.loads(new.data.tags["cairn.command"])[1:] == ["train.py", "--lr", "0.2"]
    assert final_metrics(new) == final_metrics(original)
    assert set(final_metrics(original)) == {"loss", "w", "b"}


def test_reproduce_reports_differing_metrics(client, base_url, unique, tmp_path):
    repo = make_repo(tmp_path / "noisy", {"noisy.py": NOISY_PY})
    name = unique("repro-noisy")
    done = cairn(base_url, "run", "--experiment", name, "--seed", "5", "--", PYTHON, "noisy.py", cwd=repo)
    assert done.returncode == 0, describe(done)
    original = only_run(client, name)

    repro = cairn(base_url, "reproduce", original.info.run_id, "--workdir", str(tmp_path / "rebuilt"), cwd=tmp_path)
    assert repro.returncode != 0, describe(repro)
    assert "DIFFERS" in repro.stdout, describe(repro)
    clock_line = next(line for line in repro.stdout.splitlines() if "clock" in line)
    assert "DIFFERS" in clock_line
    stable_line = next(line for line in repro.stdout.splitlines() if "stable" in line)
    assert "DIFFERS" not in stable_line

    again = reproduced_runs(client, original.info.experiment_id, original.info.run_id)
    assert len(again) == 1
    assert again[0].data.metrics["stable"] == original.data.metrics["stable"]
    assert again[0].data.metrics["clock"] != original.data.metrics["clock"]


# 3. data changes ----------------------------------------------------------------------------------


def test_reproduce_refuses_changed_data_unless_allowed(client, base_url, unique, train_repo, tmp_path):
    datasets = tmp_path / "datasets"
    write_files(datasets, {"train.csv": data_csv(20), "holdout.csv": data_csv(6, intercept=0.5)})
    name = unique("repro-data")
    done = cairn(
        base_url, "run", "--experiment", name, "--param", f"data={datasets}", "--param", "lr=0.1",
        "--data", str(datasets), "--seed", "3",
        "--", PYTHON, "train.py", "--lr", "{lr}", "--data", "{data}", cwd=train_repo,
    )
    assert done.returncode == 0, describe(done)
    original = only_run(client, name)
    original_digest = original.inputs.dataset_inputs[0].dataset.digest

    with (datasets / "train.csv").open("a") as f:
        f.write("0.9000,9.0000\n")

    refused = cairn(base_url, "reproduce", original.info.run_id, "--workdir", str(tmp_path / "r1"), cwd=tmp_path)
    assert refused.returncode == 2, describe(refused)
    output = refused.stdout + refused.stderr
    assert "train.csv" in output
    assert "holdout.csv" not in output
    assert len(experiment_runs(client, name)) == 1, "a refused reproduction must not start a run"

    allowed = cairn(
        base_url, "reproduce", original.info.run_id, "--allow-data-change", "--workdir", str(tmp_path / "r2"),
        cwd=tmp_path,
    )
    # It runs on the changed data, so the loss moves and the comparison reports it.
    assert allowed.returncode not in (0, 2), describe(allowed)
    assert "DIFFERS" in allowed.stdout, describe(allowed)
    again = reproduced_runs(client, original.info.experiment_id, original.info.run_id)
    assert len(again) == 1
    new = again[0]
    assert new.info.status == "FINISHED"
    assert new.data.metrics["loss"] != original.data.metrics["loss"]
    assert new.inputs.dataset_inputs[0].dataset.digest != original_digest


# 4. sweeps ----------------------------------------------------------------------------------------


def sweep_children(runs):
    return [r for r in runs if "mlflow.parentRunId" in r.data.tags]


def test_grid_sweep_parent_children_failure_resume_and_table(client, base_url, unique, tmp_path):
    repo = make_repo(tmp_path / "sweep", {"script.py": SWEEP_PY})
    name = unique("sweep-grid")
    argv = [
        "--experiment", name, "--grid", "a=1,2", "--grid", "b=x,y,z", "--parallel", "2", "--metric", "m", "--max",
        "--", PYTHON, "script.py", "grid", "{a}", "{b}",
    ]
    first = cairn(base_url, "sweep", *argv, cwd=repo)
    assert first.returncode in (0, 1), describe(first)

    runs = experiment_runs(client, name)
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    assert len(parents) == 1, [r.data.tags for r in parents]
    parent_id = parents[0].info.run_id
    children = sweep_children(runs)
    assert len(children) == 6
    assert all(c.data.tags["mlflow.parentRunId"] == parent_id for c in children)
    combos = {(c.data.params["a"], c.data.params["b"]): c for c in children}
    assert set(combos) == set(product(["1", "2"], ["x", "y", "z"]))
    statuses = sorted(c.info.status for c in children)
    assert statuses == ["FAILED"] + ["FINISHED"] * 5
    assert combos[("2", "z")].info.status == "FAILED"
    for (a, b), child in combos.items():
        if (a, b) != ("2", "z"):
            assert child.data.metrics["m"] == int(a) * 10 + "xyz".index(b) + 1

    # --parallel 2: some trials ran at the same time.
    spans = sorted((c.info.start_time, c.info.end_time) for c in children)
    assert any(spans[i + 1][0] < spans[i][1] for i in range(len(spans) - 1)), spans

    # The final table lists the trials sorted by m, best first.
    finished = sorted((c for c in children if c.info.status == "FINISHED"),
                      key=lambda c: c.data.metrics["m"], reverse=True)
    lines = first.stdout.splitlines()

    def row_of(run_id: str) -> int:
        hits = [i for i, line in enumerate(lines) if run_id[:8] in line]
        assert len(hits) == 1, (run_id, first.stdout)
        return hits[0]

    rows = [row_of(c.info.run_id) for c in finished]
    assert rows == sorted(rows), first.stdout
    row_of(combos[("2", "z")].info.run_id)
    assert str(finished[0].data.metrics["m"]).rstrip("0").rstrip(".") in lines[rows[0]]

    # Re-running the same sweep only retries the failed trial.
    finished_ids = {c.info.run_id for c in children if c.info.status == "FINISHED"}
    second = cairn(base_url, "sweep", *argv, cwd=repo)
    assert second.returncode in (0, 1), describe(second)
    runs = experiment_runs(client, name)
    assert [r.info.run_id for r in runs if "mlflow.parentRunId" not in r.data.tags] == [parent_id]
    children = sweep_children(runs)
    assert {c.info.run_id for c in children if c.info.status == "FINISHED"} == finished_ids
    new = [c for c in children if c.info.run_id not in {x.info.run_id for x in combos.values()}]
    assert len(new) == 1, [(c.data.params, c.info.status) for c in new]
    assert (new[0].data.params["a"], new[0].data.params["b"]) == ("2", "z")
    assert new[0].info.status == "FAILED"
    assert new[0].data.tags["mlflow.parentRunId"] == parent_id


def test_random_sweep_is_bounded_and_seeded(client, base_url, unique, tmp_path):
    repo = make_repo(tmp_path / "sweep", {"script.py": SWEEP_PY})

    def sweep(name: str) -> list[float]:
        done = cairn(
            base_url, "sweep", "--experiment", name, "--random", "4", "--space", "lr=loguniform:1e-3:1e-1",
            "--seed", "1", "--parallel", "2", "--metric", "m", "--max",
            "--", PYTHON, "script.py", "random", "{lr}", cwd=repo,
        )
        assert done.returncode == 0, describe(done)
        children = sweep_children(experiment_runs(client, name))
        assert len(children) == 4
        assert all(c.info.status == "FINISHED" for c in children)
        values = []
        for c in children:
            lr = float(c.data.params["lr"])
            assert 1e-3 <= lr <= 1e-1, lr
            assert c.data.metrics["lr_seen"] == pytest.approx(lr, rel=1e-12)
            values.append(lr)
        return sorted(values)

    first = sweep(unique("sweep-rand"))
    assert len(set(first)) > 1, first
    assert sweep(unique("sweep-rand")) == first


# 5. cairn best ------------------------------------------------------------------------------------


@pytest.fixture
def ranked_experiment(client, unique):
    """Three finished runs: a=1 m=0.5, a=2 m=0.9, a=1 m=0.7 (plus one without m)."""
    name = unique("best")
    experiment_id = client.create_experiment(name)
    ids = {}
    for label, a, m in (("low", "1", 0.5), ("top", "2", 0.9), ("mid", "1", 0.7)):
        run = client.create_run(experiment_id, run_name=label)
        client.log_param(run.info.run_id, "a", a)
        client.log_metric(run.info.run_id, "m", m)
        client.set_terminated(run.info.run_id)
        ids[label] = run.info.run_id
    client.set_terminated(client.create_run(experiment_id, run_name="no-metric").info.run_id)
    return name, experiment_id, ids


def test_best_picks_run_filter_and_json(base_url, ranked_experiment):
    name, _, ids = ranked_experiment
    done = cairn(base_url, "best", "--experiment", name, "--metric", "m", "--max")
    assert done.returncode == 0, describe(done)
    assert ids["top"] in done.stdout
    assert f"cairn reproduce {ids['top']}" in done.stdout
    assert ids["mid"] not in done.stdout and ids["low"] not in done.stdout

    lowest = cairn(base_url, "best", "--experiment", name, "--metric", "m", "--min")
    assert lowest.returncode == 0, describe(lowest)
    assert f"cairn reproduce {ids['low']}" in lowest.stdout

    filtered = cairn(base_url, "best", "--experiment", name, "--metric", "m", "--max", "--filter", "params.a = '1'")
    assert filtered.returncode == 0, describe(filtered)
    assert f"cairn reproduce {ids['mid']}" in filtered.stdout
    assert ids["top"] not in filtered.stdout

    as_json = cairn(base_url, "best", "--json", "--experiment", name, "--metric", "m", "--max")
    assert as_json.returncode == 0, describe(as_json)
    body = json.loads(as_json.stdout)
    assert body["run"]["info"]["run_id"] == ids["top"]
    assert body["value"] == 0.9
    assert body["reproduce"] == f"cairn reproduce {ids['top']}"

    none = cairn(base_url, "best", "--experiment", name, "--metric", "m", "--max", "--filter", "params.a = '3'")
    assert none.returncode != 0, describe(none)


def test_best_registers_model_with_alias(client, base_url, unique, ranked_experiment):
    name, experiment_id, ids = ranked_experiment
    rng = np.random.default_rng(3)
    features = rng.normal(size=(40, 2))
    target = (features[:, 0] + features[:, 1] > 0).astype(int)
    model = LogisticRegression().fit(features, target)
    with mlflow.start_run(experiment_id=experiment_id, run_name="champion") as run:
        mlflow.log_param("a", "2")
        mlflow.log_metric("m", 0.95)
        mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    best_id = run.info.run_id

    model_name = unique("best-model")
    done = cairn(
        base_url, "best", "--experiment", name, "--metric", "m", "--max", "--register", model_name,
        "--alias", "champion",
    )
    assert done.returncode == 0, describe(done)
    assert f"cairn reproduce {best_id}" in done.stdout

    version = client.get_model_version_by_alias(model_name, "champion")
    assert version.name == model_name
    assert version.run_id == best_id
    assert "champion" in client.get_registered_model(model_name).aliases
    loaded = mlflow.sklearn.load_model(f"models:/{model_name}@champion")
    assert (loaded.predict(features) == model.predict(features)).all()


# 6. cairn runs compare ----------------------------------------------------------------------------


def test_runs_compare_marks_differences_and_rejects_unknown_ids(client, base_url, experiment_id):
    ids = []
    for lr, acc in (("0.1", 0.8), ("0.2", 0.85)):
        run = client.create_run(experiment_id)
        client.log_param(run.info.run_id, "lr", lr)
        client.log_param(run.info.run_id, "batch", "32")
        client.log_metric(run.info.run_id, "acc", acc)
        client.set_terminated(run.info.run_id)
        ids.append(run.info.run_id)

    # The tracking URI comes from MLFLOW_TRACKING_URI here.
    done = cairn(base_url, "runs compare", *ids, use_flag=False)
    assert done.returncode == 0, describe(done)

    def row(key: str) -> list[str]:
        hits = [line.split() for line in done.stdout.splitlines() if key in line.split()]
        assert len(hits) == 1, (key, done.stdout)
        return hits[0]

    lr_row = row("params.lr")
    assert lr_row[0] == "*" and lr_row[-2:] == ["0.1", "0.2"]
    batch_row = row("params.batch")
    assert batch_row[0] == "params.batch" and batch_row[1:] == ["32", "32"]
    assert row("metrics.acc")[0] == "*"

    as_json = cairn(base_url, "runs compare", "--json", *ids)
    assert as_json.returncode == 0, describe(as_json)
    runs = json.loads(as_json.stdout)["runs"]
    assert [r["info"]["run_id"] for r in runs] == ids

    missing = "0" * 32
    bad = cairn(base_url, "runs compare", ids[0], missing)
    assert bad.returncode != 0, describe(bad)
    assert 0 < bad.returncode < 128, describe(bad)
    assert missing in bad.stderr or "not found" in bad.stderr.lower(), describe(bad)
    assert "Traceback" not in bad.stderr and "Fatal error" not in bad.stderr
