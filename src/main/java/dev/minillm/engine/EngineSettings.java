package dev.minillm.engine;

/**
 * How a model is loaded and run. {@code gpuLayers} 0 is the pure-CPU baseline; a large value
 * offloads every layer when the native build has a GPU backend.
 */
public record EngineSettings(int threads, int ctx, int batch, int gpuLayers, boolean verbose) {
    public static final int ALL_LAYERS = 999;
    /** The smallest context llama.cpp is asked for; commands check their own, larger minimums first. */
    public static final int MIN_CTX = 8;

    public EngineSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (ctx < MIN_CTX) {
            throw new IllegalArgumentException("ctx must be >= 8");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
    }
}
