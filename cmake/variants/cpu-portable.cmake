# Portable CPU build for a package that runs on other machines: every x86/ARM CPU variant is
# built as a loadable backend and the best one for the running CPU is picked at start.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(GGML_NATIVE OFF CACHE BOOL "")
set(GGML_BACKEND_DL ON CACHE BOOL "")
set(GGML_CPU_ALL_VARIANTS ON CACHE BOOL "")
