package dev.minillm.report;

import dev.minillm.results.Stat;

/**
 * The memory-bandwidth roofline of a cell: decoding one token reads every weight once plus the KV
 * cache up to the current depth, so decode cannot beat bandwidth ÷ bytes per token. Computed from
 * the cell's own records (model_info.decode_traffic, hardware.memory_bandwidth); null where a part
 * is missing.
 */
public final class Roofline {
    /**
     * Below this many bytes per token the weights can stay in the CPU caches: the DRAM roofline is
     * not the limit, per-token fixed costs (graph, thread hand-offs, sampling) are.
     */
    public static final double CACHE_RESIDENT_BYTES = 32.0 * 1024 * 1024;
    /** At or above this fraction of the roofline a cell counts as memory-bandwidth-bound. */
    public static final double MEMORY_BOUND_FRACTION = 0.6;

    private Roofline() {
    }

    /** The mean KV depth of a decoded token: prompt tokens per prompt + half the generated ones. */
    static Double meanDepth(CellResult c) {
        Stat prompt = c.metric("prompt_tokens");
        Stat gen = c.metric("gen_tokens");
        Integer prompts = (c.settings() == null ? null : Integer.valueOf(c.settings().promptCount()));
        int n = prompts == null || prompts < 1 ? 1 : prompts;
        Integer nPredict = (c.settings() == null ? null : Integer.valueOf(c.settings().nPredict()));
        double generated = gen != null ? gen.mean() / n : nPredict != null ? nPredict : 0;
        return prompt == null ? null : prompt.mean() / n + generated / 2.0;
    }

    /** Bytes one decoded token reads at the cell's mean depth, or null. */
    public static Double bytesPerToken(CellResult c) {
        dev.minillm.results.ModelInfo mi = c.modelInfo();
        if (mi == null || mi.weightBytesPerToken() == null || mi.weightBytesPerToken() <= 0) {
            return null;
        }
        Double depth = meanDepth(c);
        long kv = mi.kvBytesPerPosition() == null ? 0 : mi.kvBytesPerPosition();
        return mi.weightBytesPerToken() + kv * (depth == null ? 0 : depth);
    }

    /** The machine's measured read bandwidth (bytes/s) recorded with the cell, or null. */
    public static Double bandwidth(CellResult c) {
        Double b = c.hardware() == null ? null : c.hardware().bandwidthBytesPerS();
        return b == null || b <= 0 ? null : b;
    }

    /** Roofline decode tok/s: bandwidth ÷ bytes per token. */
    public static Double decodeTps(CellResult c) {
        Double bytes = bytesPerToken(c);
        Double bw = bandwidth(c);
        return bytes == null || bw == null ? null : bw / bytes;
    }

    /** Measured decode as a fraction of the roofline (mean, and the stddev scaled alike). */
    public static Figure fraction(CellResult c) {
        Double roof = decodeTps(c);
        Stat decode = c.metric("decode_tps");
        if (roof == null || decode == null) {
            return Figure.missing();
        }
        return new Figure(Figure.Kind.PERCENT, decode.mean() / roof, decode.stddev() == null ? null : decode.stddev() / roof,
                null, null, false);
    }

    /** Achieved prompt FLOP/s in GFLOP/s: 2 × parameters × prompt tok/s (one multiply-add per weight per token). */
    public static Figure promptGflops(CellResult c) {
        Long params = c.modelInfo() == null ? null : c.modelInfo().nParams();
        Stat prompt = c.metric("prompt_tps");
        if (params == null || params <= 0 || prompt == null) {
            return Figure.missing();
        }
        return Figure.of(prompt.scaled(2.0 * params / 1e9));
    }

    /** What limits decode: "memory bandwidth", "overhead", "cache-resident" or "compute or overhead". */
    public static String bound(CellResult c) {
        Double bytes = bytesPerToken(c);
        Figure f = fraction(c);
        if (bytes == null || f.value() == null) {
            return null;
        }
        if (bytes < CACHE_RESIDENT_BYTES) {
            return f.value() >= 1.0 ? "cache-resident" : "overhead";
        }
        return f.value() >= MEMORY_BOUND_FRACTION ? "memory bandwidth" : "compute or overhead";
    }

    /** True when decode exceeds the roofline beyond noise although the weights cannot stay in cache. */
    public static boolean exceeded(CellResult c) {
        Double roof = decodeTps(c);
        Double bytes = bytesPerToken(c);
        Stat decode = c.metric("decode_tps");
        return roof != null && decode != null && bytes >= CACHE_RESIDENT_BYTES
                && Noise.compare(decode.mean(), decode.stddev(), roof, null, true) > 0;
    }
}
