"""`cairn image build` for a Python-runtime model: the model's requirements installed into a layer of the image.

There is no Python base image to pull here, so the test makes one from the host's own Python: a root filesystem
with the interpreter, its standard library (no site-packages) and exactly the shared libraries `ldd` says it and
its extension modules need, turned into an OCI layout with umoci and tagged `3.11`-style with PYTHON_VERSION in
its Env. An sklearn model logged with the real mlflow client (requirements pinned to the host's versions) is
registered and built on it with `--base oci:DIR:TAG`; cairn runs the host's pip for the base's Python and platform.

* the layer holds scikit-learn's wheel for the base's Python version, under /opt/cairn/site-packages;
* labels carry the requirements digest (checked against one computed here), the Python version and platform;
* a second build reuses the cached install and gives the same manifest digest;
* a requirement with no wheel fails naming it; a base without Python fails saying so;
* the unpacked image's own Python imports the packages (chroot), and under podman (recipe from test_image.py,
  skipped with podman's reason when it cannot run here) /invocations answers like the model in this process.

Needs PyPI (pip downloads the wheels): skipped with the reason when it is not reachable.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
import requests

from test_image import blob, manifest_of, need, podman_ready, run, start_container

PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
SKIPPED_STDLIB = {"site-packages", "test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "__pycache__",
                  "lib2to3", "pydoc_data"}


def _pypi_reachable() -> str | None:
    try:
        requests.head("https://pypi.org/simple/pip/", timeout=10)
        return None
    except requests.RequestException as error:
        return str(error)


MANYLINUX_LIBRARIES = ("libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                       "libutil.so.1", "libm.so.6", "libresolv.so.2", "libz.so.1", "libexpat.so.1")


def _ldd(path: Path) -> set[str]:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
    found = set()
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts and len(parts) >= 3 and parts[2].startswith("/"):
            found.add(parts[2])
        elif parts and parts[0].startswith("/"):
            found.add(parts[0])
    return found


def _system_library(name: str) -> str:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith(name + " ") and "x86-64" in line:
            return line.split("=>")[1].strip()
    pytest.skip(f"{name} not found by ldconfig")


def _python_rootfs(root: Path) -> Path:
    """The host interpreter at /usr/local/bin/python3, its stdlib at /usr/local/lib/pythonX.Y and its libraries."""
    interpreter = Path(os.path.realpath(sys.executable))
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    rootfs = root / "rootfs"
    (rootfs / "usr/local/bin").mkdir(parents=True)
    shutil.copy2(interpreter, rootfs / "usr/local/bin" / f"python{PYTHON_VERSION}")
    os.symlink(f"python{PYTHON_VERSION}", rootfs / "usr/local/bin/python3")
    target_lib = rootfs / "usr/local/lib" / f"python{PYTHON_VERSION}"

    def ignore(folder, names):
        skipped = {n for n in names if n in SKIPPED_STDLIB or n.startswith("config-") or n.startswith("_tkinter")}
        return skipped

    shutil.copytree(stdlib, target_lib, ignore=ignore, symlinks=True)
    libraries = _ldd(interpreter)
    for module in (target_lib / "lib-dynload").glob("*.so"):
        libraries |= _ldd(module)
    # The C++ runtime and the glibc libraries manylinux wheels may link to, as every glibc-based image has them.
    libraries |= {_system_library(name) for name in MANYLINUX_LIBRARIES}
    for library in libraries:
        real = os.path.realpath(library)
        # Everything the loader finds by name goes where it searches without a cache: the multiarch folder.
        name = Path(library).name
        dest = rootfs / library.lstrip("/") if "ld-linux" in name else rootfs / "lib/x86_64-linux-gnu" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(real, dest)
    (rootfs / "etc").mkdir()
    (rootfs / "etc/passwd").write_text("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n")
    (rootfs / "etc/group").write_text("root:x:0:\nnonroot:x:65532:\n")
    (rootfs / "tmp").mkdir(mode=0o1777)
    return rootfs


@pytest.fixture(scope="module")
def python_base(tmp_path_factory):
    """An OCI layout `oci:DIR:X.Y` holding only the host's Python; PYTHON_VERSION set in its Env."""
    need("umoci")
    need("ldd")
    reason = _pypi_reachable()
    if reason:
        pytest.skip(f"PyPI is not reachable, so pip cannot download the model's wheels: {reason}")
    root = tmp_path_factory.mktemp("pybase")
    rootfs = _python_rootfs(root)
    layout = root / "py"
    tag = PYTHON_VERSION
    run(["umoci", "init", "--layout", str(layout)])
    run(["umoci", "new", "--image", f"{layout}:{tag}"])
    run(["umoci", "insert", "--image", f"{layout}:{tag}", str(rootfs), "/"])
    run(["umoci", "config", "--image", f"{layout}:{tag}",
         "--config.env", f"PYTHON_VERSION={sys.version.split()[0]}",
         "--config.env", "PATH=/usr/local/bin:/usr/bin:/bin"])
    return layout, tag


