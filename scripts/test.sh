#!/usr/bin/env bash
# Runs minillm's test suite on a fresh machine: installs what the tests need that Maven cannot
# bring (headless Chromium for the HTML report test), makes sure the real test model is there,
# then runs every test with Maven.
#
# The tests run on stories260K.gguf: ../shared/models/stories260K.gguf when that exists (CI), else
# a verified copy that scripts/test-model.sh fetches once into the cache (MINILLM_BASE_URL selects a
# mirror). Its path reaches the tests as MINILLM_TEST_MODEL.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the HTML report test" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi

if [ -z "${MINILLM_TEST_MODEL:-}" ]; then
  MINILLM_TEST_MODEL=$(bash scripts/test-model.sh)
  case "$MINILLM_TEST_MODEL" in ../shared/*) ;; *) echo "test.sh: test model $MINILLM_TEST_MODEL (sha256 verified)" >&2 ;; esac
fi
export MINILLM_TEST_MODEL

# The native engine's tests run against a real build of it (CPU variant). The build is cached in
# ~/.cache/minillm/native, so only the first run on a machine compiles llama.cpp (minutes).
bash scripts/build-native.sh >/dev/null

# Real gpu cells without a GPU: Mesa's software Vulkan device (lavapipe) through llama.cpp's Vulkan
# backend, from llama.cpp's own prebuilt Vulkan libraries of the pinned release (npm, cached; the
# from-source Vulkan build takes far too long on a small machine). When this cannot be prepared,
# the software-GPU tests are skipped and say why.
if ! dpkg -s mesa-vulkan-drivers libvulkan-dev >/dev/null 2>&1; then
  echo "test.sh: installing Debian's mesa-vulkan-drivers and libvulkan-dev for the software-GPU tests" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan-dev; } >&2 || true
fi
if dpkg -s mesa-vulkan-drivers libvulkan-dev >/dev/null 2>&1; then
  bash scripts/build-native.sh --vulkan-prebuilt >/dev/null \
    || echo "test.sh: could not prepare the Vulkan variant (above); the software-GPU tests are skipped" >&2
else
  rm -f target/native/vulkan-prebuilt
  echo "test.sh: no mesa-vulkan-drivers/libvulkan-dev; the software-GPU tests are skipped" >&2
fi

# verify = unit tests, then the shaded jar, then the *IT tests that run that jar as a person does.
# Each test class's output (llama.cpp's log, progress lines) goes to target/*-reports/<class>-output.txt;
# only the classes that failed have theirs printed here.
rc=0
mvn -B verify "$@" || rc=$?
if [ "$rc" != 0 ]; then
  for report in $(grep -lE '(failures|errors)="[1-9]' target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml 2>/dev/null); do
    name=$(basename "$report" .xml); name=${name#TEST-}
    output="$(dirname "$report")/$name-output.txt"
    if [ -f "$output" ]; then
      echo "---- output of the failed $name ($output) ----" >&2
      cat "$output" >&2
    fi
  done
fi
exit "$rc"
