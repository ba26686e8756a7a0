# CPU build with prompt processing through a BLAS library (OpenBLAS by default).
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE ON CACHE BOOL "")
set(GGML_BLAS ON CACHE BOOL "")
set(GGML_BLAS_VENDOR OpenBLAS CACHE STRING "")
