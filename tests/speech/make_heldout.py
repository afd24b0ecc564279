#!/usr/bin/env python3
"""Build the VAD development corpus with a tuning split and a disjoint held-out split.

    python tests/speech/make_heldout.py OUT_DIR [--split tuning|heldout|both] [--sample] [--seed 21]

Needs ``espeak-ng`` and ``sox`` on PATH and numpy. Writes OUT_DIR/<split>/*.wav and
OUT_DIR/<split>/truth.json. Deterministic: every random draw comes from numpy's PCG64
seeded with (seed, split, condition, file index), espeak-ng and ``sox -R`` are
deterministic, so a file is the same whether the whole grid or only the sample is built.
A split whose truth.json has this VERSION, seed and file list is not rebuilt.

Splits
------
``tuning`` and ``heldout`` share no voice, no sentence, no babble sentence and no
noise seed (heldout_text.py lists them). Each file: 1.5 s of background, three
sentences of one voice (pitch and rate drawn from the voice's range) separated by one
short (0.4-1.2 s) and one long (2.0-3.0 s) pause, 1.5 s of background at the end.
The speech is scaled to an active level of -26 dBFS +/- 6 dB.

Conditions: ``clean`` and, for every noise below, SNR 20, 10, 7, 5, 3 and 0 dB (speech
power over the truth frames / mean noise power over the file); FILES_PER_CONDITION files
each (six in the tuning split, which trains the detector's network; two in the held-out split). ``--sample`` builds only the first file of clean and of every noise at 7 and
3 dB (the fixed sample the end-to-end tests score).

Noises (numpy unless stated): white; pink (1/f power); brown (1/f^2 power, above
20 Hz); babble (four to six overlapping espeak voices, at the middle of their
pitch and rate ranges, reading the split's babble sentences);
nonstationary (pink noise whose level ramps and jumps by -12..+6 dB every 0.3-2 s);
hum (50 or 60 Hz and seven harmonics, steady); tonal (three-note chords of
0.3-1.2 s and 880/1000 Hz beeps, with short rests, half of them with 10 ms fades and half with
abrupt edges); clipping (white noise at the SNR,
then the mix amplified so its 99.5th percentile exceeds full scale and hard-clipped);
reverb (``sox reverb`` on the speech, reverberance 40-90 %, then pink noise at the SNR);
bursts (digital silence with one noise-only burst in the lead-in, in each pause longer than 1 s
and in the tail: white, pink or brown noise, a chord or a beep, 0.3-1.5 s, at least 0.25 s from
every sentence, each burst at the SNR by its own power; half with 10 ms fades, half with abrupt
edges that click).
A mix that would exceed the int16 range (except clipping) is scaled down as a whole.

Truth per file (10 ms frames): ``utt`` spans [first, last + 1) of the energy-active
frames of each dry sentence (frame energy above the sentence's loudest frame - 45 dB);
``far`` spans: frames at least 0.5 s from every sentence (noise-only; used for the
"noise inside clips" share).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

import heldout_text as text
from make_corpus import run

VERSION = "cairn-vad-heldout-5"
SAMPLE_RATE = 16000
FRAME = 160
NOISES = ["white", "pink", "brown", "babble", "nonstationary", "hum", "tonal", "clipping", "reverb", "bursts"]
SNRS_DB = [20, 10, 7, 5, 3, 0]
SAMPLE_SNRS_DB = [7, 3]
FILES_PER_CONDITION = {"tuning": 6, "heldout": 2}
SENTENCES_PER_FILE = 3
LEAD_S = 1.5
SPEECH_DBFS = -26.0
FULL_SCALE = 32768.0
FAR_S = 0.5
SPLITS = {
    "tuning": (text.TUNING_SENTENCES, text.TUNING_VOICES, text.TUNING_BABBLE),
    "heldout": (text.HELDOUT_SENTENCES, text.HELDOUT_VOICES, text.HELDOUT_BABBLE),
}


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != SAMPLE_RATE:
            sys.exit(f"{path}: expected 16 kHz mono PCM16")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.astype("<i2").tobytes())


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    digest = hashlib.sha256(json.dumps([seed, *keys]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


class Speaker:
    """espeak-ng utterances at 16 kHz, cached per (voice, pitch, rate, sentence)."""

    def __init__(self, tmp: Path):
        self.tmp, self.cache = tmp, {}

    def say(self, voice: str, pitch: int, rate: int, sentence: str) -> np.ndarray:
        key = (voice, pitch, rate, sentence)
        if key not in self.cache:
            raw, res = self.tmp / "say.wav", self.tmp / "say16.wav"
            run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(rate), "-w", str(raw), sentence])
            run(["sox", "-R", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(res)])
            self.cache[key] = read_wav(res)
        return self.cache[key]


def shaped_noise(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Gaussian noise with power spectrum 1/f^exponent above 20 Hz, unit power."""
    size = 1 << (n - 1).bit_length()  # a power of two: fast FFT
    spectrum = np.fft.rfft(rng.standard_normal(size))
    f = np.fft.rfftfreq(size, 1 / SAMPLE_RATE)
    gain = np.where(f < 20, 0.0, 1 / np.maximum(f, 20) ** (exponent / 2))
    x = np.fft.irfft(spectrum * gain, size)[:n]
    return x / math.sqrt(float(np.mean(x * x)))


