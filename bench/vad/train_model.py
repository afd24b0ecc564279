#!/usr/bin/env python3
"""Train the voice activity detector's network on the tuning split and write its weights.

    OPENBLAS_NUM_THREADS=1 python bench/vad/train_model.py --corpus DIR --vad-bench BIN \\
        [--out Sources/CairnVAD/VADModelWeights.swift] [--model-out FILE] [--check]

DIR holds DIR/tuning from tests/speech/make_heldout.py (seed 21); BIN is a release build of the
`vad-bench` product. Only the tuning split is read: the held-out split stays unseen.

Method. The detector's hop features depend on its own decisions (the noise floors rise slowly while
it believes speech is present), so the features are collected by running the detector itself
(`vad-bench --model M --features`), in rounds: round 0 runs a two-unit bootstrap network that
mimics the old hand-set rule (periodic AND above the background); each later round runs the
network trained so far and adds its features to the training set (so the network also learns the
floors its own decisions produce). Labels are the 10 ms utterance truth of the corpus; the frames of
the babble files weigh three times as much as the others (babble is speech-like and only a tenth of
the corpus; on the tuning split, weights 1 / 2 / 3 / 4 gave babble clip F1 0.82 / 0.85 / 0.87 / 0.86
at 7 dB and left the other noises unchanged). The network
(VADModel: 18 inputs, HIDDEN softsign units, a logistic output) is fitted by mini-batch Adam on the
cross-entropy in float64, from a seeded start and in a seeded order; the inputs' standardisation
is folded into the first layer before export.

Reproducible: the corpus, the detector and every step here are deterministic, and BLAS is held to
one thread; running the script again writes the same file (``--check`` verifies that without
writing). Takes a few minutes.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "speech"))
import vadscore  # noqa: E402

INPUTS = 18
NAMES = ["harmonicity", "low_band_snr_db", "high_band_snr_db", "low_band_dbfs", "band_tilt_db",
         "correlation_spread", "correlation_trough", "level_deviation_db", "level_movement_db",
         "low_band_snr_mean_db", "low_band_snr_peak_db", "high_band_snr_peak_db", "harmonicity_mean",
         "pitch_steadiness", "high_band_db", "level_slope_db", "level_above_average_db",
         "level_below_peak_db"]


class Network:
    """HIDDEN softsign units and a logistic output, on standardised inputs."""

    def __init__(self, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: float):
        self.w1, self.b1, self.w2, self.b2 = w1, b1, w2, b2

    @staticmethod
    def bootstrap() -> "Network":
        """Unit 1: periodic (harmonicity above 0.4); unit 2: above the background (SNR above 3 dB);
        the output is high only when both are (raw, unstandardised inputs)."""
        w1 = np.zeros((2, INPUTS))
        w1[0, 0], w1[1, 1] = 10.0, 0.45
        return Network(w1, np.array([-4.0, -1.35]), np.array([5.0, 5.0]), -5.0)

    def file_text(self) -> str:
        f32 = [np.float32(v) for v in [*self.w1.ravel(), *self.b1, *self.w2, self.b2]]
        return f"hidden {self.w1.shape[0]}\n" + "\n".join(number(v) for v in f32) + "\n"


def number(v: np.float32) -> str:
    """The shortest decimal that reads back as the same float32."""
    return np.format_float_scientific(v, unique=True, trim="-")


def features(vad_bench: str, model: Network, split: Path, entries: list, tmp: Path) -> np.ndarray:
    model_path, out = tmp / "model.txt", tmp / "features"
    model_path.write_text(model.file_text())
    if out.exists():
        for f in out.iterdir():
            f.unlink()
    paths = [str(split / e["file"]) for e, _ in entries]
    subprocess.run([vad_bench, "--model", str(model_path), "--features", str(out), *paths], check=True)
    rows = []
    for entry, truth in entries:
        x = np.fromfile(out / (Path(entry["file"]).stem + ".f32"), dtype="<f4").reshape(-1, INPUTS)
        if x.shape[0] != truth.n_frames:
            sys.exit(f"{entry['file']}: {x.shape[0]} feature frames, truth has {truth.n_frames}")
        rows.append(x.astype(np.float64))
    return np.concatenate(rows)


def softsign(a: np.ndarray) -> np.ndarray:
    return a / (1 + np.abs(a))


def train(x: np.ndarray, y: np.ndarray, weight: np.ndarray, hidden: int, epochs: int, seed: int) -> Network:
    """Mini-batch Adam (batches of 2,048 in a seeded order, learning rate falling linearly to a tenth)."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-6] = 1.0
    z = (x - mean) / std
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal((hidden, INPUTS)) / np.sqrt(INPUTS), np.zeros(hidden),
              rng.standard_normal(hidden) / np.sqrt(hidden), np.zeros(1)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps, l2, batch = 0.9, 0.999, 1e-8, 1e-5, 2048
    n = y.size
    total = epochs * ((n + batch - 1) // batch)
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(n)
        for lo in range(0, n, batch):
            idx = order[lo: lo + batch]
            zb, yb, wb = z[idx], y[idx], weight[idx]
            w1, b1, w2, b2 = params
            a = zb @ w1.T + b1
            h = softsign(a)
            p = 1 / (1 + np.exp(-(h @ w2 + b2[0])))
            d_logit = wb * (p - yb) / wb.sum()
            d_h = np.outer(d_logit, w2) / np.square(1 + np.abs(a))
            grads = [d_h.T @ zb + l2 * w1, d_h.sum(axis=0), h.T @ d_logit + l2 * w2, np.array([d_logit.sum()])]
            step += 1
            lr = 0.01 * (1 - 0.9 * step / total)
            for i, g in enumerate(grads):
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                params[i] = params[i] - lr * (m[i] / (1 - beta1**step)) / (np.sqrt(v[i] / (1 - beta2**step)) + eps)
        w1, b1, w2, b2 = params
        p = 1 / (1 + np.exp(-(softsign(z @ w1.T + b1) @ w2 + b2[0])))
        loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        print(f"[train] epoch {epoch + 1}: loss {loss:.4f}, frame accuracy {np.mean((p >= 0.5) == (y >= 0.5)):.4f}",
              file=sys.stderr)
    w1, b1, w2, b2 = params
    # Fold the standardisation into the first layer: w·(x − μ)/σ + b = (w/σ)·x + (b − w·μ/σ).
    return Network(w1 / std, b1 - (w1 / std) @ mean, w2, float(b2[0]))


def swift_source(net: Network, seed: int, rounds: int, epochs: int, babble: float, frames: int) -> str:
    """The weights as a Swift file that `swift format lint --strict` accepts: six numbers a line."""
    def lines(values, indent: str) -> list[str]:
        numbers = [number(np.float32(v)) for v in values]
        return [indent + ", ".join(numbers[i: i + 6]) + "," for i in range(0, len(numbers), 6)]

    hidden = net.w1.shape[0]
    out = [
        "// Generated by bench/vad/train_model.py from the tuning split of tests/speech/make_heldout.py",
        f"// (seed {seed}; {rounds} rounds, {epochs} epochs per round, babble weight {babble:g}, {frames} frames in",
        "// the last round).",
        "// Do not edit: run the script again (see its docstring).",
        "extension VADModel {",
        "    /// The built-in network (see ``VADModel``).",
        "    public static let standard = try! VADModel(",
        f"        hiddenCount: {hidden},",
        "        inputWeights: [",
    ]
    for j in range(hidden):
        out.append(f"            // hidden unit {j}")
        out += lines(net.w1[j], "            ")
    out += ["        ],", "        hiddenBiases: ["]
    out += lines(net.b1, "            ")
    out += ["        ],", "        outputWeights: ["]
    out += lines(net.w2, "            ")
    out += ["        ],", f"        outputBias: {number(np.float32(net.b2))}", "    )", "}"]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, help="folder holding tuning/ from make_heldout.py")
    ap.add_argument("--vad-bench", required=True, help="release build of the vad-bench product")
    ap.add_argument("--out", default=str(ROOT / "Sources" / "CairnVAD" / "VADModelWeights.swift"))
    ap.add_argument("--model-out", help="also write the network as a vad-bench --model file")
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=5, help="feature-collection rounds (round 0: bootstrap)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--babble-weight", type=float, default=3.0,
                    help="weight of the babble files' frames in the loss (the others weigh 1)")
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args()
    split = Path(args.corpus) / "tuning"
    entries = vadscore.load_split(split)
    if json.loads((split / "truth.json").read_text()).get("split") != "tuning":
        sys.exit(f"{split} is not the tuning split of make_heldout.py")
    y_file = np.concatenate([t.utt.astype(np.float64) for _, t in entries])
    w_file = np.concatenate([np.full(t.n_frames, args.babble_weight if e["noise"] == "babble" else 1.0)
                             for e, t in entries])
    net = Network.bootstrap()
    xs, ys, ws = [], [], []
    with tempfile.TemporaryDirectory(prefix="vad-train-") as tmpname:
        for r in range(args.rounds):
            xs.append(features(args.vad_bench, net, split, entries, Path(tmpname)))
            ys.append(y_file)
            ws.append(w_file)
            print(f"[train] round {r}: {sum(x.shape[0] for x in xs)} frames", file=sys.stderr)
            net = train(np.concatenate(xs), np.concatenate(ys), np.concatenate(ws), args.hidden, args.epochs, args.seed + r)
    text = swift_source(net, args.seed, args.rounds, args.epochs, args.babble_weight, sum(x.shape[0] for x in xs))
    if args.model_out:
        Path(args.model_out).write_text(net.file_text())
    if args.check:
        same = Path(args.out).read_text() == text
        print(f"{args.out}: {'identical' if same else 'DIFFERS from a fresh training run'}")
        return 0 if same else 1
    Path(args.out).write_text(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
