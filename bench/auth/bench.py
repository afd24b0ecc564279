#!/usr/bin/env python3
"""Authenticated-request benchmark: `cairn server --auth` vs `cairn server` vs MLflow's basic-auth app.

What it measures, on every server, with the same requests:

  reads        GET /api/2.0/mlflow/runs/get of one run (10 params, 10 metrics, 3 tags) by a
               non-admin user holding EDIT on the run's experiment, HTTP Basic credentials on
               every request; 1 and 8 clients, each on its own keep-alive connection, for
               BENCH_SECONDS each: requests/s and p50/p99 latency
  writes       POST runs/log-batch with 100 metrics per request, 8 clients, each on a run of its
               own in that experiment: requests/s and p50/p99
  denied       the same runs/get by a user holding DENY on the experiment (403), one client:
               p50/p99 latency
  bearer       Cairn with --auth only: the reads again with an API token (Authorization: Bearer)
               made by `cairn tokens create` on the server's database
  first        the first request of a fresh user (one password check each: no cached sign-in),
               one client: p50; and the request right after it with the same credentials

The servers, all started at once on loopback, each on SQLite in a fresh data directory:

  cairn-auth         cairn server --auth (administrator from CAIRN_ADMIN_PASSWORD)
  cairn              cairn server without --auth, the baseline for the cost of auth (no credentials sent)
  mlflow-auth        mlflow server --app-name basic-auth with its defaults (4 uvicorn workers,
                     credential cache off), administrator from MLFLOW_AUTH_ADMIN_PASSWORD, its
                     auth database in the data directory (MLFLOW_AUTH_CONFIG_PATH)
  mlflow-auth-cache  the same with auth_cache_ttl_seconds = 30, its opt-in credential cache
                     (Cairn remembers a checked password for 30 s by default)

Setup goes through the REST API: the administrator creates the experiment and the users and grants
EDIT and DENY with POST /api/3.0/mlflow/users/permissions/grant. Each workload runs against every
server in turn before the next workload starts, so a change in the machine's load touches all
servers alike. The stored password hashes are read back to report each server's hashing scheme.

Results: a table on stdout and work/results-<stamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from report import report
from servers import CLOCK_TICKS, Server, cairn_server, mlflow_server

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
API2 = "/api/2.0/mlflow"
API3 = "/api/3.0/mlflow"
ADMIN = ("admin", "bench-admin-password-1")
EDITOR = ("editor", "bench-editor-password-1")
DENIED = ("denied", "bench-denied-password-1")
FRESH_USERS = 10
SERVER_NAMES = ("cairn-auth", "cairn", "mlflow-auth", "mlflow-auth-cache")

_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


def machine_info() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version()}


def quantiles(samples: list[float]) -> dict:
    """p50 and p99 (ms) of latencies in seconds."""
    if len(samples) < 2:
        return {"p50_ms": samples[0] * 1000 if samples else None, "p99_ms": None}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_ms": statistics.median(samples) * 1000, "p99_ms": cuts[98] * 1000}


# --------------------------------------------------------------------------
# Setup through the REST API


class Target:
    """One running server with the experiment, run and credentials the workloads use."""

    def __init__(self, server: Server):
        self.server = server
        self.base = f"http://127.0.0.1:{server.port}"
        self.auth = server.auth
        self.admin = requests.Session()
        if self.auth:
            self.admin.auth = ADMIN
        self.experiment = ""
        self.run_id = ""
        self.token: str | None = None

    def client(self, user: tuple[str, str] | None) -> requests.Session:
        """A client of its own: Basic credentials of `user` when the server checks them, else none."""
        s = requests.Session()
        if self.auth and user is not None:
            s.auth = user
        return s

    def call(self, s: requests.Session, method: str, path: str, expect: int = 200, **kwargs) -> dict:
        r = s.request(method, self.base + path, timeout=120, **kwargs)
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path}: HTTP {r.status_code} (wanted {expect}): {r.text[:300]}")
        return r.json() if r.content and expect == 200 else {}

    def create_user(self, user: tuple[str, str]) -> None:
        self.call(self.admin, "POST", f"{API2}/users/create", json={"username": user[0], "password": user[1]})

    def grant(self, username: str, permission: str) -> None:
        body = {"username": username, "resource_type": "experiment", "resource_id": self.experiment,
                "permission": permission}
        self.call(self.admin, "POST", f"{API3}/users/permissions/grant", json=body)

    def create_run(self, s: requests.Session, name: str) -> str:
        body = {"experiment_id": self.experiment, "run_name": name, "start_time": int(time.time() * 1000)}
        return self.call(s, "POST", f"{API2}/runs/create", json=body)["run"]["info"]["run_id"]

    def setup(self) -> None:
        """Experiment by the administrator; editor (EDIT) and denied (DENY) users; one run with data."""
        self.experiment = self.call(self.admin, "POST", f"{API2}/experiments/create",
                                    json={"name": "bench-auth"})["experiment_id"]
        if self.auth:
            for user in (EDITOR, DENIED):
                self.create_user(user)
            self.grant(EDITOR[0], "EDIT")
            self.grant(DENIED[0], "DENY")
        editor = self.client(EDITOR)
        self.run_id = self.create_run(editor, "read-me")
        now = int(time.time() * 1000)
        batch = {
            "run_id": self.run_id,
            "params": [{"key": f"p{i}", "value": f"value-{i}"} for i in range(10)],
            "metrics": [{"key": f"m{i}", "value": i / 10, "timestamp": now, "step": 0} for i in range(10)],
            "tags": [{"key": f"t{i}", "value": f"tag-{i}"} for i in range(3)],
        }
        self.call(editor, "POST", f"{API2}/runs/log-batch", json=batch)
        if self.auth:
            self.call(self.client(DENIED), "GET", f"{API2}/runs/get", expect=403, params={"run_id": self.run_id})

    def password_scheme(self) -> str | None:
        """The stored hash's scheme and parameters, e.g. scrypt:32768:8:1, read from the database."""
        if not self.auth:
            return None
        with sqlite3.connect(f"file:{self.server.users_db}?mode=ro", uri=True) as db:
            table = "auth_users" if self.server.kind == "cairn" else "users"
            stored = db.execute(f"SELECT password_hash FROM {table} WHERE username = ?", (EDITOR[0],)).fetchone()[0]
        if self.server.kind == "cairn":  # scrypt$N$r$p$salt$hash
            name, n, r, p = stored.split("$")[:4]
            return f"{name}:{n}:{r}:{p}"
        return stored.split("$", 1)[0]  # werkzeug: method:params$salt$hash


