"""Several `cairn server` processes on one PostgreSQL database behave as one server.

Clients are spread across three replicas; every uniqueness rule must hold across processes, which
only the database (transactions, constraints, row locks) can guarantee.
"""

import os
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import TARGET, ServerProcess

POSTGRES = os.environ.get("CAIRN_TEST_POSTGRES_URL", "")

pytestmark = [
    pytest.mark.skipif(TARGET != "cairn", reason="runs several Cairn servers"),
    pytest.mark.skipif(not POSTGRES, reason="CAIRN_TEST_POSTGRES_URL names no PostgreSQL server"),
]

API = "/api/2.0/mlflow"


def _with_database(uri: str, name: str) -> str:
    base, _, query = uri.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (("?" + query) if query else "")


def _psql(command: str) -> None:
    subprocess.run(["psql", POSTGRES, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], check=True,
                   capture_output=True, text=True)


class Replica(ServerProcess):
    """A Cairn server on the shared database and the shared artifact folder."""

    def __init__(self, workdir: Path, database: str, artifacts: Path):
        super().__init__("cairn", workdir)
        self.database = database
        self.artifacts_dir = artifacts

    def backend_store_uri(self) -> str:
        return self.database


@pytest.fixture
def replicas(tmp_path):
    name = "cairn_replicas_" + uuid.uuid4().hex[:12]
    _psql(f"CREATE DATABASE {name}")
    database = _with_database(POSTGRES, name)
    artifacts = tmp_path / "shared-artifacts"
    artifacts.mkdir()
    servers = []
    try:
        for i in range(3):
            server = Replica(tmp_path / f"replica{i}", database, artifacts)
            server.start()
            servers.append(server)
        yield servers
    finally:
        for server in servers:
            if server.proc and server.proc.poll() is None:
                server.stop()
        _psql(f"DROP DATABASE {name} WITH (FORCE)")


def _post(url: str, path: str, body: dict) -> requests.Response:
    return requests.post(f"{url}{API}/{path}", json=body, timeout=30)


def _get(url: str, path: str, params: dict) -> requests.Response:
    return requests.get(f"{url}{API}/{path}", params=params, timeout=30)


def test_concurrent_versions_are_unique_and_consecutive(replicas):
    urls = [r.url for r in replicas]
    assert _post(urls[0], "registered-models/create", {"name": "churn"}).status_code == 200

    def create(i: int) -> int:
        r = _post(urls[i % 3], "model-versions/create", {"name": "churn", "source": f"s3://bucket/churn/{i}"})
        assert r.status_code == 200, r.text
        return int(r.json()["model_version"]["version"])

    with ThreadPoolExecutor(max_workers=24) as pool:
        versions = list(pool.map(create, range(120)))
    assert sorted(versions) == list(range(1, 121))
    listed = _get(urls[1], "model-versions/search", {"filter": "name='churn'", "max_results": 1000}).json()
    assert len(listed["model_versions"]) == 120


def test_one_experiment_per_name_across_replicas(replicas):
    urls = [r.url for r in replicas]

    def create(i: int) -> requests.Response:
        return _post(urls[i % 3], "experiments/create", {"name": "race"})

    with ThreadPoolExecutor(max_workers=30) as pool:
        replies = list(pool.map(create, range(30)))
    ok = [r for r in replies if r.status_code == 200]
    refused = [r for r in replies if r.status_code != 200]
    assert len(ok) == 1, [r.text for r in replies]
    assert all(r.status_code == 400 and r.json()["error_code"] == "RESOURCE_ALREADY_EXISTS" for r in refused)
    found = _get(urls[2], "experiments/get-by-name", {"experiment_name": "race"}).json()
    assert found["experiment"]["experiment_id"] == ok[0].json()["experiment_id"]


def test_stage_transitions_and_alias_moves_are_atomic(replicas):
    urls = [r.url for r in replicas]
    _post(urls[0], "registered-models/create", {"name": "ranker"})
    for i in range(12):
        assert _post(urls[i % 3], "model-versions/create", {"name": "ranker", "source": f"s3://bucket/ranker/{i}"}).ok

    def promote(v: int) -> None:
        r = _post(urls[v % 3], "model-versions/transition-stage",
                  {"name": "ranker", "version": str(v), "stage": "Production", "archive_existing_versions": True})
        assert r.status_code == 200, r.text

    def move_alias(v: int) -> None:
        r = _post(urls[(v + 1) % 3], "registered-models/alias", {"name": "ranker", "alias": "champion",
                                                                  "version": str(v)})
        assert r.status_code == 200, r.text

    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(promote, range(1, 13)))
        list(pool.map(move_alias, range(1, 13)))
    versions = _get(urls[2], "model-versions/search", {"filter": "name='ranker'"}).json()["model_versions"]
    production = [v for v in versions if v["current_stage"] == "Production"]
    assert len(production) == 1, [(v["version"], v["current_stage"]) for v in versions]
    assert all(v["current_stage"] == "Archived" for v in versions if v not in production)
    model = _get(urls[0], "registered-models/get", {"name": "ranker"}).json()["registered_model"]
    aliases = model.get("aliases", [])
    assert len(aliases) == 1 and aliases[0]["alias"] == "champion"
    by_alias = _get(urls[1], "registered-models/alias", {"name": "ranker", "alias": "champion"}).json()
    assert by_alias["model_version"]["version"] == aliases[0]["version"]


