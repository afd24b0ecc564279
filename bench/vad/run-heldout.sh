#!/usr/bin/env bash
# VAD benchmark on the development corpus: Cairn, WebRTC VAD and Silero VAD per noise type and SNR,
# on the held-out split (voices, sentences and noise seeds nothing was tuned on) and, separately,
# on the tuning split. See bench/vad/heldout.py for the scoring and tests/speech/make_heldout.py
# for the corpus.
#
#   bench/vad/run-heldout.sh                 # Cairn through `vad-bench --decisions` (release build)
#   bench/vad/run-heldout.sh --cairn-cli     # Cairn through `.build/release/cairn vad` instead
#
# Uses the venv of run.sh (ROOT/.venv-bench-vad; run run.sh once first, or set it up the same way).
# Corpus: $VAD_DEV_CORPUS_DIR or ROOT/.speech-corpus-dev (about 11 minutes to build the first time).
# Report: bench/vad/last-heldout.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-bench-vad"
corpus="${VAD_DEV_CORPUS_DIR:-$root/.speech-corpus-dev}"

[[ -x "$venv/bin/python" ]] || { echo "no $venv: run bench/vad/run.sh once to create it" >&2; exit 1; }
for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install espeak-ng sox" >&2; exit 1; }
done

"$venv/bin/python" "$root/tests/speech/make_heldout.py" "$corpus"
cd "$root"
if [[ "${1:-}" == "--cairn-cli" ]]; then
    swift build -c release --product cairn >/dev/null
    cairn=(--cairn "$(swift build -c release --show-bin-path)/cairn")
else
    swift build -c release --product vad-bench >/dev/null
    cairn=(--vad-bench "$(swift build -c release --show-bin-path)/vad-bench")
fi
"$venv/bin/python" "$here/heldout.py" --corpus "$corpus" --splits heldout,tuning "${cairn[@]}"