@pytest.fixture(scope="module")
def sklearn_run(server):
    """An sklearn model logged with requirements pinned to the host's versions and registered; (models:/ URI, X,
    predictions on the host, pins)."""
    import mlflow
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    mlflow.set_tracking_uri(server.url)
    mlflow.set_experiment("image-python-layer")
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=["f1", "f2", "f3", "f4"])
    y = (X["f1"] + X["f3"] > 0).astype(int)
    names = ["mlflow-skinny", "scikit-learn", "numpy", "pandas", "scipy", "cloudpickle"]
    if importlib.util.find_spec("skops"):  # mlflow's sklearn flavor saves with skops when it is installed
        names.append("skops")
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in names]
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(LogisticRegression().fit(X, y), name="model", input_example=X.iloc[:3],
                                        pip_requirements=pins)
    expected = mlflow.pyfunc.load_model(info.model_uri).predict(X.iloc[:20]).tolist()
    version = mlflow.register_model(info.model_uri, "image-python-layer")
    return f"models:/{version.name}/{version.version}", X, expected, pins


@pytest.fixture(scope="module")
def python_image(cairn_bin, server, python_base, sklearn_run, tmp_path_factory):
    layout, tag = python_base
    uri, X, expected, pins = sklearn_run
    root = tmp_path_factory.mktemp("pyimage")
    args = [uri, "--tracking-uri", server.url, "--cache", str(root / "cache"), "--base", f"oci:{layout}:{tag}",
            "--host-python", sys.executable, "--tag", "m1"]
    start = time.monotonic()
    first = run([cairn_bin, "image", "build", *args, "--output", str(root / "a")], timeout=900)
    first_seconds = time.monotonic() - start
    start = time.monotonic()
    second = run([cairn_bin, "image", "build", *args, "--output", str(root / "b")], timeout=900)
    second_seconds = time.monotonic() - start
    print(f"python image build: {first_seconds:.1f} s first, {second_seconds:.1f} s with the cached install")
    return {"root": root, "layout": layout, "tag": tag, "first": first, "second": second, "X": X,
            "expected": expected, "pins": pins}


