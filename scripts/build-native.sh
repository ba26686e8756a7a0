#!/usr/bin/env bash
# Builds minillm's native engine: llama.cpp at the pinned release (native/llama.cpp.pin) plus
# minillm's JNI library (native/), for one variant:
#
#   bash scripts/build-native.sh                # CPU, tuned for this machine (default)
#   bash scripts/build-native.sh --portable     # CPU, every CPU variant, best picked at run time
#   bash scripts/build-native.sh --cuda | --metal | --vulkan | --blas
#   bash scripts/build-native.sh --cuda --cuda-arch 89   # one GPU architecture only (a shorter build)
#   bash scripts/build-native.sh --vulkan-prebuilt     # Linux x86_64: llama.cpp's prebuilt Vulkan libraries (npm)
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
CUDA_ARCH=""
JOBS="$(nproc 2>/dev/null || echo 2)"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; }
die() { echo "build-native.sh: $*" >&2; exit 2; }
log() { echo "build-native.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) VARIANT=cpu ;;
    --portable) VARIANT=cpu-portable ;;
    --cuda) VARIANT=cuda ;;
    --cuda-arch) shift; [ $# -gt 0 ] || die "--cuda-arch needs a compute capability, e.g. 89"; CUDA_ARCH="$1" ;;
    --metal) VARIANT=metal ;;
    --vulkan) VARIANT=vulkan ;;
    --vulkan-prebuilt) VARIANT=vulkan-prebuilt ;;
    --blas) VARIANT=blas ;;
    --jobs) shift; [ $# -gt 0 ] || die "--jobs needs a number"; JOBS="$1" ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option '$1'" ;;
  esac
  shift
done
VARIANT_FILE="$ROOT/cmake/variants/$VARIANT.cmake"
[ -f "$VARIANT_FILE" ] || [ "$VARIANT" = vulkan-prebuilt ] || die "no variant file $VARIANT_FILE"
if [ -n "$CUDA_ARCH" ]; then
  [ "$VARIANT" = cuda ] || die "--cuda-arch goes with --cuda"
  [[ "$CUDA_ARCH" =~ ^[0-9]+[a-z]?(;[0-9]+[a-z]?)*$ ]] || die "--cuda-arch: '$CUDA_ARCH' is not a compute capability such as 89 or 86;89"
fi

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
  cuda)
    if ! command -v nvcc >/dev/null 2>&1; then
      missing+=("the CUDA toolkit (nvcc) for --cuda")
    else
      # ggml-cuda includes cublas_v2.h in every source and links cuBLAS: a toolkit without it fails late
      cuda_root="$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")"
      ls "$cuda_root"/include/cublas_v2.h "$cuda_root"/targets/*/include/cublas_v2.h /usr/include/cublas_v2.h >/dev/null 2>&1 \
        || missing+=("cuBLAS (cublas_v2.h next to nvcc in $cuda_root; install NVIDIA's full cuda-toolkit or libcublas-dev) for --cuda")
    fi ;;
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

# --- Vulkan headers older than the ones llama.cpp expects -------------------------------------
# The pinned ggml-vulkan.cpp uses VK_EXT_layer_settings (only to configure the validation layer).
# Headers without it (Debian 12 ships 1.3.239) get a copy of the source with that block guarded.
vulkan_core_header() {
  local h
  for h in ${VULKAN_SDK:+"$VULKAN_SDK/include/vulkan/vulkan_core.h"} /usr/include/vulkan/vulkan_core.h /usr/local/include/vulkan/vulkan_core.h; do
    [ -f "$h" ] && { echo "$h"; return 0; }
  done
  return 1
}
PATCHES=""
if [ "$VARIANT" = vulkan ] && VK_HEADER="$(vulkan_core_header)" && ! grep -q 'VK_EXT_layer_settings' "$VK_HEADER"; then
  PATCH="$ROOT/native/patches/vulkan-headers-pre-layer-settings.patch"
  PATCH_ID="$(sha256sum "$PATCH" | cut -c1-12)"
  PSRC="$CACHE/src/llama.cpp-$(basename "$SRC")-vk-$PATCH_ID"
  if [ ! -f "$PSRC/.minillm-complete" ]; then
    rm -rf "$PSRC" "$PSRC.tmp"
    cp -a "$SRC" "$PSRC.tmp"
    rm -f "$PSRC.tmp/.minillm-complete"
    (cd "$PSRC.tmp" && patch -s -p1 < "$PATCH") || { rm -rf "$PSRC.tmp"; die "cannot apply $PATCH to $SRC"; }
    touch "$PSRC.tmp/.minillm-complete"
    mv "$PSRC.tmp" "$PSRC"
  fi
  log "$VK_HEADER is older than VK_EXT_layer_settings ($(sed -n 's/^#define VK_HEADER_VERSION \([0-9]*\).*/1.3.\1/p' "$VK_HEADER")): building from $PSRC (native/patches/$(basename "$PATCH") applied)"
  SRC="$PSRC"
  SRC_ID="$SRC_ID+vk-$PATCH_ID"
  PATCHES="$(basename "$PATCH" .patch)"
