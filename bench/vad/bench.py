#!/usr/bin/env python3
"""VAD benchmark: WebRTC VAD, Silero VAD (ONNX) and `cairn vad` on one labelled corpus.

Run through bench/vad/run.sh, which makes the venv, builds the corpus
(tests/speech/make_corpus.py) and calls

    python bench/vad/bench.py --corpus DIR [--cairn .build/release/cairn] [--out bench/vad/last-run.md]

Detectors
---------
* WebRTC VAD (py-webrtcvad, `webrtcvad-wheels`), modes 0-3, 10 ms and 30 ms
  frames. "raw" = per-frame decisions; "seg" = this file's own ring-buffer
  collector: a ring of 300 ms / frame_ms frames; enter speech when more than
  90 % of the ring is voiced (the segment starts at the oldest frame in the
  ring), leave it when more than 90 % is unvoiced (the segment ends at the end
  of that frame); a segment still open at the end of the file ends there.
* Silero VAD v6: `silero_vad.onnx` from the data directory of the installed
  `silero-vad` wheel (the package itself is never imported: it imports torch),
  run by onnxruntime with one intra-op and one inter-op thread. Each call gets
  the 64 samples of context kept from the previous call followed by 512 new
  samples (float32, int16/32768), the [2,1,128] state and sr=16000; the last
  window is zero-padded. "raw" = p >= 0.5 per 32 ms window; "seg" = this
  file's implementation of the documented get_speech_timestamps rules with
  their defaults (threshold 0.5, negative threshold 0.35, min speech 250 ms,
  min silence 100 ms, pad 30 ms, no maximum speech length).
* Cairn: `cairn vad FILE --json OUT` per condition; "raw" = its `frames`,
  "seg" = its `segments`. Skipped with a message when the binary is missing.

Scoring is tests/speech/vadscore.py (10 ms truth frames, centre-sample rule;
F1 on the speech class against the sentence-level "utt" truth; burst FA =
share of frames inside the noise-only bursts marked speech).

Speed: mix_white_10dB tiled to 5 minutes. CPU time (time.process_time) around
the detector loop only (audio already in memory, framing done beforehand),
best of 3, reported as µs of CPU per 10 ms of audio. For Cairn: the best of 3
`processing.vad_cpu_seconds` it reports, and the whole-process CPU (user+sys,
resource.getrusage(RUSAGE_CHILDREN)) of the same runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import wave
from collections import deque
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "speech"))
import vadscore  # noqa: E402

SR = 16000
SILERO_WINDOW = 512
SILERO_CONTEXT = 64


# --------------------------------------------------------------------------- audio

def read_pcm(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == SR and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def write_pcm(path: Path, x: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(x.astype("<i2").tobytes())


# --------------------------------------------------------------------------- WebRTC

def webrtc_frames(pcm: np.ndarray, frame_ms: int) -> list[bytes]:
    """Whole frames only (WebRTC rejects other lengths); a partial tail frame is dropped."""
    n = SR * frame_ms // 1000
    raw = pcm.astype("<i2").tobytes()
    return [raw[2 * i: 2 * (i + n)] for i in range(0, pcm.size - n + 1, n)]


def webrtc_decisions(frames: list[bytes], mode: int) -> list[int]:
    import webrtcvad

    vad = webrtcvad.Vad(mode)
    return [1 if vad.is_speech(f, SR) else 0 for f in frames]


def ring_collector(decisions, frame_ms: int, padding_ms: int = 300, ratio: float = 0.9,
                   total_s: float | None = None) -> list[dict]:
    """Segments from per-frame decisions with a voiced/unvoiced ring buffer."""
    size = max(1, padding_ms // frame_ms)
    fdur = frame_ms / 1000
    ring: deque = deque(maxlen=size)
    segments, triggered, start = [], False, 0.0
    for i, d in enumerate(decisions):
        ring.append((i, d))
        if not triggered:
            if sum(v for _, v in ring) > ratio * size:
                triggered, start = True, ring[0][0] * fdur
                ring.clear()
        elif sum(1 - v for _, v in ring) > ratio * size:
            segments.append({"start": start, "end": (i + 1) * fdur})
            triggered = False
            ring.clear()
    if triggered:
        end = total_s if total_s is not None else len(decisions) * fdur
        segments.append({"start": start, "end": end})
    return segments


# --------------------------------------------------------------------------- Silero

def silero_model_path() -> Path:
    spec = importlib.util.find_spec("silero_vad")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("silero-vad is not installed (pip install --no-deps silero-vad)")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "silero_vad.onnx"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing")
    return path


class SileroOnnx:
    """Stateful 16 kHz Silero VAD on onnxruntime: 64 samples of context + 512 new samples per call."""

    def __init__(self, model: Path):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(model), sess_options=opts,
                                            providers=["CPUExecutionProvider"])
        self.sr = np.array(SR, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        self.state = np.zeros((2, 1, 128), dtype=np.float32)
        self.context = np.zeros((1, SILERO_CONTEXT), dtype=np.float32)

    def __call__(self, window: np.ndarray) -> float:
        x = np.concatenate([self.context, window.reshape(1, SILERO_WINDOW)], axis=1)
        out, self.state = self.session.run(None, {"input": x, "state": self.state, "sr": self.sr})
        self.context = x[:, -SILERO_CONTEXT:]
        return float(out[0, 0])


def silero_windows(pcm: np.ndarray) -> np.ndarray:
    """float32 windows of 512 samples; the last one zero-padded."""
    n = -(-pcm.size // SILERO_WINDOW)
    buf = np.zeros(n * SILERO_WINDOW, dtype=np.float32)
    buf[: pcm.size] = pcm.astype(np.float32) / 32768.0
    return buf.reshape(n, 1, SILERO_WINDOW)


def silero_probs(model: SileroOnnx, windows: np.ndarray) -> np.ndarray:
    model.reset()
    return np.array([model(w) for w in windows], dtype=np.float64)


def speech_timestamps(probs, n_samples: int, threshold: float = 0.5, neg_threshold: float | None = None,
                      min_speech_ms: int = 250, min_silence_ms: int = 100, pad_ms: int = 30,
                      window: int = SILERO_WINDOW) -> list[dict]:
    """Segments (seconds) from per-window speech probabilities, by the documented rules."""
    if neg_threshold is None:
        neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = SR * min_speech_ms // 1000
    min_silence = SR * min_silence_ms // 1000
    pad = SR * pad_ms // 1000
    segs: list[list[int]] = []
    in_speech, start, tentative_end = False, 0, None
    for i, p in enumerate(probs):
        pos = i * window
        if p >= threshold:
            tentative_end = None
            if not in_speech:
                in_speech, start = True, pos
            continue
        if in_speech and p < neg_threshold:
            if tentative_end is None:
                tentative_end = pos
            if pos - tentative_end >= min_silence:
                if tentative_end - start > min_speech:
                    segs.append([start, tentative_end])
                in_speech, tentative_end = False, None
    if in_speech and n_samples - start > min_speech:
        segs.append([start, n_samples])
    # padding, sharing a short gap between neighbours
    for k, seg in enumerate(segs):
        if k == 0:
            seg[0] = max(0, seg[0] - pad)
        if k + 1 < len(segs):
            gap = segs[k + 1][0] - seg[1]
            if gap < 2 * pad:
                seg[1] += gap // 2
                segs[k + 1][0] = max(0, segs[k + 1][0] - gap // 2)
            else:
                seg[1] = min(n_samples, seg[1] + pad)
                segs[k + 1][0] = max(0, segs[k + 1][0] - pad)
        else:
            seg[1] = min(n_samples, seg[1] + pad)
    return [{"start": a / SR, "end": b / SR} for a, b in segs]


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    labels = labels.astype(bool)
    npos, nneg = int(labels.sum()), int((~labels).sum())
    if not npos or not nneg:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(s.size, dtype=np.float64)
    i = 0
    while i < s.size:  # average ranks of ties
        j = i
        while j + 1 < s.size and s[j + 1] == s[i]:
            j += 1
        ranks[i: j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty_like(ranks)
    r[order] = ranks
    return float((r[labels].sum() - npos * (npos + 1) / 2) / (npos * nneg))


# --------------------------------------------------------------------------- Cairn

def cairn_available(path: str | None) -> tuple[bool, str]:
    if not path:
        return False, "no --cairn given"
    p = Path(path)
    if not p.is_file() or not os.access(p, os.X_OK):
        return False, f"{path} does not exist or is not executable (build it with `swift build -c release`)"
    return True, ""


def run_cairn(cairn: str, wav: Path, extra: list[str]) -> tuple[dict, float]:
    """One `cairn vad` run; returns (json, whole-process CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = vadscore.run_cairn_vad(cairn, wav, extra)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, cpu


# --------------------------------------------------------------------------- main

def fmt(x, spec=".3f"):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def best_of(n: int, fn) -> float:
    best = math.inf
    for _ in range(n):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def versions() -> str:
    parts = []
    for dist in ("numpy", "onnxruntime", "webrtcvad-wheels", "silero-vad"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} (missing)")
    return ", ".join(parts)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    ap = argparse.ArgumentParser(description="VAD benchmark (see module docstring)")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--cairn", default=str(ROOT / ".build" / "release" / "cairn"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "last-run.md"))
    ap.add_argument("--speed-seconds", type=float, default=300.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-cairn", action="store_true")
    ap.add_argument("cairn_args", nargs="*", help="extra arguments for `cairn vad` (after --)")
    args = ap.parse_args()

    truth = vadscore.load_truth(args.corpus)
    conds = truth.conditions
    has_cairn, why = (False, "--no-cairn") if args.no_cairn else cairn_available(args.cairn)
    if not has_cairn:
        print(f"[bench] Cairn skipped: {why}", file=sys.stderr)

    webrtc_cfgs = [(m, f) for f in (10, 30) for m in range(4)]
    silero = SileroOnnx(silero_model_path())

    # rows[cond][detector] = {"raw": Score|None, "seg": Score|None, "nseg": int|None}
    rows: dict[str, dict[str, dict]] = {}
    extras: dict[str, dict] = {}
    for cond in conds:
        name = cond["name"]
        pcm = read_pcm(truth.path(cond))
        r: dict[str, dict] = {}
        for mode, fms in webrtc_cfgs:
            dec = webrtc_decisions(webrtc_frames(pcm, fms), mode)
            raw = vadscore.frames_to_truth(dec, fms, truth.n_frames)
            segs = ring_collector(dec, fms, total_s=pcm.size / SR)
            seg = vadscore.segments_to_truth(segs, truth.n_frames)
            r[f"WebRTC m{mode}/{fms}ms"] = {"raw": vadscore.score(raw, truth),
                                            "seg": vadscore.score(seg, truth), "nseg": len(segs)}
        probs = silero_probs(silero, silero_windows(pcm))
        raw = vadscore.frames_to_truth(probs >= 0.5, 32, truth.n_frames, frame_samples=SILERO_WINDOW)
        segs = speech_timestamps(probs, pcm.size)
        seg = vadscore.segments_to_truth(segs, truth.n_frames)
        r["Silero"] = {"raw": vadscore.score(raw, truth), "seg": vadscore.score(seg, truth), "nseg": len(segs)}
        # AUC from the probability of the window holding each truth frame's centre
        idx = np.minimum(truth.centres() // SILERO_WINDOW, probs.size - 1)
        extras[name] = {"silero_auc": roc_auc(probs[idx], truth.utt)}
        if has_cairn:
            try:
                res, _ = run_cairn(args.cairn, truth.path(cond), args.cairn_args)
                s = vadscore.score_cairn_json(res, truth)
                r["Cairn"] = {"raw": s["frames"], "seg": s["segments"], "nseg": s["n_segments"],
                              "frame_ms": res.get("frame_ms"), "processing": res.get("processing") or {}}
            except Exception as exc:  # keep the other detectors' results
                lines = [x for x in str(exc).splitlines() if x.strip()] or ["?"]
                msg = lines[1] if len(lines) > 1 else lines[0]  # first stderr line
                print(f"[bench] cairn vad failed on {name}: {exc}", file=sys.stderr)
                if not any("Cairn" in done for done in rows.values()):
                    # failed on the first condition: most likely no `vad` command yet
                    has_cairn, why = False, f"`cairn vad` failed on {name}: {msg}"
                    print(f"[bench] Cairn skipped: {why}", file=sys.stderr)
                else:
                    r["Cairn"] = {"raw": None, "seg": None, "nseg": None, "error": msg}
        rows[name] = r
        print(f"[bench] {name}: done", file=sys.stderr)

    detectors = [d for d in next(iter(rows.values())).keys()]
    if has_cairn and "Cairn" not in detectors:
        detectors.append("Cairn")
    for r in rows.values():
        for d in detectors:
            r.setdefault(d, {"raw": None, "seg": None, "nseg": None})
    out: list[str] = []
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out.append(f"# VAD benchmark — {stamp}\n")
    out.append(f"Corpus `{truth.raw['version']}`: {truth.duration:.1f} s, {len(truth.sentences)} sentences, "
               f"utt share {truth.utt.mean():.3f}, energy share {truth.energy.mean():.3f}, "
               f"{len(truth.bursts)} noise bursts at {truth.raw.get('burst_dbfs')} dBFS. "
               f"{versions()}; Python {platform.python_version()}; {cpu_model()}, "
               f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}.\n")
    if not has_cairn:
        out.append(f"Cairn not run: {why.rstrip('.')}.\n")

    def table(title: str, stage: str, key: str, spec: str = ".3f"):
        out.append(f"\n## {title}\n")
        out.append("| condition | " + " | ".join(detectors) + " |")
        out.append("|---" * (len(detectors) + 1) + "|")
        for name, r in rows.items():
            cells = []
            for d in detectors:
                s = r[d].get(stage) if stage != "nseg" else r[d].get("nseg")
                if stage == "nseg":
                    cells.append("–" if s is None else str(s))
                else:
                    cells.append("–" if s is None else format(getattr(s, key), spec))
            out.append(f"| {name} | " + " | ".join(cells) + " |")

    table("F1 (utt truth), raw frame decisions", "raw", "f1")
    table("F1 (utt truth), segments (WebRTC: ring collector 300 ms/90 %; Silero: speech timestamps; Cairn: segments)",
          "seg", "f1")
    table("F1 (energy truth), raw frame decisions", "raw", "f1_energy")
    table("Burst false-alarm rate, raw frame decisions", "raw", "burst_fa", ".2f")
    table("Burst false-alarm rate, segments", "seg", "burst_fa", ".2f")
    table("Precision, segments", "seg", "precision")
    table("Recall, segments", "seg", "recall")
    table("Number of segments (10 sentences in every condition)", "nseg", "")
    if "Cairn" in detectors:
        out.append("\n## Cairn processing per condition (as reported in its JSON)\n")
        out.append("| condition | frame ms | frames | vad_cpu_seconds | CPU µs / 10 ms audio |")
        out.append("|---|---|---|---|---|")
        for name, r in rows.items():
            c = r["Cairn"]
            p = c.get("processing") or {}
            cpu = p.get("vad_cpu_seconds")
            per = (cpu / truth.duration * 0.01 * 1e6) if isinstance(cpu, (int, float)) else None
            out.append(f"| {name} | {c.get('frame_ms', '–')} | {p.get('frames', '–')} | "
                       f"{fmt(cpu, '.4f') if isinstance(cpu, (int, float)) else '–'} | {fmt(per, '.2f')} |")
    out.append("\n## Silero ROC-AUC (utt truth, per 10 ms frame)\n")
    out.append("| " + " | ".join(rows) + " |")
    out.append("|---" * len(rows) + "|")
    out.append("| " + " | ".join(fmt(extras[n]["silero_auc"]) for n in rows) + " |")

    # ------------------------------------------------------------- speed
    print("[bench] speed …", file=sys.stderr)
    base = read_pcm(truth.path("white_10dB"))
    reps = int(math.ceil(args.speed_seconds * SR / base.size))
    tiled = np.tile(base, reps)[: int(args.speed_seconds * SR)]
    units = tiled.size / (SR * 0.01)  # number of 10 ms units of audio
    speed: list[tuple[str, float, str]] = []
    for fms in (10, 30):
        frames = webrtc_frames(tiled, fms)
        for mode in (0, 3):
            t = best_of(args.repeats, lambda: webrtc_decisions(frames, mode))
            speed.append((f"WebRTC m{mode}, {fms} ms frames", t / units * 1e6,
                          f"{t / len(frames) * 1e6:.2f} µs per frame"))
    windows = silero_windows(tiled)
    t = best_of(args.repeats, lambda: silero_probs(silero, windows))
    speed.append(("Silero ONNX, 1 thread, 512-sample windows", t / units * 1e6,
                  f"{t / len(windows) * 1e6:.1f} µs per window"))
    cairn_speed = None
    if has_cairn:
        with tempfile.TemporaryDirectory(prefix="vadbench-") as tmp:
            wav = Path(tmp) / "tiled.wav"
            write_pcm(wav, tiled)
            best_vad, best_proc, nframes = math.inf, math.inf, None
            try:
                for _ in range(args.repeats):
                    res, proc_cpu = run_cairn(args.cairn, wav, args.cairn_args)
                    p = res.get("processing") or {}
                    best_vad = min(best_vad, float(p.get("vad_cpu_seconds", math.nan)))
                    best_proc = min(best_proc, proc_cpu)
                    nframes = p.get("frames")
                cairn_speed = best_vad / units * 1e6
                speed.append((f"Cairn vad (reported vad_cpu_seconds, {nframes} frames)", cairn_speed, ""))
                speed.append(("Cairn vad, whole process (getrusage children)", best_proc / units * 1e6,
                              "includes start-up, WAV reading, JSON"))
            except Exception as exc:
                print(f"[bench] cairn speed run failed: {exc}", file=sys.stderr)
                out.append(f"\nCairn speed run failed: {str(exc).splitlines()[0]}\n")

    out.append(f"\n## Speed: CPU per 10 ms of audio ({tiled.size / SR:.0f} s of mix_white_10dB, "
               f"best of {args.repeats}, detector loop only)\n")
    out.append("| detector | CPU µs / 10 ms audio | RTF | note |")
    out.append("|---|---|---|---|")
    for label, us, note in speed:
        out.append(f"| {label} | {fmt(us, '.2f')} | {fmt(us / 10000, '.2e')} | {note} |")
    webrtc10 = next(us for label, us, _ in speed if label.startswith("WebRTC m0, 10"))
    webrtc30 = next(us for label, us, _ in speed if label.startswith("WebRTC m0, 30"))
    silero_us = next(us for label, us, _ in speed if label.startswith("Silero"))
    out.append("")
    out.append(f"Silero vs WebRTC (30 ms): {silero_us / webrtc30:.0f}×.")
    if cairn_speed is not None and math.isfinite(cairn_speed) and cairn_speed > 0:
        out.append(f"Cairn vs WebRTC: {cairn_speed / webrtc10:.2f}× (10 ms frames), "
                   f"{cairn_speed / webrtc30:.2f}× (30 ms frames). "
                   f"Silero vs Cairn: {silero_us / cairn_speed:.1f}×.")
    else:
        out.append("Cairn ratios: not available (Cairn not run).")

    text = "\n".join(out) + "\n"
    print(text)
    Path(args.out).write_text(text)
    print(f"[bench] written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