def test_requirements_layer_holds_the_wheels_for_the_base_python(python_image, tmp_path):
    image = python_image
    out = image["root"] / "a"
    _, base_manifest = manifest_of(image["layout"], image["tag"])
    _, manifest = manifest_of(out, "m1")
    assert manifest["layers"][: len(base_manifest["layers"])] == base_manifest["layers"]
    assert len(manifest["layers"]) == len(base_manifest["layers"]) + 3
    stderr = image["first"].stderr
    assert f"Base Python {PYTHON_VERSION} at /usr/local/bin/python3" in stderr
    assert "pip: Collecting scikit-learn" in stderr
    config = json.loads(blob(out, manifest["config"]["digest"]))
    assert "PYTHONPATH=/opt/cairn/site-packages" in config["config"]["Env"]
    assert f"PYTHON_VERSION={sys.version.split()[0]}" in config["config"]["Env"]
    assert config["config"]["Entrypoint"][-2:] == ["--python", "/usr/local/bin/python3"]
    labels = manifest["annotations"]
    lines = "\n".join(image["pins"])
    assert labels["cairn.python.requirements.digest"] == "sha256:" + hashlib.sha256(lines.encode()).hexdigest()
    assert labels["cairn.python.version"] == PYTHON_VERSION
    assert labels["cairn.python.platform"].startswith(f"cp{PYTHON_VERSION} glibc 2.")
    packages_layer = manifest["layers"][len(base_manifest["layers"])]
    size = sum(layer["size"] for layer in manifest["layers"])
    print(f"python model image: {size / 1e6:.1f} MB compressed, requirements layer {packages_layer['size'] / 1e6:.1f} MB")
    run(["umoci", "unpack", "--image", f"{out}:m1", str(tmp_path / "bundle")])
    site = tmp_path / "bundle" / "rootfs" / "opt" / "cairn" / "site-packages"
    sklearn_version = importlib.metadata.version("scikit-learn")
    assert (site / f"scikit_learn-{sklearn_version}.dist-info").is_dir()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")  # .cpython-311-x86_64-linux-gnu.so
    assert list((site / "sklearn").rglob(f"*{suffix}")), f"no {suffix} extension module in sklearn"
    assert not (site / "bin").exists()
    chroot = shutil.which("chroot")
    if os.geteuid() == 0 and chroot:
        probe = run([chroot, str(tmp_path / "bundle" / "rootfs"), "/usr/local/bin/python3", "-c",
                     "import sklearn, mlflow.pyfunc, sys; print(sklearn.__version__, sys.version_info[:2])"],
                    env={"PYTHONPATH": "/opt/cairn/site-packages", "PATH": "/usr/local/bin:/usr/bin"})
        assert probe.stdout.split()[0] == sklearn_version


def test_a_second_build_reuses_the_install_and_gives_the_same_digest(python_image):
    first = json.loads(python_image["first"].stdout)
    second = json.loads(python_image["second"].stdout)
    assert "Requirements already installed" in python_image["second"].stderr
    assert "pip:" not in python_image["second"].stderr
    assert first["digest"] == second["digest"]


def test_no_wheel_and_no_python_are_named(cairn_bin, server, python_base, tracking_images_for_python, tmp_path):
    import mlflow
    from sklearn.dummy import DummyClassifier

    layout, tag = python_base
    mlflow.set_tracking_uri(server.url)
    mlflow.set_experiment("image-python-nowheel")
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(DummyClassifier().fit([[0], [1]], [0, 1]), name="model",
                                        pip_requirements=["cairn-no-such-package-xyz==0.0.1"])
    version = mlflow.register_model(info.model_uri, "image-python-nowheel")
    uri = f"models:/{version.name}/{version.version}"
    common = [uri, "--tracking-uri", server.url, "--cache", str(tmp_path / "cache"), "--host-python", sys.executable]
    missing = run([cairn_bin, "image", "build", *common, "--output", str(tmp_path / "x"),
                   "--base", f"oci:{layout}:{tag}"], check=False)
    assert missing.returncode == 1
    assert "No wheel of 'cairn-no-such-package-xyz==0.0.1'" in missing.stderr
    assert not (tmp_path / "x" / "index.json").exists()
    no_python = run([cairn_bin, "image", "build", *common, "--output", str(tmp_path / "y"),
                     "--base", tracking_images_for_python], check=False)
    assert no_python.returncode == 1 and "has no Python interpreter" in no_python.stderr
    assert "--no-install-requirements" in no_python.stderr


@pytest.fixture(scope="module")
def tracking_images_for_python(cairn_bin, tmp_path_factory):
    """A base without Python: the tracking-server image."""
    out = tmp_path_factory.mktemp("nopython") / "t"
    run([cairn_bin, "image", "build", "--service", "tracking", "--output", str(out), "--tag", "t1"])
    return f"oci:{out}:t1"


def test_python_model_image_serves_like_the_host_under_podman(python_image, free_port):
    image = python_image
    layout = image["root"] / "a"
    podman_ready(layout, "m1")
    body = {"dataframe_split": image["X"].iloc[:20].to_dict(orient="split") | {"index": None}}
    port = free_port()
    container = start_container(layout, "m1", "cairn-e2e-python-model", ["--host", "127.0.0.1", "--port", str(port)],
                                f"http://127.0.0.1:{port}/ping")
    try:
        got = requests.post(f"http://127.0.0.1:{port}/invocations", json=body, timeout=120)
        assert got.status_code == 200, got.text
        assert got.json() == {"predictions": image["expected"]}
        assert container.uid() == 65532
    finally:
        container.remove()