def babble(rng, n, speaker, voices, sentences) -> np.ndarray:
    out = np.zeros(n)
    for _ in range(int(rng.integers(4, 7))):
        voice, (p0, p1), (s0, s1) = voices[int(rng.integers(len(voices)))]
        pitch, rate = (p0 + p1) // 2, (s0 + s1) // 2  # the middle of the voice's range: few distinct clips
        pos = -int(rng.integers(0, SAMPLE_RATE))
        while pos < n:
            clip = speaker.say(voice, pitch, rate, sentences[int(rng.integers(len(sentences)))])
            clip = clip / math.sqrt(float(np.mean(clip * clip)) + 1e-9)
            a, b = max(pos, 0), min(pos + clip.size, n)
            if b > a:
                out[a:b] += clip[a - pos: b - pos]
            pos += clip.size + int(rng.integers(0, SAMPLE_RATE // 2))
    return out / math.sqrt(float(np.mean(out * out)))


def nonstationary(rng, n) -> np.ndarray:
    envelope_db = np.zeros(n)
    pos, level = 0, 0.0
    while pos < n:
        length = int(rng.uniform(0.3, 2.0) * SAMPLE_RATE)
        target = float(rng.uniform(-12, 6))
        seg = min(length, n - pos)
        if rng.random() < 0.5:  # ramp
            envelope_db[pos: pos + seg] = np.linspace(level, target, length)[:seg]
        else:  # jump
            envelope_db[pos: pos + seg] = target
        pos, level = pos + seg, target
    x = shaped_noise(rng, n, 1.0) * 10 ** (envelope_db / 20)
    return x / math.sqrt(float(np.mean(x * x)))


def hum(rng, n) -> np.ndarray:
    f0 = 50.0 if rng.random() < 0.5 else 60.0
    t = np.arange(n) / SAMPLE_RATE
    x = np.zeros(n)
    for k in range(1, 9):
        x += rng.uniform(0.2, 1.0) / k ** 0.5 * np.sin(2 * np.pi * k * f0 * t + rng.uniform(0, 2 * np.pi))
    return x / math.sqrt(float(np.mean(x * x)))


def tonal(rng, n) -> np.ndarray:
    x = np.zeros(n)
    pos = 0
    while pos < n:
        if rng.random() < 0.3:
            length, freqs = int(rng.uniform(0.1, 0.25) * SAMPLE_RATE), [880.0 if rng.random() < 0.5 else 1000.0]
        else:
            length = int(rng.uniform(0.3, 1.2) * SAMPLE_RATE)
            root = int(rng.integers(48, 73))
            freqs = [440 * 2 ** ((m - 69) / 12) for m in (root, root + 4, root + 7)]
        seg = min(length, n - pos)
        t = np.arange(seg) / SAMPLE_RATE
        tone = sum(np.sin(2 * np.pi * f * t) for f in freqs)
        if rng.random() < 0.5:  # a 10 ms fade in and out; otherwise abrupt edges (clicks)
            tone = tone * np.minimum(1.0, np.minimum(np.arange(seg), np.arange(seg)[::-1]) / 160)
        x[pos: pos + seg] = tone
        pos += seg + int(rng.uniform(0.05, 0.6) * SAMPLE_RATE)
    return x / math.sqrt(float(np.mean(x * x)))


def bursts(rng, n, placed) -> np.ndarray:
    """Noise-only bursts over digital silence, in the gaps between the placed sentences."""
    x = np.zeros(n)
    edges = [0, *[v for start, clip in placed for v in (start, start + clip.size)], n]
    margin = SAMPLE_RATE // 4
    for a, b in zip(edges[0::2], edges[1::2]):
        room = (b - margin) - (a + margin)
        if room < SAMPLE_RATE // 2:
            continue
        length = min(room, int(rng.uniform(0.3, 1.5) * SAMPLE_RATE))
        start = a + margin + int(rng.integers(0, room - length + 1))
        kind = ["white", "pink", "brown", "chord", "beep"][int(rng.integers(5))]
        t = np.arange(length) / SAMPLE_RATE
        if kind == "white":
            burst = rng.standard_normal(length)
        elif kind in ("pink", "brown"):
            burst = shaped_noise(rng, length, 1.0 if kind == "pink" else 2.0)
        elif kind == "chord":
            root = int(rng.integers(48, 73))
            burst = sum(np.sin(2 * np.pi * 440 * 2 ** ((m - 69) / 12) * t) for m in (root, root + 4, root + 7))
        else:
            burst = np.sin(2 * np.pi * (880.0 if rng.random() < 0.5 else 1000.0) * t)
        if rng.random() < 0.5:  # a 10 ms fade in and out; otherwise abrupt edges (clicks)
            burst = burst * np.minimum(1.0, np.minimum(np.arange(length), np.arange(length)[::-1]) / 160)
        x[start: start + length] = burst / math.sqrt(float(np.mean(burst * burst)))
    return x


def frames_of(mask_samples: np.ndarray) -> int:
    return -(-mask_samples.size // FRAME)


def spans(mask: np.ndarray) -> list[list[int]]:
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return [[int(a), int(b)] for a, b in zip(np.nonzero(d == 1)[0], np.nonzero(d == -1)[0])]


def make_file(seed, split, noise, snr, index, speaker, tmp) -> tuple[np.ndarray, dict]:
    sentences, voices, babble_pool = SPLITS[split]
    rng = rng_for(seed, split, noise, snr, index)
    voice, (p0, p1), (s0, s1) = voices[int(rng.integers(len(voices)))]
    pitch, rate = int(rng.integers(p0, p1 + 1)), int(rng.integers(s0, s1 + 1))
    chosen = [sentences[int(i)] for i in rng.choice(len(sentences), SENTENCES_PER_FILE, replace=False)]
    gaps = [rng.uniform(0.4, 1.2), rng.uniform(2.0, 3.0)]
    rng.shuffle(gaps)
    pieces, placed, pos = [np.zeros(int(LEAD_S * SAMPLE_RATE))], [], int(LEAD_S * SAMPLE_RATE)
    for k, sentence in enumerate(chosen):
        clip = speaker.say(voice, pitch, rate, sentence)
        placed.append((pos, clip))
        pieces.append(clip)
        pos += clip.size
        gap = int((gaps[k] if k < len(gaps) else LEAD_S) * SAMPLE_RATE)
        pieces.append(np.zeros(gap))
        pos += gap
    speech = np.concatenate(pieces)
    n = speech.size
    n_frames = -(-n // FRAME)
    utt = np.zeros(n_frames, dtype=bool)
    for start, clip in placed:
        m = clip.size // FRAME
        energy = np.mean(np.square(clip[: m * FRAME].reshape(m, FRAME)), axis=1)
        active = np.nonzero(energy > energy.max() * 10 ** (-4.5))[0]
        first, last = start // FRAME + int(active[0]), start // FRAME + int(active[-1])
        utt[first: last + 1] = True
    utt_samples = np.repeat(utt, FRAME)[:n]
    level = float(rng.uniform(-6, 6))
    target = FULL_SCALE * 10 ** ((SPEECH_DBFS + level) / 20)
    speech *= target / math.sqrt(float(np.mean(np.square(speech[utt_samples]))))
    speech_power = target**2
    dry = speech
    if noise == "reverb":
        src, wet = tmp / "dry.wav", tmp / "wet.wav"
        write_wav(src, np.rint(dry / 8))  # headroom for the reverberation
        run(["sox", "-R", str(src), str(wet), "reverb", str(int(rng.integers(40, 91))), "50",
             str(int(rng.integers(50, 101)))])
        speech = read_wav(wet)[:n] * 8
        speech = np.pad(speech, (0, n - speech.size))
    background = {
        None: lambda: np.zeros(n),
        "white": lambda: rng.standard_normal(n),
        "pink": lambda: shaped_noise(rng, n, 1.0),
        "brown": lambda: shaped_noise(rng, n, 2.0),
        "babble": lambda: babble(rng, n, speaker, voices, babble_pool),
        "nonstationary": lambda: nonstationary(rng, n),
        "hum": lambda: hum(rng, n),
        "tonal": lambda: tonal(rng, n),
        "clipping": lambda: rng.standard_normal(n),
        "reverb": lambda: shaped_noise(rng, n, 1.0),
        "bursts": lambda: bursts(rng, n, placed),
    }[noise]()
    if noise is not None:
        background *= math.sqrt(speech_power / 10 ** (snr / 10))
    mix = speech + background
    scale = 1.0
    if noise == "clipping":
        drive = float(rng.uniform(1.5, 3.0))
        mix *= drive * 32767 / float(np.percentile(np.abs(mix), 99.5))
        mix = np.clip(mix, -32768, 32767)
        scale = drive
    elif np.max(np.abs(mix)) > 32767:
        scale = 32767 * 10 ** (-1 / 20) / float(np.max(np.abs(mix)))
        mix *= scale
    near = np.convolve(utt.astype(np.int32), np.ones(2 * int(FAR_S * 100) + 1, dtype=np.int32), "same") > 0
    entry = {
        "file": f"{noise or 'clean'}_{'' if snr is None else f'{snr}dB_'}{index}.wav",
        "noise": noise or "clean", "snr_db": snr, "voice": voice, "pitch": pitch, "rate": rate,
        "speech_dbfs": round(SPEECH_DBFS + level, 2), "scale": round(scale, 4), "sentences": chosen,
        "n_samples": int(n), "n_frames": int(n_frames), "utt": spans(utt), "far": spans(~near),
    }
    return np.rint(mix).astype(np.int16), entry


def plan(split: str, sample: bool) -> list[tuple]:
    files = 1 if sample else FILES_PER_CONDITION[split]
    out = [("clean", None, i) for i in range(files)]
    for noise in NOISES:
        for snr in (SAMPLE_SNRS_DB if sample else SNRS_DB):
            out += [(noise, snr, i) for i in range(files)]
    return out


def build_split(out: Path, split: str, seed: int, sample: bool) -> None:
    items = plan(split, sample)
    truth_path = out / "truth.json"
    want = [f"{n}_{'' if s is None else f'{s}dB_'}{i}.wav" for n, s, i in items]
    if truth_path.is_file():
        try:
            old = json.loads(truth_path.read_text())
            if (old.get("version"), old.get("seed")) == (VERSION, seed) and [f["file"] for f in old["files"]] == want \
                    and all((out / w).is_file() for w in want):
                print(f"{out}: {split} split already present")
                return
        except (OSError, ValueError, KeyError):
            pass
    out.mkdir(parents=True, exist_ok=True)
    truth_path.unlink(missing_ok=True)
    files = []
    with tempfile.TemporaryDirectory(prefix="vad-heldout-") as tmpname:
        tmp = Path(tmpname)
        speaker = Speaker(tmp)
        for noise, snr, index in items:
            pcm, entry = make_file(seed, split, None if noise == "clean" else noise, snr, index, speaker, tmp)
            write_wav(out / entry["file"], pcm)
            files.append(entry)
    truth = {"version": VERSION, "split": split, "seed": seed, "sample": sample, "sample_rate": SAMPLE_RATE,
             "frame_ms": 10, "files": files}
    tmp_truth = out / "truth.json.tmp"
    tmp_truth.write_text(json.dumps(truth, separators=(",", ":")) + "\n")
    os.replace(tmp_truth, truth_path)
    seconds = sum(f["n_samples"] for f in files) / SAMPLE_RATE
    print(f"{out}: {split} split, {len(files)} files, {seconds / 60:.1f} min")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--split", choices=["tuning", "heldout", "both"], default="both")
    ap.add_argument("--sample", action="store_true", help="only the fixed small sample of each split")
    ap.add_argument("--seed", type=int, default=21)
    args = ap.parse_args(argv)
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH (Debian: apt-get install espeak-ng sox)")
    splits = ["tuning", "heldout"] if args.split == "both" else [args.split]
    for split in splits:
        name = f"{split}-sample" if args.sample else split
        build_split(Path(args.out) / name, split, args.seed, args.sample)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
