package dev.minillm.engine.gpu;

/**
 * The GPU and RPC part of minillm's native library (native/minillm_gpu.cpp). Every call returns
 * JSON text, parsed by {@link GpuFacts}, so no ggml struct layout is known on the Java side. The
 * library must already be loaded (by the native engine) before any method is called.
 */
public final class GpuNative {
    private GpuNative() {
    }

    /** Every ggml backend device: name, type, backend, memory free/total, driver and runtime. */
    static native String devices();

    /** Whether the build has llama.cpp's RPC backend. */
    static native boolean supportsRpc();

    /** Connects to one rpc-server and registers its devices; the JSON array of them, or {"error": ...}. */
    static native String addRpcServer(String endpoint);

    /** Serves this process's devices to RPC clients; returns only on an error, as its reason. */
    static native String serveRpc(String endpoint, int threads, String deviceNames, String cacheDir);

    /** Starts recording where llama.cpp places each layer (its load log); call before loading a model. */
    static native void beginPlacementCapture();

    /** {"layers": [device of layer 0, ..., device of the output layer]} since {@link #beginPlacementCapture}. */
    static native String endPlacementCapture();

    /** Per buffer type of a llama_context: model, context (KV cache) and compute bytes, with its device; null if unsupported. */
    static native String memoryBreakdown(long llamaContext);
}
