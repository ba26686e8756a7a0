# Apple GPUs through Metal (macOS). The Metal library is embedded in the build.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE ON CACHE BOOL "")
set(GGML_METAL ON CACHE BOOL "")
set(GGML_METAL_EMBED_LIBRARY ON CACHE BOOL "")
