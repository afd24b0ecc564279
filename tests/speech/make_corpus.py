#!/usr/bin/env python3
"""Build the labelled voice-activity corpus used by the VAD tests and benchmark.

    python tests/speech/make_corpus.py OUT_DIR

Needs ``espeak-ng`` and ``sox`` on PATH, numpy, and the standard library.
The output is byte-for-byte the same on every run (``sox -R`` seeds SoX's
random generators with a fixed value; no other randomness is used). If
``OUT_DIR/truth.json`` already exists with this generator's VERSION and every
file it lists is present, nothing is done.

Construction
------------
Speech: the 10 Harvard sentences of IEEE list 1 (public domain), each spoken
by ``espeak-ng -v en-us -s 150`` (22,050 Hz) and resampled with
``sox -R utt.wav -r 16000 -c 1 -b 16 utt16.wav``. The resampled clips are
written as ``utt_00.wav`` … ``utt_09.wav``.

Timeline of ``clean.wav`` (16 kHz, mono, PCM16): GAPS_S[i] seconds of digital
silence come *before* sentence i, so the file opens with 1.0 s of silence, and
a 1.5 s tail follows the last sentence. The reference recipe lists ten gaps for
ten sentences and a 47.6 s total; the other reading (nine gaps between the
sentences and the last 1.5 s gap after sentence 10, before the tail) has the
same total, so the total cannot decide. The leading-gap reading is used
because it makes every detector start in silence and keeps all five ≥2.5 s
gaps between two sentences.

``stream_bursts.wav``: ``clean.wav`` plus a noise-only burst in each of the
first four gaps of ≥2.5 s (before sentences 3, 5, 6 and 7; white, pink, brown,
white), from 0.5 s after the end of the previous sentence clip to 0.5 s before
the start of the next one. Burst noise is made with
``sox -R -n -r 16000 -c 1 -b 16 z.wav synth SEC whitenoise|pinknoise|brownnoise``
and scaled to -30 dBFS RMS.

``mix_<colour>_<snr>dB.wav`` (colour white/pink/brown, SNR 20/10/5/0 dB):
``stream_bursts.wav`` plus continuous sox noise of that colour over the whole
file, mixed in numpy (float64, rounded once to int16). SNR is the mean power of
the clean track over the samples of the "utt" truth frames minus the mean
power of the added noise over the whole file. Nothing is clipped: a mix that
would exceed the int16 range is scaled down as a whole (speech, bursts and
background noise by the same factor, which keeps the SNR) to a -1 dBFS peak;
the summary reports it and truth.json records the factor as the condition's
``scale`` (1.0 for the others). In this version only ``mix_pink_0dB.wav``
needs it (about -1.3 dB; see the summary printed when the corpus is built).

Because ``sox -R`` restarts the same random sequence on every call, each
noise colour is synthesised once, long enough for the background and the
bursts, and different, non-overlapping stretches of it are used (so the two
white bursts differ from each other and from the white background).

dBFS here is 20·log10(RMS / 32768), i.e. relative to a full-scale square wave.

Truth (``truth.json``, 10 ms frames; frame k covers samples [160k, 160k+160),
the last frame zero-padded; n_frames = ceil(samples / 160)):

* ``energy``: frame mean-square energy of the clean track above the loudest
  frame's energy minus 45 dB.
* ``utt``: per sentence, every frame from its first to its last energy-active
  frame (pauses inside a sentence count as speech).
* ``bursts``: [start_s, end_s] of each noise-only burst.
* ``sentences``: text, ``start``/``end`` = the sentence's utt-truth span in
  seconds (frame-aligned), ``clip_start``/``clip_end`` = where the espeak clip
  (with its own leading and trailing silence) was placed.

Also written: ``sentences.txt`` (one lower-case sentence per line, punctuation
removed except the apostrophe of "it's", which the pocketsphinx dictionary
spells that way) and ``grammar.jsgf`` (accepts one or more of the sentences).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

VERSION = "cairn-vad-corpus-1"
SAMPLE_RATE = 16000
FRAME_MS = 10
FRAME = SAMPLE_RATE * FRAME_MS // 1000  # 160 samples

SENTENCES = [
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
]
GAPS_S = [1.0, 1.0, 2.5, 0.5, 2.5, 3.0, 2.5, 0.8, 2.5, 1.5]  # silence before sentence i
TAIL_S = 1.5
BURST_COLOURS = ["white", "pink", "brown", "white"]
BURST_DBFS = -30.0
BURST_MARGIN_S = 0.5
ENERGY_FLOOR_DB = 45.0
NOISE_COLOURS = ["white", "pink", "brown"]
SNRS_DB = [20, 10, 5, 0]
FULL_SCALE = 32768.0
HEADROOM_PEAK = 32767 * 10 ** (-1 / 20)  # -1 dBFS peak for a mix that would clip


def run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != SAMPLE_RATE:
            sys.exit(f"{path}: expected 16 kHz mono PCM16")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)


def write_wav(path: Path, samples: np.ndarray) -> None:
    assert samples.dtype == np.int16
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.astype("<i2").tobytes())


def to_int16(x: np.ndarray, what: str) -> np.ndarray:
    r = np.rint(x)
    peak = float(np.max(np.abs(r))) if r.size else 0.0
    if r.max() > 32767 or r.min() < -32768:
        sys.exit(f"{what}: mix would clip (peak {peak:.0f} > 32767); not clipping silently")
    return r.astype(np.int16)


def rms_dbfs(x: np.ndarray) -> float:
    p = float(np.mean(np.square(x.astype(np.float64))))
    return 10 * math.log10(p / FULL_SCALE**2) if p > 0 else -math.inf


def plain_words(sentence: str) -> str:
    kept = "".join(c for c in sentence.lower() if c.isalnum() or c in " '")
    return " ".join(kept.split())


def synth_noise(tmp: Path, colour: str, seconds: float) -> np.ndarray:
    path = tmp / f"noise_{colour}.wav"
    run(["sox", "-R", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(path),
         "synth", f"{seconds:.4f}", f"{colour}noise"])
    return read_wav(path).astype(np.float64)


def frame_energy(x: np.ndarray, n_frames: int) -> np.ndarray:
    padded = np.zeros(n_frames * FRAME, dtype=np.float64)
    padded[: x.size] = x
    return np.mean(np.square(padded.reshape(n_frames, FRAME)), axis=1)


def already_done(out: Path) -> bool:
    truth = out / "truth.json"
    if not truth.is_file():
        return False
    try:
        data = json.loads(truth.read_text())
    except (OSError, ValueError):
        return False
    if data.get("version") != VERSION:
        return False
    names = [c["file"] for c in data.get("conditions", [])]
    names += ["sentences.txt", "grammar.jsgf"] + [f"utt_{i:02d}.wav" for i in range(len(SENTENCES))]
    return all((out / n).is_file() for n in names)


def build(out: Path) -> dict:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH (Debian: apt-get install espeak-ng sox)")
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth.json").unlink(missing_ok=True)  # written last: marks a complete corpus

    with tempfile.TemporaryDirectory(prefix="vad-corpus-") as tmpname:
        tmp = Path(tmpname)

        # --- speech clips -------------------------------------------------
        clips = []
        for i, text in enumerate(SENTENCES):
            raw, res = tmp / f"utt{i}.wav", tmp / f"utt{i}_16k.wav"
            run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text])
            run(["sox", "-R", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(res)])
            clip = read_wav(res)
            write_wav(out / f"utt_{i:02d}.wav", clip)
            clips.append(clip)

        # --- clean timeline -----------------------------------------------
        pieces, placement, pos = [], [], 0
        for gap, clip in zip(GAPS_S, clips):
            n_gap = int(round(gap * SAMPLE_RATE))
            pieces.append(np.zeros(n_gap, dtype=np.int16))
            pos += n_gap
            placement.append((pos, pos + clip.size))
            pieces.append(clip)
            pos += clip.size
        pieces.append(np.zeros(int(round(TAIL_S * SAMPLE_RATE)), dtype=np.int16))
        clean = np.concatenate(pieces)
        n = clean.size
        n_frames = -(-n // FRAME)
        write_wav(out / "clean.wav", clean)

        # --- truth ----------------------------------------------------------
        energy_f = frame_energy(clean.astype(np.float64), n_frames)
        threshold = energy_f.max() * 10 ** (-ENERGY_FLOOR_DB / 10)
        energy = (energy_f > threshold).astype(np.int8)
        utt = np.zeros(n_frames, dtype=np.int8)
        sentences = []
        for text, (a, b) in zip(SENTENCES, placement):
            fa, fb = a // FRAME, -(-b // FRAME)
            active = np.nonzero(energy[fa:fb])[0]
            if active.size == 0:
                sys.exit(f"no energy-active frame in sentence {text!r}")
            first, last = fa + int(active[0]), fa + int(active[-1])
            utt[first : last + 1] = 1
            sentences.append({
                "text": text,
                "start": round(first * FRAME / SAMPLE_RATE, 4),
                "end": round((last + 1) * FRAME / SAMPLE_RATE, 4),
                "clip_start": round(a / SAMPLE_RATE, 6),
                "clip_end": round(b / SAMPLE_RATE, 6),
            })
        utt_samples = np.repeat(utt, FRAME)[:n].astype(bool)
        speech_power = float(np.mean(np.square(clean[utt_samples].astype(np.float64))))

        # --- noise material -------------------------------------------------
        # Each colour once, long enough for the background (n samples) plus
        # two burst stretches after it; bursts never reuse background samples.
        burst_slots = [i for i, g in enumerate(GAPS_S) if i > 0 and g >= 2.5][: len(BURST_COLOURS)]
        max_burst = max(int(round((GAPS_S[i] - 2 * BURST_MARGIN_S) * SAMPLE_RATE)) for i in burst_slots)
        noise_len_s = (n + 2 * max_burst + SAMPLE_RATE) / SAMPLE_RATE
        noise = {c: synth_noise(tmp, c, noise_len_s) for c in NOISE_COLOURS}
        if any(v.size < n + 2 * max_burst for v in noise.values()):
            sys.exit("sox produced less noise than asked for")

    # --- bursts -------------------------------------------------------------
    stream = clean.astype(np.float64)
    bursts, used = [], {c: 0 for c in NOISE_COLOURS}
    target_rms = FULL_SCALE * 10 ** (BURST_DBFS / 20)
    for slot, colour in zip(burst_slots, BURST_COLOURS):
        a = placement[slot - 1][1] + int(round(BURST_MARGIN_S * SAMPLE_RATE))
        b = placement[slot][0] - int(round(BURST_MARGIN_S * SAMPLE_RATE))
        offset = n + used[colour] * max_burst
        used[colour] += 1
        seg = noise[colour][offset : offset + (b - a)]
        seg = seg * (target_rms / math.sqrt(float(np.mean(np.square(seg)))))
        stream[a:b] += seg
        bursts.append([round(a / SAMPLE_RATE, 6), round(b / SAMPLE_RATE, 6)])
    stream_i = to_int16(stream, "stream_bursts.wav")
    write_wav(out / "stream_bursts.wav", stream_i)

    # --- mixes --------------------------------------------------------------
    conditions = [
        {"name": "clean", "file": "clean.wav", "noise": None, "snr_db": None},
        {"name": "bursts", "file": "stream_bursts.wav", "noise": None, "snr_db": None},
    ]
    base = stream_i.astype(np.float64)
    measured = {}
    for colour in NOISE_COLOURS:
        bg = noise[colour][:n]
        bg_power = float(np.mean(np.square(bg)))
        for snr in SNRS_DB:
            gain = math.sqrt(speech_power / (bg_power * 10 ** (snr / 10)))
            name = f"mix_{colour}_{snr}dB.wav"
            mix = base + gain * bg
            peak = float(np.max(np.abs(np.rint(mix))))
            # Headroom: a mix that would clip is scaled down as a whole (speech,
            # bursts and background by the same factor, so the SNR is kept) to a
            # peak of HEADROOM_PEAK. The factor is recorded in truth.json.
            scale = 1.0 if peak <= 32767 else HEADROOM_PEAK / peak
            mix = to_int16(mix * scale, name)
            write_wav(out / name, mix)
            added = mix.astype(np.float64) - base * scale
            snr_measured = 10 * math.log10(speech_power * scale**2 / float(np.mean(np.square(added)))) + 0.0
            measured[name] = (snr_measured, int(np.max(np.abs(mix.astype(np.int32)))), scale)
            conditions.append({"name": f"{colour}_{snr}dB", "file": name, "noise": colour,
                               "snr_db": snr, "snr_db_measured": round(snr_measured, 3) + 0.0,
                               "scale": round(scale, 6)})

    # --- text side ----------------------------------------------------------
    words = [plain_words(s) for s in SENTENCES]
    (out / "sentences.txt").write_text("".join(w + "\n" for w in words))
    lines = ["#JSGF V1.0;", "", "grammar harvard;", ""]
    alts = " | ".join(f"<s{i + 1}>" for i in range(len(words)))
    lines.append(f"public <utt> = ( {alts} )+ ;")
    lines.append("")
    lines += [f"<s{i + 1}> = {w} ;" for i, w in enumerate(words)]
    (out / "grammar.jsgf").write_text("\n".join(lines) + "\n")

    truth = {
        "version": VERSION,
        "sample_rate": SAMPLE_RATE,
        "frame_ms": FRAME_MS,
        "n_samples": int(n),
        "duration_s": n / SAMPLE_RATE,
        "n_frames": int(n_frames),
        "speech_dbfs": round(10 * math.log10(speech_power / FULL_SCALE**2), 3),
        "energy_floor_db": ENERGY_FLOOR_DB,
        "utt": utt.tolist(),
        "energy": energy.tolist(),
        "bursts": bursts,
        "burst_noise": BURST_COLOURS,
        "burst_dbfs": BURST_DBFS,
        "sentences": sentences,
        "conditions": conditions,
    }
    tmp_truth = out / "truth.json.tmp"
    tmp_truth.write_text(json.dumps(truth, separators=(",", ":")) + "\n")
    os.replace(tmp_truth, out / "truth.json")
    return {"truth": truth, "measured": measured, "stream_peak": int(np.max(np.abs(stream_i.astype(np.int32))))}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1].startswith("-"):
        print(__doc__.split("\n\n")[0] + "\n\nusage: make_corpus.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    if already_done(out):
        print(f"{out}: corpus {VERSION} already present")
        return 0
    result = build(out)
    t = result["truth"]
    utt, energy = np.array(t["utt"]), np.array(t["energy"])
    burst_frames = sum(int(round((b - a) * 100)) for a, b in t["bursts"])
    print(f"{out}: corpus {VERSION}")
    print(f"  duration {t['duration_s']:.3f} s, {t['n_frames']} frames of {FRAME_MS} ms, "
          f"speech {t['speech_dbfs']:.1f} dBFS RMS over utt frames")
    print(f"  utt share {utt.mean():.3f}, energy share {energy.mean():.3f}, "
          f"bursts {len(t['bursts'])} ({burst_frames} frames, {BURST_DBFS:.0f} dBFS), "
          f"stream_bursts peak {result['stream_peak']}")
    for name, (snr, peak, scale) in result["measured"].items():
        note = "" if scale == 1.0 else f"  scaled x{scale:.4f} ({20 * math.log10(scale):.2f} dB) to avoid clipping"
        print(f"  {name:22s} SNR {round(snr, 2) + 0.0:6.2f} dB  peak {peak:5d} ({20 * math.log10(peak / FULL_SCALE):5.1f} dBFS){note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
