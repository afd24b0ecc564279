"""End to end: the recognition service `cairn-asr serve` and the edge streamer
`cairn speech stream`, as real processes on loopback (no mocks).

Binaries: ``$CAIRN_BIN`` (cairn) and ``$CAIRN_ASR_BIN`` (default: ``cairn-asr``
next to ``$CAIRN_BIN``). Both are Cairn-only, so everything here is skipped
for ``E2E_TARGET=mlflow``. Audio comes from the labelled corpus of
tests/speech/make_corpus.py (fixture ``corpus`` in conftest.py); the service
runs with the corpus grammar ``grammar.jsgf``.

Service contract (``cairn-asr serve --host H --port P --jsgf G [--decoders N]
[--max-body-mb M]``, also ``cairn asr serve …``):

* ``GET /health`` → 200 ``{"status": "ok", "decoders": N, …}``.
* ``POST /v1/recognize``, body a WAV file (``audio/wav``) or raw 16-bit mono
  PCM (``application/octet-stream`` / ``audio/pcm`` little-endian,
  ``audio/L16`` big-endian; 16 kHz unless ``; rate=N``) → 200
  ``{"text", "duration_s", "processing_s"}``. Errors are JSON ``{"error": …}``:
  text/plain or application/json → 415; empty body, "RIFF" garbage, a WAV
  cut inside its header, odd-length raw PCM → 400; body over --max-body-mb → 413.
* ``GET /metrics`` → Prometheus text: cairn_asr_requests_total{status="…"},
  cairn_asr_request_duration_seconds, cairn_asr_real_time_factor,
  cairn_asr_input_loudness_dbfs, cairn_asr_clip_duration_seconds (histograms),
  cairn_asr_empty_transcripts_total, cairn_asr_decoders.

Streamer contract (``cairn speech stream INPUT|- --asr URL [--realtime [--speed X]]
[--concurrency N] [--queue N] [--retry-timeout S] [--json OUT]
[--log-to URL --experiment NAME] [VAD options of `cairn vad`]``): one stdout
line per clip in stream order, ``[{start:7.2f} – {end:7.2f}] text`` (en dash),
then a block starting with the line ``summary:``; ``--json OUT`` writes
``{"clips": [{"index", "start", "end", "duration", "loudness_dbfs", "snr_db",
"text", "words", "latency_s", "attempts"}, …], "summary": {"clips", "audio_s",
"forwarded_s", "forwarded_share", "empty", "failed", "mean_latency_s",
"p95_latency_s", "retries"}}``; exit 0 when every clip got a transcript, 1 when
some clip was given up on after --retry-timeout seconds; clips are retried
with back-off while the service is unreachable or answers 5xx.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import queue
import re
import secrets
import signal
import subprocess
import threading
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import requests
from mlflow import MlflowClient

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
RUN_TIMEOUT = 300.0
EXEC_RETRY_S = 60.0  # the binaries are relinked from time to time
SAMPLE_RATE = 16000
PAD_S = 0.3  # silence added on both sides of each utt_XX.wav before recognition
MAX_WER = 0.15
STREAM_CONDITION = "white_10dB"
SHARE_RANGE = (0.45, 0.70)
CLIP_FIELDS = ["index", "start", "end", "duration", "loudness_dbfs", "snr_db", "text", "words",
               "latency_s", "attempts"]
SUMMARY_FIELDS = ["clips", "audio_s", "forwarded_s", "forwarded_share", "empty", "failed",
                  "mean_latency_s", "p95_latency_s", "retries"]
CSV_COLUMNS = ["start", "end", "duration", "loudness_dbfs", "snr_db", "words", "latency_s"]
# `[   1.23 –    3.45] text`: both times right-aligned in 7 characters with 2 decimals.
CLIP_LINE = re.compile(r"^\[(?P<start>[ \d]{4,}\.\d{2}) \u2013 (?P<end>[ \d]{4,}\.\d{2})\](?: (?P<text>.*))?$")


# --- text scoring -------------------------------------------------------------


def words_of(text: str | None) -> list[str]:
    """Lower-case words; punctuation other than the apostrophe (it's) dropped."""
    return re.findall(r"[a-z0-9']+", (text or "").lower())


def word_errors(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance in words (substitutions + deletions + insertions)."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def corpus_wer(refs: list[str], hyps: list[str]) -> float:
    """Word errors summed over the pairs divided by the reference words."""
    errors = sum(word_errors(words_of(r), words_of(h)) for r, h in zip(refs, hyps, strict=True))
    return errors / sum(len(words_of(r)) for r in refs)


def test_word_errors_helper():
    assert word_errors("a b c".split(), "a b c".split()) == 0
    assert word_errors("a b c".split(), "a x c".split()) == 1
    assert word_errors("a b c".split(), "a c".split()) == 1
    assert word_errors("a b c".split(), "a b c d".split()) == 1
    assert word_errors("a b c".split(), []) == 3
    assert word_errors([], "a b".split()) == 2
    assert corpus_wer(["It's a test.", "b c"], ["it's a test", ""]) == pytest.approx(2 / 5)


# --- audio helpers ------------------------------------------------------------


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SAMPLE_RATE), path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    """A PCM16 WAV of `samples` (shape (n,) mono or (n, channels))."""
    samples = np.asarray(samples)
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()


def padded(samples: np.ndarray, pad_s: float = PAD_S) -> np.ndarray:
    pad = np.zeros(int(round(pad_s * SAMPLE_RATE)), dtype=np.int16)
    return np.concatenate([pad, samples, pad])


def upsample(samples: np.ndarray, factor: int) -> np.ndarray:
    """Band-limited integer-factor upsampling (zero-padded spectrum), rounded to int16."""
    n = samples.size
    spectrum = np.fft.rfft(samples.astype(np.float64))
    out = np.fft.irfft(spectrum, n * factor) * factor
    return np.clip(np.rint(out), -32768, 32767).astype(np.int16)


def dbfs(samples: np.ndarray) -> float:
    rms = math.sqrt(float(np.mean(np.square(samples.astype(np.float64)))))
    return 20 * math.log10(max(rms, 1e-9) / 32768.0)


# --- processes ----------------------------------------------------------------


def popen(cmd: list[str], **kwargs) -> subprocess.Popen:
    """subprocess.Popen, retried for a while if the binary is being relinked."""
    deadline = time.monotonic() + EXEC_RETRY_S
    while True:
        try:
            return subprocess.Popen(cmd, **kwargs)
        except OSError as error:
            if error.errno not in (errno.ETXTBSY, errno.ENOENT, errno.ENOEXEC, errno.EACCES) \
                    or time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def run(cmd: list[str], timeout: float = RUN_TIMEOUT, stdin_bytes: bytes | None = None):
    """Run to completion; returns (returncode, stdout text, stderr text, wall seconds)."""
    started = time.monotonic()
    proc = popen(cmd, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(stdin_bytes, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{' '.join(cmd)} did not finish within {timeout} s:\n"
                    f"stdout: {out.decode(errors='replace')[-3000:]}\nstderr: {err.decode(errors='replace')[-3000:]}")
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), time.monotonic() - started


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text → {'name{labels}': value}, labels exactly as written."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Za-z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)", line)
        assert m, f"unparseable metrics line {line!r}"
        values[m.group(1)] = float(m.group(2))
    return values


