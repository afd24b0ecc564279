"""Errors of the `cairn` command line that say what to do, driven as real processes."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from conftest import TARGET

pytestmark = pytest.mark.skipif(TARGET != "cairn", reason="Cairn's command line")


def cairn(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("MLFLOW_TRACKING_URI", None)
    return subprocess.run(
        [os.environ["CAIRN_BIN"], *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_unreachable_server_says_how_to_start_one():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = cairn("models", "list", "--tracking-uri", f"http://127.0.0.1:{port}")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"error: No Cairn server at http://127.0.0.1:{port} — start one with `cairn server` or pass "
                     "--tracking-uri."], done.stderr


def test_port_in_use_is_one_line_and_creates_nothing(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = cairn("server", "--host", "127.0.0.1", "--port", str(port), cwd=tmp_path, timeout=30)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(port) in lines[0] and "in use" in lines[0], done.stderr
    assert list(tmp_path.iterdir()) == [], "a server that never started must not create its store"


@pytest.mark.parametrize(
    "argv, typo, meant",
    [
        (["drift", "--threshhold", "0.1", "a.csv", "b.csv"], "--threshhold", "--threshold"),
        (["sweep", "--grdi", "lr=1,2", "--", "echo", "{lr}"], "--grdi", "--grid"),
        (["runs", "compare", "--jsn", "a", "b"], "--jsn", "--json"),
        (["reproduce", "--allow-data-chnage", "abc"], "--allow-data-chnage", "--allow-data-change"),
    ],
)
def test_unknown_flags_get_did_you_mean(argv, typo, meant, tmp_path):
    done = cairn(*argv, cwd=tmp_path)
    assert done.returncode == 64, done.stderr
    assert f"Unknown option '{typo}'. Did you mean '{meant}'?" in done.stderr


def test_runs_compare_accepts_the_short_ids_it_prints(client, base_url, experiment_id):
    ids = []
    for acc in (0.5, 0.7):
        run = client.create_run(experiment_id)
        client.log_metric(run.info.run_id, "acc", acc)
        ids.append(run.info.run_id)
    done = cairn("runs", "compare", ids[0][:8], ids[1][:8], "--tracking-uri", base_url)
    assert done.returncode == 0, done.stderr
    assert f"({ids[0][:8]})" in done.stdout and f"({ids[1][:8]})" in done.stdout
    unknown = cairn("runs", "compare", ids[0][:8], "ffffffffffff", "--tracking-uri", base_url)
    assert unknown.returncode == 1
    assert "ffffffffffff" in unknown.stderr


def test_vad_on_a_non_wav_names_the_formats_it_reads(tmp_path):
    flac = tmp_path / "speech.flac"
    flac.write_bytes(b"fLaC\x00\x00\x00\x22" + bytes(64))
    done = cairn("vad", str(flac))
    assert done.returncode != 0
    # Compressed audio gets a conversion hint, not the headerless-PCM option.
    assert "is FLAC audio" in done.stderr and "WAV" in done.stderr and "sox in.flac" in done.stderr, done.stderr
    assert "--raw-rate" not in done.stderr, done.stderr


def test_help_claims_only_what_is_built():
    done = cairn("--help")
    assert done.returncode == 0
    overview, rest = done.stdout.split("USAGE:", 1)
    overview = overview.lower()
    # Every capability the overview names has its command.
    for claim, command in (("tracking", "server"), ("registry", "models"), ("serving", "serve"),
                           ("container images", "image"), ("kubernetes", "k8s"), ("monitoring", "monitor"),
                           ("speech", "speech")):
        assert claim in overview, claim
        assert f"\n  {command} " in rest, command
