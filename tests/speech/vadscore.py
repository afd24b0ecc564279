#!/usr/bin/env python3
"""Score voice-activity decisions against the corpus made by make_corpus.py.

As a module::

    truth = load_truth(corpus_dir)
    pred = frames_to_truth(decisions, frame_ms, truth.n_frames)     # or
    pred = segments_to_truth([{"start": 1.0, "end": 3.4}, ...], truth.n_frames)
    s = score(pred, truth)          # s.f1, s.precision, s.recall, s.burst_fa, s.f1_energy …

As a command (runs the Cairn binary on every condition and prints a table)::

    python tests/speech/vadscore.py --corpus DIR --cairn PATH [--frame-ms 10] [extra cairn vad args…]

Scoring rules (vad.md §3.1): truth is on 10 ms frames; each truth frame takes
the decision of the detector frame that contains its centre sample (sample
160·k + 80 of truth frame k), for any detector frame length (10/20/30 ms,
Silero's 512-sample 32 ms windows, …). A truth frame whose centre lies beyond
the detector's last frame counts as non-speech. For segments, a truth frame is
speech when its centre time t satisfies start <= t < end for some segment.
Precision, recall and F1 are on the speech class. "burst FA" is the share of
truth frames whose centre lies inside a noise-only burst that are marked speech.

Cairn's ``vad --json`` contract::

    {"sample_rate": 16000, "frame_ms": 10, "frames": [0, 1, …],
     "segments": [{"start": 1.23, "end": 3.45}, …],
     "processing": {"frames": N, "vad_cpu_seconds": x}}
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

TRUTH_FRAME_MS = 10


@dataclass
class Truth:
    directory: Path
    sample_rate: int
    frame_ms: int
    n_frames: int
    n_samples: int
    utt: np.ndarray  # bool per truth frame
    energy: np.ndarray  # bool per truth frame
    in_burst: np.ndarray  # bool per truth frame: centre inside a noise-only burst
    bursts: list
    sentences: list
    conditions: list
    raw: dict

    @property
    def frame_samples(self) -> int:
        return self.sample_rate * self.frame_ms // 1000

    @property
    def duration(self) -> float:
        return self.n_samples / self.sample_rate

    def centres(self) -> np.ndarray:
        """Centre sample index of every truth frame."""
        fs = self.frame_samples
        return np.arange(self.n_frames, dtype=np.int64) * fs + fs // 2

    def condition(self, name: str) -> dict:
        for c in self.conditions:
            if c["name"] == name:
                return c
        raise KeyError(name)

    def path(self, condition: str | dict) -> Path:
        c = self.condition(condition) if isinstance(condition, str) else condition
        return self.directory / c["file"]


def load_truth(corpus_dir: str | os.PathLike) -> Truth:
    directory = Path(corpus_dir)
    raw = json.loads((directory / "truth.json").read_text())
    sr, fms, n = int(raw["sample_rate"]), int(raw["frame_ms"]), int(raw["n_frames"])
    fs = sr * fms // 1000
    n_samples = int(raw.get("n_samples", n * fs))
    centres_s = (np.arange(n, dtype=np.int64) * fs + fs // 2) / sr
    in_burst = np.zeros(n, dtype=bool)
    for a, b in raw["bursts"]:
        in_burst |= (centres_s >= a) & (centres_s < b)
    utt = np.asarray(raw["utt"], dtype=bool)
    energy = np.asarray(raw["energy"], dtype=bool)
    if utt.size != n or energy.size != n:
        raise ValueError("truth.json: utt/energy length differs from n_frames")
    return Truth(directory, sr, fms, n, n_samples, utt, energy, in_burst, raw["bursts"],
                 raw["sentences"], raw["conditions"], raw)



def load_split(split_dir: str | os.PathLike) -> list[tuple[dict, Truth]]:
    """The files of one split of make_heldout.py, each with its own Truth.

    ``utt`` comes from the file's sentence spans; ``energy`` equals ``utt`` (the split has no
    separate energy truth); the "bursts" are the file's ``far`` spans (frames at least 0.5 s
    from every sentence), so ``burst_fa`` is the share of noise-only frames marked speech.
    """
    directory = Path(split_dir)
    raw = json.loads((directory / "truth.json").read_text())
    sr, fms = int(raw["sample_rate"]), int(raw["frame_ms"])
    out = []
    for entry in raw["files"]:
        n = int(entry["n_frames"])
        utt = np.zeros(n, dtype=bool)
        for a, b in entry["utt"]:
            utt[a:b] = True
        far = np.zeros(n, dtype=bool)
        for a, b in entry["far"]:
            far[a:b] = True
        seconds = [[a * fms / 1000, b * fms / 1000] for a, b in entry["far"]]
        truth = Truth(directory, sr, fms, n, int(entry["n_samples"]), utt, utt.copy(), far, seconds, [],
                      [{"name": entry["file"], "file": entry["file"]}], entry)
        out.append((entry, truth))
    return out

def frames_to_truth(frames: Sequence[int] | np.ndarray, frame_ms: float, n_truth: int,
                    sample_rate: int = 16000, frame_samples: int | None = None) -> np.ndarray:
    """Map per-frame detector decisions onto the 10 ms truth frames.

    ``frame_samples`` overrides ``frame_ms`` for frame lengths that are not a
    whole number of milliseconds' worth of samples (e.g. 512 samples = 32 ms).
    """
    dec = np.asarray(frames).astype(bool).ravel()
    step = int(frame_samples) if frame_samples else int(round(frame_ms * sample_rate / 1000))
    if step <= 0:
        raise ValueError("frame length must be positive")
    tfs = sample_rate * TRUTH_FRAME_MS // 1000
    centres = np.arange(n_truth, dtype=np.int64) * tfs + tfs // 2
    idx = centres // step
    out = np.zeros(n_truth, dtype=bool)
    ok = idx < dec.size
    out[ok] = dec[idx[ok]]
    return out


def segments_to_truth(segments: Iterable, n_truth: int, sample_rate: int = 16000) -> np.ndarray:
    """Mark truth frames whose centre time lies in a segment [start, end).

    Segments are dicts with "start"/"end" in seconds, or (start, end) pairs.
    """
    tfs = sample_rate * TRUTH_FRAME_MS // 1000
    centres_s = (np.arange(n_truth, dtype=np.int64) * tfs + tfs // 2) / sample_rate
    out = np.zeros(n_truth, dtype=bool)
    for seg in segments:
        a, b = (seg["start"], seg["end"]) if isinstance(seg, dict) else seg
        out |= (centres_s >= float(a)) & (centres_s < float(b))
    return out


def prf(pred: np.ndarray, ref: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of the speech class."""
    pred, ref = np.asarray(pred, dtype=bool), np.asarray(ref, dtype=bool)
    if pred.shape != ref.shape:
        raise ValueError(f"length mismatch: {pred.shape} vs {ref.shape}")
    tp = int(np.sum(pred & ref))
    fp = int(np.sum(pred & ~ref))
    fn = int(np.sum(~pred & ref))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def burst_fa(pred: np.ndarray, truth: Truth) -> float:
    """Share of truth frames inside noise-only bursts that are marked speech."""
    pred = np.asarray(pred, dtype=bool)
    n = int(truth.in_burst.sum())
    return float(np.sum(pred & truth.in_burst)) / n if n else 0.0


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    f1_energy: float
    burst_fa: float
    speech_share: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def score(pred: np.ndarray, truth: Truth) -> Score:
    p, r, f = prf(pred, truth.utt)
    _, _, fe = prf(pred, truth.energy)
    return Score(p, r, f, fe, burst_fa(pred, truth), float(np.mean(pred)))


