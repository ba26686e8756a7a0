# Adds llama.cpp (and ggml) from MINILLM_LLAMA_SOURCE as a subproject of the JNI build, with only
# the libraries minillm needs. The variant's choices (CPU flavour, CUDA, Metal, Vulkan, BLAS) come
# from the cache preload file cmake/variants/<variant>.cmake that the build script passes with -C.
if(NOT MINILLM_LLAMA_SOURCE OR NOT EXISTS "${MINILLM_LLAMA_SOURCE}/include/llama.h")
  message(FATAL_ERROR "MINILLM_LLAMA_SOURCE must name a llama.cpp source tree (got '${MINILLM_LLAMA_SOURCE}')")
endif()

# Shared libraries side by side in one folder; each finds the others through $ORIGIN, so the folder
# can be moved (build cache -> target/native/<variant>) without breaking the links.
set(BUILD_SHARED_LIBS ON CACHE BOOL "" FORCE)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_BUILD_RPATH_USE_ORIGIN ON)
set(CMAKE_BUILD_RPATH "$ORIGIN")
set(CMAKE_INSTALL_RPATH "$ORIGIN")
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/out")
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/out")

# Nothing of llama.cpp's own programs except rpc-server (the RPC backend's worker). Its common
# library is built for llama.cpp's own speculative decoding (native/minillm_spec.cpp); only the
# targets the JNI library links are compiled (EXCLUDE_FROM_ALL below).
set(LLAMA_BUILD_COMMON ON CACHE BOOL "" FORCE)
set(LLAMA_SUBPROCESS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TESTS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_TOOLS OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_EXAMPLES OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_SERVER OFF CACHE BOOL "" FORCE)
set(LLAMA_BUILD_APP OFF CACHE BOOL "" FORCE)
set(LLAMA_CURL OFF CACHE BOOL "" FORCE)
set(LLAMA_OPENSSL OFF CACHE BOOL "" FORCE)
set(LLAMA_ALL_WARNINGS OFF CACHE BOOL "" FORCE)
if(MINILLM_LLAMA_COMMIT)
  set(LLAMA_BUILD_COMMIT "${MINILLM_LLAMA_COMMIT}" CACHE STRING "" FORCE)
endif()

add_subdirectory("${MINILLM_LLAMA_SOURCE}" llama.cpp EXCLUDE_FROM_ALL)

if(GGML_RPC AND EXISTS "${MINILLM_LLAMA_SOURCE}/tools/rpc/rpc-server.cpp")
  # llama.cpp builds its rpc-server only together with all its tools; build the one program here.
  add_executable(rpc-server "${MINILLM_LLAMA_SOURCE}/tools/rpc/rpc-server.cpp")
  target_link_libraries(rpc-server PRIVATE ggml)
  target_compile_features(rpc-server PRIVATE cxx_std_17)
endif()