# --------------------------------------------------------------------------
# Workloads


def load(target: Target, conns: list[requests.Session], request, seconds: float, expect: int = 200) -> dict:
    """Runs `request(conn, i)` from every client connection in its own thread for `seconds` after one
    untimed warm-up each; returns requests/s and latency percentiles, and the CPU the server used."""
    clients = len(conns)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    finished = [0.0] * clients
    window: dict[str, float] = {}

    def open_window() -> None:
        window.update(server=target.server.cpu_seconds(), busy=machine_busy_seconds(), client=time.process_time())
        window["start"] = time.perf_counter()
        window["deadline"] = window["start"] + seconds

    barrier = threading.Barrier(clients, action=open_window)

    def worker(i: int) -> None:
        s = conns[i]
        try:
            r = request(s, i)
            if r.status_code != expect:
                errors.append(f"warm-up: HTTP {r.status_code}: {r.text[:200]}")
        except Exception as exc:  # noqa: BLE001 - reported in the results
            errors.append(f"warm-up: {exc}")
        barrier.wait()
        while not errors and time.perf_counter() < window["deadline"]:
            before = time.perf_counter()
            try:
                r = request(s, i)
            except Exception as exc:  # noqa: BLE001
                errors.append(str(exc))
                break
            latencies[i].append(time.perf_counter() - before)
            if r.status_code != expect:
                errors.append(f"HTTP {r.status_code} (wanted {expect}): {r.text[:200]}")
                break
        finished[i] = time.perf_counter()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(finished) - window["start"]
    samples = [x for per_client in latencies for x in per_client]
    server_cpu = target.server.cpu_seconds() - window["server"]
    client_cpu = time.process_time() - window["client"]
    busy = machine_busy_seconds() - window["busy"]
    result = {
        "clients": clients, "seconds": elapsed, "requests": len(samples),
        "requests_per_s": len(samples) / elapsed if elapsed > 0 else None, **quantiles(samples),
        "server_cpu_s": server_cpu, "client_cpu_s": client_cpu,
        "server_cpu_ms_per_request": server_cpu * 1000 / len(samples) if samples else None,
        "other_cpu_cores": max(0.0, busy - server_cpu - client_cpu) / elapsed,
    }
    if errors:
        result.update(errors=len(errors), error=errors[0])
    return result