def score_cairn_json(result: dict, truth: Truth) -> dict:
    """Score both the raw frames and the segments of one ``cairn vad --json`` result."""
    frames = frames_to_truth(result["frames"], result["frame_ms"], truth.n_frames,
                             int(result.get("sample_rate", truth.sample_rate)))
    segs = segments_to_truth(result["segments"], truth.n_frames, truth.sample_rate)
    return {"frames": score(frames, truth), "segments": score(segs, truth),
            "n_segments": len(result["segments"])}


def run_cairn_vad(cairn: str | os.PathLike, wav: str | os.PathLike, extra: Sequence[str] = (),
                  timeout: float = 600.0) -> dict:
    """Run ``cairn vad WAV --json TMP [extra…]`` and return the parsed JSON."""
    with tempfile.TemporaryDirectory(prefix="vadscore-") as tmp:
        out = Path(tmp) / "vad.json"
        cmd = [str(cairn), "vad", str(wav), "--json", str(out), *extra]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n"
                               f"{proc.stderr.decode(errors='replace')[-4000:]}")
        return json.loads(out.read_text())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Arguments after the known options go to `cairn vad`.")
    ap.add_argument("--corpus", required=True, help="directory made by make_corpus.py")
    ap.add_argument("--cairn", required=True, help="path of the cairn binary")
    ap.add_argument("--frame-ms", type=int, default=None,
                    help="passed to cairn vad as --frame-ms (default: cairn's own)")
    ap.add_argument("--conditions", default=None, help="comma-separated subset of condition names")
    args, extra = ap.parse_known_args(argv)

    truth = load_truth(args.corpus)
    cargs = list(extra)
    if args.frame_ms is not None:
        cargs = ["--frame-ms", str(args.frame_ms), *cargs]
    wanted = set(args.conditions.split(",")) if args.conditions else None

    head = ("| condition | F1 frames | F1 segments | P seg | R seg | F1 seg (energy) "
            "| burst FA frames | burst FA seg | segments | vad CPU µs/10 ms |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    failures = 0
    for cond in truth.conditions:
        if wanted and cond["name"] not in wanted:
            continue
        try:
            result = run_cairn_vad(args.cairn, truth.path(cond), cargs)
            s = score_cairn_json(result, truth)
        except Exception as exc:  # report and carry on with the other conditions
            failures += 1
            print(f"| {cond['name']} | error: {str(exc).splitlines()[0]} |||||||||")
            continue
        fr, sg = s["frames"], s["segments"]
        proc = result.get("processing") or {}
        cpu = proc.get("vad_cpu_seconds")
        cost = f"{cpu / truth.duration * 0.01 * 1e6:.2f}" if isinstance(cpu, (int, float)) else "–"
        print(f"| {cond['name']} | {fr.f1:.3f} | {sg.f1:.3f} | {sg.precision:.3f} | {sg.recall:.3f} "
              f"| {sg.f1_energy:.3f} | {fr.burst_fa:.2f} | {sg.burst_fa:.2f} | {s['n_segments']} | {cost} |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