def test_retried_log_batch_is_a_no_op(replicas):
    urls = [r.url for r in replicas]
    run_id = _post(urls[0], "runs/create", {"experiment_id": "0", "start_time": 1}).json()["run"]["info"]["run_id"]
    batch = {
        "run_id": run_id,
        "params": [{"key": f"p{i}", "value": str(i)} for i in range(20)],
        "tags": [{"key": "t", "value": "v"}],
        "metrics": [{"key": "loss", "value": 1.0 / (s + 1), "timestamp": 10, "step": s} for s in range(50)],
    }

    def send(i: int) -> int:
        return _post(urls[i % 3], "runs/log-batch", batch).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(send, range(24)))
    assert codes == [200] * 24
    run = _get(urls[1], "runs/get", {"run_id": run_id}).json()["run"]
    assert {p["key"]: p["value"] for p in run["data"]["params"]} == {f"p{i}": str(i) for i in range(20)}
    history = _get(urls[2], "metrics/get-history", {"run_id": run_id, "metric_key": "loss"}).json()["metrics"]
    assert sorted(m["step"] for m in history) == list(range(50))
    changed = dict(batch, params=[{"key": "p0", "value": "changed"}], metrics=[], tags=[])
    refused = _post(urls[0], "runs/log-batch", changed)
    assert refused.status_code == 400 and refused.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_runs_logged_through_every_replica_at_once(replicas):
    urls = [r.url for r in replicas]
    experiment = _post(urls[0], "experiments/create", {"name": "busy"}).json()["experiment_id"]

    def work(i: int) -> str:
        url = urls[i % 3]
        run_id = _post(url, "runs/create", {"experiment_id": experiment, "start_time": i}).json()["run"]["info"]["run_id"]
        for step in range(5):
            r = _post(urls[(i + step) % 3], "runs/log-batch", {
                "run_id": run_id,
                "metrics": [{"key": "acc", "value": step / 10, "timestamp": step, "step": step}],
                "params": [{"key": f"s{step}", "value": "x"}]})
            assert r.status_code == 200, r.text
        assert _post(url, "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": 99}).ok
        return run_id

    with ThreadPoolExecutor(max_workers=16) as pool:
        run_ids = set(pool.map(work, range(48)))
    found = _post(urls[2], "runs/search", {"experiment_ids": [experiment], "max_results": 1000,
                                           "filter": "metrics.acc = 0.4"}).json()["runs"]
    assert {r["info"]["run_id"] for r in found} == run_ids
    assert all(r["info"]["status"] == "FINISHED" for r in found)


def test_sigkilled_replica_loses_no_acknowledged_write(replicas):
    victim, survivor = replicas[0], replicas[1]
    run_id = _post(survivor.url, "runs/create", {"experiment_id": "0", "start_time": 1}).json()["run"]["info"]["run_id"]
    stop = threading.Event()
    acked: list[int] = []
    lock = threading.Lock()

    def writer(offset: int) -> None:
        session = requests.Session()
        step = offset * 1_000_000
        while not stop.is_set():
            metrics = [{"key": "m", "value": float(step + i), "timestamp": 1, "step": step + i} for i in range(50)]
            try:
                r = session.post(f"{victim.url}{API}/runs/log-batch", json={"run_id": run_id, "metrics": metrics},
                                 timeout=5)
            except requests.RequestException:
                return
            if r.status_code == 200:
                with lock:
                    acked.extend(range(step, step + 50))
            step += 50

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert acked, "no batch was acknowledged before the kill"
    steps = set()
    token = None
    while True:
        params = {"run_id": run_id, "metric_key": "m", "max_results": 25000}
        if token:
            params["page_token"] = token
        page = requests.get(f"{survivor.url}/api/2.0/mlflow/metrics/get-history", params=params, timeout=30).json()
        steps.update(m["step"] for m in page.get("metrics", []))
        token = page.get("next_page_token")
        if not token:
            break
    missing = set(acked) - steps
    assert not missing, f"{len(missing)} acknowledged points lost, e.g. {sorted(missing)[:5]}"


def test_artifacts_on_the_shared_folder_are_seen_by_every_replica(replicas):
    a, b = replicas[0], replicas[2]
    run = _post(a.url, "runs/create", {"experiment_id": "0", "start_time": 1}).json()["run"]["info"]
    path = run["artifact_uri"].split("mlflow-artifacts:/", 1)[1]
    put = requests.put(f"{a.url}/api/2.0/mlflow-artifacts/artifacts/{path}/notes.txt", data=b"shared", timeout=10)
    assert put.status_code == 200, put.text
    got = requests.get(f"{b.url}/api/2.0/mlflow-artifacts/artifacts/{path}/notes.txt", timeout=10)
    assert got.status_code == 200 and got.content == b"shared"
