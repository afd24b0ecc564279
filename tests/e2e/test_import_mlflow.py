"""`cairn import mlflow` and `cairn db copy` on a real MLflow installation.

A generator script (mlflow_import_generator.py), run with the full ``mlflow`` package named by
``MLFLOW_PYTHON`` (default ``<repo>/.venv-mlflow/bin/python``), logs experiments, runs, metric
histories with NaN and infinities, a dataset, logged models and a registry into a SQLite database
and into an ``mlruns`` folder, and dumps what MLflow reads back. After the import a Cairn server on
the imported database must give the mlflow client the same ids, values, versions, aliases and
stages, and load the models by ``models:/NAME/1`` and ``runs:/ID/model``.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import subprocess
import uuid
from pathlib import Path

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import ViewType

from conftest import ROOT, TARGET, ServerProcess

pytestmark = pytest.mark.skipif(TARGET != "cairn", reason="exercises the Cairn binary's import")

GENERATOR = Path(__file__).with_name("mlflow_import_generator.py")
MLFLOW_PYTHON = Path(os.environ.get("MLFLOW_PYTHON", ROOT / ".venv-mlflow" / "bin" / "python"))


def cairn(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    binary = os.environ.get("CAIRN_BIN")
    if not binary:
        raise pytest.UsageError("CAIRN_BIN must name the cairn executable")
    return subprocess.run(
        [binary, *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def generate(workdir: Path, uri: str) -> dict:
    if not MLFLOW_PYTHON.is_file():
        pytest.skip(f"no full mlflow installation at {MLFLOW_PYTHON} (set MLFLOW_PYTHON)")
    workdir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    done = subprocess.run(
        [str(MLFLOW_PYTHON), str(GENERATOR), uri, "expected.json"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads((workdir / "expected.json").read_text())


@pytest.fixture(scope="module")
def sql_install(tmp_path_factory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("mlflow-sql") / "install"
    expected = generate(work, f"sqlite:///{work / 'mlflow.db'}")
    return work, expected


@pytest.fixture(scope="module")
def file_install(tmp_path_factory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("mlflow-file") / "install"
    expected = generate(work, f"file:{work / 'mlruns'}")
    return work, expected


def comparable(points) -> list:
    """Distinct metric points with NaN made comparable. MLflow's file store can hold one point twice
    (a logged model's metrics are appended to the run's files again); Cairn, like MLflow's SQL
    store, keeps each distinct point once."""
    distinct = {tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in p) for p in points}
    return sorted(list(p) for p in distinct)


def sqlite_server(workdir: Path) -> ServerProcess:
    """A server on its own SQLite file, whatever E2E_BACKEND_STORE_URI says."""
    server = ServerProcess("cairn", workdir)
    uri = f"sqlite:///{server.db_path.resolve()}"
    server.backend_store_uri = lambda: uri
    return server


def import_into(server: ServerProcess, source: str) -> subprocess.CompletedProcess:
    return cairn(
        "import", "mlflow", "--from", source, "--to", server.backend_store_uri(),
        "--artifacts", str(server.artifacts_dir), "--quiet",
    )


@pytest.fixture
def postgres_uri():
    """A fresh database on the PostgreSQL server CAIRN_TEST_POSTGRES_URL names (the test script starts one)."""
    server = os.environ.get("CAIRN_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("CAIRN_TEST_POSTGRES_URL names no PostgreSQL server")
    name = "cairn_import_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", server, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"], check=True)
    yield server.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", server, "-q", "-c", f"DROP DATABASE {name} WITH (FORCE)"], check=False)


def imported_count(output: str, kind: str) -> tuple[int, int]:
    match = re.search(rf"^{re.escape(kind)}\s+(\d+)\s+(\d+)\s*$", output, re.MULTILINE)
    assert match, f"no '{kind}' row in:\n{output}"
    return int(match.group(1)), int(match.group(2))


def check_server_matches(url: str, expected: dict) -> None:
    client = MlflowClient(url)
    experiments = {e.experiment_id: e for e in client.search_experiments(view_type=ViewType.ALL)}
    for e in expected["experiments"]:
        got = experiments[e["id"]]
        assert (got.name, got.lifecycle_stage) == (e["name"], e["stage"])
        assert dict(got.tags) == e["tags"]
    assert experiments[expected["deleted_experiment"]].lifecycle_stage == "deleted"
    for r in expected["runs"]:
        got = client.get_run(r["id"])
        assert got.info.experiment_id == r["experiment_id"]
        assert (got.info.run_name, got.info.status, got.info.lifecycle_stage) == (r["name"], r["status"], r["stage"])
        assert dict(got.data.params) == r["params"]
        assert dict(got.data.tags) == r["tags"]
        assert set(got.data.metrics) == set(r["metrics"])
        for key, points in r["metrics"].items():
            history = client.get_metric_history(r["id"], key)
            assert comparable([p.step, p.timestamp, p.value] for p in history) == comparable(points), key
        datasets = [{"name": i.dataset.name, "digest": i.dataset.digest} for i in got.inputs.dataset_inputs]
        assert datasets == r["datasets"]
    assert client.get_run(expected["deleted_run"]).info.lifecycle_stage == "deleted"
    odd = {p.step: p.value for p in client.get_metric_history(expected["trained_run"], "odd") if p.step in (0, 1)}
    assert math.isnan(odd[0]) and odd[1] == math.inf

    model = expected["model"]
    registered = client.get_registered_model(model["name"])
    assert dict(registered.tags) == model["tags"]
    assert {k: int(v) for k, v in registered.aliases.items()} == {k: int(v) for k, v in model["aliases"].items()}
    versions = sorted(client.search_model_versions(f"name = '{model['name']}'"), key=lambda v: int(v.version))
    assert [int(v.version) for v in versions] == [int(v["version"]) for v in model["versions"]]
    for got, want in zip(versions, model["versions"]):
        assert (got.current_stage, got.source, got.run_id) == (want["stage"], want["source"], want["run_id"])
        assert dict(got.tags) == want["tags"]
    assert client.get_logged_model(expected["logged_model_id"]).source_run_id == expected["trained_run"]

    # Model URIs resolve against the global tracking URI: point it here, and back afterwards (the session
    # server of the other test files is the global one).
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(url)
    try:
        sample = expected["sample_input"]
        for uri in (f"models:/{model['name']}/1", f"runs:/{expected['trained_run']}/model",
                    f"models:/{model['name']}@champion"):
            predictions = mlflow.pyfunc.load_model(uri).predict(sample)
            assert [round(float(p), 6) for p in predictions] == [round(p, 6) for p in expected["predictions"]["trained"]]
    finally:
        mlflow.set_tracking_uri(previous)
    # Numbering continues after MLflow's deleted version 3.
    assert int(client.create_model_version(model["name"], "s3://bucket/next").version) == 4


def test_import_from_an_mlflow_database_keeps_ids_values_and_models(sql_install, tmp_path):
    work, expected = sql_install
    server = sqlite_server(tmp_path / "cairn")
    done = import_into(server, f"sqlite:///{work / 'mlflow.db'}")
    assert done.returncode == 0, done.stderr
    assert imported_count(done.stdout, "runs")[0] == len(expected["runs"])
    assert imported_count(done.stdout, "model versions") == (2, 0)
    assert "Only the default workspace" not in done.stdout
    assert re.search(r"Not imported \(Cairn does not model them\): .*trace_info \(1 rows\)", done.stdout), done.stdout
    before = sqlite3.connect(work / "mlflow.db").execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    again = import_into(server, f"sqlite:///{work / 'mlflow.db'}")
    assert again.returncode == 0, again.stderr
    for kind in ("experiments", "runs", "metric points", "logged models", "model versions", "aliases"):
        assert imported_count(again.stdout, kind)[0] == 0, again.stdout
    assert imported_count(again.stdout, "runs")[1] == len(expected["runs"])
    assert "0 files copied" in again.stdout
    # The MLflow database was only read.
    assert sqlite3.connect(work / "mlflow.db").execute("SELECT COUNT(*) FROM runs").fetchone()[0] == before

    server.start()
    try:
        check_server_matches(server.url, expected)
    finally:
        server.stop()


def test_import_from_an_mlruns_folder(file_install, tmp_path):
    work, expected = file_install
    server = sqlite_server(tmp_path / "cairn")
    done = import_into(server, f"file:{work / 'mlruns'}")
    assert done.returncode == 0, done.stderr
    assert imported_count(done.stdout, "experiments")[0] == len(expected["experiments"])
    server.start()
    try:
        check_server_matches(server.url, expected)
    finally:
        server.stop()


def test_db_copy_gives_a_database_a_server_reads_the_same(sql_install, tmp_path):
    work, expected = sql_install
    source = sqlite_server(tmp_path / "source")
    assert import_into(source, f"sqlite:///{work / 'mlflow.db'}").returncode == 0
    copy = sqlite_server(tmp_path / "copy")
    copy.artifacts_dir.rmdir()
    copy.artifacts_dir = source.artifacts_dir
    done = cairn("db", "copy", "--from", f"sqlite:///{source.db_path}", "--to", f"sqlite:///{copy.db_path}",
                 "--batch-size", "50")
    assert done.returncode == 0, done.stderr
    assert "MISMATCH" not in done.stdout
    metrics = re.search(r"^metrics\s+(\d+)\s+(\d+)\s+(\d+)\s+ok$", done.stdout, re.MULTILINE)
    assert metrics and metrics.group(1) == metrics.group(2) == metrics.group(3) and int(metrics.group(1)) > 60
    again = cairn("db", "copy", "--from", f"sqlite:///{source.db_path}", "--to", f"sqlite:///{copy.db_path}")
    assert again.returncode == 0 and re.search(r"^metrics\s+\d+\s+\d+\s+0\s+ok$", again.stdout, re.MULTILINE)
    copy.start()
    try:
        check_server_matches(copy.url, expected)
    finally:
        copy.stop()


def test_import_and_copy_into_postgresql(sql_install, tmp_path, postgres_uri):
    work, expected = sql_install
    server = ServerProcess("cairn", tmp_path / "pg")
    server.backend_store_uri = lambda: postgres_uri
    done = import_into(server, f"sqlite:///{work / 'mlflow.db'}")
    assert done.returncode == 0, done.stderr
    assert imported_count(done.stdout, "runs")[0] == len(expected["runs"])
    assert imported_count(import_into(server, f"sqlite:///{work / 'mlflow.db'}").stdout, "runs")[0] == 0
    server.start()
    try:
        check_server_matches(server.url, expected)
    finally:
        server.stop()
    # And back out: PostgreSQL to SQLite with equal counts.
    back = cairn("db", "copy", "--from", postgres_uri, "--to", f"sqlite:///{tmp_path / 'back.db'}", "--quiet")
    assert back.returncode == 0, back.stderr
    assert "MISMATCH" not in back.stdout


def test_import_from_an_mlflow_database_on_postgresql(tmp_path, postgres_uri):
    check = subprocess.run([str(MLFLOW_PYTHON), "-c", "import psycopg2"], capture_output=True)
    if check.returncode != 0:
        pytest.skip(f"{MLFLOW_PYTHON} has no psycopg2 for MLflow on PostgreSQL")
    # SQLAlchemy picks its driver from the scheme; Cairn reads the same database by its plain URI.
    expected = generate(tmp_path / "install", postgres_uri.replace("postgresql://", "postgresql+psycopg2://", 1))
    server = sqlite_server(tmp_path / "cairn")
    done = import_into(server, postgres_uri)
    assert done.returncode == 0, done.stderr
    assert re.search(r"Not imported \(Cairn does not model them\): .*trace_info \(1 rows\)", done.stdout), done.stdout
    server.start()
    try:
        check_server_matches(server.url, expected)
    finally:
        server.stop()


def test_db_upgrade_reports_pending_migrations(tmp_path):
    fresh = tmp_path / "fresh.db"
    sqlite3.connect(fresh).close()
    dry = cairn("db", "upgrade", f"sqlite:///{fresh}", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "v1-tracking" in dry.stdout and "Dry run" in dry.stdout
    applied = cairn("db", "upgrade", f"sqlite:///{fresh}")
    assert applied.returncode == 0 and "Applied" in applied.stdout
    assert "up to date" in cairn("db", "upgrade", f"sqlite:///{fresh}").stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "mlflow", "--from", "/no/such/mlruns", "--to", "sqlite:///x.db"], "does not exist"),
        (["import", "mlflow", "--from", "sqlite:////no/such/mlflow.db", "--to", "sqlite:///x.db"], "does not exist"),
        (["import", "mlflow", "--from", "s3://bucket/mlruns", "--to", "sqlite:///x.db"], "Unsupported source"),
        (["import", "mlflow", "--from", ".", "--to", "bogus://db"], "Unsupported backend store URI"),
        (["db", "copy", "--from", "sqlite:////no/such.db", "--to", "sqlite:///y.db"], "does not exist"),
        (["db", "copy", "--from", "mysql://h/db", "--to", "sqlite:///y.db"], "Unsupported backend store URI"),
        (["db", "upgrade", "sqlite:////no/such.db"], "does not exist"),
    ],
)
def test_bad_input_is_a_usage_error(args, message, tmp_path):
    done = subprocess.run(
        [os.environ["CAIRN_BIN"], *args], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Fatal" not in done.stderr and "Traceback" not in done.stderr
