#!/usr/bin/env bash
# Runs minillm's test suite on a fresh machine: installs what the tests need that Maven cannot
# bring (headless Chromium for the HTML report test), then runs every test with Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the HTML report test" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi

if [ ! -f ../shared/models/stories260K.gguf ]; then
  echo "test.sh: ../shared/models/stories260K.gguf is missing (tests run on that real model)" >&2
  exit 2
fi

# The native engine's tests run against a real build of it (CPU variant). The build is cached in
# ~/.cache/minillm/native, so only the first run on a machine compiles llama.cpp (minutes).
bash scripts/build-native.sh >/dev/null

# verify = unit tests, then the shaded jar, then the *IT tests that run that jar as a person does.
exec mvn -B verify "$@"
