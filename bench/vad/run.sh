#!/usr/bin/env bash
# VAD benchmark: WebRTC VAD, Silero VAD (ONNX, no torch) and `cairn vad` on the
# labelled corpus of tests/speech/make_corpus.py. See bench.py's docstring for
# what is measured and how.
#
#   bench/vad/run.sh                                  # Cairn = .build/release/cairn (build it first:
#                                                     #   swift build -c release --product cairn)
#   bench/vad/run.sh --cairn .build/debug/cairn
#   bench/vad/run.sh --no-cairn                       # WebRTC and Silero only
#   bench/vad/run.sh -- --some-cairn-vad-flag X       # extra args for `cairn vad`
#
# CAIRN_SCRATCH names another SwiftPM build folder for the in-process vad-bench step.
# Needs espeak-ng and sox (apt-get install espeak-ng sox) and python3 with venv.
# Venv: ROOT/.venv-bench-vad; corpus: ROOT/.speech-corpus (or $VAD_CORPUS_DIR,
# shared with tests/e2e/test_vad_accuracy.py); report: bench/vad/last-run.md.
# A missing Cairn binary is reported and its rows are left out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-bench-vad"
requirements="$here/requirements.txt"
corpus="${VAD_CORPUS_DIR:-$root/.speech-corpus}"
silero="silero-vad==6.2.3"

for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install espeak-ng sox" >&2; exit 1; }
done

if [[ ! -x "$venv/bin/python" ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi

stamp="$venv/.requirements.sha256"
wanted="$( (cat "$requirements"; echo "$silero") | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "installing $requirements and $silero (--no-deps, no torch) into $venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$silero"
    echo "$wanted" >"$stamp"
fi

"$venv/bin/python" "$root/tests/speech/make_corpus.py" "$corpus"

cd "$root"
"$venv/bin/python" "$here/bench.py" --corpus "$corpus" "$@"

# The detector alone, in process: best thread-CPU time per 10 ms over 5 minutes of the white 10 dB
# mix, and heap bytes allocated while processing (built here in release mode; takes seconds).
if [[ " $* " != *" --no-cairn "* ]]; then
    scratch=(--scratch-path "${CAIRN_SCRATCH:-$root/.build}")
    swift build -c release --product vad-bench "${scratch[@]}" >/dev/null
    {
        echo
        echo "### Cairn detector in process (vad-bench, 300 s of mix_white_10dB, best of 3)"
        echo
        echo '```json'
        "$(swift build -c release --show-bin-path "${scratch[@]}")/vad-bench" "$corpus/mix_white_10dB.wav" --seconds 300 --repeats 3
        echo '```'
    } | tee -a "$here/last-run.md"
fi
