#!/usr/bin/env bash
# Builds minillm's native engine: llama.cpp at the pinned release (native/llama.cpp.pin) plus
# minillm's JNI library (native/), for one variant:
#
#   bash scripts/build-native.sh                # CPU, tuned for this machine (default)
#   bash scripts/build-native.sh --portable     # CPU, every CPU variant, best picked at run time
#   bash scripts/build-native.sh --cuda | --metal | --vulkan | --blas
#
# Needs cmake (3.16+), a C and C++ compiler, git and a JDK (for jni.h). llama.cpp's source comes
# from LLAMA_CPP_SOURCE=<dir> when set, else from GitHub at the pinned tag, else (offline) from the
# npm package named in the pin file, which carries that release as a git bundle.
#
# The result is cached outside the project, in ${MINILLM_CACHE_DIR:-~/.cache/minillm}/native/
# <variant>-<key>/, where <key> hashes the pinned release, native/, cmake/ and the options; the
# project's target/native/<variant> links to it. A second run with the same inputs builds nothing.
# Prints the output folder on stdout; progress goes to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MINILLM_CACHE_DIR:-$HOME/.cache/minillm}"
VARIANT=cpu
JOBS="$(nproc 2>/dev/null || echo 2)"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; }
die() { echo "build-native.sh: $*" >&2; exit 2; }
log() { echo "build-native.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) VARIANT=cpu ;;
    --portable) VARIANT=cpu-portable ;;
    --cuda) VARIANT=cuda ;;
    --metal) VARIANT=metal ;;
    --vulkan) VARIANT=vulkan ;;
    --blas) VARIANT=blas ;;
    --jobs) shift; [ $# -gt 0 ] || die "--jobs needs a number"; JOBS="$1" ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option '$1'" ;;
  esac
  shift
done
VARIANT_FILE="$ROOT/cmake/variants/$VARIANT.cmake"
[ -f "$VARIANT_FILE" ] || die "no variant file $VARIANT_FILE"

# --- what the build needs, checked before anything is fetched -----------------------------------
missing=()
command -v cmake >/dev/null 2>&1 || missing+=("cmake (3.16 or newer)")
command -v git >/dev/null 2>&1 || missing+=("git")
CXX_BIN="${CXX:-}"; [ -n "$CXX_BIN" ] || CXX_BIN="$(command -v c++ || command -v g++ || command -v clang++ || true)"
CC_BIN="${CC:-}"; [ -n "$CC_BIN" ] || CC_BIN="$(command -v cc || command -v gcc || command -v clang || true)"
[ -n "$CXX_BIN" ] && command -v "$CXX_BIN" >/dev/null 2>&1 || missing+=("a C++ compiler (g++ or clang++)")
[ -n "$CC_BIN" ] && command -v "$CC_BIN" >/dev/null 2>&1 || missing+=("a C compiler (gcc or clang)")
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "$JAVA_HOME/include/jni.h" ]; then
  if command -v javac >/dev/null 2>&1; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
fi
[ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ] || missing+=("a JDK with include/jni.h (set JAVA_HOME)")
case "$VARIANT" in
  cuda) command -v nvcc >/dev/null 2>&1 || missing+=("the CUDA toolkit (nvcc) for --cuda") ;;
  vulkan) command -v glslc >/dev/null 2>&1 || missing+=("glslc and the Vulkan headers/loader for --vulkan") ;;
  metal) [ "$(uname -s)" = Darwin ] || missing+=("macOS for --metal") ;;
