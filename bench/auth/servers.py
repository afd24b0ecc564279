"""Starting, watching and stopping the servers of the auth benchmark (see bench.py)."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(sysconfig.get_path("scripts"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


@dataclass
class Server:
    """One server process (with its children) in a process group of its own."""

    name: str
    kind: str  # "cairn" or "mlflow"
    auth: bool
    command: list[str]
    env: dict[str, str]
    data: Path
    store_uri: str
    users_db: Path | None  # the SQLite file holding the users, when auth is on
    port: int
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_s: float | None = None

    def start(self) -> None:
        log_file = open(self.data / "server.log", "wb")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command, cwd=self.data, env=dict(os.environ, **self.env), stdin=subprocess.DEVNULL,
            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        log_file.close()

    def poll_ready(self) -> bool:
        """True once GET /health answers 200; raises if the process has exited."""
        if self.ready_s is not None:
            return True
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with code {self.proc.returncode}: {self.log_tail()}")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/health")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                self.ready_s = time.perf_counter() - self.started_at
                return True
        except OSError:
            pass
        finally:
            conn.close()
        return False

    def cpu_seconds(self) -> float:
        """User + system CPU of the process tree so far, including children it has reaped."""
        assert self.proc is not None
        total = 0
        for pid in process_tree(self.proc.pid):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(stat[11]) + int(stat[12]) + int(stat[13]) + int(stat[14])
        return total / CLOCK_TICKS

    def settle(self, limit_s: float = 60.0) -> float:
        """Waits until the process tree idles (under 5% of a core over a second), so that workers still
        starting after the first /health answer do not count in the first workload; returns the wait."""
        started = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - started < limit_s:
            time.sleep(1.0)
            now = self.cpu_seconds()
            if now - before < 0.05:
                break
            before = now
        return time.monotonic() - started

    def rss_mib(self) -> float:
        assert self.proc is not None
        pages = 0
        for pid in process_tree(self.proc.pid):
            try:
                pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except OSError:
                continue
        return pages * PAGE_SIZE / 1024 / 1024

    def log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join((self.data / "server.log").read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL what is left after 20 s."""
        if self.proc is None:
            return
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                self.proc.poll()
                try:
                    os.killpg(self.proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                continue
            break
        self.proc.wait()


def cairn_server(name: str, binary: str, data: Path, auth: bool, admin: tuple[str, str]) -> Server:
    """`cairn server` on SQLite in `data`; with `auth`, --auth and the administrator from the environment."""
    data.mkdir(parents=True)
    db = data / "cairn.db"
    store = f"sqlite:///{db}"
    port = free_port()
    command = [binary, "server", "--host", "127.0.0.1", "--port", str(port), "--backend-store-uri", store,
               "--artifacts-destination", str(data / "artifacts")]
    env = {}
    if auth:
        command.append("--auth")
        env = {"CAIRN_ADMIN_USERNAME": admin[0], "CAIRN_ADMIN_PASSWORD": admin[1]}
    return Server(name, "cairn", auth, command, env, data, store, db if auth else None, port)


def mlflow_server(name: str, data: Path, admin: tuple[str, str], cache_ttl_s: int = 0) -> Server:
    """`mlflow server --app-name basic-auth` on SQLite in `data`, its auth database there too.

    The auth app reads its settings from the file MLFLOW_AUTH_CONFIG_PATH names; the administrator's
    password comes from MLFLOW_AUTH_ADMIN_PASSWORD. cache_ttl_s > 0 turns on its credential cache."""
    data.mkdir(parents=True)
    auth_db = data / "basic_auth.db"
    config = data / "basic_auth.ini"
    lines = ["[mlflow]", "default_permission = READ", f"database_uri = sqlite:///{auth_db}",
             f"admin_username = {admin[0]}", "authorization_function = mlflow.server.auth:authenticate_request_basic_auth"]
    if cache_ttl_s:
        lines.append(f"auth_cache_ttl_seconds = {cache_ttl_s}")
    config.write_text("\n".join(lines) + "\n")
    store = f"sqlite:///{data / 'mlflow.db'}"
    port = free_port()
    command = [str(SCRIPTS / "mlflow"), "server", "--app-name", "basic-auth", "--host", "127.0.0.1",
               "--port", str(port), "--backend-store-uri", store, "--artifacts-destination", str(data / "artifacts")]
    # Its 4 workers check CSRF tokens with one shared key, which the auth app wants given.
    env = {"MLFLOW_AUTH_CONFIG_PATH": str(config), "MLFLOW_AUTH_ADMIN_PASSWORD": admin[1],
           "MLFLOW_FLASK_SERVER_SECRET_KEY": secrets.token_hex(16),
           "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}"}
    return Server(name, "mlflow", True, command, env, data, store, auth_db, port)
