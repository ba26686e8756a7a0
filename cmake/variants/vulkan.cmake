# GPUs through Vulkan (needs the Vulkan headers/loader and glslc).
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE ON CACHE BOOL "")
set(GGML_VULKAN ON CACHE BOOL "")
