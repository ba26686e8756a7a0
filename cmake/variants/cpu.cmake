# CPU build tuned for the build machine's instruction set (AVX-512, VNNI, ... when present).
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE ON CACHE BOOL "")
