#!/usr/bin/env bash
# GPU smoke check for any Linux machine with an NVIDIA card: builds the native engine's CUDA
# variant for this card's architecture only (one architecture keeps the CUDA build short), then
# benchmarks the synthetic qwen2.5-0.5b family on the CPU and on the GPU with few repetitions and
# prints the comparison table. Sized for under 8 minutes on a 16-core machine with one GPU.
#
#   bash scripts/gpu-check.sh [--out DIR] [--quant LIST] [--repetitions N]
#
# Needs: an NVIDIA driver (nvidia-smi), the CUDA toolkit with cuBLAS (nvcc, cublas_v2.h), cmake,
# a C++ compiler, Java 17 and Maven. Every step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

out="results-gpu-check"
quant="f16,q8_0,q4_k_m"
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --quant) quant="$2"; shift 2 ;;
    --repetitions) reps="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "gpu-check: $*" >&2; exit 2; }
step() { echo "gpu-check: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

command -v nvidia-smi >/dev/null 2>&1 || die "nvidia-smi not found: this check needs an NVIDIA GPU and its driver"
gpu_line=$(nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>/dev/null | head -1) \
  || die "nvidia-smi found no GPU"
[ -n "$gpu_line" ] || die "nvidia-smi found no GPU"
cap=$(echo "$gpu_line" | awk -F', *' '{print $4}')
arch=${cap/./}
[[ "$arch" =~ ^[0-9]+$ ]] || die "cannot read the GPU's compute capability from nvidia-smi ('$gpu_line')"
command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ] || die "nvcc not found: install the CUDA toolkit (with cuBLAS)"
step "GPU: $gpu_line (building for CUDA architecture $arch only)"
step "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) logical cores)"

t0=$(date +%s)
t=$(date +%s)
bash scripts/build-native.sh --cuda --cuda-arch "$arch"
step "native CUDA build: $(elapsed "$t")"

t=$(date +%s)
if [ ! -f target/minillm.jar ]; then
  mvn -B -q package -DskipTests
fi
step "jar: $(elapsed "$t")"

# The synthetic family is prepared (once) under its own model directory, so models the person
# has downloaded under models/ are not benchmarked here.
t=$(date +%s)
java -jar target/minillm.jar bench --engine native-cuda --backend cpu,gpu --model-dir "$out/models" --quant "$quant" \
  --repetitions "$reps" --warmup 1 --out "$out" --no-wrapper
step "bench: $(elapsed "$t"); total $(elapsed "$t0"); results in $out/raw, report in $out/tables/report.html"
