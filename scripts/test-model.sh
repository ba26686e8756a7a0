#!/usr/bin/env bash
# Prints the path of the test suite's real model, stories260K.gguf: ../shared/models/stories260K.gguf
# when that exists (CI), else a copy in the cache ($MINILLM_CACHE, else ~/.cache/minillm), fetched
# there first when missing from the Hugging Face hub, or from $MINILLM_BASE_URL (a mirror laid out as
# <base>/<repo>/resolve/<revision>/<file>), and verified against the sha256 pinned in
# models/manifest.json (dataset "stories260K"). Run from the repository root.
# Exit codes: 0 ok (path on stdout), 1 not there and could not be fetched (one line on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED_MODEL=../shared/models/stories260K.gguf
if [ -f "$SHARED_MODEL" ]; then
  echo "$SHARED_MODEL"
  exit 0
fi
CACHE=${MINILLM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minillm}/test-models
mkdir -p "$CACHE"
# download-models.sh checks the sha256 of a copy already there too, so a damaged one is fetched again.
if ! bash scripts/download-models.sh --dataset stories260K --models-dir "$CACHE" 2>"$CACHE/fetch.log"; then
  echo "test-model.sh: $SHARED_MODEL is absent and fetching the test model failed: $(tail -n 1 "$CACHE/fetch.log") (put the file there, or set MINILLM_BASE_URL to a mirror)" >&2
  exit 1
fi
