# Settings every variant shares (cache preload, included by each variant file).
set(CMAKE_BUILD_TYPE Release CACHE STRING "")
# The RPC backend is always compiled in (a client of remote rpc-server workers; cheap to build).
set(GGML_RPC ON CACHE BOOL "")
set(GGML_OPENMP ON CACHE BOOL "")
