package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import dev.minillm.engine.EngineSettings;
import dev.minillm.gguf.DecodeTraffic;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.Session;
import dev.minillm.engine.ModelFacts;
import dev.minillm.engine.Engine;
import dev.minillm.engine.EngineIdentity;
import dev.minillm.engine.Engines;
import dev.minillm.engine.NativePerf;
import dev.minillm.engine.PageCache;
import dev.minillm.engine.WrapperThroughput;
import dev.minillm.metrics.HardwareSnapshot;
import dev.minillm.metrics.RssSampler;
import dev.minillm.metrics.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one cell inside the child JVM. Each repetition is
 * evict from page cache → cold load → close → warm load → greedy generation over every prompt →
 * close; warmup repetitions run the same way and are discarded. Afterwards (unless disabled) the
 * wrapper's decode figure is measured through java-llama.cpp for the same prompts.
 */
public final class CellExecutor {
    /** llama.cpp's own timing may differ from ours by this much before the cell is flagged. */
    public static final double CROSSCHECK_THRESHOLD_PCT = 5.0;

    private CellExecutor() {
    }

    public static ObjectNode run(CellSpec spec) {
        Instant started = Instant.now();
        long wall0 = System.nanoTime();
        StatusChannel.phase("starting");
        Path model = Path.of(spec.modelPath());
        Engine engine = Engines.get(spec.engineOrDefault(), spec.verbose());
        EngineIdentity identity = engine.identity();
        String refusal = engine.refusal(spec.architecture());
        if (refusal != null || ("gpu".equals(spec.backend()) && engine.gpuUnavailableReason() != null)) {
            ObjectNode skipped = CellJson.base(spec, "skipped", refusal != null ? refusal : engine.gpuUnavailableReason());
            CellJson.putEngine(skipped, identity);
            putHarness(skipped.putObject("harness"), started, wall0);
            return skipped;
        }
        HardwareSnapshot hw = snapshot(identity);
        EngineSettings settings = new EngineSettings(spec.threads(), spec.ctx(), spec.batch(), spec.gpuLayers(), spec.verbose());
        if (spec.speculative() != null) {
            ObjectNode doc = SpeculativeCell.run(spec, settings, CellJson.base(spec, "ok", null));
            putHardware(doc.putObject("hardware"), hw);
            putHarness(doc.putObject("harness"), started, wall0);
            return doc;
        }

        List<Map<String, Double>> reps = new ArrayList<>();
        List<PageCache.Eviction> evictions = new ArrayList<>();
        ModelFacts facts = null;
        int[][] promptTokens = null;
        String sampleOutput = null;
        String rssMethod;
        boolean kernelPeakUsable = true;
        try (RssSampler sampler = RssSampler.start()) {
            rssMethod = sampler.method();
            int total = spec.warmup() + spec.repetitions();
            for (int i = 0; i < total; i++) {
                boolean measured = i >= spec.warmup();
                // Short: the phase shares one progress line with the bar.
                String label = measured ? "rep " + (i - spec.warmup() + 1) + "/" + spec.repetitions()
                        : "warmup " + (i + 1) + "/" + spec.warmup();
                Map<String, Double> rep = new LinkedHashMap<>();

                StatusChannel.phase(label + " cold load");
                boolean kernelReset = sampler.resetPeak();
                kernelPeakUsable &= kernelReset;
                PageCache.Eviction ev = PageCache.evict(model);
                long coldLoad;
                long coldCtx;
                try (Session cold = engine.open(model, settings)) {
                    coldLoad = cold.modelLoadNanos();
                    coldCtx = cold.contextInitNanos();
                    if (facts == null) {
                        facts = cold.facts();
                        promptTokens = tokenizeAll(cold, spec);
                    }
                }
                StatusChannel.phase(label + " warm load");
                double residentBeforeWarm = PageCache.residentFraction(model);
                try (Session s = engine.open(model, settings)) {
                    long rssAfterLoad = sampler.sampleNow();
                    injectFault(spec, i);
                    s.resetNativePerf();
                    List<GenerationTiming> gens = new ArrayList<>();
                    for (int k = 0; k < promptTokens.length; k++) {
                        // Per prompt: a long generation still moves the bar and its ETA.
                        StatusChannel.phase(label + " generate " + (k + 1) + "/" + promptTokens.length);
                        gens.add(s.generateGreedy(promptTokens[k], spec.nPredict(), true));
                    }
                    NativePerf np = s.nativePerf();
                    long rssAfterGen = sampler.sampleNow();
                    if (sampleOutput == null) {
                        sampleOutput = s.detokenize(gens.get(0).tokens(), false);
                    }
                    rep.put("load_cold_ms", (coldLoad + coldCtx) / 1e6);
                    rep.put("model_load_cold_ms", coldLoad / 1e6);
                    rep.put("context_init_cold_ms", coldCtx / 1e6);
                    rep.put("resident_fraction_before_cold", ev.residentFractionBefore());
                    rep.put("load_warm_ms", (s.modelLoadNanos() + s.contextInitNanos()) / 1e6);
                    rep.put("model_load_warm_ms", s.modelLoadNanos() / 1e6);
                    rep.put("context_init_warm_ms", s.contextInitNanos() / 1e6);
                    rep.put("resident_fraction_before_warm", residentBeforeWarm);
                    putGeneration(rep, gens);
                    rep.put("rss_after_load_bytes", (double) rssAfterLoad);
                    rep.put("rss_after_gen_bytes", (double) rssAfterGen);
                    rep.put("native_prompt_tps", np.promptTokensPerSecond());
                    rep.put("native_decode_tps", np.decodeTokensPerSecond());
                }
                long sampledPeak = sampler.peakBytes();
                long kernelPeak = kernelReset ? RssSampler.kernelPeakBytes() : -1;
                rep.put("peak_rss_sampled_bytes", (double) sampledPeak);
                rep.put("peak_rss_kernel_bytes", kernelPeak > 0 ? (double) kernelPeak : Double.NaN);
                rep.put("peak_rss_bytes", (double) Math.max(sampledPeak, kernelPeak));
                if (measured) {
                    reps.add(rep);
                    evictions.add(ev);
                }
            }
        }

        // The wrapper figure is java-llama.cpp's own loop: it exists for the bundled engine only.
        if (spec.wrapper() && engine instanceof dev.minillm.engine.BundledEngine) {
            StatusChannel.phase("wrapper decode");
            double[] wrapper = wrapperPerRep(model, settings, spec);
            for (int r = 0; r < reps.size(); r++) {
                reps.get(r).put("wrapper_decode_tps", wrapper[r]);
            }
        }
        JsonNode quality = null;
        if (spec.quality()) {
            StatusChannel.phase("quality");
            quality = QualityHook.run(spec, model);
        }
        StatusChannel.phase("write");

        ObjectNode doc = CellJson.base(spec, "ok", null);
        putModelInfo(doc.putObject("model_info"), spec, model, facts);
        putHardware(doc.putObject("hardware"), hw);
        CellJson.putEngine(doc, identity);
        ObjectNode harness = putHarness(doc.putObject("harness"), started, wall0);
        harness.put("rss_method", rssMethod);
        harness.put("kernel_peak_reset", kernelPeakUsable);

        ObjectNode metrics = doc.putObject("metrics");
        String[] order = {"load_cold_ms", "load_warm_ms", "model_load_cold_ms", "model_load_warm_ms",
                "context_init_cold_ms", "context_init_warm_ms", "ttft_ms", "prompt_tokens", "prompt_tps",
                "gen_tokens", "decode_tps", "itl_p50_ms", "itl_p90_ms", "itl_p99_ms", "total_ms",
                "rss_after_load_bytes", "rss_after_gen_bytes", "peak_rss_bytes", "peak_rss_sampled_bytes",
                "peak_rss_kernel_bytes", "native_prompt_tps", "native_decode_tps", "wrapper_decode_tps"};
        for (String key : order) {
            if (reps.get(0).containsKey(key)) {
                metrics.set(key, CellJson.stat(statOf(reps, key)));
            }
            if (key.equals("load_cold_ms")) {
                metrics.set("cold_load", coldLoadSummary(evictions));
            }
        }
        putCrosscheck(doc.putObject("crosscheck"), reps);
        doc.put("warmup_discarded", spec.warmup());
        ArrayNode repsJson = doc.putArray("repetitions");
        for (int r = 0; r < reps.size(); r++) {
            ObjectNode o = repsJson.addObject();
            o.put("rep", r + 1);
            for (Map.Entry<String, Double> e : reps.get(r).entrySet()) {
                CellJson.num(o, e.getKey(), e.getValue());
            }
        }
        if (quality != null) {
            doc.set("quality", quality);
        }
        ObjectNode sample = doc.putObject("sample");
        sample.put("prompt", spec.prompts().get(0));
        sample.put("output", sampleOutput);
        return doc;
    }

