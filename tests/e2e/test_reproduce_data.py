"""`cairn reproduce` with data outside git, and `cairn run` refusing commands that cannot run.

The usual project layout keeps data out of git (``data/`` in ``.gitignore``): reproduce must find the
recorded data, verify it, place it at the same relative path in the rebuilt checkout, and never leave a
registered worktree behind when it refuses or fails.
"""

from __future__ import annotations

import shutil

from test_reproducibility import (
    PYTHON,
    TRAIN_PY,
    cairn,
    data_csv,
    describe,
    experiment_runs,
    git,
    make_repo,
    only_run,
    reproduced_runs,
)


def ignored_data_repo(root):
    repo = make_repo(
        root,
        {".gitignore": "__pycache__/\n*.pyc\ndata/\n", "train.py": TRAIN_PY, "config.py": "EPOCHS = 3\n"},
    )
    (repo / "data").mkdir()
    (repo / "data" / "train.csv").write_text(data_csv(24))
    (repo / "data" / "holdout.csv").write_text(data_csv(8, intercept=0.5))
    assert git(repo, "status", "--porcelain") == "", "data/ must be ignored, not committed"
    return repo


def worktrees(repo) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


def test_reproduce_finds_ignored_data_verifies_and_cleans_up(client, base_url, unique, tmp_path):
    repo = ignored_data_repo(tmp_path / "project")
    name = unique("repro-ignored")
    done = cairn(
        base_url, "run", "--experiment", name, "--param", "lr=0.1", "--data", "data/", "--seed", "7",
        "--", PYTHON, "train.py", "--lr", "{lr}", cwd=repo,
    )
    assert done.returncode == 0, describe(done)
    original = only_run(client, name)
    original_id = original.info.run_id

    # Reproduce in a temporary checkout: the ignored data is found, verified and used.
    repro = cairn(base_url, "reproduce", original_id, cwd=tmp_path)
    assert repro.returncode == 0, describe(repro)
    assert "DIFFERS" not in repro.stdout, describe(repro)
    again = reproduced_runs(client, original.info.experiment_id, original_id)
    assert len(again) == 1
    assert again[0].data.metrics == original.data.metrics
    assert again[0].inputs.dataset_inputs[0].dataset.digest == original.inputs.dataset_inputs[0].dataset.digest
    assert len(worktrees(repo)) == 1, worktrees(repo)
    # The original data is untouched by the checkout's removal.
    assert (repo / "data" / "train.csv").read_text() == data_csv(24)

    # A named checkout has the data at the same relative path.
    kept = tmp_path / "kept"
    repro = cairn(base_url, "reproduce", original_id, "--workdir", str(kept), cwd=tmp_path)
    assert repro.returncode == 0, describe(repro)
    assert (kept / "data" / "train.csv").read_text() == data_csv(24)

    # Changed bytes: refused, naming the file, with no run and no worktree left behind.
    with (repo / "data" / "train.csv").open("a") as f:
        f.write("0.9000,9.0000\n")
    refused_dir = tmp_path / "refused"
    refused = cairn(base_url, "reproduce", original_id, "--workdir", str(refused_dir), cwd=tmp_path)
    assert refused.returncode == 2, describe(refused)
    assert "train.csv" in refused.stderr and "holdout.csv" not in refused.stderr, describe(refused)
    assert not refused_dir.exists()
    assert len(worktrees(repo)) == 2, worktrees(repo)  # the repository itself and the kept checkout
    assert len(reproduced_runs(client, original.info.experiment_id, original_id)) == 2

    # Data moved away: refused with a hint; --data PATH points to the verified copy elsewhere.
    moved = tmp_path / "elsewhere" / "data"
    moved.parent.mkdir()
    shutil.move(str(repo / "data"), str(moved))
    (moved / "train.csv").write_text(data_csv(24))
    missing = cairn(base_url, "reproduce", original_id, cwd=tmp_path)
    assert missing.returncode == 2, describe(missing)
    assert "--data" in missing.stderr, describe(missing)
    assert len(worktrees(repo)) == 2, worktrees(repo)

    found = cairn(base_url, "reproduce", original_id, "--data", str(moved), cwd=tmp_path)
    assert found.returncode == 0, describe(found)
    assert "DIFFERS" not in found.stdout, describe(found)
    assert len(worktrees(repo)) == 2, worktrees(repo)
    assert len(reproduced_runs(client, original.info.experiment_id, original_id)) == 3


def test_run_refuses_unfilled_placeholder_and_missing_program(client, base_url, unique, tmp_path):
    repo = ignored_data_repo(tmp_path / "project")
    name = unique("run-refused")
    unfilled = cairn(
        base_url, "run", "--experiment", name, "--param", "lr=0.1", "--", PYTHON, "train.py", "--lr", "{lr}",
        "--data", "{dataset}", cwd=repo,
    )
    assert unfilled.returncode == 64, describe(unfilled)
    assert "{dataset}" in unfilled.stderr, describe(unfilled)

    typo = cairn(base_url, "run", "--experiment", name, "--", "pyhton-not-a-program", "train.py", cwd=repo)
    assert typo.returncode == 64, describe(typo)
    assert "pyhton-not-a-program" in typo.stderr, describe(typo)

    sweep = cairn(
        base_url, "sweep", "--experiment", name, "--grid", "lr=0.1,0.2", "--", PYTHON, "train.py", "--lr", "{lr}",
        "--epochs", "{epochs}", cwd=repo,
    )
    assert sweep.returncode == 64, describe(sweep)
    assert "{epochs}" in sweep.stderr, describe(sweep)

    # Braces that are not placeholders still pass through.
    ok = cairn(base_url, "run", "--experiment", name, "--", PYTHON, "-c", "print({})", cwd=repo)
    assert ok.returncode == 0, describe(ok)
    experiment = client.get_experiment_by_name(name)
    assert experiment is not None
    assert len(experiment_runs(client, name)) == 1