esac
if [ ${#missing[@]} -gt 0 ]; then
  die "cannot build the $VARIANT variant; missing: $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g')"
fi
if [ "$(cmake --version | head -1 | sed 's/[^0-9.]*\([0-9]*\)\.\([0-9]*\).*/\1\2/')" -lt 316 ] 2>/dev/null; then
  die "cmake 3.16 or newer is needed ($(cmake --version | head -1))"
fi
export JAVA_HOME

pin() { sed -n "s/^$1=//p" "$ROOT/native/llama.cpp.pin"; }
TAG="$(pin tag)"; REPO="$(pin repo)"; NPM_PKG="$(pin npm_package)"
[ -n "$TAG" ] || die "native/llama.cpp.pin names no tag"
mkdir -p "$CACHE/src" "$CACHE/native"

# One build at a time per cache (CI and a person may start one together).
exec 9>"$CACHE/native/.lock"
flock 9

# --- llama.cpp source ---------------------------------------------------------------------------
fetch_source() {
  local dest="$CACHE/src/llama.cpp-$TAG"
  if [ -f "$dest/.minillm-complete" ]; then echo "$dest"; return; fi
  rm -rf "$dest" "$dest.tmp"
  log "fetching llama.cpp $TAG from $REPO"
  if GIT_TERMINAL_PROMPT=0 timeout 120 git clone -q --depth 1 --branch "$TAG" "$REPO" "$dest.tmp" >&2 2>/dev/null; then
    :
  else
    rm -rf "$dest.tmp"
    local tgz="$CACHE/src/${NPM_PKG/@/-}.tgz"
    if [ ! -f "$tgz" ]; then
      command -v npm >/dev/null 2>&1 || die "GitHub is unreachable and npm is missing: cannot fetch $NPM_PKG (or set LLAMA_CPP_SOURCE to a llama.cpp $TAG source tree)"
      log "fetching the npm package $NPM_PKG"
      local packed
      packed="$(cd "$CACHE/src" && npm pack --silent "$NPM_PKG" 2>/dev/null | tail -1)" \
        || die "npm pack $NPM_PKG failed (or set LLAMA_CPP_SOURCE to a llama.cpp $TAG source tree)"
      [ "$CACHE/src/$packed" = "$tgz" ] || mv "$CACHE/src/$packed" "$tgz"
    fi
    log "GitHub unreachable; taking llama.cpp $TAG from $tgz"
    local x="$CACHE/src/npm-extract.$$"
    rm -rf "$x"; mkdir -p "$x"
    tar -xzf "$tgz" -C "$x" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json \
      || die "$tgz holds no llama/gitRelease.bundle"
    local bundled_tag
    bundled_tag="$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$x/package/llama/llama.cpp.info.json")"
    [ "$bundled_tag" = "$TAG" ] || die "$NPM_PKG carries llama.cpp $bundled_tag, not the pinned $TAG"
    git -c advice.detachedHead=false clone -q "$x/package/llama/gitRelease.bundle" "$dest.tmp" >&2 || die "cannot clone the git bundle from $tgz"
    rm -rf "$x"
  fi
  git -C "$dest.tmp" rev-parse HEAD > "$dest.tmp/.minillm-commit"
  touch "$dest.tmp/.minillm-complete"
  mv "$dest.tmp" "$dest"
  echo "$dest"
}

if [ -n "${LLAMA_CPP_SOURCE:-}" ]; then
  SRC="$(cd "$LLAMA_CPP_SOURCE" 2>/dev/null && pwd)" || die "LLAMA_CPP_SOURCE=$LLAMA_CPP_SOURCE is not a folder"
  [ -f "$SRC/include/llama.h" ] || die "LLAMA_CPP_SOURCE=$SRC holds no include/llama.h (not a llama.cpp source tree)"
  COMMIT="$(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo unknown)"
  TAG_USED="$(git -C "$SRC" describe --tags --always 2>/dev/null || echo local)"
  SRC_ID="local:$SRC:$COMMIT:$(git -C "$SRC" status --porcelain 2>/dev/null | sha256sum | cut -c1-12)"
else
  SRC="$(fetch_source)"
  COMMIT="$(cat "$SRC/.minillm-commit")"
  TAG_USED="$TAG"
  SRC_ID="$TAG:$COMMIT"
fi

# --- cache keys ---------------------------------------------------------------------------------
hash_files() { (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
COMPILER_ID="$("$CXX_BIN" --version 2>/dev/null | head -1)"
# A native CPU build depends on the build machine's CPU too.
CPU_ID="$(grep -m1 -E '^(model name|flags)' /proc/cpuinfo 2>/dev/null | sha256sum | cut -c1-8 || true)"
# The llama.cpp build tree: one per source, variant, compiler and CPU. Only the CMake files this
# variant reads count for its configuration (another variant's file may change without touching
# it); when they change, the tree is re-configured from scratch and ninja/make rebuild only what
# the new flags affect. The finished output also depends on the JNI sources.
BUILD_ID="$(printf '%s\n' "$SRC_ID" "$VARIANT" "$COMPILER_ID" "$CPU_ID" | sha256sum | cut -c1-16)"
CONFIG_KEY="$(hash_files cmake/MinillmLlama.cmake cmake/variants/common.cmake "cmake/variants/$VARIANT.cmake")"
KEY="$(printf '%s\n' "$BUILD_ID" "$CONFIG_KEY" "$(hash_files native)" | sha256sum | cut -c1-16)"
OUT="$CACHE/native/$VARIANT-$KEY"
BUILD="$CACHE/native/build-$VARIANT-$BUILD_ID"
# CMake and ninja record the tree's path in every command: always use the real one.
if [ -L "$BUILD" ]; then BUILD="$(cd "$BUILD" && pwd -P)"; fi

link_into_target() {
  mkdir -p "$ROOT/target/native"
  rm -rf "$ROOT/target/native/$VARIANT"
  ln -s "$OUT" "$ROOT/target/native/$VARIANT"
}

if [ -f "$OUT/build-info.properties" ]; then
  log "$VARIANT build is up to date ($OUT)"
  link_into_target
  echo "$OUT"
  exit 0
fi

# --- build --------------------------------------------------------------------------------------
mkdir -p "$BUILD"
# A build tree configured from another clone's native/ (CMake refuses to reuse it) or with other
# options is configured afresh; llama.cpp's object files are kept and reused.
if [ "$(cat "$BUILD/.minillm-config" 2>/dev/null)" != "$CONFIG_KEY" ] \
  || { [ -f "$BUILD/CMakeCache.txt" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$ROOT/native" "$BUILD/CMakeCache.txt"; }; then
  rm -rf "$BUILD/CMakeCache.txt" "$BUILD/CMakeFiles" # a fresh configure; object files are kept
fi
GENERATOR=()
if command -v ninja >/dev/null 2>&1 && { [ ! -f "$BUILD/CMakeCache.txt" ] || grep -q 'CMAKE_GENERATOR:INTERNAL=Ninja' "$BUILD/CMakeCache.txt"; }; then
  GENERATOR=(-G Ninja)
fi
start=$(date +%s)
log "building llama.cpp $TAG_USED ($VARIANT) and the JNI library with $JOBS jobs in $BUILD (takes minutes the first time)"
cmake -S "$ROOT/native" -B "$BUILD" "${GENERATOR[@]}" -C "$VARIANT_FILE" \
  -DCMAKE_C_COMPILER="$CC_BIN" -DCMAKE_CXX_COMPILER="$CXX_BIN" \
  -DMINILLM_LLAMA_SOURCE="$SRC" -DMINILLM_LLAMA_TAG="$TAG_USED" -DMINILLM_LLAMA_COMMIT="$COMMIT" \
  -DMINILLM_VARIANT="$VARIANT" -DMINILLM_JAVA_HOME="$JAVA_HOME" >"$BUILD.configure.log" 2>&1 \
  || { tail -30 "$BUILD.configure.log" >&2; die "cmake configure failed (full log: $BUILD.configure.log)"; }
TARGETS=(minillm_jni)
grep -q '^GGML_RPC:BOOL=ON' "$BUILD/CMakeCache.txt" && TARGETS+=(rpc-server)
if grep -q '^GGML_BACKEND_DL:BOOL=ON' "$BUILD/CMakeCache.txt"; then
  # Loadable backends are not dependencies of libllama: name each one (ggml-cpu-*, ggml-cuda, ...).
  while read -r t; do TARGETS+=("$t"); done < <(cmake --build "$BUILD" --target help 2>/dev/null \
    | sed -n 's/^[. ]*\(ggml-[a-z0-9_-]*\)[: ].*/\1/p' | grep -vE '^ggml-(base|rpc-server)?$' | sort -u)
fi
cmake --build "$BUILD" --parallel "$JOBS" --target "${TARGETS[@]}" >"$BUILD.build.log" 2>&1 \
  || { grep -E 'error|Error' "$BUILD.build.log" | head -20 >&2; die "build failed (full log: $BUILD.build.log)"; }
echo "$CONFIG_KEY" > "$BUILD/.minillm-config"
seconds=$(( $(date +%s) - start ))

rm -rf "$OUT.tmp"; mkdir -p "$OUT.tmp"
cp -a "$BUILD/out/." "$OUT.tmp/"
# llama.cpp puts its own libraries in bin/; all of them go beside the JNI library ($ORIGIN).
if [ -d "$BUILD/bin" ]; then cp -a "$BUILD/bin/." "$OUT.tmp/"; fi
{
  echo "variant=$VARIANT"
  echo "llama_tag=$TAG_USED"
  echo "llama_commit=$COMMIT"
  echo "key=$KEY"
  echo "compiler=$COMPILER_ID"
  echo "build_seconds=$seconds"
  echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$OUT.tmp/build-info.properties"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
log "built $VARIANT in ${seconds}s: $OUT"
link_into_target
echo "$OUT"