class AsrService:
    """One `cairn-asr serve` process on a fixed loopback port (restartable on the same port)."""

    def __init__(self, command: list[str], workdir: Path, port: int, jsgf: Path, decoders: int = 2,
                 max_body_mb: int | None = None, extra: tuple[str, ...] = ()):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.decoders = decoders
        # Absolute path: the service runs with cwd=workdir.
        self.cmd = [str(Path(command[0]).absolute()), *command[1:], "--host", "127.0.0.1", "--port", str(port),
                    "--jsgf", str(jsgf), "--decoders", str(decoders)]
        if max_body_mb is not None:
            self.cmd += ["--max-body-mb", str(max_body_mb)]
        self.cmd += list(extra)
        self.workdir = workdir
        self.stderr_path = workdir / f"asr-{port}.log"
        self.proc: subprocess.Popen | None = None
        self.session = requests.Session()

    def log(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def start(self) -> None:
        with self.stderr_path.open("ab") as log:
            self.proc = popen(self.cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                              start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                pytest.fail(f"{' '.join(self.cmd)} exited with {code} during startup:\n{self.log()}")
            try:
                r = requests.get(f"{self.url}/health", timeout=2)
                if r.status_code == 200 and r.json().get("status") == "ok":
                    return
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"{' '.join(self.cmd)}: no 200 from GET /health within {STARTUP_TIMEOUT} s:\n{self.log()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> int:
        """SIGTERM; returns the exit code (SIGKILL and fail if it is ignored)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"cairn-asr ignored SIGTERM for {STOP_TIMEOUT} s")

    def recognize(self, body: bytes, content_type: str | None) -> requests.Response:
        headers = {"Content-Type": content_type} if content_type is not None else {}
        return self.session.post(f"{self.url}/v1/recognize", data=body, headers=headers, timeout=120)

    def text(self, body: bytes, content_type: str) -> str:
        r = self.recognize(body, content_type)
        assert r.status_code == 200, f"{content_type}: {r.status_code} {r.text[:300]}"
        return r.json()["text"]

    def metrics(self) -> dict[str, float]:
        r = self.session.get(f"{self.url}/metrics", timeout=30)
        assert r.status_code == 200, r.text[:300]
        assert r.headers.get("content-type", "").startswith("text/plain"), r.headers
        return parse_metrics(r.text)


@pytest.fixture(scope="session")
def asr_bin(cairn_bin) -> str:
    binary = os.environ.get("CAIRN_ASR_BIN") or str(Path(cairn_bin).with_name("cairn-asr"))
    if not Path(binary).is_file():
        raise pytest.UsageError(f"CAIRN_ASR_BIN={binary} does not exist (default: cairn-asr next to CAIRN_BIN)")
    return binary


@pytest.fixture(scope="session")
def start_asr(asr_bin, corpus, free_port, tmp_path_factory):
    """start_asr(port=None, command=None, **options) -> a running AsrService, stopped at session end."""
    started: list[AsrService] = []
    workdir = tmp_path_factory.mktemp("asr")

    def start(port: int | None = None, command: list[str] | None = None, **options) -> AsrService:
        service = AsrService(command or [asr_bin, "serve"], workdir, port or free_port(),
                             corpus.directory / "grammar.jsgf", **options)
        service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.kill()


@pytest.fixture(scope="session")
def asr(start_asr) -> AsrService:
    """The shared service: corpus grammar, 2 decoders, 2 MiB body limit."""
    service = start_asr(decoders=2, max_body_mb=2)
    yield service
    code = service.stop()
    assert code in (0, -signal.SIGTERM, 128 + signal.SIGTERM), f"cairn-asr exited {code} after SIGTERM:\n{service.log()}"


@pytest.fixture(scope="session")
def utterances(corpus) -> list[tuple[str, np.ndarray]]:
    """(sentence text, utt_XX.wav samples padded with PAD_S of silence on both sides), in corpus order."""
    return [(s["text"], padded(read_wav(corpus.directory / f"utt_{i:02d}.wav")))
            for i, s in enumerate(corpus.sentences)]


@pytest.fixture(scope="session")
def wav_texts(asr, utterances) -> list[str]:
    """The service's transcript of each padded utterance sent as a 16 kHz mono WAV."""
    return [asr.text(wav_bytes(x), "audio/wav") for _, x in utterances]


# --- part 1: the recognition service ---------------------------------------------


def test_health_and_decoder_gauge(asr):
    r = requests.get(f"{asr.url}/health", timeout=10)
    assert r.status_code == 200
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    body = r.json()
    assert body.get("status") == "ok" and body.get("decoders") == 2, body
    assert asr.metrics().get("cairn_asr_decoders") == 2


def test_recognize_corpus_utterances(asr, utterances, wav_texts):
    refs = [text for text, _ in utterances]
    wer = corpus_wer(refs, wav_texts)
    report = "\n".join(f"  {word_errors(words_of(r), words_of(h))} errors: {h!r} (truth {r!r})"
                       for r, h in zip(refs, wav_texts))
    assert wer <= MAX_WER, f"corpus WER {wer:.3f} > {MAX_WER} over {len(refs)} clips:\n{report}"
    exact = sum(words_of(r) == words_of(h) for r, h in zip(refs, wav_texts))
    assert exact >= len(refs) - 2, f"only {exact}/{len(refs)} exact (WER {wer:.3f}):\n{report}"


def test_response_fields(asr, utterances):
    _, samples = utterances[1]
    r = asr.recognize(wav_bytes(samples), "audio/wav")
    assert r.status_code == 200, r.text[:300]
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body.get("text"), str), body
    assert body.get("duration_s") == pytest.approx(samples.size / SAMPLE_RATE, abs=1e-3), body
    assert isinstance(body.get("processing_s"), (int, float)) and 0 <= body["processing_s"] < 60, body


def test_raw_pcm_and_48k_stereo_wav_give_same_text(asr, utterances, wav_texts):
    mismatches = []
    for (ref, x), want in zip(utterances, wav_texts):
        x48 = upsample(x, 3)
        variants = {
            "application/octet-stream": (x.astype("<i2").tobytes(), "application/octet-stream"),
            "audio/pcm; rate=16000": (x.astype("<i2").tobytes(), "audio/pcm; rate=16000"),
            "audio/L16; rate=16000 (big-endian)": (x.astype(">i2").tobytes(), "audio/L16; rate=16000"),
            "48 kHz stereo WAV": (wav_bytes(np.stack([x48, x48], axis=1), rate=48000), "audio/wav"),
            "audio/pcm; rate=48000": (x48.astype("<i2").tobytes(), "audio/pcm; rate=48000"),
        }
        for name, (body, content_type) in variants.items():
            r = asr.recognize(body, content_type)
            assert r.status_code == 200, f"{name}: {r.status_code} {r.text[:300]}"
            got = r.json()
            assert got["duration_s"] == pytest.approx(x.size / SAMPLE_RATE, abs=2e-3), (name, got)
            if got["text"] != want:
                mismatches.append(f"{name}: {got['text']!r} vs WAV {want!r} (truth {ref!r})")
    assert not mismatches, "\n".join(mismatches)


def test_concurrent_requests(asr, utterances, wav_texts):
    before = asr.metrics()
    n = 8
    barrier = threading.Barrier(n)

    def post(i: int):
        _, x = utterances[i % len(utterances)]
        body = wav_bytes(x)
        barrier.wait(timeout=30)
        r = requests.post(f"{asr.url}/v1/recognize", data=body, headers={"Content-Type": "audio/wav"}, timeout=120)
        return i, r.status_code, r.text

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(post, range(n)))
    for i, status, text in results:
        assert status == 200, f"request {i}: {status} {text[:300]}"
        assert json.loads(text)["text"] == wav_texts[i % len(wav_texts)], f"request {i}: {text[:300]}"
    after = asr.metrics()
    key = 'cairn_asr_requests_total{status="200"}'
    assert after.get(key, 0) - before.get(key, 0) == n


