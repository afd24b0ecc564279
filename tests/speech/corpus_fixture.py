"""Build (once) and load the labelled speech corpus for the end-to-end tests.

Shared by tests/e2e/test_vad_accuracy.py and tests/e2e/test_speech_pipeline.py
through the session fixtures ``corpus`` and ``cairn_bin`` in tests/e2e/conftest.py.

The corpus (make_corpus.py next to this file: espeak-ng Harvard sentences,
noise-only bursts, white/pink/brown background noise at 20/10/5/0 dB SNR) is
generated into ROOT/.speech-corpus, or into $VAD_CORPUS_DIR, with the
interpreter that runs pytest; it needs ``espeak-ng`` and ``sox`` on PATH.
make_corpus.py does nothing when a complete corpus of its version is present.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SPEECH = Path(__file__).resolve().parent
ROOT = SPEECH.parents[1]
if str(SPEECH) not in sys.path:
    sys.path.insert(0, str(SPEECH))
import vadscore  # noqa: E402

# Every condition the corpus has, in truth.json order.
CONDITIONS = ["clean", "bursts"] + [
    f"{colour}_{snr}dB" for colour in ("white", "pink", "brown") for snr in (20, 10, 5, 0)
]


class CorpusError(RuntimeError):
    """The corpus could not be built or does not look like this generator's output."""


def corpus_dir() -> Path:
    return Path(os.environ.get("VAD_CORPUS_DIR") or ROOT / ".speech-corpus")


def build_corpus(timeout: float = 600.0) -> vadscore.Truth:
    """Generate the corpus if needed and return its truth; raise CorpusError on failure."""
    missing = [t for t in ("espeak-ng", "sox") if shutil.which(t) is None]
    if missing:
        raise CorpusError(f"{', '.join(missing)} not on PATH: the speech corpus needs espeak-ng and sox "
                          "(Debian: apt-get install espeak-ng sox)")
    out = corpus_dir()
    proc = subprocess.run([sys.executable, str(SPEECH / "make_corpus.py"), str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise CorpusError(f"make_corpus.py failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
    truth = vadscore.load_truth(out)
    names = [c["name"] for c in truth.conditions]
    if names != CONDITIONS:
        raise CorpusError(f"{out}/truth.json lists conditions {names}, expected {CONDITIONS}")
    return truth


def build_heldout_sample(timeout: float = 900.0) -> tuple[Path, list]:
    """Generate (once) the fixed held-out sample of make_heldout.py and return (directory, files).

    The sample is the first file of clean speech and of every noise type at 7 and 3 dB SNR of the
    held-out split (voices, sentences and noise seeds the detector was never tuned on), written to
    corpus_dir()/heldout-sample. ``files`` is vadscore.load_split's list of (entry, Truth).
    """
    missing = [t for t in ("espeak-ng", "sox") if shutil.which(t) is None]
    if missing:
        raise CorpusError(f"{', '.join(missing)} not on PATH: the held-out sample needs espeak-ng and sox")
    out = corpus_dir()
    cmd = [sys.executable, str(SPEECH / "make_heldout.py"), str(out), "--split", "heldout", "--sample"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise CorpusError(f"make_heldout.py failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
    directory = out / "heldout-sample"
    return directory, vadscore.load_split(directory)