    /** This machine, with the engine's build facts (hardware.native_build stays the llama.cpp build name). */
    static HardwareSnapshot snapshot(EngineIdentity id) {
        String gpu = id.gpuDevices().isEmpty() ? null : String.join("; ", id.gpuDevices());
        String build = "bundled".equals(id.name()) ? id.llamaTag() : id.label();
        return HardwareSnapshot.capture(build, id.systemInfo(), gpu);
    }

    static ObjectNode putHarness(ObjectNode harness, Instant started, long wall0) {
        harness.put("version", Version.get());
        harness.put("started_utc", started.toString());
        harness.put("finished_utc", Instant.now().toString());
        harness.put("wall_seconds", (System.nanoTime() - wall0) / 1e9);
        harness.put("child_pid", ProcessHandle.current().pid());
        return harness;
    }

    static int[][] tokenizeAll(Session s, CellSpec spec) {
        int[][] out = new int[spec.prompts().size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = s.tokenize(spec.prompts().get(k), true, false);
            if (out[k].length == 0) {
                throw new RunFailedException("prompt " + (k + 1) + " tokenizes to nothing");
            }
            if (out[k].length + spec.nPredict() > s.contextSize()) {
                throw new RunFailedException("prompt " + (k + 1) + " (" + out[k].length + " tokens) + --n-predict "
                        + spec.nPredict() + " do not fit --ctx " + s.contextSize());
            }
        }
        return out;
    }

