#!/usr/bin/env bash
# VAD benchmark: WebRTC VAD, Silero VAD (ONNX, no torch) and `cairn vad` on the
# labelled corpus of tests/speech/make_corpus.py. See bench.py's docstring for
# what is measured and how.
#
#   bench/vad/run.sh                                  # Cairn = .build/release/cairn
#   bench/vad/run.sh --cairn .build/debug/cairn
#   bench/vad/run.sh --no-cairn                       # WebRTC and Silero only
#   bench/vad/run.sh -- --some-cairn-vad-flag X       # extra args for `cairn vad`
#
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
exec "$venv/bin/python" "$here/bench.py" --corpus "$corpus" "$@"
