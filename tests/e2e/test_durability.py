"""Crash safety: a server killed with SIGKILL mid-write restarts on an intact database."""

import os
import signal
import sqlite3
import threading
import time

import pytest
import requests

from conftest import TARGET, ServerProcess

pytestmark = [
    pytest.mark.skipif(TARGET != "cairn", reason="exercises the Cairn binary's own store"),
    pytest.mark.skipif(bool(os.environ.get("E2E_BACKEND_STORE_URI")),
                       reason="checks the SQLite file; test_replicas.py kills a server on PostgreSQL"),
]


def _writer(url: str, run_id: str, stop: threading.Event, acked: list):
    """Log batches until told to stop; remember every batch the server acknowledged."""
    session = requests.Session()
    step = 0
    while not stop.is_set():
        metrics = [{"key": "m", "value": float(step + i), "timestamp": 1, "step": step + i} for i in range(100)]
        try:
            r = session.post(f"{url}/api/2.0/mlflow/runs/log-batch", json={"run_id": run_id, "metrics": metrics},
                             timeout=5)
        except requests.RequestException:
            return
        if r.status_code == 200:
            acked.append(step + 99)
        step += 100


def test_sigkill_during_writes_keeps_every_acknowledged_batch(tmp_path):
    first = ServerProcess("cairn", tmp_path)
    first.start()
    url = first.url
    run_id = requests.post(f"{url}/api/2.0/mlflow/runs/create", json={"experiment_id": "0", "start_time": 1},
                           timeout=5).json()["run"]["info"]["run_id"]
    stop = threading.Event()
    acked: list = []
    threads = [threading.Thread(target=_writer, args=(url, run_id, stop, acked)) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    for log in first._logs:
        log.close()
    assert acked, "no batch was acknowledged before the kill"

    integrity = sqlite3.connect(first.db_path).execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"

    second = ServerProcess("cairn", tmp_path / "restart")
    second.db_path = first.db_path
    second.artifacts_dir = first.artifacts_dir
    second.start()
    try:
        history, token = [], None
        while True:
            params = {"run_id": run_id, "metric_key": "m", "max_results": 25000}
            if token:
                params["page_token"] = token
            page = requests.get(f"{second.url}/api/2.0/mlflow/metrics/get-history", params=params, timeout=10).json()
            history += [m["step"] for m in page.get("metrics", [])]
            token = page.get("next_page_token")
            if not token:
                break
        stored = set(history)
        missing = [s for s in acked if s not in stored]
        assert not missing, f"acknowledged batches lost after SIGKILL: {missing[:5]}"
        assert len(stored) == len(history), "duplicate points after restart"
    finally:
        assert second.stop() in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
