package dev.minillm.engine;

/** llama.cpp's own counters (llama_perf_context) for the same work, to cross-check ours. */
public record NativePerf(double promptMs, int promptTokens, double evalMs, int evalTokens) {
    public double promptTokensPerSecond() {
        return promptMs > 0 ? promptTokens * 1000.0 / promptMs : 0;
    }

    public double decodeTokensPerSecond() {
        return evalMs > 0 ? evalTokens * 1000.0 / evalMs : 0;
    }
}
