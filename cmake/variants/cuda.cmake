# NVIDIA GPUs (needs the CUDA toolkit, nvcc). CPU part tuned for the build machine.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE ON CACHE BOOL "")
set(GGML_CUDA ON CACHE BOOL "")