    /** One repetition's generation figures, aggregated over its prompts. */
    private static void putGeneration(Map<String, Double> rep, List<GenerationTiming> gens) {
        double ttftSum = 0;
        long promptTokens = 0;
        long promptNanos = 0;
        long genTokens = 0;
        long totalNanos = 0;
        int gapCount = 0;
        for (GenerationTiming g : gens) {
            gapCount += g.interTokenNanos().length;
        }
        long[] gaps = new long[gapCount];
        int at = 0;
        long gapSum = 0;
        for (GenerationTiming g : gens) {
            ttftSum += g.ttftNanos();
            promptTokens += g.promptTokens();
            promptNanos += g.promptNanos();
            genTokens += g.generatedTokens();
            totalNanos += g.totalNanos();
            for (long gap : g.interTokenNanos()) {
                gaps[at++] = gap;
                gapSum += gap;
            }
        }
        rep.put("ttft_ms", ttftSum / gens.size() / 1e6);
        rep.put("prompt_tokens", (double) promptTokens);
        rep.put("prompt_tps", promptNanos > 0 ? promptTokens * 1e9 / promptNanos : Double.NaN);
        rep.put("gen_tokens", (double) genTokens);
        rep.put("decode_tps", gapSum > 0 ? gapCount * 1e9 / gapSum : Double.NaN);
        rep.put("itl_p50_ms", Stats.percentile(gaps, 50) / 1e6);
        rep.put("itl_p90_ms", Stats.percentile(gaps, 90) / 1e6);
        rep.put("itl_p99_ms", Stats.percentile(gaps, 99) / 1e6);
        rep.put("total_ms", totalNanos / 1e6);
    }

    /**
     * The wrapper's decode tok/s per repetition: every prompt measured through java-llama.cpp, then
     * the harmonic mean over prompts (= total tokens / total time, as every prompt yields the same
     * number of tokens), so it is comparable with our decode_tps.
     */
    private static double[] wrapperPerRep(Path model, EngineSettings settings, CellSpec spec) {
        int reps = spec.repetitions();
        double[] inverseSum = new double[reps];
        for (String prompt : spec.prompts()) {
            double[] tps = WrapperThroughput.measure(model, settings, prompt, spec.nPredict(), spec.warmup(), reps);
            for (int r = 0; r < reps; r++) {
                inverseSum[r] += tps[r] > 0 ? 1.0 / tps[r] : Double.POSITIVE_INFINITY;
            }
        }
        double[] out = new double[reps];
        for (int r = 0; r < reps; r++) {
            out[r] = spec.prompts().size() / inverseSum[r];
        }
        return out;
    }

