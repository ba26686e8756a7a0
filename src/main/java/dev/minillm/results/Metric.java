package dev.minillm.results;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every figure a cell result carries, by its JSON name, with its unit and which way is better. The
 * one list the bench writes metrics from and the table, the charts, the HTML highlighting and the
 * audit read: a new figure is added here and nowhere else decides its name or direction.
 */
public enum Metric {
    // Per-repetition statistics, in metrics.<key> (Stat), in the order they are written.
    LOAD_COLD_MS("load_cold_ms", "cold load", "ms", Better.LOWER, Kind.REPETITION),
    LOAD_WARM_MS("load_warm_ms", "warm load", "ms", Better.LOWER, Kind.REPETITION),
    MODEL_LOAD_COLD_MS("model_load_cold_ms", "model load, cold", "ms", Better.LOWER, Kind.REPETITION),
    MODEL_LOAD_WARM_MS("model_load_warm_ms", "model load, warm", "ms", Better.LOWER, Kind.REPETITION),
    CONTEXT_INIT_COLD_MS("context_init_cold_ms", "context init, cold", "ms", Better.LOWER, Kind.REPETITION),
    CONTEXT_INIT_WARM_MS("context_init_warm_ms", "context init, warm", "ms", Better.LOWER, Kind.REPETITION),
    TTFT_MS("ttft_ms", "TTFT", "ms", Better.LOWER, Kind.REPETITION),
    PROMPT_TOKENS("prompt_tokens", "prompt tokens", "tokens", Better.NEITHER, Kind.REPETITION),
    PROMPT_TPS("prompt_tps", "prompt tok/s", "tok/s", Better.HIGHER, Kind.REPETITION),
    GEN_TOKENS("gen_tokens", "generated tokens", "tokens", Better.NEITHER, Kind.REPETITION),
    DECODE_TPS("decode_tps", "decode tok/s", "tok/s", Better.HIGHER, Kind.REPETITION),
    ITL_P50_MS("itl_p50_ms", "inter-token latency p50", "ms", Better.LOWER, Kind.REPETITION),
    ITL_P90_MS("itl_p90_ms", "inter-token latency p90", "ms", Better.LOWER, Kind.REPETITION),
    ITL_P99_MS("itl_p99_ms", "inter-token latency p99", "ms", Better.LOWER, Kind.REPETITION),
    TOTAL_MS("total_ms", "generation time", "ms", Better.LOWER, Kind.REPETITION),
    RSS_AFTER_LOAD_BYTES("rss_after_load_bytes", "RSS after load", "bytes", Better.LOWER, Kind.REPETITION),
    RSS_AFTER_GEN_BYTES("rss_after_gen_bytes", "RSS after generation", "bytes", Better.LOWER, Kind.REPETITION),
    PEAK_RSS_BYTES("peak_rss_bytes", "peak RSS", "bytes", Better.LOWER, Kind.REPETITION),
    PEAK_RSS_SAMPLED_BYTES("peak_rss_sampled_bytes", "peak RSS (5 ms sampler)", "bytes", Better.LOWER, Kind.REPETITION),
    PEAK_RSS_KERNEL_BYTES("peak_rss_kernel_bytes", "peak RSS (VmHWM)", "bytes", Better.LOWER, Kind.REPETITION),
    NATIVE_PROMPT_TPS("native_prompt_tps", "prompt tok/s, llama.cpp's timing", "tok/s", Better.HIGHER, Kind.REPETITION),
    NATIVE_DECODE_TPS("native_decode_tps", "decode tok/s, llama.cpp's timing", "tok/s", Better.HIGHER, Kind.REPETITION),
    WRAPPER_DECODE_TPS("wrapper_decode_tps", "decode tok/s, java-llama.cpp wrapper", "tok/s", Better.HIGHER, Kind.REPETITION),

    // llama-bench tests (tests[].tps) and the context ladder (ladder[]).
    TEST_TPS("tps", "tok/s", "tok/s", Better.HIGHER, Kind.TEST),

    // Figures of the file and of quality, one value per cell.
    FILE_SIZE_BYTES("file_size_bytes", "size", "bytes", Better.LOWER, Kind.FIGURE),
    BITS_PER_WEIGHT("bits_per_weight", "bits per weight", "bits", Better.NEITHER, Kind.FIGURE),
    PPL("ppl", "perplexity", "", Better.LOWER, Kind.FIGURE),
    DELTA_PPL("delta_ppl", "ΔPPL", "", Better.LOWER, Kind.FIGURE),
    KLD_MEAN("kld_mean", "KLD mean", "nats", Better.LOWER, Kind.FIGURE),
    KLD_P99("kld_p99", "KLD p99", "nats", Better.LOWER, Kind.FIGURE),
    TOP1_AGREEMENT("top1_agreement", "top-1 agreement", "fraction", Better.HIGHER, Kind.FIGURE),
    HALLUCINATION_ACCURACY("hallucination_accuracy", "hallucination test accuracy", "fraction", Better.HIGHER, Kind.FIGURE),
    HALLUCINATION_RATE("hallucination_rate", "hallucination rate", "fraction", Better.LOWER, Kind.FIGURE),
    FACTS_LIKELIHOOD("facts_likelihood", "facts by likelihood", "fraction", Better.HIGHER, Kind.FIGURE),
    TASK_ACCURACY("task_accuracy", "multiple-choice accuracy", "fraction", Better.HIGHER, Kind.FIGURE),
    WEIGHT_FIDELITY_COSINE("weight_fidelity_cosine", "weight fidelity (cosine)", "", Better.HIGHER, Kind.FIGURE),

    // Computed by the report from the figures above and the machine's measured bandwidth.
    ROOFLINE_FRACTION("decode_fraction_of_roofline", "decode, % of roofline", "%", Better.HIGHER, Kind.DERIVED),
    PROMPT_GFLOPS("prompt_gflops", "prompt GFLOP/s", "GFLOP/s", Better.HIGHER, Kind.DERIVED);

    /** Which way a figure improves; NEITHER for counts that describe the workload. */
    public enum Better { HIGHER, LOWER, NEITHER }

    /** Where a figure lives in the result. */
    public enum Kind { REPETITION, TEST, FIGURE, DERIVED }

    public final String key;
    /** Short lower-case name for messages ("decode tok/s"). */
    public final String shortName;
    public final String unit;
    public final Better better;
    public final Kind kind;

    Metric(String key, String shortName, String unit, Better better, Kind kind) {
        this.key = key;
        this.shortName = shortName;
        this.unit = unit;
        this.better = better;
        this.kind = kind;
    }

    public boolean higherIsBetter() {
        return better == Better.HIGHER;
    }

    private static final Map<String, Metric> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(m -> m.key, Function.identity()));

    /** The metric of a JSON name, or null for a name this version does not know. */
    public static Metric byKey(String key) {
        return BY_KEY.get(key);
    }

    /** The per-repetition metrics in writing order. */
    public static List<Metric> repetitionMetrics() {
        return Arrays.stream(values()).filter(m -> m.kind == Kind.REPETITION).toList();
    }

    /** The metrics whose spread the audit holds to the CV limit: the speed figures a person compares. */
    public static final List<Metric> CV_AUDITED = List.of(DECODE_TPS, PROMPT_TPS, TTFT_MS);
}