def reads(target: Target, clients: int, seconds: float, bearer: bool = False) -> dict:
    conns = [target.client(None if bearer else EDITOR) for _ in range(clients)]
    if bearer:
        for s in conns:
            s.headers["Authorization"] = f"Bearer {target.token}"
    url, params = f"{target.base}{API2}/runs/get", {"run_id": target.run_id}
    return load(target, conns, lambda s, i: s.get(url, params=params, timeout=120), seconds)


class Batches:
    """log-batch bodies of 100 metrics (10 keys x 10 steps) continuing one run's steps."""

    def __init__(self, run_id: str):
        self.run_id, self.step = run_id, 0

    def body(self) -> bytes:
        now = int(time.time() * 1000)
        metrics = [{"key": f"m{k}", "value": (k * 7 + step) % 97 / 97, "timestamp": now, "step": step}
                   for k in range(10) for step in range(self.step, self.step + 10)]
        self.step += 10
        return json.dumps({"run_id": self.run_id, "metrics": metrics}).encode()


def writes(target: Target, clients: int, seconds: float) -> dict:
    conns = [target.client(EDITOR) for _ in range(clients)]
    batches = [Batches(target.create_run(conns[i], f"writer-{i}")) for i in range(clients)]
    url, headers = f"{target.base}{API2}/runs/log-batch", {"Content-Type": "application/json"}
    return load(target, conns,
                lambda s, i: s.post(url, data=batches[i].body(), headers=headers, timeout=120), seconds)


def denied(target: Target, seconds: float) -> dict:
    s = target.client(DENIED)
    url, params = f"{target.base}{API2}/runs/get", {"run_id": target.run_id}
    return load(target, [s], lambda s, i: s.get(url, params=params, timeout=120), seconds, expect=403)


def first_sign_in(target: Target, tag: str) -> dict:
    """One request by each of FRESH_USERS new users (the first: a password check), then a second."""
    users = [(f"fresh-{tag}-{i}", f"fresh-password-{tag}-{i}") for i in range(FRESH_USERS)]
    for user in users:
        target.create_user(user)
    s = requests.Session()
    url, params = f"{target.base}{API2}/runs/get", {"run_id": target.run_id}
    s.get(f"{target.base}/health", timeout=30)  # open the connection before timing
    first, second, cpu = [], [], {"first": 0.0, "second": 0.0}
    for user in users:
        for bucket, name in ((first, "first"), (second, "second")):
            cpu_before, before = target.server.cpu_seconds(), time.perf_counter()
            r = s.get(url, params=params, auth=user, timeout=120)
            bucket.append(time.perf_counter() - before)
            cpu[name] += target.server.cpu_seconds() - cpu_before
            if r.status_code != 200:
                return {"error": f"{user[0]}: HTTP {r.status_code}: {r.text[:200]}"}
    return {"users": len(users), "first": quantiles(first), "second": quantiles(second),
            "server_cpu_ms_first": cpu["first"] * 1000 / len(users),
            "server_cpu_ms_second": cpu["second"] * 1000 / len(users)}


def make_token(target: Target, cairn_bin: str) -> str:
    """An API token for the EDIT user, made with `cairn tokens create` on the running server's database."""
    out = subprocess.run(
        [cairn_bin, "tokens", "create", "--user", EDITOR[0], "--expires", "1d", "--name", "bench",
         "--backend-store-uri", target.server.store_uri],
        capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"cairn tokens create: {out.stderr.strip()}")
    return out.stdout.strip().splitlines()[-1]


