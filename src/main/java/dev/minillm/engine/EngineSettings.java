package dev.minillm.engine;

import dev.minillm.gguf.GgmlType;

/**
 * How a model is loaded and run. {@code gpuLayers} 0 is the pure-CPU baseline; a large value
 * offloads every layer when the native build has a GPU backend.
 *
 * @param batch      logical batch: tokens per llama_decode call
 * @param ubatch     physical batch: tokens per compute graph, at most {@code batch}
 * @param cacheTypeK KV cache element type of K, llama.cpp's name (f16, q8_0, q4_0, ...)
 * @param cacheTypeV KV cache element type of V; a quantized V cache needs flash attention
 * @param flashAttn  flash attention on
 * @param cpuOnly    no GPU or RPC device at all, not even for work llama.cpp moves to one by itself (a
 *                   GPU build offloads large prompt batches even at 0 layers, as llama-bench's -ngl 0 does)
 */
public record EngineSettings(int threads, int ctx, int batch, int ubatch, String cacheTypeK, String cacheTypeV,
                             boolean flashAttn, int gpuLayers, boolean verbose, boolean cpuOnly) {
    public static final int ALL_LAYERS = 999;
    /** The smallest context llama.cpp is asked for; commands check their own, larger minimums first. */
    public static final int MIN_CTX = 8;

    /** 0 layers is the pure-CPU baseline. */
    public EngineSettings(int threads, int ctx, int batch, int ubatch, String cacheTypeK, String cacheTypeV,
                          boolean flashAttn, int gpuLayers, boolean verbose) {
        this(threads, ctx, batch, ubatch, cacheTypeK, cacheTypeV, flashAttn, gpuLayers, verbose, gpuLayers == 0);
    }

    /** The defaults llama.cpp's own tools use for what is not given: ubatch up to 512, f16 cache, no flash attention. */
    public EngineSettings(int threads, int ctx, int batch, int gpuLayers, boolean verbose) {
        this(threads, ctx, batch, Math.min(batch, 512), KvCacheTypes.DEFAULT, KvCacheTypes.DEFAULT, false, gpuLayers, verbose);
    }

    public EngineSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (ctx < MIN_CTX) {
            throw new IllegalArgumentException("ctx must be >= 8");
        }
        if (batch < 1 || ubatch < 1) {
            throw new IllegalArgumentException("batch and ubatch must be >= 1");
        }
        cacheType(cacheTypeK);
        cacheType(cacheTypeV);
    }

    /** The ggml type of a cache type name (one of {@link KvCacheTypes#ALLOWED}). */
    public static GgmlType cacheType(String name) {
        return KvCacheTypes.parse("cache type", name);
    }

    /** True for llama.cpp's default cache: f16 K and V without flash attention. */
    public boolean defaultKvCache() {
        return KvCacheTypes.DEFAULT.equals(cacheTypeK) && KvCacheTypes.DEFAULT.equals(cacheTypeV) && !flashAttn;
    }
}
