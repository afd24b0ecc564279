"""Fixtures for the end-to-end suite.

The suite runs one tracking server per session and drives it with the real
``mlflow`` client and with raw HTTP requests.

* ``E2E_TARGET=cairn`` (default): ``$CAIRN_BIN server ...``
* ``E2E_TARGET=mlflow``: the reference ``$MLFLOW_SERVER_BIN server ...``, used
  to check that every test encodes real MLflow behaviour.

Speech tests (Cairn-only commands, skipped for ``E2E_TARGET=mlflow``) share the
``cairn_bin``, ``corpus`` (tests/speech/corpus_fixture.py) and ``free_port``
fixtures defined at the end of this file.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

# Client settings, fixed before mlflow reads them: fail fast instead of
# retrying with back-off, and never send usage telemetry.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "120")
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
os.environ.pop("MLFLOW_EXPERIMENT_NAME", None)
os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
os.environ.pop("MLFLOW_RUN_ID", None)

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

TARGET = os.environ.get("E2E_TARGET", "cairn").strip().lower()
ROOT = Path(__file__).resolve().parents[2]
SPEECH_DIR = ROOT / "tests" / "speech"
STARTUP_TIMEOUT = {"cairn": 15.0, "mlflow": 180.0}
STOP_TIMEOUT = {"cairn": 15.0, "mlflow": 60.0}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A tracking server started on a free loopback port with its own data dir."""

    def __init__(self, target: str, workdir: Path):
        if target not in STARTUP_TIMEOUT:
            raise pytest.UsageError(f"E2E_TARGET must be 'cairn' or 'mlflow', not {target!r}")
        self.target = target
        self.workdir = workdir
        self.db_path = workdir / "cairn.db"
        self.artifacts_dir = workdir / "artifacts"
        self.artifacts_dir.mkdir(parents=True)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = workdir / "server.stdout"
        self.stderr_path = workdir / "server.stderr"
        self.proc: subprocess.Popen | None = None
        self._logs = []

    def command(self) -> list[str]:
        env_name = "CAIRN_BIN" if self.target == "cairn" else "MLFLOW_SERVER_BIN"
        binary = os.environ.get(env_name)
        if not binary:
            raise pytest.UsageError(f"{env_name} must name the server executable")
        if not Path(binary).is_file():
            raise pytest.UsageError(f"{env_name}={binary} does not exist")
        return [
            str(Path(binary).absolute()),  # the server runs with cwd=workdir
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--backend-store-uri",
            self.backend_store_uri(),
            "--artifacts-destination",
            str(self.artifacts_dir.resolve()),
        ]

    def backend_store_uri(self) -> str:
        """SQLite in the work folder, or the database E2E_BACKEND_STORE_URI names (the test script
        runs the tracking suites a second time on PostgreSQL this way)."""
        return os.environ.get("E2E_BACKEND_STORE_URI") or f"sqlite:///{self.db_path.resolve()}"

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-8000:]
        except OSError:
            return ""

    def start(self) -> None:
        env = dict(os.environ)
        env.pop("MLFLOW_TRACKING_URI", None)
        self._logs = [self.stdout_path.open("wb"), self.stderr_path.open("wb")]
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._logs[0],
            stderr=self._logs[1],
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT[self.target]
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                pytest.fail(
                    f"{self.target} server exited with code {code} during startup:\n{self.stderr_text()}"
                )
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self._kill_group()
        pytest.fail(
            f"{self.target} server did not answer GET /health with 200 within "
            f"{STARTUP_TIMEOUT[self.target]} s:\n{self.stderr_text()}"
        )

    def _kill_group(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        """Send SIGTERM and return the exit code; fail if the server does not exit."""
        if self.target == "cairn":
            self.proc.send_signal(signal.SIGTERM)
        else:
            # The reference CLI runs its web server in child processes.
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT[self.target])
        except subprocess.TimeoutExpired:
            self._kill_group()
            pytest.fail(f"{self.target} server ignored SIGTERM for {STOP_TIMEOUT[self.target]} s")
        finally:
            for log in self._logs:
                log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The running server; its URL, port and artifacts destination."""
    proc = ServerProcess(TARGET, tmp_path_factory.mktemp("server"))
    proc.start()
    previous_uri = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = proc.url
    mlflow.set_tracking_uri(proc.url)
    yield proc
    while mlflow.active_run():
        mlflow.end_run()
    if previous_uri is None:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    else:
        os.environ["MLFLOW_TRACKING_URI"] = previous_uri
    code = proc.stop()
    if proc.target == "cairn":
        assert code in (0, -signal.SIGTERM, 128 + signal.SIGTERM), (
            f"cairn exited with code {code} after SIGTERM:\n{proc.stderr_text()}"
        )


@pytest.fixture(scope="session")
def target(server) -> str:
    """Which implementation is under test: 'cairn' or 'mlflow'."""
    return server.target


@pytest.fixture(scope="session")
def base_url(server) -> str:
    """Base URL of the server, e.g. http://127.0.0.1:PORT (no trailing slash)."""
    return server.url


