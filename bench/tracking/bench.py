#!/usr/bin/env python3
"""Tracking-server benchmark: Cairn, MLflow and FastTrackML over the MLflow REST API.

Each server is started on its own, on SQLite with a fresh database and artifact
directory, on a free loopback port. With --postgres URI (env BENCH_POSTGRES) every
server instead gets a fresh database on that PostgreSQL server (CREATE DATABASE
through psql), and the servers are cairn (one replica), cairn2 (two cairn server
processes on the same database; each client sticks to one replica, clients
alternate between them) and mlflow. The same workloads run against each:

  startup     launch to first successful GET /health; RSS of the process tree
  create      runs/create latency over sequential calls
  log-batch   runs/log-batch throughput (1000 metrics per request) at several
              client counts, each client on its own keep-alive connection
  history     metrics/get-history of one long series, paged as the MLflow client
              does it (max_results=25000 + next_page_token) and in one request
  search      runs/search with a metric + param filter and an order_by over one
              experiment seeded through the REST API

Results go to stdout as a Markdown table and to work/results-<stamp>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
SCRIPTS = Path(sysconfig.get_path("scripts"))
API = "/api/2.0/mlflow"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024

SEARCH_FILTER = "metrics.m0 > 0.5 and params.p1 = 'v3'"
SEARCH_ORDER_BY = ["metrics.m1 DESC"]
SEARCH_MAX_RESULTS = 1000
HISTORY_KEY = "loss"
HISTORY_PAGE = 25000
RUN_TAGS = [
    {"key": "mlflow.user", "value": "bench"},
    {"key": "mlflow.source.name", "value": "bench.py"},
    {"key": "mlflow.source.type", "value": "LOCAL"},
]
NEXT_PAGE_TOKEN = re.compile(rb'"next_page_token"\s*:\s*"((?:[^"\\]|\\.)*)"')

_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:7.1f}s] {message}", file=sys.stderr, flush=True)


def now_ms() -> int:
    return int(time.time() * 1000)


# --------------------------------------------------------------------------
# HTTP


class ApiError(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Client:
    """One keep-alive HTTP/1.1 connection speaking the MLflow REST API."""

    def __init__(self, port: int, timeout: float = 600.0):
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.connects = 0
        self.requests = 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            reused = self.conn.sock is not None
            if not reused:
                self.connects += 1
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if reused and attempt == 0:
                    continue
                raise
            self.requests += 1
            if response.status != 200:
                endpoint = path.split("?", 1)[0]
                detail = data[:300].decode("utf-8", "replace")
                raise ApiError(f"{method} {endpoint}: HTTP {response.status}: {detail}", response.status)
            return data
        raise AssertionError("unreachable")

    def post(self, endpoint: str, payload: bytes | dict) -> bytes:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.request("POST", API + endpoint, body)

    def get(self, endpoint: str, query: dict) -> bytes:
        return self.request("GET", f"{API}{endpoint}?{urlencode(query)}")

    def post_json(self, endpoint: str, payload: bytes | dict) -> dict:
        return json.loads(self.post(endpoint, payload))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def next_page_token(body: bytes) -> str | None:
    match = NEXT_PAGE_TOKEN.search(body)
    if not match or not match.group(1):
        return None
    return json.loads(b'"' + match.group(1) + b'"')


def create_experiment(client: Client, name: str) -> str:
    return client.post_json("/experiments/create", {"name": name})["experiment_id"]


def create_run(client: Client, experiment_id: str, name: str) -> str:
    payload = {
        "experiment_id": experiment_id,
        "user_id": "bench",
        "run_name": name,
        "start_time": now_ms(),
        "tags": RUN_TAGS,
    }
    return client.post_json("/runs/create", payload)["run"]["info"]["run_id"]


# --------------------------------------------------------------------------
# Processes


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


@dataclass
class Usage:
    rss_bytes: int
    processes: int
    cpu_seconds: float

    @property
    def rss_mib(self) -> float:
        return self.rss_bytes / MIB


def tree_usage(root: int) -> Usage:
    rss, count, ticks = 0, 0, 0
    for pid in process_tree(root):
        try:
            statm = Path(f"/proc/{pid}/statm").read_text().split()
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        rss += int(statm[1]) * PAGE_SIZE
        ticks += int(stat[11]) + int(stat[12])  # utime + stime
        count += 1
    return Usage(rss, count, ticks / CLOCK_TICKS)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def driver_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class ServerSpec:
    name: str
    label: str
    command: Callable[[int, Path, str], list[str]]  # (port, data dir, backend store URI)
    startup_timeout: float
    sqlite_store: Callable[[Path], str]  # backend store URI on SQLite in the data dir
    replicas: int = 1


def cairn_spec(binary: str, name: str = "cairn", label: str = "Cairn", replicas: int = 1) -> ServerSpec:
    def command(port: int, data: Path, store: str) -> list[str]:
        return [
            binary, "server", "--host", "127.0.0.1", "--port", str(port),
            "--backend-store-uri", store,
            "--artifacts-destination", str(data / "artifacts"),
        ]
    return ServerSpec(name, label, command, 60, lambda data: f"sqlite:///{data / 'db.sqlite'}", replicas)


def mlflow_spec() -> ServerSpec:
    def command(port: int, data: Path, store: str) -> list[str]:
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; name the driver that requirements.txt pins.
        store = re.sub(r"^postgres(ql)?://", "postgresql+psycopg2://", store)
        return [
            str(SCRIPTS / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port),
            "--backend-store-uri", store,
            "--artifacts-destination", str(data / "artifacts"),
        ]
    return ServerSpec("mlflow", "MLflow", command, 300, lambda data: f"sqlite:///{data / 'mlflow.db'}")


def fml_spec() -> ServerSpec:
    def command(port: int, data: Path, store: str) -> list[str]:
        return [
            str(SCRIPTS / "fml"), "server", "-a", f"127.0.0.1:{port}",
            "-d", store,
            "--default-artifact-root", str(data / "artifacts"),
        ]
    return ServerSpec("fml", "FastTrackML", command, 60, lambda data: f"sqlite://{data / 'fml.db'}")


class Postgres:
    """One PostgreSQL server reached through psql; hands each benchmarked server a fresh database."""

    def __init__(self, uri: str):
        parts = urlsplit(uri)
        if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
            raise ValueError(f"--postgres wants postgresql://USER@HOST:PORT/DB, got {uri!r}")
        self.uri = uri
        self.psql = os.environ.get("PSQL") or shutil.which("psql")
        if not self.psql:
            raise ValueError("psql not found (install the PostgreSQL client or set PSQL)")

    def database_uri(self, database: str) -> str:
        parts = urlsplit(self.uri)
        return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))

    def query(self, sql: str, database: str | None = None) -> str:
        uri = self.uri if database is None else self.database_uri(database)
        out = subprocess.run([self.psql, uri, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {sql}: {out.stderr.strip()}")
        return out.stdout.strip()

    def version(self) -> str:
        return self.query("SHOW server_version")

    def create(self, database: str) -> str:
        self.query(f'DROP DATABASE IF EXISTS "{database}"')
        self.query(f'CREATE DATABASE "{database}"')
        return self.database_uri(database)

    def size_bytes(self, database: str) -> int:
        return int(self.query(f"SELECT pg_database_size('{database}')"))

    def drop(self, database: str) -> None:
        self.query(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def cpu_seconds(self) -> float | None:
        """CPU time of the PostgreSQL server's processes, live and exited (a server that opens a
        connection per request leaves its work in the postmaster's reaped-children times), when the
        server runs on this machine and its postmaster.pid is readable; None otherwise."""
        try:
            data_dir = Path(self.query("SHOW data_directory"))
            postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
            stat = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
            reaped = (int(stat[13]) + int(stat[14])) / CLOCK_TICKS  # cutime + cstime
            return tree_usage(postmaster).cpu_seconds + reaped
        except (OSError, ValueError, RuntimeError, IndexError):
            return None


class RunningServer:
    """A server's processes (one per replica, each with its children), each in a process group of its own."""

    def __init__(self, spec: ServerSpec, data: Path, store: str):
        self.spec = spec
        self.data = data
        self.store = store
        self.ports = [free_port() for _ in range(spec.replicas)]
        self.procs: list[subprocess.Popen] = []
        self.peak = Usage(0, 0, 0.0)
        self._sampling = threading.Event()
        self._sampler: threading.Thread | None = None
        self.database_size: Callable[[], int] | None = None  # set when the store is not a file in data
        self.database_cpu: Callable[[], float | None] = lambda: None  # CPU seconds of a database server

    @property
    def port(self) -> int:
        return self.ports[0]

    def port_for(self, client: int) -> int:
        """The replica that client number `client` talks to: clients alternate between replicas."""
        return self.ports[client % len(self.ports)]

    def log_path(self, replica: int) -> Path:
        return self.data / ("server.log" if replica == 0 else f"server-{replica + 1}.log")

    def exited(self) -> bool:
        return any(proc.poll() is not None for proc in self.procs)

    def start(self) -> float:
        """Launches every replica at once and waits for /health on all; returns the seconds it took."""
        self.data.mkdir(parents=True, exist_ok=True)
        (self.data / "artifacts").mkdir(exist_ok=True)
        env = dict(os.environ, PATH=f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}")
        started = time.perf_counter()
        for replica, port in enumerate(self.ports):
            log_file = open(self.log_path(replica), "wb")
            self.procs.append(subprocess.Popen(
                self.spec.command(port, self.data, self.store), cwd=self.data, env=env,
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True,
            ))
            log_file.close()
        deadline = started + self.spec.startup_timeout
        waiting = set(range(len(self.ports)))
        while waiting:
            for replica in sorted(waiting):
                proc = self.procs[replica]
                if proc.poll() is not None:
                    raise RuntimeError(f"replica {replica + 1} exited with code {proc.returncode} before /health: "
                                       f"{self.log_tail(replica=replica)}")
                if self.healthy(self.ports[replica]):
                    waiting.discard(replica)
            if not waiting:
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no healthy /health after {self.spec.startup_timeout:.0f} s: {self.log_tail()}")
            time.sleep(0.005)
        elapsed = time.perf_counter() - started
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return elapsed

    @staticmethod
    def healthy(port: int) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/health")
            response = conn.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def usage(self) -> Usage:
        total = Usage(0, 0, 0.0)
        for proc in self.procs:
            usage = tree_usage(proc.pid)
            total = Usage(total.rss_bytes + usage.rss_bytes, total.processes + usage.processes,
                          total.cpu_seconds + usage.cpu_seconds)
        return total

    def settle(self, window: float = 10.0, limit: float = 120.0) -> Usage:
        """Waits until the process trees stop changing (same process count, RSS within 2 %)
        for `window` seconds, so that late-spawned workers count in the idle footprint."""
        started = time.monotonic()
        reference = self.usage()
        stable_since = started
        while time.monotonic() - started < limit:
            time.sleep(0.5)
            usage = self.usage()
            changed = (usage.processes != reference.processes
                       or abs(usage.rss_bytes - reference.rss_bytes) > 0.02 * reference.rss_bytes)
            if changed:
                reference, stable_since = usage, time.monotonic()
            elif time.monotonic() - stable_since >= window:
                break
        return self.usage()

    def _sample(self) -> None:
        while not self._sampling.wait(0.25):
            usage = self.usage()
            if usage.rss_bytes > self.peak.rss_bytes:
                self.peak = usage

    def log_tail(self, lines: int = 5, replica: int = 0) -> str:
        try:
            text = self.log_path(replica).read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(text[-lines:])

    def stop(self) -> None:
        """SIGTERM every replica's process group, then SIGKILL what is left after 30 s."""
        self._sampling.set()
        for proc in self.procs:
            for sig, grace in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                deadline = time.monotonic() + grace
                while self._group_alive(proc) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if not self._group_alive(proc):
                    break
            proc.wait()

    @staticmethod
    def _group_alive(proc: subprocess.Popen) -> bool:
        proc.poll()  # reap the leader so that it does not linger as a zombie
        try:
            os.killpg(proc.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def database_bytes(self) -> int:
        if self.database_size is not None:
            return self.database_size()
        return sum(p.stat().st_size for p in self.data.iterdir() if p.is_file() and not p.name.endswith(".log"))


# --------------------------------------------------------------------------
# Workloads


@dataclass
class Config:
    quick: bool
    search_runs: int
    seed_clients: int
    history_points: int
    create_calls: int
    log_levels: list[int]
    log_seconds: float
    search_calls: int
    history_reads: int
    backend: str = "sqlite"  # "sqlite", or "postgresql" with --postgres


def percentiles(samples: list[float], *points: int) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {f"p{p}_ms": cuts[p - 1] * 1000 for p in points}


def timed_calls(call: Callable[[], object], max_calls: int, min_calls: int, budget_s: float) -> list[float]:
    """Times `call` max_calls times, or fewer (but at least min_calls) once budget_s is spent."""
    timings: list[float] = []
    started = time.perf_counter()
    while len(timings) < max_calls and (len(timings) < min_calls or time.perf_counter() - started < budget_s):
        before = time.perf_counter()
        call()
        timings.append(time.perf_counter() - before)
    return timings


def bench_create(server: RunningServer, cfg: Config) -> dict:
    client = Client(server.port)
    experiment = create_experiment(client, "bench-create")
    for i in range(min(20, cfg.create_calls)):
        create_run(client, experiment, f"warmup-{i}")
    latencies = []
    for i in range(cfg.create_calls):
        payload = {
            "experiment_id": experiment, "user_id": "bench", "run_name": f"run-{i}",
            "start_time": now_ms(), "tags": RUN_TAGS,
        }
        body = json.dumps(payload).encode()
        started = time.perf_counter()
        client.post("/runs/create", body)
        latencies.append(time.perf_counter() - started)
    return {
        "calls": cfg.create_calls,
        **percentiles(latencies, 50, 99),
        "mean_ms": statistics.fmean(latencies) * 1000,
        "connections": client.connects,
    }


class BatchWriter:
    """Builds log-batch bodies of keys x steps metric points; each body continues the steps of the last.

    The JSON is a %-template filled with (timestamp, step) pairs, so that building a body costs
    the client little CPU next to the server it measures."""

    def __init__(self, run_id: str, keys: int = 10, steps: int = 100, seed: int = 0):
        rng = random.Random(seed)
        metrics = ",".join(
            '{"key":"m%d","value":%r,"timestamp":%%d,"step":%%d}' % (k, rng.random())
            for k in range(keys)
            for _ in range(steps)
        )
        self.template = f'{{"run_id":"{run_id}","metrics":[{metrics}]}}'
        self.keys = keys
        self.steps = steps
        self.next_step = 0
        self.timestamp = now_ms()

    @property
    def points(self) -> int:
        return self.keys * self.steps

    def body(self) -> bytes:
        first = self.next_step
        self.next_step += self.steps
        pairs: list[int] = []
        for step in range(first, first + self.steps):
            pairs += (self.timestamp + step, step)
        return (self.template % tuple(pairs * self.keys)).encode()


def log_batch_level(server: RunningServer, experiment: str, clients: int, seconds: float) -> dict:
    setup = Client(server.port)
    writers = [BatchWriter(create_run(setup, experiment, f"c{clients}-{i}"), seed=i) for i in range(clients)]
    setup.close()
    conns = [Client(server.port_for(i)) for i in range(clients)]
    done = [0] * clients
    finished = [0.0] * clients
    errors: list[str] = []
    window: dict[str, float] = {}

    def open_window() -> None:
        window["start"] = time.perf_counter()
        window["deadline"] = window["start"] + seconds

    barrier = threading.Barrier(clients, action=open_window)

    def worker(i: int) -> None:
        client, writer = conns[i], writers[i]
        try:
            client.post("/runs/log-batch", writer.body())  # warm-up, not counted
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            errors.append(str(exc))
        barrier.wait()
        if errors:
            finished[i] = time.perf_counter()
            return
        while time.perf_counter() < window["deadline"]:
            try:
                client.post("/runs/log-batch", writer.body())
            except Exception as exc:  # noqa: BLE001
                errors.append(str(exc))
                break
            done[i] += 1
        finished[i] = time.perf_counter()

    server_before = server.usage().cpu_seconds
    database_before = server.database_cpu()
    client_before = time.process_time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(finished) - window["start"]
    requests = sum(done)
    connections = sum(s.connects for s in conns)
    for conn in conns:
        conn.close()
    result = {
        "clients": clients,
        "seconds": elapsed,
        "requests": requests,
        "points": requests * writers[0].points,
        "points_per_s": requests * writers[0].points / elapsed,
        "requests_per_s": requests / elapsed,
        "connections": connections,
        "server_cpu_s": server.usage().cpu_seconds - server_before,
        "client_cpu_s": time.process_time() - client_before,
    }
    database_after = server.database_cpu()
    if database_before is not None and database_after is not None:
        result["database_cpu_s"] = database_after - database_before
    if errors:
        result["errors"] = len(errors)
        result["error"] = errors[0]
    return result


def bench_log_batch(server: RunningServer, cfg: Config) -> dict:
    client = Client(server.port)
    experiment = create_experiment(client, "bench-log-batch")
    client.close()
    levels = {}
    for clients in cfg.log_levels:
        result = log_batch_level(server, experiment, clients, cfg.log_seconds)
        levels[str(clients)] = result
        note = f", {result['errors']} errors: {result['error']}" if "error" in result else ""
        log(f"  log-batch x{clients}: {result['points_per_s']:,.0f} points/s "
            f"({result['requests']} requests in {result['seconds']:.1f} s, "
            f"server CPU {result['server_cpu_s']:.1f} s, client CPU {result['client_cpu_s']:.1f} s"
            + (f", PostgreSQL CPU {result['database_cpu_s']:.1f} s" if "database_cpu_s" in result else "")
            + f"{note})")
    return {"levels": levels}


def read_history_paged(client: Client, run_id: str) -> list[bytes]:
    """Reads the whole series the way the MLflow client does: pages of 25,000 following next_page_token."""
    pages: list[bytes] = []
    token = None
    while True:
        query = {"run_uuid": run_id, "run_id": run_id, "metric_key": HISTORY_KEY, "max_results": HISTORY_PAGE}
        if token:
            query["page_token"] = token
        pages.append(client.get("/metrics/get-history", query))
        token = next_page_token(pages[-1])
        if not token or len(pages) > 1000:
            return pages


def count_history(pages: list[bytes]) -> tuple[int, int]:
    """Returns (points, distinct steps) across pages."""
    steps = set()
    points = 0
    for page in pages:
        metrics = json.loads(page).get("metrics", [])
        points += len(metrics)
        steps.update(int(m.get("step", 0)) for m in metrics)
    return points, len(steps)


def bench_history(server: RunningServer, cfg: Config) -> dict:
    client = Client(server.port)
    experiment = create_experiment(client, "bench-history")
    run_id = create_run(client, experiment, "history")
    rng = random.Random(7)
    base = now_ms()
    started = time.perf_counter()
    for first in range(0, cfg.history_points, 1000):
        metrics = [
            {"key": HISTORY_KEY, "value": rng.random(), "timestamp": base + step, "step": step}
            for step in range(first, min(first + 1000, cfg.history_points))
        ]
        client.post("/runs/log-batch", {"run_id": run_id, "metrics": metrics})
    seed_seconds = time.perf_counter() - started
    log(f"  history: seeded {cfg.history_points:,} points in {seed_seconds:.1f} s")

    reads = {"min_calls": 3, "max_calls": cfg.history_reads, "budget_s": 30}
    pages = read_history_paged(client, run_id)  # warm-up
    timings = timed_calls(lambda: read_history_paged(client, run_id), **reads)
    points, steps = count_history(pages)
    paged = {
        "reads": len(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "min_ms": min(timings) * 1000,
        "pages": len(pages),
        "points": points,
        "distinct_steps": steps,
        "complete": points == cfg.history_points and steps == cfg.history_points,
    }
    log(f"  history paged: p50 {paged['p50_ms']:.0f} ms, {len(pages)} pages, {points:,} points")

    query = {"run_uuid": run_id, "run_id": run_id, "metric_key": HISTORY_KEY}
    body = client.get("/metrics/get-history", query)
    timings = timed_calls(lambda: client.get("/metrics/get-history", query), **reads)
    single_points, _ = count_history([body])
    single = {
        "reads": len(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "points": single_points,
        "has_next_page": next_page_token(body) is not None,
        "complete": single_points == cfg.history_points,
    }
    log(f"  history single request: p50 {single['p50_ms']:.0f} ms, {single_points:,} points")
    return {"points": cfg.history_points, "seed_s": seed_seconds, "paged": paged, "single": single}


def search_run_data(i: int) -> tuple[list[str], list[float]]:
    rng = random.Random(i)
    params = [f"v{rng.randrange(10)}" for _ in range(10)]
    metrics = [rng.random() for _ in range(10)]
    return params, metrics


def expected_search(runs: int) -> list[str]:
    """Run names matching SEARCH_FILTER, in SEARCH_ORDER_BY order."""
    matches = []
    for i in range(runs):
        params, metrics = search_run_data(i)
        if metrics[0] > 0.5 and params[1] == "v3":
            matches.append((-metrics[1], f"run-{i:05d}"))
    return [name for _, name in sorted(matches)]


def seed_search(server: RunningServer, cfg: Config, experiment: str) -> dict:
    runs, workers = cfg.search_runs, cfg.seed_clients
    progress = [0] * workers
    retries = [0] * workers
    errors: list[str] = []
    timestamp = now_ms()

    def call(client: Client, i: int, fn: Callable[[], object]) -> object:
        for attempt in range(4):
            try:
                return fn()
            except (ApiError, OSError) as exc:
                transient = not isinstance(exc, ApiError) or exc.status in (429, 500, 502, 503, 504)
                if not transient or attempt == 3:
                    raise
                retries[i] += 1
                client.close()
                time.sleep(0.1 * 2 ** attempt)

    def seed_run(client: Client, w: int, i: int) -> None:
        params, metrics = search_run_data(i)
        run_id = call(client, w, lambda: create_run(client, experiment, f"run-{i:05d}"))
        body = json.dumps({
            "run_id": run_id,
            "params": [{"key": f"p{k}", "value": v} for k, v in enumerate(params)],
            "metrics": [{"key": f"m{k}", "value": v, "timestamp": timestamp, "step": 0} for k, v in enumerate(metrics)],
        }).encode()
        call(client, w, lambda: client.post("/runs/log-batch", body))

    def worker(w: int) -> None:
        client = Client(server.port_for(w))
        try:
            for i in range(w, runs, workers):
                if errors:
                    return
                try:
                    seed_run(client, w, i)
                except Exception as exc:  # noqa: BLE001 - reported by the caller
                    errors.append(f"run {i}: {exc}")
                    return
                progress[w] += 1
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    last_report = started
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        if time.perf_counter() - last_report >= 15:
            last_report = time.perf_counter()
            done = sum(progress)
            log(f"  search: seeded {done:,}/{runs:,} runs ({done / (last_report - started):,.0f} runs/s)")
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"seeding failed after {sum(progress)} runs: {errors[0]}")
    return {"seconds": elapsed, "runs_per_s": runs / elapsed, "clients": workers, "retries": sum(retries)}


def bench_search(server: RunningServer, cfg: Config) -> dict:
    client = Client(server.port)
    experiment = create_experiment(client, "bench-search")
    seeding = seed_search(server, cfg, experiment)
    log(f"  search: seeded {cfg.search_runs:,} runs in {seeding['seconds']:.1f} s "
        f"({seeding['runs_per_s']:,.0f} runs/s, {seeding['retries']} retries)")

    query = {
        "experiment_ids": [experiment],
        "filter": SEARCH_FILTER,
        "run_view_type": "ACTIVE_ONLY",
        "max_results": SEARCH_MAX_RESULTS,
        "order_by": SEARCH_ORDER_BY,
    }
    request = json.dumps(query).encode()
    for _ in range(3):
        body = client.post("/runs/search", request)
    timings = timed_calls(lambda: client.post("/runs/search", request),
                          max_calls=cfg.search_calls, min_calls=min(10, cfg.search_calls), budget_s=60)

    first_page = [r["info"]["run_name"] for r in json.loads(body).get("runs", [])]
    matched = len(first_page)
    token = next_page_token(body)
    pages = 1
    while token and pages <= cfg.search_runs // SEARCH_MAX_RESULTS + 1:
        response = client.post("/runs/search", {**query, "page_token": token})
        matched += len(json.loads(response).get("runs", []))
        token = next_page_token(response)
        pages += 1

    expected = expected_search(cfg.search_runs)
    result = {
        "runs": cfg.search_runs,
        "seed": seeding,
        "calls": len(timings),
        **percentiles(timings, 50, 90),
        "response_bytes": len(body),
        "first_page_runs": len(first_page),
        "matched": matched,
        "expected_matched": len(expected),
        "first_page_as_expected": first_page == expected[:SEARCH_MAX_RESULTS],
        "first_page_digest": hashlib.sha256("\n".join(first_page).encode()).hexdigest()[:16],
    }
    log(f"  search: p50 {result['p50_ms']:.0f} ms, p90 {result['p90_ms']:.0f} ms, "
        f"{matched} matched (expected {len(expected)}), first page as expected: {result['first_page_as_expected']}")
    return result


WORKLOADS: list[tuple[str, Callable[[RunningServer, Config], dict]]] = [
    ("create", bench_create),
    ("log_batch", bench_log_batch),
    ("history", bench_history),
    ("search", bench_search),
]


def bench_server(spec: ServerSpec, cfg: Config, data: Path, keep_data: bool, postgres: Postgres | None) -> dict:
    log(f"{spec.label}: starting")
    result: dict = {"label": spec.label, "replicas": spec.replicas}
    database = None
    if postgres is None:
        store = spec.sqlite_store(data)
    else:
        database = f"bench_{spec.name}_{data.parent.name.removeprefix('run-').replace('-', '_')}"
        try:
            store = postgres.create(database)
        except Exception as exc:  # noqa: BLE001
            result["error"] = f"creating database {database}: {exc}"
            log(f"{spec.label}: FAILED: {result['error']}")
            return result
        result["database"] = database
    server = RunningServer(spec, data, store)
    if postgres is not None:
        server.database_size = lambda: postgres.size_bytes(database)
        server.database_cpu = postgres.cpu_seconds
    wall, busy, driver = time.monotonic(), machine_busy_seconds(), driver_cpu_seconds()
    database_cpu = postgres.cpu_seconds() if postgres is not None else None
    try:
        try:
            startup = server.start()
        except Exception as exc:  # noqa: BLE001
            result["error"] = f"startup: {exc}"
            log(f"{spec.label}: FAILED to start: {exc}")
            return result
        log(f"{spec.label}: healthy after {startup * 1000:.0f} ms; waiting for the process tree to settle")
        idle = server.settle()
        result["startup"] = {"health_s": startup, "idle_rss_mib": idle.rss_mib, "idle_processes": idle.processes}
        log(f"{spec.label}: idle RSS {idle.rss_mib:.0f} MiB in {idle.processes} process(es)")
        for name, workload in WORKLOADS:
            if server.exited():
                result[name] = {"error": f"server exited: {server.log_tail()}"}
                continue
            log(f"{spec.label}: {name}")
            started = time.perf_counter()
            try:
                result[name] = workload(server, cfg)
            except Exception as exc:  # noqa: BLE001
                result[name] = {"error": f"{type(exc).__name__}: {exc}"}
                log(f"{spec.label}: {name} FAILED: {exc}")
            result[name]["wall_s"] = time.perf_counter() - started
        after = server.usage()
        result["after"] = {
            "rss_mib": after.rss_mib,
            "processes": after.processes,
            "peak_rss_mib": max(server.peak.rss_mib, after.rss_mib),
            "cpu_s": after.cpu_seconds,
            "database_mib": server.database_bytes() / MIB,
        }
        # CPU used by processes other than this server and this driver, averaged over the run:
        # other work on the machine competes with both and skews the numbers.
        others = (machine_busy_seconds() - busy) - after.cpu_seconds - (driver_cpu_seconds() - driver)
        if database_cpu is not None:
            # The database server works for the server under test: count it apart, not as other load.
            database_cpu_after = postgres.cpu_seconds()
            if database_cpu_after is not None:
                result["after"]["database_cpu_s"] = database_cpu_after - database_cpu
                others -= result["after"]["database_cpu_s"]
        result["other_cpu_cores"] = max(0.0, others) / (time.monotonic() - wall)
        log(f"{spec.label}: RSS after workloads {after.rss_mib:.0f} MiB "
            f"(peak {result['after']['peak_rss_mib']:.0f} MiB), database {result['after']['database_mib']:.0f} MiB")
    finally:
        server.stop()
        if not keep_data:
            for path in data.iterdir():
                if not path.name.endswith(".log"):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            if postgres is not None and database is not None:
                try:
                    postgres.drop(database)
                except Exception as exc:  # noqa: BLE001
                    log(f"{spec.label}: could not drop database {database}: {exc}")
    return result


# --------------------------------------------------------------------------
# Report


def machine_info() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg_at_start": float(Path("/proc/loadavg").read_text().split()[0]),
        "uptime_at_start": uptime(),
    }


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return Path("/proc/loadavg").read_text().strip()


def versions(cairn_bin: str | None) -> dict:
    found = {}
    for package in ("mlflow", "fasttrackml", "psycopg2-binary"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    if cairn_bin:
        try:
            out = subprocess.run([cairn_bin, "--version"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0:
                found["cairn"] = out.stdout.strip()
        except OSError:
            pass
    return found


def fmt_num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_ratio(cairn: float | None, other: float | None) -> str:
    if cairn is None or other is None or other == 0:
        return "—"
    ratio = cairn / other
    if ratio >= 10:
        return f"{ratio:,.0f}×"
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def dig(result: dict, *path: str):
    node = result
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


@dataclass
class Row:
    label: str
    section: str  # result section whose failure fails the cell
    cell: Callable[[dict], tuple[float | None, str]]  # (value for the ratio columns, text)
    compare: str = "ratio"  # "ratio": Cairn/other; "agree": same or differs; "none"


def number(*path: str, scale: float = 1.0, suffix: Callable[[dict], str] | None = None):
    def cell(result: dict) -> tuple[float | None, str]:
        value = dig(result, *path)
        if value is None:
            return None, "—"
        value *= scale
        return value, fmt_num(value) + (suffix(result) if suffix else "")
    return cell


def log_batch_cell(clients: int):
    def cell(result: dict) -> tuple[float | None, str]:
        level = dig(result, "log_batch", "levels", str(clients))
        if level is None:
            return None, "—"
        if "error" in level:
            return None, "failed"
        return level["points_per_s"], fmt_num(level["points_per_s"])
    return cell


def history_paged_cell(result: dict) -> tuple[float | None, str]:
    paged = dig(result, "history", "paged")
    if paged is None:
        return None, "—"
    note = f" ({paged['pages']} pg)" if paged["complete"] else f" (incomplete: {paged['points']:,} points)"
    return paged["p50_ms"], fmt_num(paged["p50_ms"]) + note


def history_single_cell(result: dict) -> tuple[float | None, str]:
    single = dig(result, "history", "single")
    if single is None:
        return None, "—"
    if not single["complete"]:
        return None, f"n/a (returns {single['points']:,} points)"
    return single["p50_ms"], fmt_num(single["p50_ms"])


def search_matched_cell(result: dict) -> tuple[float | None, str]:
    search = result.get("search") or {}
    if "matched" not in search:
        return None, "—"
    order = "" if search["first_page_as_expected"] else " (first page differs from expected)"
    return search["matched"], f"{search['matched']:,}{order}"


def table_rows(cfg: Config, nproc: int) -> list[Row]:
    lower, higher = "lower is better", "higher is better"
    rows = [
        Row(f"Startup to first /health (ms, {lower})", "startup", number("startup", "health_s", scale=1000)),
        Row(f"Idle RSS after startup (MiB, {lower})", "startup",
            number("startup", "idle_rss_mib", suffix=lambda r: f" ({r['startup']['idle_processes']} proc)")),
    ]
    rows += [
        Row(f"log-batch, {n} client{'s' if n > 1 else ''} (metric points/s, {higher})", "log_batch", log_batch_cell(n))
        for n in cfg.log_levels
    ]
    rows += [
        Row(f"runs/create p50 (ms, {lower})", "create", number("create", "p50_ms")),
        Row(f"runs/create p99 (ms, {lower})", "create", number("create", "p99_ms")),
        Row(f"Seeding {cfg.search_runs:,} runs, {cfg.seed_clients} clients (s, {lower})", "search",
            number("search", "seed", "seconds",
                   suffix=lambda r: f" ({fmt_num(r['search']['seed']['runs_per_s'])} runs/s)")),
        Row(f"runs/search p50 (ms, {lower})", "search", number("search", "p50_ms")),
        Row(f"runs/search p90 (ms, {lower})", "search", number("search", "p90_ms")),
        Row("runs/search matched runs (all pages)", "search", search_matched_cell, compare="agree"),
        Row(f"get-history {cfg.history_points:,} points, paged by 25,000, p50 (ms, {lower})", "history",
            history_paged_cell),
        Row(f"get-history {cfg.history_points:,} points, one request, p50 (ms, {lower})", "history",
            history_single_cell),
        Row(f"RSS after workloads (MiB, {lower})", "after", number("after", "rss_mib")),
        Row(f"Peak RSS (MiB, {lower})", "after", number("after", "peak_rss_mib")),
        Row("Database size after workloads (MiB)", "after", number("after", "database_mib")),
        Row(f"CPU used by the server during the run (s; PostgreSQL's apart, {lower})", "after",
            number("after", "cpu_s", suffix=lambda r: f" + {fmt_num(r['after']['database_cpu_s'])} PostgreSQL"
                   if "database_cpu_s" in r["after"] else "")),
        Row(f"CPU used by other processes during the run (cores of {nproc})", "after",
            number("other_cpu_cores"), compare="none"),
    ]
    return rows


def failed(result: dict, section: str) -> bool:
    node = result.get(section)
    return "error" in result or (isinstance(node, dict) and "error" in node)


def table(results: dict, cfg: Config) -> str:
    known = ["cairn", "cairn2", "mlflow", "fml"]
    order = [s for s in known if s in results["servers"]]
    cairns = [s for s in order if s.startswith("cairn")]
    others = [s for s in order if not s.startswith("cairn")]
    pairs = [(c, o) for o in others for c in cairns]
    labels = {name: results["servers"][name]["label"] for name in order}
    header = ["Metric", *labels.values(), *(f"{labels[c]}/{labels[o]}" for c, o in pairs)]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for row in table_rows(cfg, results["machine"]["nproc"]):
        cells, values = [row.label], {}
        for name in order:
            result = results["servers"][name]
            value, text = (None, "failed") if failed(result, row.section) else row.cell(result)
            values[name] = value
            cells.append(text)
        for ours, other in pairs:
            cairn, theirs = values[ours], values[other]
            if row.compare == "none":
                cells.append("")
            elif row.compare == "agree":
                cells.append("—" if cairn is None or theirs is None else "same" if cairn == theirs else "differs")
            else:
                cells.append(fmt_ratio(cairn, theirs))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(results: dict) -> list[str]:
    notes = []
    for name, result in results["servers"].items():
        if "error" in result:
            notes.append(f"{result['label']}: {result['error']}")
            continue
        for section in ("create", "log_batch", "history", "search"):
            if isinstance(result.get(section), dict) and "error" in result[section]:
                notes.append(f"{result['label']} {section}: {result[section]['error']}")
        for clients, level in (dig(result, "log_batch", "levels") or {}).items():
            if "error" in level:
                notes.append(f"{result['label']} log-batch x{clients}: {level['errors']} errors: {level['error']}")
    return notes


def report(results: dict) -> str:
    cfg = Config(**results["config"])
    m = results["machine"]
    out = [
        f"Tracking-server benchmark, {results['date']}"
        f"{' (quick)' if cfg.quick else ''}: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in results["versions"].items())
        + f"; backend {cfg.backend}",
    ]
    if "uptime_at_start" in m:
        out += [f"Before: {m['uptime_at_start']}", f"After:  {results.get('uptime_at_end', '?')}"]
    out += [
        "",
        table(results, cfg),
    ]
    notes = failures(results)
    if notes:
        out += ["", "Failures:"] + [f"- {note}" for note in notes]
    return "\n".join(out)


# --------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    quick = env("BENCH_QUICK", "") not in ("", "0")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default=env("BENCH_SERVERS"),
                        help="comma-separated subset of cairn,cairn2,mlflow,fml (env BENCH_SERVERS; default "
                             "cairn,mlflow,fml, or cairn,cairn2,mlflow with --postgres); cairn2 is two Cairn "
                             "replicas on one database and needs --postgres")
    parser.add_argument("--cairn-bin", default=env("CAIRN_BIN"), help="release-built cairn binary (env CAIRN_BIN)")
    parser.add_argument("--quick", action="store_true", default=quick, help="small smoke run (env BENCH_QUICK=1)")
    parser.add_argument("--runs", type=int, default=int(env("BENCH_RUNS", "0")) or None,
                        help="runs seeded for runs/search (env BENCH_RUNS; default 25000, quick 1000)")
    parser.add_argument("--seed-clients", type=int, default=int(env("BENCH_SEED_CLIENTS", "12")),
                        help="parallel clients seeding runs/search (env BENCH_SEED_CLIENTS)")
    parser.add_argument("--history-points", type=int, default=int(env("BENCH_HISTORY_POINTS", "0")) or None,
                        help="points in the get-history series (env BENCH_HISTORY_POINTS; default 100000, quick 10000)")
    parser.add_argument("--log-seconds", type=float, default=float(env("BENCH_LOG_SECONDS", "0")) or None,
                        help="seconds per log-batch client level (env BENCH_LOG_SECONDS; default 5, quick 2)")
    parser.add_argument("--keep-data", action="store_true", help="keep the databases under work/ (and on PostgreSQL)")
    parser.add_argument("--postgres", metavar="URI", default=env("BENCH_POSTGRES") or None,
                        help="run every server on this PostgreSQL server, each on a fresh database "
                             "(env BENCH_POSTGRES; servers default to cairn,cairn2,mlflow)")
    parser.add_argument("--report", metavar="JSON", nargs="+",
                        help="print the table of earlier results files (servers merged, first file wins) and exit")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.report:
        merged: dict | None = None
        for path in args.report:
            results = json.loads(Path(path).read_text())
            if merged is None:
                merged = results
            else:
                for name, result in results["servers"].items():
                    merged["servers"].setdefault(name, result)
        print(report(merged))
        return 0

    postgres = None
    if args.postgres:
        try:
            postgres = Postgres(args.postgres)
            postgres.version()
        except Exception as exc:  # noqa: BLE001
            print(f"--postgres: {exc}", file=sys.stderr)
            return 2
    default_servers = "cairn,cairn2,mlflow" if postgres else "cairn,mlflow,fml"
    servers = [s.strip() for s in (args.servers or default_servers).split(",") if s.strip()]
    specs: dict[str, ServerSpec] = {}
    for name in servers:
        if name in ("cairn", "cairn2"):
            if not args.cairn_bin or not os.access(args.cairn_bin, os.X_OK):
                print(f"{name} selected but CAIRN_BIN is not an executable (set CAIRN_BIN or drop {name} from "
                      "--servers)", file=sys.stderr)
                return 2
            binary = str(Path(args.cairn_bin).resolve())
            if name == "cairn2":
                if postgres is None:
                    print("cairn2 (two replicas on one database) needs --postgres", file=sys.stderr)
                    return 2
                specs[name] = cairn_spec(binary, "cairn2", "Cairn-2", replicas=2)
            else:
                specs[name] = cairn_spec(binary, "cairn", "Cairn-1" if postgres else "Cairn")
        elif name == "mlflow":
            specs[name] = mlflow_spec()
        elif name == "fml":
            if postgres is not None:
                print("fml is not set up for --postgres (choose from cairn, cairn2, mlflow)", file=sys.stderr)
                return 2
            specs[name] = fml_spec()
        else:
            print(f"unknown server {name!r} (choose from cairn, cairn2, mlflow, fml)", file=sys.stderr)
            return 2

    quick = args.quick
    cfg = Config(
        quick=quick,
        search_runs=args.runs or (1000 if quick else 25000),
        seed_clients=args.seed_clients,
        history_points=args.history_points or (10000 if quick else 100000),
        create_calls=100 if quick else 500,
        log_levels=[1, 8, 32],
        log_seconds=args.log_seconds or (2.0 if quick else 5.0),
        search_calls=5 if quick else 20,
        history_reads=3 if quick else 5,
        backend="postgresql" if postgres else "sqlite",
    )

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    run_dir = WORK / f"run-{stamp}"
    out_path = WORK / f"results-{stamp}.json"
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_info(),
        "versions": versions(args.cairn_bin if any(name.startswith("cairn") for name in specs) else None),
        "config": cfg.__dict__,
        "servers": {},
    }
    if results["machine"]["loadavg_at_start"] > 0.5:
        log(f"warning: load average is {results['machine']['loadavg_at_start']}; other work will skew the numbers")
    log(f"servers: {', '.join(specs)}; {cfg.search_runs:,} search runs, {cfg.history_points:,} history points; "
        f"work dir {run_dir}")
    started = time.monotonic()
    if postgres is not None:
        results["versions"]["postgresql"] = postgres.version()
    for name, spec in specs.items():
        results["servers"][name] = bench_server(spec, cfg, run_dir / name, args.keep_data, postgres)
        results["elapsed_s"] = time.monotonic() - started
        results["uptime_at_end"] = uptime()
        out_path.write_text(json.dumps(results, indent=2))
    log(f"done in {results['elapsed_s'] / 60:.1f} min; results in {out_path}")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
