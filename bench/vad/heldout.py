#!/usr/bin/env python3
"""VAD benchmark per noise type and SNR on the splits of tests/speech/make_heldout.py.

    python bench/vad/heldout.py --corpus DIR [--splits heldout,tuning] [--cairn BIN]
        [--vad-bench BIN] [--detectors cairn,webrtc,silero] [--out bench/vad/last-heldout.md]
        [-- extra cairn vad args]

DIR holds the split folders (DIR/tuning, DIR/heldout, DIR/heldout-sample) made by make_heldout.py.
Detectors and their segmenters are those of bench.py: Cairn = `cairn vad FILE --json` (its
`frames` and `segments`); WebRTC = mode 3, 30 ms frames, with bench.py's ring collector
(300 ms / 90 %); Silero v6 ONNX with bench.py's speech-timestamps rules (threshold 0.5).

Scoring (tests/speech/vadscore.py, 10 ms truth frames, centre-sample rule), pooled over the
files of each (noise, SNR) condition:
* clip F1: the detector's segments against the sentence-level utt truth;
* frame F1: the raw per-frame decisions against the same truth;
* noise in clips: share of the noise-only frames (at least 0.5 s from every sentence) that fall
  inside a segment.
CPU: the detector's CPU time over the whole split per 10 ms of audio (WebRTC and Silero:
time.process_time around their loops; Cairn: the sum of the vad_cpu_seconds it reports).
With --vad-bench, Cairn's decisions come from `vad-bench --decisions` (the same detector and
segmenter defaults as `cairn vad`, in one release process; its thread CPU time is summed).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "speech"))
import bench  # noqa: E402
import vadscore  # noqa: E402

SR = 16000
DETECTORS = {"cairn": "Cairn", "webrtc": "WebRTC m3/30ms", "silero": "Silero"}
TARGET_NOTE = ("Targets (issue 21): clip F1 ≥ 0.95 at ≥ 7 dB and ≥ 0.90 at 3 dB (babble ≥ 0.85 at 7 dB); "
               "frame F1 ≥ 0.92 at ≥ 7 dB and ≥ 0.88 at 3 dB; noise in clips ≤ 0.05.")


def run_webrtc(pcm: np.ndarray, n_truth: int) -> tuple[np.ndarray, np.ndarray, float]:
    t0 = time.process_time()
    dec = bench.webrtc_decisions(bench.webrtc_frames(pcm, 30), 3)
    cpu = time.process_time() - t0
    segs = bench.ring_collector(dec, 30, total_s=pcm.size / SR)
    return vadscore.frames_to_truth(dec, 30, n_truth), vadscore.segments_to_truth(segs, n_truth), cpu


def run_silero(model, pcm: np.ndarray, n_truth: int) -> tuple[np.ndarray, np.ndarray, float]:
    t0 = time.process_time()
    probs = bench.silero_probs(model, bench.silero_windows(pcm))
    cpu = time.process_time() - t0
    raw = vadscore.frames_to_truth(probs >= 0.5, 32, n_truth, frame_samples=bench.SILERO_WINDOW)
    segs = bench.speech_timestamps(probs, pcm.size)
    return raw, vadscore.segments_to_truth(segs, n_truth), cpu


def run_cairn(cairn: str, wav: Path, n_truth: int, extra: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    res = vadscore.run_cairn_vad(cairn, wav, extra)
    raw = vadscore.frames_to_truth(res["frames"], res["frame_ms"], n_truth)
    seg = vadscore.segments_to_truth(res["segments"], n_truth)
    return raw, seg, float((res.get("processing") or {}).get("vad_cpu_seconds", math.nan))


def run_vad_bench(binary: str, directory: Path, files: list, model: str | None = None) -> dict:
    """Cairn decisions for every file from one `vad-bench --decisions` process (release build, no CLI)."""
    import json
    import subprocess

    paths = [str(directory / entry["file"]) for entry, _ in files]
    proc = subprocess.run([binary, *(["--model", model] if model else []), "--decisions", *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"vad-bench --decisions exited {proc.returncode}: {proc.stderr[-2000:]}")
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    out = {}
    for (entry, truth), row in zip(files, rows):
        raw = vadscore.frames_to_truth(row["frames"], 10, truth.n_frames)
        seg = vadscore.segments_to_truth(row["segments"], truth.n_frames)
        out[entry["file"]] = (raw, seg, float(row["cpu_s"]))
    return out


def condition_key(entry: dict) -> tuple[str, int | None]:
    return entry["noise"], entry["snr_db"]


def evaluate(split_dir: Path, detectors: list[str], cairn: str, extra: list[str], vad_bench: str | None,
             cairn_model: str | None = None) -> dict:
    """results[detector][(noise, snr)] = dict(clip, frame, noise_share); plus cpu per 10 ms."""
    files = vadscore.load_split(split_dir)
    model = bench.SileroOnnx(bench.silero_model_path()) if "silero" in detectors else None
    pooled: dict[str, dict] = {d: {} for d in detectors}
    cpu = {d: 0.0 for d in detectors}
    audio_s = sum(t.duration for _, t in files)
    in_process = run_vad_bench(vad_bench, split_dir, files, cairn_model) if vad_bench and "cairn" in detectors else None

    def one(item):
        entry, truth = item
        pcm = bench.read_pcm(split_dir / entry["file"])
        out = {}
        if in_process is not None:
            out["cairn"] = in_process[entry["file"]]
        elif "cairn" in detectors:
            out["cairn"] = run_cairn(cairn, split_dir / entry["file"], truth.n_frames, extra)
        if "webrtc" in detectors:
            out["webrtc"] = run_webrtc(pcm, truth.n_frames)
        return out

    workers = 1 if "silero" in detectors else 2  # keep the CPU timings of one thread honest
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outputs = list(pool.map(one, files))
    for (entry, truth), out in zip(files, outputs):
        if model is not None:
            out["silero"] = run_silero(model, bench.read_pcm(split_dir / entry["file"]), truth.n_frames)
        for d, (raw, seg, seconds) in out.items():
            cpu[d] += seconds
            acc = pooled[d].setdefault(condition_key(entry), {"raw": [], "seg": [], "utt": [], "far": []})
            acc["raw"].append(raw)
            acc["seg"].append(seg)
            acc["utt"].append(truth.utt)
            acc["far"].append(truth.in_burst)
    results = {}
    for d, conds in pooled.items():
        results[d] = {}
        for key, acc in conds.items():
            utt, far = np.concatenate(acc["utt"]), np.concatenate(acc["far"])
            raw, seg = np.concatenate(acc["raw"]), np.concatenate(acc["seg"])
            results[d][key] = {
                "clip": vadscore.prf(seg, utt)[2],
                "frame": vadscore.prf(raw, utt)[2],
                "noise": float(np.sum(seg & far)) / max(int(far.sum()), 1),
            }
    us = {d: cpu[d] / (audio_s * 100) * 1e6 for d in detectors}
    return {"results": results, "cpu_us": us, "files": len(files), "audio_s": audio_s}


def order(keys):
    noises = ["clean", "white", "pink", "brown", "babble", "nonstationary", "hum", "tonal", "clipping", "reverb",
              "bursts"]
    return sorted(keys, key=lambda k: (noises.index(k[0]) if k[0] in noises else 99, -(k[1] or 99)))


def report(name: str, ev: dict, detectors: list[str]) -> list[str]:
    res = ev["results"]
    keys = order(next(iter(res.values())).keys())
    snrs = sorted({k[1] for k in keys if k[1] is not None}, reverse=True)
    noises = [n for n in dict.fromkeys(k[0] for k in keys)]
    labels = " / ".join(DETECTORS[d] for d in detectors)
    out = [f"\n## Split `{name}`: {ev['files']} files, {ev['audio_s'] / 60:.1f} min\n",
           f"Each cell: {labels}.\n"]
    for metric, title in (("clip", "Clip F1 (segments vs utterance truth)"),
                          ("frame", "Raw frame F1 (per-frame decisions vs utterance truth)"),
                          ("noise", "Noise in clips (share of noise-only frames inside segments)")):
        out.append(f"\n### {title}\n")
        out.append("| noise | " + " | ".join("clean" if s is None else f"{s} dB" for s in [None] + snrs) + " |")
        out.append("|---" * (len(snrs) + 2) + "|")
        for noise in noises:
            cells = []
            for snr in [None] + snrs:
                key = (noise, snr)
                if key not in res[detectors[0]]:
                    cells.append("")
                    continue
                cells.append(" / ".join(f"{res[d][key][metric]:.2f}" for d in detectors))
            out.append(f"| {noise} | " + " | ".join(cells) + " |")
    out.append("\n### Summary\n")
    out.append("| detector | CPU µs / 10 ms | min clip F1 ≥7 dB (no babble) | min clip F1 3 dB (no babble) "
               "| min frame F1 ≥7 dB (no babble) | min frame F1 3 dB (no babble) | max noise in clips (no babble) |")
    out.append("|---|---|---|---|---|---|---|")
    for d in detectors:
        r = res[d]
        hi = [v for (n, s), v in r.items() if n != "babble" and (s is None or s >= 7)]
        lo = [v for (n, s), v in r.items() if n != "babble" and s == 3]
        nz = [v["noise"] for (n, s), v in r.items() if n != "babble"]
        out.append(f"| {DETECTORS[d]} | {ev['cpu_us'][d]:.2f} | {min(v['clip'] for v in hi):.3f} | "
                   f"{min((v['clip'] for v in lo), default=math.nan):.3f} | {min(v['frame'] for v in hi):.3f} | "
                   f"{min((v['frame'] for v in lo), default=math.nan):.3f} | {max(nz):.3f} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="VAD benchmark on held-out splits (see module docstring)")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--splits", default="heldout,tuning")
    ap.add_argument("--cairn", default=str(ROOT / ".build" / "release" / "cairn"))
    ap.add_argument("--vad-bench", default=None,
                    help="score Cairn through this `vad-bench` binary (--decisions) instead of `cairn vad`")
    ap.add_argument("--model", help="with --vad-bench: run Cairn with this network file (train_model.py --model-out)")
    ap.add_argument("--detectors", default="cairn,webrtc,silero")
    ap.add_argument("--out", default=str(HERE / "last-heldout.md"))
    ap.add_argument("cairn_args", nargs="*", help="extra arguments for `cairn vad` (after --)")
    args = ap.parse_args()
    detectors = [d for d in args.detectors.split(",") if d]
    unknown = [d for d in detectors if d not in DETECTORS]
    if unknown:
        ap.error(f"unknown detector(s) {unknown}; choose from {list(DETECTORS)}")
    if "cairn" in detectors and not args.vad_bench and not (Path(args.cairn).is_file() and os.access(args.cairn, os.X_OK)):
        ap.error(f"{args.cairn} is not an executable cairn binary (or leave cairn out of --detectors)")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"# VAD held-out benchmark — {stamp}\n",
           f"{bench.versions()}; Python {platform.python_version()}; {bench.cpu_model()}, {os.cpu_count()} CPUs, "
           f"load {os.getloadavg()[0]:.2f}. Cairn: "
           f"{'`vad-bench --decisions` (in process, release)' if args.vad_bench else f'`{args.cairn}`'}.\n", TARGET_NOTE + "\n"]
    for split in args.splits.split(","):
        ev = evaluate(Path(args.corpus) / split, detectors, args.cairn, args.cairn_args, args.vad_bench, args.model)
        out += report(split, ev, detectors)
        print(f"[heldout] {split}: done", file=sys.stderr)
    text = "\n".join(out) + "\n"
    print(text)
    Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
