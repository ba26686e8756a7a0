package dev.minillm.engine;

/**
 * How a model is loaded and run. {@code gpuLayers} 0 is the pure-CPU baseline; a large value
 * offloads every layer when the native build has a GPU backend.
 */
public record EngineSettings(int threads, int ctx, int batch, int gpuLayers, boolean verbose) {
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
    }
}
