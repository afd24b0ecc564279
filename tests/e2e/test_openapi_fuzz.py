"""The published OpenAPI document, fuzzed with schemathesis against the real server.

schemathesis reads /api/openapi.json and generates requests for every operation (valid ones and
deliberately invalid ones, then short stateful sequences), with a fixed seed and a bounded number of
examples per operation. It checks that no reply is a 5xx, that every status and content type is one
the document lists, that every JSON reply matches its documented schema, and that a method the
document does not list is refused with 405 and an Allow header.

Not checked: whether schema-violating requests are refused. Like the reference server, Cairn reads a
JSON null as an absent field and ignores an unknown enum name, which that check reports.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TARGET, ServerProcess

pytestmark = pytest.mark.skipif(TARGET != "cairn", reason="Cairn's own document")

# Multipart upload and presigned URLs are not supported by a local artifact repository: these
# operations always answer 501, as the document says (test_mpu_and_presigned_answer_501).
NOT_IMPLEMENTED = r"/mlflow-artifacts/(mpu|presigned)/"
MAX_EXAMPLES = 20
SEED = 20260
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "unsupported_method",
]


def test_document_is_openapi_3_and_lists_the_api(rest):
    reply = rest.get("/api/openapi.json")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    doc = reply.json()
    assert doc["openapi"].startswith("3.0")
    paths = doc["paths"]
    assert "/api/2.0/mlflow/runs/log-batch" in paths
    assert set(paths["/api/2.0/mlflow/experiments/search"]) == {"get", "post"}
    assert set(paths["/api/2.0/mlflow-artifacts/artifacts/{artifact_path}"]) == {"get", "put", "delete"}
    assert "/api/3.0/mlflow/server-info" in paths
    assert {"/health", "/version"} <= set(paths)
    operations = sum(len(methods) for methods in paths.values())
    assert operations >= 69, operations


def test_mpu_and_presigned_answer_501(rest):
    for method, path in [("POST", "mpu/create/a.bin"), ("GET", "presigned/a.bin")]:
        reply = rest.request(method, "/api/2.0/mlflow-artifacts/" + path)
        assert reply.status_code == 501
        assert reply.json()["error_code"] == "NOT_IMPLEMENTED"


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory):
    """A server of its own: the fuzzer leaves thousands of experiments, runs and models behind that
    the other suites' searches must not see."""
    server = ServerProcess(TARGET, tmp_path_factory.mktemp("fuzzed"))
    server.start()
    yield server
    assert server.stop() in (0, -signal.SIGTERM, 128 + signal.SIGTERM), server.stderr_text()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(fuzzed_server, tmp_path):
    base_url = fuzzed_server.url
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        base_url + "/api/openapi.json",
        "--checks", ",".join(CHECKS),
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--generation-database", "none",
        "--exclude-path-regex", NOT_IMPLEMENTED,
        "--workers", "2",
        "--request-timeout", "30",
        "--suppress-health-check", "all",
        "--no-color",
        "--output-truncate", "false",
    ]
    # Run in a scratch folder: schemathesis keeps a cache of crashes in the working directory.
    done = subprocess.run(command, capture_output=True, text=True, timeout=170, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-20000:]
    selected = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", output)
    assert selected, output[-4000:]
    assert int(selected.group(3)) == int(selected.group(1)) >= 65, selected.group(0)
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) >= 1000, output[-4000:]
    print(f"schemathesis: {selected.group(3)} operations, {cases.group(1)} test cases, no failures")