    private static Stats statOf(List<Map<String, Double>> reps, String key) {
        double[] v = reps.stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).filter(Double::isFinite).toArray();
        return Stats.of(v);
    }

    private static ObjectNode coldLoadSummary(List<PageCache.Eviction> evictions) {
        ObjectNode o = CellJson.MAPPER.createObjectNode();
        PageCache.Eviction first = evictions.get(0);
        o.put("method", first.method());
        o.put("verified", evictions.stream().allMatch(PageCache.Eviction::verified));
        CellJson.num(o, "resident_fraction_before",
                evictions.stream().mapToDouble(PageCache.Eviction::residentFractionBefore).max().orElse(Double.NaN));
        o.put("verified_by", "mincore");
        String note = evictions.stream().map(PageCache.Eviction::note).filter(n -> n != null).findFirst().orElse(null);
        o.put("note", note);
        return o;
    }

    private static void putCrosscheck(ObjectNode o, List<Map<String, Double>> reps) {
        double decode = diffPct(statOf(reps, "decode_tps").mean(), statOf(reps, "native_decode_tps").mean());
        double prompt = diffPct(statOf(reps, "prompt_tps").mean(), statOf(reps, "native_prompt_tps").mean());
        CellJson.num(o, "decode_diff_pct", decode);
        CellJson.num(o, "prompt_diff_pct", prompt);
        o.put("threshold_pct", CROSSCHECK_THRESHOLD_PCT);
        o.put("flagged", Math.abs(decode) > CROSSCHECK_THRESHOLD_PCT || Math.abs(prompt) > CROSSCHECK_THRESHOLD_PCT);
        o.put("against", "llama_perf_context (llama.cpp's own timing of the same decodes)");
    }

    /** Our figure relative to llama.cpp's, in percent (negative: we measured slower). */
    static double diffPct(double ours, double theirs) {
        return theirs > 0 && Double.isFinite(ours) ? (ours - theirs) / theirs * 100.0 : Double.NaN;
    }

    static void putModelInfo(ObjectNode o, CellSpec spec, Path model, ModelFacts f) {
        long size;
        try {
            size = Files.size(model);
        } catch (IOException e) {
            throw new RunFailedException(model + ": cannot read its size: " + e.getMessage(), e);
        }
        o.put("file_size_bytes", size);
        o.put("n_params", f.parameterCount());
        o.put("tensor_bytes", f.tensorBytes());
        CellJson.num(o, "bits_per_weight", f.parameterCount() > 0 ? f.tensorBytes() * 8.0 / f.parameterCount() : Double.NaN);
        o.put("file_type", spec.variant());
        String desc = f.description();
        o.put("architecture", spec.architecture() != null ? spec.architecture()
                : desc.isEmpty() ? null : desc.split(" ")[0]);
        o.put("synthetic", spec.synthetic());
        o.put("n_layers", f.layers());
        o.put("n_embd", f.embedding());
        o.put("n_vocab", f.vocabulary());
        o.put("n_ctx_train", f.contextTrain());
        o.put("description", desc);
        putDecodeTraffic(o, model);
    }

    /**
     * Bytes one decoded token reads (weights, KV cache per position) from the file's tensor sizes:
     * what the report's memory-bandwidth roofline divides by. The KV cache is llama.cpp's default F16.
     */
    static void putDecodeTraffic(ObjectNode modelInfo, Path model) {
        DecodeTraffic t;
        try {
            t = DecodeTraffic.of(GgufFile.open(model), GgmlType.F16, GgmlType.F16);
        } catch (RuntimeException e) {
            return; // the header was validated before the run; a figure we cannot compute is left out
        }
        ObjectNode d = modelInfo.putObject("decode_traffic");
        d.put("weight_bytes_per_token", t.weightBytes());
        d.put("kv_bytes_per_position", t.kvBytesPerPosition());
        d.put("kv_cache_type", t.kvCacheType());
        d.put("method", DecodeTraffic.METHOD);
    }

    static void putHardware(ObjectNode o, HardwareSnapshot hw) {
        o.put("cpu_model", hw.cpuModel());
        o.put("physical_cores", hw.physicalCores());
        o.put("logical_cores", hw.logicalCores());
        o.put("ram_bytes", hw.ramBytes());
        o.put("os", hw.os());
        o.put("jvm", hw.jvm());
        o.put("native_build", hw.nativeBuild());
        o.put("system_info", hw.systemInfo());
        o.put("gpu_backend", hw.gpuBackend());
        o.put("hostname", hw.hostname());
    }

    /** Test-only: makes the child die or hang mid-cell (after the first warm load), as a native crash would. */
    private static void injectFault(CellSpec spec, int repIndex) {
        if (spec.fault() == null || repIndex != 0) {
            return;
        }
        switch (spec.fault()) {
            case "halt" -> Runtime.getRuntime().halt(137);
            case "segv" -> {
                Native.setProtected(false);
                new Pointer(16).getLong(0);
            }
            case "hang" -> {
                StatusChannel.phase("hang (test)");
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException ignored) {
                        // keep hanging: only the parent's timeout may end this
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown test fault " + spec.fault());
        }
    }
}
