#!/usr/bin/env bash
# GPU smoke check for a Linux machine with an NVIDIA card: builds the native engine's CUDA variant
# for this card's architecture only (one architecture keeps the CUDA build short), benchmarks the
# synthetic qwen2.5-0.5b family on the CPU and on the GPU with few repetitions, and prints the
# comparison table. Sized for under 8 minutes on a 16-core machine with one GPU.
#
#   bash scripts/gpu-check.sh [--out DIR] [--quant LIST] [--repetitions N]
#
# Needs: an NVIDIA driver (nvidia-smi), the CUDA toolkit with cuBLAS (nvcc, cublas_v2.h), cmake,
# a C++ compiler, Java 17 and Maven. Every step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

out="results-gpu-check"
quant="q8_0,q4_k_m"
reps=2
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "gpu-check: --out needs a folder" >&2; exit 2; }; out="$2"; shift 2 ;;
    --quant) [ $# -ge 2 ] || { echo "gpu-check: --quant needs a list" >&2; exit 2; }; quant="$2"; shift 2 ;;
    --repetitions) [ $# -ge 2 ] || { echo "gpu-check: --repetitions needs a number" >&2; exit 2; }; reps="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "gpu-check: $*" >&2; exit 2; }
step() { echo "gpu-check: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

command -v nvidia-smi >/dev/null 2>&1 || die "nvidia-smi not found: this check needs an NVIDIA GPU and its driver"
gpu_line=$(nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>/dev/null | head -1) || true
[ -n "$gpu_line" ] || die "nvidia-smi found no GPU"
cap=$(echo "$gpu_line" | awk -F', *' '{print $4}')
arch=${cap/./}
[[ "$arch" =~ ^[0-9]+$ ]] || die "cannot read the GPU's compute capability from nvidia-smi ('$gpu_line')"
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
command -v nvcc >/dev/null 2>&1 || die "nvcc not found: install the CUDA toolkit (with cuBLAS)"
step "GPU: $gpu_line (building for CUDA architecture $arch only)"
step "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) logical cores)"

t0=$(date +%s)
t=$(date +%s)
bash scripts/build-native.sh --cuda --cuda-arch "$arch" >/dev/null
step "native CUDA build: $(elapsed "$t")"

t=$(date +%s)
[ -f target/minillm.jar ] || mvn -B -q package -DskipTests
step "jar: $(elapsed "$t")"

# The synthetic family is prepared (once) under the output folder, so models already downloaded
# under models/ are not part of this check.
t=$(date +%s)
rc=0
java -jar target/minillm.jar bench --engine target/native/cuda --backend cpu,gpu --model-dir "$out/models" --quant "$quant" \
  --repetitions "$reps" --warmup 1 --out "$out" || rc=$?
step "bench: $(elapsed "$t"); total $(elapsed "$t0"); results in $out/raw, report in $out/tables/report.html"
exit "$rc"
