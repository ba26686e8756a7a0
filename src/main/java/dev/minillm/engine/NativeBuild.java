package dev.minillm.engine;

import com.sun.jna.Pointer;
import dev.minillm.nativelib.LlamaLibrary;

/** Facts about the bundled llama.cpp build: its version, CPU features and whether it can offload to a GPU. */
public final class NativeBuild {
    /** The llama.cpp build java-llama.cpp 4.2.0 bundles. */
    public static final String BUILD = "b4916";

    private NativeBuild() {
    }

    /** llama.cpp's feature line ("CPU : SSE3 = 1 | AVX2 = 1 | ..."). */
    public static String systemInfo() {
        LlamaLibrary.load();
        return LlamaLibrary.llama_print_system_info();
    }

    /**
     * Name and description of the first GPU device when the build can offload layers to it, else
     * null: both llama.cpp's offload support flag and a device of type GPU are required.
     */
    public static String gpuBackend() {
        LlamaLibrary.load();
        if (LlamaLibrary.llama_supports_gpu_offload() == 0) {
            return null;
        }
        long n = LlamaLibrary.ggml_backend_dev_count();
        for (long i = 0; i < n; i++) {
            Pointer dev = LlamaLibrary.ggml_backend_dev_get(i);
            if (dev != null && LlamaLibrary.ggml_backend_dev_type(dev) == 1) {
                return LlamaLibrary.ggml_backend_dev_name(dev) + " (" + LlamaLibrary.ggml_backend_dev_description(dev) + ")";
            }
        }
        return null;
    }

    /** Why GPU cells cannot run on this build/machine, or null when they can. */
    public static String gpuUnavailableReason() {
        LlamaLibrary.load();
        if (LlamaLibrary.llama_supports_gpu_offload() == 0) {
            return "the bundled llama.cpp " + BUILD + " has no GPU backend (CPU-only build: llama_supports_gpu_offload() = false)";
        }
        if (gpuBackend() == null) {
            return "llama.cpp " + BUILD + " found no GPU device (no ggml backend device of type GPU)";
        }
        return null;
    }
}