@pytest.fixture(scope="session")
def artifacts_dir(server) -> Path:
    """The directory given as --artifacts-destination."""
    return server.artifacts_dir


@pytest.fixture(scope="session")
def client(server) -> MlflowClient:
    return MlflowClient(tracking_uri=server.url)


class RawResponse:
    """Status, headers and body of a request sent with http.client."""

    def __init__(self, status: int, headers: dict, content: bytes):
        self.status_code = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.content = content

    def json(self):
        return json.loads(self.content)


class Rest:
    """Raw HTTP access to the server, for wire-level assertions."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def url(self, path: str) -> str:
        if path.startswith("/"):
            return self.base_url + path
        return f"{self.base_url}/api/2.0/mlflow/{path}"

    def get(self, path: str, params=None, **kwargs) -> requests.Response:
        return self.session.get(self.url(path), params=params, timeout=120, **kwargs)

    def post(self, path: str, body=None, **kwargs) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=120, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 120)
        return self.session.request(method, self.url(path), **kwargs)

    def raw(self, method: str, path: str, body: bytes | None = None, headers=None) -> RawResponse:
        """Send `path` byte for byte (no dot-segment or percent normalisation)."""
        host, port = self.base_url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return RawResponse(response.status, dict(response.getheaders()), response.read())
        finally:
            conn.close()

    def ok(self, method: str, path: str, body=None, params=None) -> dict:
        """Send a request that must succeed and return its JSON object."""
        response = self.request(method, path, json=body, params=params)
        assert response.status_code == 200, (
            f"{method} {path} -> {response.status_code}: {response.text[:500]}"
        )
        return response.json() if response.content else {}


@pytest.fixture(scope="session")
def rest(server) -> Rest:
    """Raw HTTP helper; relative paths are under /api/2.0/mlflow/."""
    return Rest(server.url)


@pytest.fixture
def unique():
    """Return a function that makes unique names, e.g. unique('exp') -> 'exp-1a2b3c4d'."""

    def make(prefix: str = "e2e") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    return make


@pytest.fixture
def experiment_id(client, unique) -> str:
    """A fresh experiment created through MlflowClient."""
    return client.create_experiment(unique("exp"))


@pytest.fixture
def fluent_experiment(server, unique):
    """A fresh experiment made current for the fluent API with mlflow.set_experiment."""
    return mlflow.set_experiment(unique("fluent"))


@pytest.fixture(autouse=True)
def _no_leftover_active_run():
    yield
    while mlflow.active_run():
        mlflow.end_run()


@pytest.fixture(scope="session")
def check_error():
    """Return an assertion helper for MLflow JSON error responses.

    check_error(response, 400, "INVALID_PARAMETER_VALUE", "Invalid path") checks the status,
    the JSON content type, the error_code and that the message contains the given text.
    """

    def check(response, status: int, code: str, message: str | None = None) -> dict:
        text = response.content[:500]
        assert response.status_code == status, f"expected {status}, got {response.status_code}: {text!r}"
        assert response.headers.get("content-type", "").startswith("application/json"), response.headers
        body = response.json()
        assert body.get("error_code") == code, body
        if message is not None:
            assert message in body.get("message", ""), body
        return body

    return check


# --- speech (Cairn-only) ----------------------------------------------------


@pytest.fixture(scope="session")
def free_port():
    """Return a function that picks a free loopback TCP port, e.g. free_port() -> 43817."""
    return _free_port


@pytest.fixture(scope="session")
def cairn_bin() -> str:
    """$CAIRN_BIN, for tests of Cairn-only commands (skipped against the reference server)."""
    if TARGET != "cairn":
        pytest.skip("a Cairn-only command; nothing to compare against the reference server")
    binary = os.environ.get("CAIRN_BIN")
    if not binary:
        raise pytest.UsageError("CAIRN_BIN must name the cairn executable")
    if not Path(binary).is_file():
        raise pytest.UsageError(f"CAIRN_BIN={binary} does not exist")
    return str(Path(binary).absolute())


@pytest.fixture(scope="session")
def corpus():
    """The labelled speech corpus (a vadscore.Truth), built once; see tests/speech/corpus_fixture.py."""
    if str(SPEECH_DIR) not in sys.path:
        sys.path.insert(0, str(SPEECH_DIR))
    import corpus_fixture

    try:
        return corpus_fixture.build_corpus()
    except corpus_fixture.CorpusError as error:
        pytest.fail(str(error))