def _riff(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"WAVE" + b"".join(cid + len(data).to_bytes(4, "little") + data + b"\0" * (len(data) % 2)
                              for cid, data in chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


_FMT = (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + (16000).to_bytes(4, "little") \
    + (32000).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
_TONE = (np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000) * 8000).astype("<i2").tobytes()

ERROR_CASES = [
    ("text/plain", b"the birch canoe slid on the smooth planks", "text/plain", 415),
    ("application/json", b'{"audio": "AAAA"}', "application/json", 415),
    ("empty WAV", b"", "audio/wav", 400),
    ("empty raw PCM", b"", "application/octet-stream", 400),
    ("RIFF garbage", b"RIFF" + b"\x13\x37garbage" * 40, "audio/wav", 400),
    ("WAV cut inside its fmt chunk", _riff((b"fmt ", _FMT), (b"data", _TONE))[:30], "audio/wav", 400),
    ("WAV without a data chunk", _riff((b"fmt ", _FMT)), "audio/wav", 400),
    ("odd-length octet-stream", b"\x01\x00" * 500 + b"\x01", "application/octet-stream", 400),
    ("odd-length audio/pcm", b"\x01\x00" * 500 + b"\x01", "audio/pcm; rate=16000", 400),
    ("body over --max-body-mb 2", b"\0" * (3 << 20), "application/octet-stream", 413),
]


@pytest.mark.parametrize("body,content_type,status", [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_error_statuses(asr, body, content_type, status):
    before = asr.metrics()
    r = asr.recognize(body, content_type)
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:300]}"
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    error = r.json().get("error")
    assert isinstance(error, str) and error, r.text[:300]
    after = asr.metrics()
    key = f'cairn_asr_requests_total{{status="{status}"}}'
    assert after.get(key, 0) - before.get(key, 0) == 1, f"{key}: {before.get(key)} -> {after.get(key)}"
    ok = 'cairn_asr_requests_total{status="200"}'
    assert after.get(ok, 0) == before.get(ok, 0)
    # The service still works afterwards.
    assert asr.recognize(_riff((b"fmt ", _FMT), (b"data", _TONE)), "audio/wav").status_code == 200


def test_metrics_follow_requests(asr, utterances):
    before = asr.metrics()
    clips = [utterances[2][1], utterances[5][1], np.zeros(SAMPLE_RATE // 2, dtype=np.int16) + 3]
    texts = []
    for x in clips:
        r = asr.recognize(wav_bytes(x), "audio/wav")
        assert r.status_code == 200, r.text[:300]
        texts.append(r.json()["text"])
    assert asr.recognize(b"hello", "text/plain").status_code == 415
    assert asr.recognize(b"", "audio/wav").status_code == 400
    after = asr.metrics()

    def delta(key: str) -> float:
        return after.get(key, 0.0) - before.get(key, 0.0)

    n = len(clips)
    assert delta('cairn_asr_requests_total{status="200"}') == n
    assert delta('cairn_asr_requests_total{status="415"}') == 1
    assert delta('cairn_asr_requests_total{status="400"}') == 1
    assert delta("cairn_asr_empty_transcripts_total") == sum(t == "" for t in texts), texts
    for hist in ("cairn_asr_request_duration_seconds", "cairn_asr_real_time_factor",
                 "cairn_asr_input_loudness_dbfs", "cairn_asr_clip_duration_seconds"):
        assert f"{hist}_count" in after, f"no {hist} histogram in /metrics"
        assert delta(f"{hist}_count") == n, hist
        assert after[f'{hist}_bucket{{le="+Inf"}}'] == after[f"{hist}_count"], hist
    durations = [x.size / SAMPLE_RATE for x in clips]
    assert delta("cairn_asr_clip_duration_seconds_sum") == pytest.approx(sum(durations), abs=1e-3)
    assert 0 < delta("cairn_asr_request_duration_seconds_sum") < 60
    assert delta("cairn_asr_real_time_factor_sum") > 0
    # Loudness: RMS in dBFS (full scale 32768; allow 3.1 dB for a sine-referenced convention).
    want = sum(dbfs(x) for x in clips)
    assert abs(delta("cairn_asr_input_loudness_dbfs_sum") - want) <= 3.1 * n, (
        delta("cairn_asr_input_loudness_dbfs_sum"), want)
    assert after.get("cairn_asr_decoders") == 2


def test_cairn_asr_subcommand_of_cairn(cairn_bin, start_asr, utterances, wav_texts):
    service = start_asr(command=[cairn_bin, "asr", "serve"], decoders=1)
    assert requests.get(f"{service.url}/health", timeout=10).json().get("decoders") == 1
    assert service.text(wav_bytes(utterances[3][1]), "audio/wav") == wav_texts[3]
    code = service.stop()
    assert code in (0, -signal.SIGTERM, 128 + signal.SIGTERM), f"`cairn asr serve` exited {code}:\n{service.log()}"


# --- part 2: the edge streamer -----------------------------------------------------


@dataclass
class StreamRun:
    cmd: list[str]
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    lines: list[tuple[float, float, str]] = field(default_factory=list)
    summary_lines: list[str] = field(default_factory=list)
    result: dict | None = None

    def describe(self) -> str:
        return (f"$ {' '.join(self.cmd)}\nexit {self.returncode} after {self.wall_s:.1f} s\n"
                f"stdout:\n{self.stdout[-4000:]}\nstderr:\n{self.stderr[-3000:]}")


def parse_stdout(stdout: str) -> tuple[list[tuple[float, float, str]], list[str], list[str]]:
    """(clip lines as (start, end, text), the summary block, stray lines before `summary:`)."""
    lines, stray = [], []
    all_lines = stdout.splitlines()
    for k, line in enumerate(all_lines):
        if line.strip() == "summary:":
            return lines, all_lines[k:], stray
        m = CLIP_LINE.match(line)
        if m:
            lines.append((float(m["start"]), float(m["end"]), (m["text"] or "").strip()))
        elif line.strip():
            stray.append(line)
    return lines, [], stray


def stream_cmd(cairn_bin: str, source: str, asr_url: str, json_out: Path | None, *extra: str) -> list[str]:
    cmd = [cairn_bin, "speech", "stream", source, "--asr", asr_url]
    if json_out is not None:
        cmd += ["--json", str(json_out)]
    return cmd + list(extra)


def finish(cmd, code, out, err, wall, json_out: Path | None) -> StreamRun:
    result = StreamRun(cmd, code, out, err, wall)
    result.lines, result.summary_lines, _ = parse_stdout(out)
    if json_out is not None and json_out.is_file():
        result.result = json.loads(json_out.read_text())
    return result


def run_stream(cairn_bin, source, asr_url, json_out: Path | None, *extra, stdin_bytes=None,
               timeout=RUN_TIMEOUT) -> StreamRun:
    cmd = stream_cmd(cairn_bin, str(source), asr_url, json_out, *extra)
    return finish(cmd, *run(cmd, timeout=timeout, stdin_bytes=stdin_bytes), json_out)


def check_stream_contract(run_: StreamRun, audio_s: float, expect_failed: int | None = 0) -> dict:
    """Checks the stdout and --json contract of a finished run; returns the JSON."""
    info = run_.describe()
    assert run_.result is not None, f"no --json output\n{info}"
    doc = run_.result
    clips, summary = doc.get("clips"), doc.get("summary")
    assert isinstance(clips, list) and isinstance(summary, dict), f"JSON {str(doc)[:500]}\n{info}"
    for clip in clips:
        assert set(CLIP_FIELDS) <= set(clip), f"clip lacks {set(CLIP_FIELDS) - set(clip)}: {clip}"
    assert set(SUMMARY_FIELDS) <= set(summary), f"summary lacks {set(SUMMARY_FIELDS) - set(summary)}: {summary}"
    n = len(clips)
    assert summary["clips"] == n, summary

    # Clips: stream order, consistent fields.
    indices = [c["index"] for c in clips]
    if indices:
        assert indices == list(range(indices[0], indices[0] + n)), f"clip indices {indices}"
    previous_end = -math.inf
    for c in clips:
        assert 0 <= c["start"] < c["end"] <= audio_s + 0.01, c
        assert c["start"] >= previous_end - 1e-6, f"clip {c} overlaps or precedes the one before"
        previous_end = c["end"]
        assert c["duration"] == pytest.approx(c["end"] - c["start"], abs=0.011), c
        assert isinstance(c["attempts"], int) and c["attempts"] >= 1, c
        if c["text"] is not None:
            assert isinstance(c["text"], str), c
            assert c["words"] == len(c["text"].split()), c
            assert isinstance(c["latency_s"], (int, float)) and 0 <= c["latency_s"] < RUN_TIMEOUT, c
        assert isinstance(c["loudness_dbfs"], (int, float)) and -120 <= c["loudness_dbfs"] <= 0.5, c
        assert c["snr_db"] is None or isinstance(c["snr_db"], (int, float)), c

    # Summary.
    texts = [c["text"] for c in clips]
    assert summary["audio_s"] == pytest.approx(audio_s, abs=0.05), summary
    forwarded = sum(c["duration"] for c in clips)
    assert summary["forwarded_s"] == pytest.approx(forwarded, abs=0.01 * max(n, 1)), summary
    assert summary["forwarded_share"] == pytest.approx(summary["forwarded_s"] / summary["audio_s"], abs=2e-3), summary
    assert summary["empty"] == sum(t == "" for t in texts), summary
    assert summary["failed"] == sum(t is None for t in texts), summary
    if expect_failed is not None:
        assert summary["failed"] == expect_failed, f"{summary}\n{info}"
    assert summary["retries"] == sum(c["attempts"] - 1 for c in clips), summary
    latencies = sorted(c["latency_s"] for c in clips if c["text"] is not None)
    if latencies:
        assert summary["mean_latency_s"] == pytest.approx(sum(latencies) / len(latencies), abs=2e-3), summary
        assert latencies[0] - 2e-3 <= summary["p95_latency_s"] <= latencies[-1] + 2e-3, summary

    # Stdout: one line per clip, in stream order, same times and texts as the JSON, then `summary:`.
    lines, summary_block, stray = parse_stdout(run_.stdout)
    assert not stray, f"stdout lines before `summary:` that are not clip lines: {stray[:5]}\n{info}"
    assert summary_block, f"no `summary:` line on stdout\n{info}"
    assert len(lines) == n, f"{len(lines)} clip lines for {n} JSON clips\n{info}"
    for (start, end, text), c in zip(lines, clips):
        assert start == pytest.approx(c["start"], abs=0.0051) and end == pytest.approx(c["end"], abs=0.0051), (
            (start, end), c)
        if c["text"] is not None:
            assert text.split() == c["text"].split(), (text, c)
    return doc


def check_against_truth(lines: list[tuple[float, float, str]], corpus) -> tuple[float, str]:
    """Each sentence overlaps exactly one clip, no clip lies in a gap; returns (WER, report)."""
    sentences = corpus.sentences
    spans = [(c[0], c[1]) for c in lines]
    report = "clips: " + ", ".join(f"[{a:.2f}, {b:.2f}]" for a, b in spans)
    for s in sentences:
        hits = [k for k, (a, b) in enumerate(spans) if a < s["end"] and b > s["start"]]
        assert len(hits) == 1, f"sentence [{s['start']}, {s['end']}] {s['text']!r} overlaps clips {hits}; {report}"
    for a, b in spans:
        assert any(a < s["end"] and b > s["start"] for s in sentences), f"clip [{a}, {b}] lies in a gap; {report}"
    assert len(spans) >= len(sentences) - 1, f"{len(spans)} clips for {len(sentences)} sentences; {report}"
    ref = " ".join(s["text"] for s in sentences)
    hyp = " ".join(text for _, _, text in lines)
    wer = word_errors(words_of(ref), words_of(hyp)) / len(words_of(ref))
    return wer, f"{report}\nhyp: {hyp!r}\nref: {ref!r}"


@pytest.fixture(scope="session")
def stream_source(corpus) -> Path:
    return corpus.path(STREAM_CONDITION)


@pytest.fixture(scope="session")
def baseline_stream(cairn_bin, asr, stream_source, tmp_path_factory) -> StreamRun:
    """`cairn speech stream mix_white_10dB.wav --json OUT` against the shared service, run once."""
    out = tmp_path_factory.mktemp("stream") / "baseline.json"
    return run_stream(cairn_bin, stream_source, asr.url, out)


def test_stream_output_contract(baseline_stream, corpus):
    assert baseline_stream.returncode == 0, baseline_stream.describe()
    check_stream_contract(baseline_stream, corpus.duration)


def test_stream_clips_match_sentences(baseline_stream, corpus):
    assert baseline_stream.returncode == 0, baseline_stream.describe()
    check_against_truth(baseline_stream.lines, corpus)


def test_stream_transcripts(baseline_stream, corpus):
    assert baseline_stream.returncode == 0, baseline_stream.describe()
    wer, report = check_against_truth(baseline_stream.lines, corpus)
    summary = (baseline_stream.result or {}).get("summary", {})
    assert wer <= MAX_WER, (f"stream WER {wer:.3f} > {MAX_WER} (mean latency {summary.get('mean_latency_s')} s, "
                            f"p95 {summary.get('p95_latency_s')} s)\n{report}")


def test_stream_forwarded_share(baseline_stream, corpus):
    assert baseline_stream.returncode == 0 and baseline_stream.result, baseline_stream.describe()
    share = baseline_stream.result["summary"]["forwarded_share"]
    assert SHARE_RANGE[0] <= share <= SHARE_RANGE[1], f"forwarded_share {share}\n{baseline_stream.describe()}"


@pytest.mark.parametrize("form", ["wav", "raw"])
def test_stream_from_stdin(cairn_bin, asr, stream_source, baseline_stream, tmp_path, form):
    assert baseline_stream.returncode == 0 and baseline_stream.result, baseline_stream.describe()
    data = stream_source.read_bytes()
    extra: tuple[str, ...] = ()
    if form == "raw":
        data, extra = read_wav(stream_source).astype("<i2").tobytes(), ("--raw-rate", "16000")
    result = run_stream(cairn_bin, "-", asr.url, tmp_path / "stdin.json", *extra, stdin_bytes=data)
    assert result.returncode == 0, result.describe()
    doc = check_stream_contract(result, read_wav(stream_source).size / SAMPLE_RATE)
    want = baseline_stream.result["clips"]
    assert [(round(c["start"], 2), round(c["end"], 2), c["text"]) for c in doc["clips"]] == \
        [(round(c["start"], 2), round(c["end"], 2), c["text"]) for c in want]


def test_stream_prints_each_transcript_promptly(cairn_bin, asr, stream_source, corpus, tmp_path):
    """With --realtime --speed 4, line k appears soon after clip k's audio has been read, not later."""
    speed, slack = 4.0, 1.5
    out = tmp_path / "live.json"
    cmd = stream_cmd(cairn_bin, str(stream_source), asr.url, out, "--realtime", "--speed", str(speed))
    started = time.monotonic()
    proc = popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                 encoding="utf-8", bufsize=1)
    arrivals: list[tuple[float, str]] = []
    try:
        for line in proc.stdout:
            arrivals.append((time.monotonic() - started, line.rstrip("\n")))
        code = proc.wait(timeout=RUN_TIMEOUT)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    wall = time.monotonic() - started
    stdout = "\n".join(text for _, text in arrivals) + "\n"
    result = finish(cmd, code, stdout, err, wall, out)
    assert code == 0, result.describe()
    check_stream_contract(result, corpus.duration)
    timeline = "\n".join(f"  {t:6.2f} s  {text}" for t, text in arrivals)
    clip_arrivals = [(t, CLIP_LINE.match(text)) for t, text in arrivals if CLIP_LINE.match(text)]
    for t, m in clip_arrivals:
        end = float(m["end"])
        assert t >= end / speed - 0.1, f"line for a clip ending at {end} s printed at {t:.2f} s: not paced\n{timeline}"
        assert t <= end / speed + slack, (
            f"line for the clip ending at {end} s of audio ({end / speed:.2f} s into a {speed}x stream) "
            f"printed only at {t:.2f} s\n{timeline}")


def _pump(stream, sink: queue.Queue, lines: list[str]) -> None:
    for line in iter(stream.readline, ""):
        lines.append(line)
        sink.put((time.monotonic(), line))
    sink.put((time.monotonic(), None))


def test_stream_survives_service_restart(cairn_bin, start_asr, stream_source, baseline_stream, corpus, tmp_path):
    """Kill the service after two transcripts, keep it down 2.5 s, restart it on the same port."""
    assert baseline_stream.returncode == 0 and baseline_stream.result, baseline_stream.describe()
    service = start_asr(decoders=2)
    out = tmp_path / "restart.json"
    cmd = stream_cmd(cairn_bin, str(stream_source), service.url, out, "--realtime", "--speed", "4")
    started = time.monotonic()
    proc = popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                 encoding="utf-8", bufsize=1)
    events: queue.Queue = queue.Queue()
    out_lines: list[str] = []
    err_lines: list[str] = []
    threading.Thread(target=_pump, args=(proc.stdout, events, out_lines), daemon=True).start()
    threading.Thread(target=_pump, args=(proc.stderr, queue.Queue(), err_lines), daemon=True).start()
    try:
        seen = 0
        deadline = time.monotonic() + 60
        while seen < 2:
            try:
                _, line = events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail("no two transcript lines on stdout within 60 s (is stdout flushed after each line?)\n"
                            f"stdout: {''.join(out_lines)[-2000:]}\nstderr: {''.join(err_lines)[-2000:]}")
            if line is None:
                pytest.fail(f"the stream ended before the service was killed (exit {proc.wait()}):\n"
                            f"stdout: {''.join(out_lines)[-2000:]}\nstderr: {''.join(err_lines)[-2000:]}")
            if CLIP_LINE.match(line.rstrip("\n")):
                seen += 1
        killed_at = time.monotonic() - started
        service.kill(signal.SIGKILL)
        time.sleep(2.5)
        assert proc.poll() is None, "the stream finished while the service was down; nothing was tested"
        service.start()
        code = proc.wait(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    wall = time.monotonic() - started
    time.sleep(0.2)  # let the pump threads drain
    result = finish(cmd, code, "".join(out_lines), "".join(err_lines), wall, out)
    info = f"killed at {killed_at:.1f} s\n{result.describe()}"
    assert code == 0, info
    doc = check_stream_contract(result, corpus.duration)
    summary = doc["summary"]
    assert summary["failed"] == 0 and all(isinstance(c["text"], str) for c in doc["clips"]), info
    assert summary["retries"] > 0, f"no retries although the service was down for 2.5 s\n{info}"
    assert summary["clips"] == baseline_stream.result["summary"]["clips"], info
    starts = [s for s, _, _ in result.lines]
    assert all(a < b for a, b in zip(starts, starts[1:])), f"clip lines out of stream order: {starts}\n{info}"
    wer, report = check_against_truth(result.lines, corpus)
    assert wer <= MAX_WER, f"WER {wer:.3f} after the restart\n{report}\n{info}"
    # --realtime --speed 4 paces 47.6 s of audio over about 12 s.
    assert wall >= 0.8 * corpus.duration / 4, f"finished in {wall:.1f} s: not paced at 4x real time\n{info}"


def test_stream_logs_run_to_tracking_server(cairn_bin, asr, server, stream_source, corpus, unique, tmp_path):
    name = unique("speech")
    out = tmp_path / "logged.json"
    result = run_stream(cairn_bin, stream_source, asr.url, out, "--log-to", server.url, "--experiment", name,
                        "--pad-ms", "250", "--min-silence-ms", "350")
    assert result.returncode == 0, result.describe()
    doc = check_stream_contract(result, corpus.duration)
    summary, clips = doc["summary"], doc["clips"]

    client = MlflowClient(tracking_uri=server.url)
    experiment = client.get_experiment_by_name(name)
    assert experiment is not None, f"no experiment {name!r}\n{result.describe()}"
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 1, f"{len(runs)} runs in {name!r}"
    logged = runs[0]
    assert logged.info.status == "FINISHED", logged.info

    params = logged.data.params
    def param_values(word: str) -> list[float]:
        values = []
        for key, value in params.items():
            if word in key.lower():
                try:
                    values.append(float(value))
                except ValueError:
                    pass
        return values
    assert any(v in (250, 0.25) for v in param_values("pad")), f"--pad-ms 250 not among the params {params}"
    assert any(v in (350, 0.35) for v in param_values("silence")), f"--min-silence-ms 350 not among the params {params}"

    metrics = logged.data.metrics
    for key in ("speech.clips", "speech.forwarded_share", "speech.empty_transcripts", "speech.mean_latency_s"):
        assert key in metrics, f"no metric {key}: {sorted(metrics)}"
    assert metrics["speech.clips"] == summary["clips"]
    assert metrics["speech.forwarded_share"] == pytest.approx(summary["forwarded_share"], abs=1e-3)
    assert metrics["speech.empty_transcripts"] == summary["empty"]
    assert metrics["speech.mean_latency_s"] == pytest.approx(summary["mean_latency_s"], abs=1e-3)

    # Per-clip series: one point per clip, step = clip index, for the run page's charts over the stream.
    for key in ("speech.clip.loudness_dbfs", "speech.clip.snr_db", "speech.clip.words", "speech.clip.empty",
                "speech.clip.latency_s"):
        history = client.get_metric_history(logged.info.run_id, key)
        assert sorted(m.step for m in history) == list(range(len(clips))), f"{key}: {len(history)} points"
    words = {m.step: m.value for m in client.get_metric_history(logged.info.run_id, "speech.clip.words")}
    empty = {m.step: m.value for m in client.get_metric_history(logged.info.run_id, "speech.clip.empty")}
    assert sum(empty.values()) == summary["empty"]
    assert all(words[i] == 0 for i in words if empty[i] == 1)

    path = client.download_artifacts(logged.info.run_id, "speech/clips.csv", str(tmp_path))
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        rows = list(reader)
    assert set(CSV_COLUMNS) <= set(header), f"clips.csv header {header}"
    assert len(rows) == len(clips), f"{len(rows)} CSV rows for {len(clips)} clips"

    def num(value: str) -> float | None:
        return None if value.strip().lower() in ("", "nan", "null", "none") else float(value)

    tolerance = {"start": 0.006, "end": 0.006, "duration": 0.011, "loudness_dbfs": 0.06, "snr_db": 0.06,
                 "words": 0, "latency_s": 0.002}
    for k, (row, clip) in enumerate(zip(rows, clips)):
        for column in CSV_COLUMNS:
            got, want = num(row[column]), clip[column]
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert got is None or math.isnan(got), (k, column, row, clip)
            else:
                assert got is not None and abs(got - want) <= tolerance[column], (k, column, row[column], want)


def test_stream_rejects_non_audio_input(cairn_bin, asr, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not audio\n" * 200)
    result = run_stream(cairn_bin, bogus, asr.url, tmp_path / "bogus.json", timeout=60)
    assert result.returncode != 0, result.describe()
    err = result.stderr.strip()
    assert err, f"no message on stderr\n{result.describe()}"
    assert "Fatal error" not in err and "Stack dump" not in err, result.describe()
    assert re.search(r"notes\.txt|wav|riff|audio|pcm|format|header", err, re.IGNORECASE), (
        f"stderr does not say what is wrong with the input\n{result.describe()}")
    assert not result.lines, result.describe()


def test_stream_gives_up_when_service_never_answers(cairn_bin, free_port, corpus, tmp_path):
    source = corpus.path("clean")
    dead = f"http://127.0.0.1:{free_port()}"
    out = tmp_path / "dead.json"
    result = run_stream(cairn_bin, source, dead, out, "--retry-timeout", "2", timeout=90)
    assert result.returncode == 1, result.describe()
    assert result.result is not None, f"no --json output\n{result.describe()}"
    summary, clips = result.result["summary"], result.result["clips"]
    assert len(clips) > 0 and summary["clips"] == len(clips), summary
    assert summary["failed"] == len(clips), f"{summary}\n{result.describe()}"
    assert all(c["text"] is None for c in clips), clips
    assert all(c["attempts"] >= 1 for c in clips), clips


def test_clip_records_show_drift_between_recordings(cairn_bin, asr, corpus, tmp_path):
    """Per-clip CSVs of a quiet and a noisy recording of the same speech: `cairn drift` flags the
    input signals (loudness, SNR), and not the clip positions, which are the same sentences."""
    csvs = {}
    for condition in ("white_20dB", "white_0dB"):
        out = tmp_path / f"{condition}.csv"
        run_ = run_stream(cairn_bin, corpus.path(condition), asr.url, None, "--csv", str(out))
        assert run_.returncode == 0, run_.describe()
        header, *rows = out.read_text().splitlines()
        assert header == "start,end,duration,loudness_dbfs,snr_db,words,latency_s"
        assert len(rows) == len(run_.lines), (rows, run_.lines)
        csvs[condition] = out
    report_path = tmp_path / "drift.json"
    proc = subprocess.run(
        [cairn_bin, "drift", str(csvs["white_20dB"]), str(csvs["white_0dB"]), "--json", str(report_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(report_path.read_text())
    drifted = {c["name"]: c["drift_detected"] for c in report["columns"]}
    assert drifted["snr_db"] and drifted["loudness_dbfs"], report["columns"]
    assert not drifted["start"] and not drifted["end"], report["columns"]


@pytest.mark.parametrize("grammar, message", [
    ("#JSGF V1.0;\ngrammar g;\npublic <a> = hello zzyzxq;\n", "The word 'zzyzxq' is missing in the dictionary"),
    ("#JSGF V1.0; grammar g; public <a> = hello world", "Failed to parse JSGF grammar"),
])
def test_service_names_why_a_grammar_does_not_load(asr_bin, free_port, tmp_path, grammar, message):
    path = tmp_path / "bad.jsgf"
    path.write_text(grammar)
    proc = subprocess.run([asr_bin, "serve", "--port", str(free_port()), "--jsgf", str(path)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr


def test_service_refuses_missing_model_files(asr_bin, free_port, tmp_path):
    proc = subprocess.run([asr_bin, "serve", "--port", str(free_port()), "--hmm", str(tmp_path / "nope")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode != 0
    assert "acoustic model directory" in proc.stderr and "nope" in proc.stderr, proc.stderr


def test_ctrl_c_finishes_the_clips_already_cut(cairn_bin, asr, stream_source, tmp_path):
    out = tmp_path / "interrupted.json"
    cmd = stream_cmd(cairn_bin, str(stream_source), asr.url, out, "--realtime", "--speed", "4")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4.0)  # about 16 s of the 47.6 s stream
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "stopping" in stderr
    doc = json.loads(out.read_text())
    summary = doc["summary"]
    assert 5 < summary["audio_s"] < 40, summary
    assert summary["failed"] == 0 and summary["clips"] >= 2, summary
    assert len(parse_stdout(stdout)[0]) == summary["clips"]


# --- defects found on an unseen recording ------------------------------------------


def test_clean_clips_cut_from_digital_silence_are_not_empty(utterances, wav_texts):
    """The utterances are padded with all-zero samples; the default dither keeps them decodable."""
    empty = [text for (text, _), heard in zip(utterances, wav_texts) if not heard.strip()]
    assert not empty, f"{len(empty)} clean clips decoded to '': {empty}"


def test_decoder_options_are_checked(asr_bin, corpus, free_port):
    for option, message in (("nosuch=1", "pocketsphinx rejected the settings"), ("dither", "is not NAME=VALUE"),
                            ("lm=x.lm", "cannot be a decoder option"), ("dither=maybe", "dither takes yes or no")):
        out = subprocess.run([asr_bin, "serve", "--port", str(free_port()), "--jsgf",
                              str(corpus.directory / "grammar.jsgf"), "--decoder-option", option],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 64 and message in out.stderr, (option, out.stderr)


def test_stream_into_a_closed_pipe_ends_quietly_after_its_files(cairn_bin, asr, stream_source, tmp_path):
    out = tmp_path / "piped.json"
    command = " ".join(f"'{c}'" for c in stream_cmd(cairn_bin, str(stream_source), asr.url, out))
    proc = subprocess.run(["bash", "-c", command + ' | head -1; echo "cairn exit ${PIPESTATUS[0]}" >&2'],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert "cairn exit 0" in proc.stderr and "Fatal error" not in proc.stderr, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 and CLIP_LINE.match(proc.stdout), proc.stdout
    doc = json.loads(out.read_text())
    assert len(doc["clips"]) >= 3 and doc["summary"]["failed"] == 0


def test_header_only_and_compressed_inputs_are_explained(cairn_bin, asr, tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(wav_bytes(np.zeros(0, dtype=np.int16)))
    result = run_stream(cairn_bin, empty, asr.url, None)
    assert result.returncode == 0 and "holds no audio samples" in result.stderr, result.describe()
    vad = subprocess.run([cairn_bin, "vad", str(empty)], capture_output=True, text=True, timeout=60)
    assert vad.returncode == 0 and "holds no audio samples" in vad.stderr, vad.stderr
    flac = tmp_path / "talk.flac"
    flac.write_bytes(b"fLaC\x00\x00\x00\x22" + bytes(200))
    for command in ([cairn_bin, "vad", str(flac)], stream_cmd(cairn_bin, str(flac), asr.url, None)):
        out = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert out.returncode != 0, out.stderr
        assert "is FLAC audio" in out.stderr and "sox in.flac -r 16000" in out.stderr, out.stderr
        assert "--raw-rate" not in out.stderr, out.stderr


# --- tokens ------------------------------------------------------------------------


def test_token_file_guards_recognition_and_the_streamer_sends_it(cairn_bin, asr_bin, start_asr, utterances,
                                                                  wav_texts, free_port, tmp_path):
    token = secrets.token_hex(20)
    tokens = tmp_path / "asr-tokens"
    tokens.write_text(f"# edge devices\n{token}\n")
    tokens.chmod(0o600)
    service = start_asr(decoders=1, extra=("--auth-token-file", str(tokens)))
    body = wav_bytes(utterances[3][1])
    url = f"{service.url}/v1/recognize"
    for headers in ({}, {"Authorization": "Bearer not-the-token-0123456789"}):
        r = requests.post(url, data=body, headers={"Content-Type": "audio/wav", **headers}, timeout=60)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Bearer realm="cairn"', r.text
        assert r.json()["error"], r.text
    r = requests.post(url, data=body, headers={"Content-Type": "audio/wav", "Authorization": f"Bearer {token}"},
                      timeout=60)
    assert r.status_code == 200 and r.json()["text"] == wav_texts[3], r.text
    assert requests.get(f"{service.url}/health", timeout=10).status_code == 200
    assert service.metrics().get('cairn_asr_requests_total{status="401"}') == 2

    source = tmp_path / "one.wav"
    source.write_bytes(body)
    sent = run_stream(cairn_bin, source, service.url, tmp_path / "sent.json", "--asr-token-file", str(tokens),
                      timeout=120)
    assert sent.returncode == 0 and sent.lines, sent.describe()
    assert sent.result["summary"]["failed"] == 0, sent.describe()
    # Without the token every clip is refused at once (4xx is not retried) and the stream says why.
    refused = run_stream(cairn_bin, source, service.url, tmp_path / "refused.json", "--retry-timeout", "60",
                         timeout=120)
    assert refused.returncode == 1 and refused.wall_s < 30, refused.describe()
    assert "401" in refused.stdout + refused.stderr, refused.describe()
    assert token not in service.log()

    tokens.chmod(0o644)
    proc = subprocess.run([asr_bin, "serve", "--port", str(free_port()), "--auth-token-file", str(tokens)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode != 0 and "chmod 600" in proc.stderr, proc.stderr
    assert token not in proc.stderr