fi

# --- cache keys ---------------------------------------------------------------------------------
hash_files() { (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
COMPILER_ID="$("$CXX_BIN" --version 2>/dev/null | head -1)"
# The stamp that marks a finished build (its presence is what "up to date" checks); $1: one extra line.
write_build_info() {
  {
    echo "variant=$VARIANT"
    echo "llama_tag=$TAG_USED"
    echo "llama_commit=$COMMIT"
    echo "key=$KEY"
    echo "compiler=$COMPILER_ID"
    echo "build_seconds=$seconds"
    echo "$1"
    echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } > "$OUT.tmp/build-info.properties"
}

# --- prebuilt llama.cpp (no compile of llama.cpp) ------------------------------------------------
# --vulkan-prebuilt takes llama.cpp's own libraries at the pinned release from the npm package
# node-llama-cpp publishes for it (@node-llama-cpp/linux-x64-vulkan) and compiles only minillm's
# JNI library against them: seconds instead of the Vulkan shader build's hour on a small machine.
if [ "$VARIANT" = vulkan-prebuilt ]; then
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "--vulkan-prebuilt exists for Linux x86_64 only (build from source with --vulkan)"
  command -v npm >/dev/null 2>&1 || die "--vulkan-prebuilt needs npm (to fetch @node-llama-cpp/linux-x64-vulkan)"
  NPM_VERSION="${NPM_PKG##*@}"
  PB_PKG="@node-llama-cpp/linux-x64-vulkan@$NPM_VERSION"
  PB_TGZ="$CACHE/src/node-llama-cpp-linux-x64-vulkan-$NPM_VERSION.tgz"
  if [ ! -f "$PB_TGZ" ]; then
    log "fetching the prebuilt llama.cpp libraries $PB_PKG from npm"
    packed="$(cd "$CACHE/src" && npm pack --silent "$PB_PKG" 2>/dev/null | tail -1)" || die "npm pack $PB_PKG failed"
    [ "$CACHE/src/$packed" = "$PB_TGZ" ] || mv "$CACHE/src/$packed" "$PB_TGZ"
  fi
  PB_ID="$(sha256sum "$PB_TGZ" | cut -c1-16)"
  KEY="$(printf '%s\n' "$SRC_ID" "$VARIANT" "$COMPILER_ID" "$PB_ID" "$(hash_files native)" | sha256sum | cut -c1-16)"
  OUT="$CACHE/native/$VARIANT-$KEY"
  link_prebuilt() { mkdir -p "$ROOT/target/native"; rm -rf "$ROOT/target/native/$VARIANT"; ln -s "$OUT" "$ROOT/target/native/$VARIANT"; }
  if [ -f "$OUT/build-info.properties" ]; then
    log "$VARIANT build is up to date ($OUT)"
    link_prebuilt
    echo "$OUT"
    exit 0
  fi
  start=$(date +%s)
  rm -rf "$OUT.tmp"; mkdir -p "$OUT.tmp/obj"
  tar -xzf "$PB_TGZ" -C "$OUT.tmp/obj" package/bins/linux-x64-vulkan || die "$PB_TGZ holds no bins/linux-x64-vulkan"
  PB_DIR="$OUT.tmp/obj/package/bins/linux-x64-vulkan"
  pb_release="$(sed -n 's/.*"release":"\([^"]*\)".*/\1/p' "$PB_DIR/_nlcBuildMetadata.json")"
  [ "$pb_release" = "$TAG" ] || die "$PB_PKG carries llama.cpp $pb_release, not the pinned $TAG"
  cp -a "$PB_DIR"/lib*.so "$OUT.tmp/"
  rm -f "$OUT.tmp"/libllama-common.so
  LIBLLAMA="$(cd "$OUT.tmp" && ls libllama.*.so | head -1)"; LIBGGML="$(cd "$OUT.tmp" && ls libggml.*.so | head -1)"
  JNI_INC=(-I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux")
  LLAMA_INC=(-I"$SRC/include" -I"$SRC/ggml/include")
  DEFS=(-DMINILLM_LLAMA_TAG="\"$TAG_USED\"" -DMINILLM_LLAMA_COMMIT="\"$COMMIT\"" -DMINILLM_VARIANT="\"$VARIANT\"" -DMINILLM_BACKEND_DL=1)
  # The same API probes native/CMakeLists.txt runs, against the pinned headers the libraries match.
  probe() {
    printf '%s\n' "$2" > "$OUT.tmp/obj/probe.c"
    if "$CC_BIN" -fsyntax-only "${LLAMA_INC[@]}" "$OUT.tmp/obj/probe.c" 2>/dev/null; then DEFS+=(-DMINILLM_HAS_$1=1); fi
  }
  probe LOAD_MODE '#include <llama.h>
int main(void) { struct llama_model_params p; p.load_mode = LLAMA_LOAD_MODE_MMAP; return (int) p.load_mode; }'
  probe FLASH_ATTN_TYPE '#include <llama.h>
int main(void) { struct llama_context_params p; p.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_AUTO; return (int) p.flash_attn_type; }'
  probe MEMORY_API '#include <llama.h>
int main(void) { llama_memory_t (*f)(const struct llama_context *) = llama_get_memory; return f != 0; }'
  probe LLAMA_VERSION '#include <llama.h>
int main(void) { const char * (*f)(void) = llama_version; return f != 0; }'
  probe IGPU '#include <ggml-backend.h>
int main(void) { return (int) GGML_BACKEND_DEVICE_TYPE_IGPU; }'
  probe KV_UNIFIED '#include <llama.h>
int main(void) { struct llama_context_params p; p.kv_unified = 1; return p.kv_unified; }'
  log "compiling the JNI library against the prebuilt $LIBLLAMA"
  "$CC_BIN" -O2 -fPIC -fvisibility=hidden -std=gnu11 -D_GNU_SOURCE "${JNI_INC[@]}" "${LLAMA_INC[@]}" "${DEFS[@]}" \
    -c "$ROOT/native/minillm_jni.c" -o "$OUT.tmp/obj/minillm_jni.o" >&2 || die "compiling native/minillm_jni.c failed"
  "$CXX_BIN" -O2 -fPIC -fvisibility=hidden -std=c++17 "${JNI_INC[@]}" "${LLAMA_INC[@]}" -I"$SRC/src" \
    -c "$ROOT/native/minillm_gpu.cpp" -o "$OUT.tmp/obj/minillm_gpu.o" >&2 || die "compiling native/minillm_gpu.cpp failed"
  "$CXX_BIN" -shared -o "$OUT.tmp/libminillm_jni.so" "$OUT.tmp/obj/minillm_jni.o" "$OUT.tmp/obj/minillm_gpu.o" \
    "$OUT.tmp/$LIBLLAMA" "$OUT.tmp/$LIBGGML" "$OUT.tmp/libggml-base.so" -Wl,-rpath,'$ORIGIN' >&2 || die "linking the JNI library failed"
  rm -rf "$OUT.tmp/obj"
  seconds=$(( $(date +%s) - start ))
  write_build_info "prebuilt=$PB_PKG"
  rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
  log "built $VARIANT in ${seconds}s: $OUT"
  link_prebuilt
  echo "$OUT"
  exit 0
fi

# A native CPU build depends on the build machine's CPU too.
CPU_ID="$(grep -m1 -E '^(model name|flags)' /proc/cpuinfo 2>/dev/null | sha256sum | cut -c1-8 || true)"
# The llama.cpp build tree: one per source, variant, compiler and CPU. Only the CMake files this
# variant reads count for its configuration (another variant's file may change without touching
# it); when they change, the tree is re-configured from scratch and ninja/make rebuild only what
# the new flags affect. The finished output also depends on the JNI sources.
BUILD_ID="$(printf '%s\n' "$SRC_ID" "$VARIANT${CUDA_ARCH:+-sm$CUDA_ARCH}" "$COMPILER_ID" "$CPU_ID" | sha256sum | cut -c1-16)"
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
  -DMINILLM_VARIANT="$VARIANT" -DMINILLM_JAVA_HOME="$JAVA_HOME" ${CUDA_ARCH:+-DCMAKE_CUDA_ARCHITECTURES="$CUDA_ARCH"} >"$BUILD.configure.log" 2>&1 \
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
write_build_info "patches=$PATCHES"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
log "built $VARIANT in ${seconds}s: $OUT"
link_into_target
echo "$OUT"
