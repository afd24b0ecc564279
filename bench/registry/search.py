"""Registry search timing: many model versions in one page.

Usage: python bench/registry/search.py PATH_TO_cairn [VERSIONS=3000]

Starts `cairn server` on a free port with a fresh SQLite store, creates 20 registered models and
VERSIONS model versions (two tags each) over REST, then prints the best of 5 wall-clock times of
GET /model-versions/search?max_results=10000 and GET /registered-models/search.
"""

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def main() -> None:
    binary = sys.argv[1]
    versions = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    work = tempfile.mkdtemp(prefix="cairn-registry-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [binary, "server", "--port", str(port), "--backend-store-uri", f"sqlite:///{work}/db.sqlite",
         "--artifacts-destination", f"{work}/artifacts"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/2.0/mlflow"

    def call(method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, method=method, data=data,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    try:
        for _ in range(100):
            try:
                call("GET", "/registered-models/search?max_results=1")
                break
            except OSError:
                time.sleep(0.1)
        for m in range(20):
            call("POST", "/registered-models/create", {"name": f"m{m}", "tags": [{"key": "team", "value": "a"}]})
        for i in range(versions):
            call("POST", "/model-versions/create", {
                "name": f"m{i % 20}", "source": f"s3://bucket/m{i}",
                "tags": [{"key": "k", "value": str(i)}, {"key": "q", "value": "x"}]})
        for path, key in [("/model-versions/search?max_results=10000", "model_versions"),
                          ("/registered-models/search?max_results=1000", "registered_models")]:
            best = float("inf")
            for _ in range(5):
                started = time.perf_counter()
                result = call("GET", path)
                best = min(best, time.perf_counter() - started)
            print(f"GET {path}: {len(result.get(key, []))} items, best of 5 {best * 1000:.1f} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