# --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default=os.environ.get("BENCH_SERVERS", ",".join(SERVER_NAMES)),
                        help=f"comma-separated subset of {','.join(SERVER_NAMES)} (env BENCH_SERVERS)")
    parser.add_argument("--cairn-bin", default=os.environ.get("CAIRN_BIN"), help="the cairn binary (env CAIRN_BIN)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")),
                        help="length of each timed window (env BENCH_SECONDS)")
    parser.add_argument("--keep-data", action="store_true", help="keep the servers' data directories under work/")
    parser.add_argument("--report", metavar="JSON", help="print the table of an earlier results file and exit")
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(Path(args.report).read_text())))
        return 0
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = [n for n in names if n not in SERVER_NAMES]
    if unknown or not names:
        parser.error(f"unknown servers {unknown}; choose from {', '.join(SERVER_NAMES)}")
    if any(n.startswith("cairn") for n in names):
        if not args.cairn_bin or not os.access(args.cairn_bin, os.X_OK):
            parser.error("a Cairn server is selected but CAIRN_BIN is not an executable")
        args.cairn_bin = str(Path(args.cairn_bin).resolve())

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H%M%S")
    run_dir = WORK / f"run-{stamp}"
    servers: dict[str, Server] = {}
    for name in names:
        data = run_dir / name
        if name.startswith("cairn"):
            servers[name] = cairn_server(name, args.cairn_bin, data, auth=name == "cairn-auth", admin=ADMIN)
        else:
            servers[name] = mlflow_server(name, data, ADMIN, cache_ttl_s=30 if name.endswith("cache") else 0)
    results: dict = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine_info(),
        "uptime_before": uptime(), "seconds": args.seconds, "servers": {n: {} for n in names},
        "versions": {"mlflow": _version("mlflow"), "werkzeug": _version("werkzeug"),
                     "requests": _version("requests")},
    }
    if args.cairn_bin:
        results["versions"]["cairn"] = subprocess.run([args.cairn_bin, "--version"], capture_output=True,
                                                      text=True).stdout.strip()
    out_path = WORK / f"results-{stamp}.json"
    log(f"servers: {', '.join(names)}; {args.seconds} s windows; data under {run_dir}")
    try:
        for server in servers.values():
            server.start()
        deadline = time.monotonic() + 300
        while not all(s.poll_ready() for s in servers.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("not all servers answered /health within 300 s")
            time.sleep(0.01)
        targets = {}
        for name, server in servers.items():
            results["servers"][name]["ready_ms"] = server.ready_s * 1000
            target = Target(server)
            target.setup()
            if name == "cairn-auth":
                target.token = make_token(target, args.cairn_bin)
            results["servers"][name]["password_scheme"] = target.password_scheme()
            targets[name] = target
        log("ready: " + ", ".join(f"{n} {s.ready_s:.1f} s" for n, s in servers.items()))
        for name, server in servers.items():
            results["servers"][name]["settle_s"] = server.settle()
        log("idle: " + ", ".join(f"{n} after {results['servers'][n]['settle_s']:.0f} s" for n in servers))
        workloads = [
            ("reads_1", lambda t: reads(t, 1, args.seconds), lambda t: True),
            ("reads_8", lambda t: reads(t, 8, args.seconds), lambda t: True),
            ("writes_8", lambda t: writes(t, 8, args.seconds), lambda t: True),
            ("denied", lambda t: denied(t, args.seconds), lambda t: t.auth),
            ("bearer_1", lambda t: reads(t, 1, args.seconds, bearer=True), lambda t: t.token is not None),
            ("bearer_8", lambda t: reads(t, 8, args.seconds, bearer=True), lambda t: t.token is not None),
            ("first", lambda t: first_sign_in(t, "a"), lambda t: t.auth),
        ]
        for key, run, applies in workloads:
            for name, target in targets.items():
                if not applies(target):
                    continue
                try:
                    result = run(target)
                except Exception as exc:  # noqa: BLE001 - one failed workload should not hide the others
                    result = {"error": str(exc)}
                results["servers"][name][key] = result
                if result.get("requests_per_s") is not None:
                    log(f"{key:9} {name:18} {result['requests_per_s']:8,.1f} req/s  p50 {result['p50_ms']:8.2f} ms"
                        f"  p99 {result['p99_ms'] or 0:8.2f} ms  server CPU {result['server_cpu_s']:5.1f} s"
                        f"  other load {result['other_cpu_cores']:.2f} cores"
                        + (f"  ERROR {result['error']}" if "error" in result else ""))
                else:
                    log(f"{key:9} {name:18} {json.dumps(result)}")
            out_path.write_text(json.dumps(results, indent=2))
        for name, server in servers.items():
            results["servers"][name]["rss_end_mib"] = server.rss_mib()
            others = [r["other_cpu_cores"] for r in results["servers"][name].values()
                      if isinstance(r, dict) and "other_cpu_cores" in r]
            results["servers"][name]["other_cores"] = statistics.fmean(others) if others else None
    finally:
        stoppers = [threading.Thread(target=server.stop) for server in servers.values()]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        if not args.keep_data:
            shutil.rmtree(run_dir, ignore_errors=True)
    results["uptime_after"] = uptime()
    results["elapsed_s"] = time.monotonic() - _T0
    out_path.write_text(json.dumps(results, indent=2))
    log(f"done in {results['elapsed_s']:.0f} s; results in {out_path}")
    print(report(results))
    return 0


def _version(package: str) -> str | None:
    from importlib import metadata
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
