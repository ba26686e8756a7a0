package dev.minillm.engine;

import dev.minillm.gguf.GgmlType;

/**
 * How a model is loaded and run. {@code gpuLayers} 0 is the pure-CPU baseline; a large value
 * offloads every layer when the engine has a GPU backend.
 *
 * @param ubatch     physical batch size; 0 = min(batch, 512), llama.cpp's default
 * @param cacheTypeK K cache type ("f16", "q8_0", ...); null = llama.cpp's default (f16)
 * @param cacheTypeV V cache type; null = default
 * @param flashAttn  "auto", "on" or "off"; null = llama.cpp's default
 */
public record EngineSettings(int threads, int ctx, int batch, int ubatch, int gpuLayers, String cacheTypeK,
                             String cacheTypeV, String flashAttn, boolean verbose) {
    public static final int ALL_LAYERS = 999;

    public EngineSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (ctx < 8) {
            throw new IllegalArgumentException("ctx must be >= 8");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
        if (ubatch < 0) {
            throw new IllegalArgumentException("ubatch must be >= 0");
        }
        if (flashAttn != null && !(flashAttn.equals("auto") || flashAttn.equals("on") || flashAttn.equals("off"))) {
            throw new IllegalArgumentException("flash attention must be auto, on or off");
        }
    }

    /** llama.cpp's defaults for everything but threads, context, batch and offload. */
    public EngineSettings(int threads, int ctx, int batch, int gpuLayers, boolean verbose) {
        this(threads, ctx, batch, 0, gpuLayers, null, null, null, verbose);
    }

    public int effectiveUbatch() {
        return ubatch > 0 ? Math.min(ubatch, batch) : Math.min(batch, 512);
    }

    /** The ggml type id of a cache type name, or -1 for the default. */
    public static int cacheTypeId(String name) {
        if (name == null) {
            return -1;
        }
        GgmlType t = GgmlType.fromName(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown cache type '" + name + "'");
        }
        return t.id();
    }

    /** -1 auto, 0 off, 1 on (llama_flash_attn_type); null = auto, llama.cpp's default. */
    public int flashAttnCode() {
        return flashAttn == null || flashAttn.equals("auto") ? -1 : flashAttn.equals("on") ? 1 : 0;
    }
}
