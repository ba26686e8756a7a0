package dev.minillm.report;

import dev.minillm.results.Metric;

/**
 * The rows of the comparison table, in display order. {@code optional} rows are left out of a
 * table when no column has a value (e.g. GPU speedups on a CPU-only machine).
 * Labels containing "F16" are rewritten to the table's actual baseline variant.
 */
public enum Row {
    STATUS("status", "Status", Section.RUN, false, null),
    MACHINE("machine", "Machine", Section.RUN, true, null),
    WEIGHTS("weights", "Weights", Section.RUN, false, null),
    GPU_DEVICE("gpu_device", "Offload device (driver; memory free / total before load)", Section.RUN, true, null),
    GPU_LAYERS("gpu_layers", "Layers offloaded (split)", Section.RUN, true, null),
    SIZE_MIB("size_mib", "Size (MiB)", Section.SIZE, false, Metric.FILE_SIZE_BYTES),
    SIZE_RATIO("size_vs_baseline", "Size vs F16", Section.SIZE, false, null),
    BITS_PER_WEIGHT("bits_per_weight", "Bits per weight", Section.SIZE, true, Metric.BITS_PER_WEIGHT),
    RSS_AFTER_LOAD("rss_after_load_mib", "RAM after load (MiB)", Section.SIZE, false, Metric.RSS_AFTER_LOAD_BYTES),
    RSS_AFTER_GEN("rss_after_gen_mib", "RAM after generation (MiB)", Section.SIZE, false, Metric.RSS_AFTER_GEN_BYTES),
    PEAK_RSS("peak_rss_mib", "Peak RAM (MiB)", Section.SIZE, false, Metric.PEAK_RSS_BYTES),
    GPU_MODEL_MIB("gpu_model_mib", "Weights in device memory (MiB)", Section.SIZE, true, null),
    GPU_KV_MIB("gpu_kv_mib", "KV cache in device memory (MiB)", Section.SIZE, true, null),
    LOAD_COLD("load_cold_ms", "Load time, cold (ms)", Section.SPEED, false, Metric.LOAD_COLD_MS),
    LOAD_WARM("load_warm_ms", "Load time, warm (ms)", Section.SPEED, false, Metric.LOAD_WARM_MS),
    TTFT("ttft_ms", "Time to first token (ms)", Section.SPEED, false, Metric.TTFT_MS),
    PROMPT_TPS("prompt_tps", "Prompt tok/s", Section.SPEED, false, Metric.PROMPT_TPS),
    DECODE_TPS("decode_tps", "Decode tok/s", Section.SPEED, false, Metric.DECODE_TPS),
    NATIVE_DECODE_TPS("native_decode_tps", "Decode tok/s, llama.cpp's own timing", Section.SPEED, true, Metric.NATIVE_DECODE_TPS),
    WRAPPER_DECODE_TPS("wrapper_decode_tps", "Decode tok/s, java-llama.cpp wrapper (the wrapper's figure)", Section.SPEED, true, Metric.WRAPPER_DECODE_TPS),
    ITL_P50("itl_p50_ms", "Inter-token latency p50 (ms)", Section.SPEED, true, Metric.ITL_P50_MS),
    ITL_P99("itl_p99_ms", "Inter-token latency p99 (ms)", Section.SPEED, true, Metric.ITL_P99_MS),
    DECODE_SPEEDUP_BASELINE("decode_speedup_vs_baseline", "Decode speedup vs F16 (same backend)", Section.SPEED, false, null),
    PROMPT_SPEEDUP_BASELINE("prompt_speedup_vs_baseline", "Prompt speedup vs F16 (same backend)", Section.SPEED, false, null),
    DECODE_SPEEDUP_CPU("decode_speedup_vs_cpu", "Decode speedup vs CPU (same variant)", Section.SPEED, true, null),
    PROMPT_SPEEDUP_CPU("prompt_speedup_vs_cpu", "Prompt speedup vs CPU (same variant)", Section.SPEED, true, null),
    DECODE_SPEEDUP_BUNDLED("decode_speedup_vs_bundled", "Decode speedup vs bundled b4916 (same variant and backend)", Section.SPEED, true, null),
    PROMPT_SPEEDUP_BUNDLED("prompt_speedup_vs_bundled", "Prompt speedup vs bundled b4916 (same variant and backend)", Section.SPEED, true, null),
    BYTES_PER_TOKEN("bytes_per_token_mib", "Bytes read per token (MiB: weights + KV cache at mean depth)", Section.ROOFLINE, true, null),
    MEMORY_BANDWIDTH("memory_bandwidth_gbs", "Memory read bandwidth (GB/s, measured)", Section.ROOFLINE, true, null),
    ROOFLINE_TPS("roofline_decode_tps", "Roofline decode tok/s (bandwidth ÷ bytes per token)", Section.ROOFLINE, true, null),
    ROOFLINE_FRACTION("decode_fraction_of_roofline", "Decode, % of roofline", Section.ROOFLINE, true, Metric.ROOFLINE_FRACTION),
    DECODE_BOUND("decode_bound", "Decode bound by", Section.ROOFLINE, true, null),
    PROMPT_GFLOPS("prompt_gflops", "Prompt GFLOP/s (2 × params × tok/s)", Section.ROOFLINE, true, Metric.PROMPT_GFLOPS),
    PPL("ppl", "Perplexity (± stderr)", Section.QUALITY, false, Metric.PPL),
    DELTA_PPL("delta_ppl", "ΔPPL vs F16", Section.QUALITY, false, Metric.DELTA_PPL),
    KLD_MEAN("kld_mean", "KLD vs F16, mean", Section.QUALITY, false, Metric.KLD_MEAN),
    KLD_P99("kld_p99", "KLD vs F16, p99", Section.QUALITY, false, Metric.KLD_P99),
    TOP1("top1_agreement", "Top-1 agreement with F16", Section.QUALITY, false, Metric.TOP1_AGREEMENT),
    HALLUCINATION_ACCURACY("hallucination_accuracy", "Hallucination test: accuracy", Section.QUALITY, false, Metric.HALLUCINATION_ACCURACY),
    HALLUCINATION_RATE("hallucination_rate", "Hallucination test: hallucination rate", Section.QUALITY, false, Metric.HALLUCINATION_RATE),
    FACTS_LIKELIHOOD("facts_likelihood", "Facts by likelihood: answer preferred (%)", Section.QUALITY, true, Metric.FACTS_LIKELIHOOD),
    ARC_EASY("arc_easy", "ARC-Easy acc_norm (%, ± stderr)", Section.QUALITY, true, Metric.TASK_ACCURACY),
    ARC_CHALLENGE("arc_challenge", "ARC-Challenge acc_norm (%, ± stderr)", Section.QUALITY, true, Metric.TASK_ACCURACY),
    HELLASWAG("hellaswag", "HellaSwag acc_norm (%, ± stderr)", Section.QUALITY, true, Metric.TASK_ACCURACY),
    PIQA("piqa", "PIQA acc_norm (%, ± stderr)", Section.QUALITY, true, Metric.TASK_ACCURACY),
    WINOGRANDE("winogrande", "WinoGrande acc (%, ± stderr)", Section.QUALITY, true, Metric.TASK_ACCURACY),
    WEIGHT_FIDELITY("weight_fidelity", "Weight fidelity vs F16 (cosine)", Section.QUALITY, true, Metric.WEIGHT_FIDELITY_COSINE),
    PARETO("pareto", "On the size/quality Pareto front", Section.QUALITY, true, null);

    /** Groups of rows, shown as sub-headings. */
    public enum Section {
        RUN("Run"), SIZE("Size and memory"), SPEED("Speed"), ROOFLINE("Roofline"), QUALITY("Quality");

        public final String title;

        Section(String title) {
            this.title = title;
        }
    }

    public final String key;
    private final String label;
    public final Section section;
    public final boolean optional;

    /** The figure this row shows, from the one registry of names and directions; null for rows that are no figure. */
    public final Metric metric;

    Row(String key, String label, Section section, boolean optional, Metric metric) {
        this.key = key;
        this.metric = metric;
        this.label = label;
        this.section = section;
        this.optional = optional;
    }

    public String label(String baselineVariant) {
        return label.replace("F16", baselineVariant);
    }
}
