package dev.minillm.bench;

import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import dev.minillm.engine.Engine;
import dev.minillm.engine.EngineIdentity;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.Engines;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.KvCache;
import dev.minillm.engine.ModelFacts;
import dev.minillm.engine.Session;
import dev.minillm.engine.NativePerf;
import dev.minillm.engine.PageCache;
import dev.minillm.engine.WrapperThroughput;
import dev.minillm.engine.gpu.RpcEndpoint;
import dev.minillm.engine.gpu.RpcServers;
import dev.minillm.eval.QualityResult;
import dev.minillm.gguf.DecodeTraffic;
import dev.minillm.gguf.GgufFile;
import dev.minillm.metrics.HardwareSnapshot;
import dev.minillm.metrics.RssSampler;
import dev.minillm.metrics.Stats;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.results.CellRecord;
import dev.minillm.results.CellRecords;
import dev.minillm.results.ColdLoad;
import dev.minillm.results.Crosscheck;
import dev.minillm.results.EngineInfo;
import dev.minillm.engine.gpu.GpuPlacement;
import dev.minillm.results.Hardware;
import dev.minillm.results.LadderPoint;
import dev.minillm.results.Harness;
import dev.minillm.results.Metric;
import dev.minillm.results.ModelInfo;
import dev.minillm.results.Sample;
import dev.minillm.results.Settings;
import dev.minillm.results.Stat;
import dev.minillm.results.Status;
import dev.minillm.results.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    public static CellRecord run(CellSpec spec) {
        Instant started = Instant.now();
        long wall0 = System.nanoTime();
        StatusChannel.phase("starting");
        Path model = Path.of(spec.modelPath());
        Settings set = spec.settings();
        Engine engine = Engines.get(spec.engineOrDefault(), spec.output().verbose());
        EngineIdentity identity = engine.identity();
        EngineInfo engineInfo = CellExecutor.engineInfo(identity);
        String refusal = engine.refusal(spec.target().architecture());
        List<RpcEndpoint> rpc = set.rpc().stream().map(RpcEndpoint::parse).toList();
        if (refusal == null && !rpc.isEmpty()) {
            refusal = Bench.rpcUnavailableReason(engine);
        } else if (refusal == null && "gpu".equals(spec.backend())) {
            refusal = engine.gpuUnavailableReason();
        }
        if (refusal == null && !rpc.isEmpty()) {
            // the servers' devices join this process's devices before the first load
            StatusChannel.phase("connecting to the RPC servers");
            RpcServers.connect(rpc);
        }
        HardwareSnapshot hw = snapshot(identity);
        if (refusal != null) {
            return CellRecord.unmeasured(Status.SKIPPED, refusal, spec.cell(), engineInfo)
                    .withFacts(null, Hardware.of(hw), harness(spec, started, wall0, null, null));
        }
        EngineSettings settings = engineSettings(spec);
        if (spec.speculative() != null) {
            ObjectNode doc = SpeculativeCell.run(spec, engine, settings, CellJson.base(spec, "ok", null));
            CellRecord r = CellRecords.fromTree(doc);
            return new CellRecord(r.schemaVersion(), r.status(), r.reason(), r.cell(), engineInfo, r.modelInfo(),
                    Hardware.of(hw), harness(spec, started, wall0, null, null), r.metrics(), r.coldLoad(), r.crosscheck(),
                    r.warmupDiscarded(), r.repetitions(), r.tests(), r.ladder(), r.speculative(), r.quality(), r.sample(), r.gpu());
        }

        List<Map<String, Double>> reps = new ArrayList<>();
        List<PageCache.Eviction> evictions = new ArrayList<>();
        ModelFacts facts = null;
        GpuPlacement placement = null;
        int[][] promptTokens = null;
        String sampleOutput = null;
        String rssMethod;
        boolean kernelPeakUsable = true;
        try (RssSampler sampler = RssSampler.start()) {
            rssMethod = sampler.method();
            int total = set.warmup() + set.repetitions();
            for (int i = 0; i < total; i++) {
                boolean measured = i >= set.warmup();
                // Short: the phase shares one progress line with the bar.
                String label = measured ? "rep " + (i - set.warmup() + 1) + "/" + set.repetitions()
                        : "warmup " + (i + 1) + "/" + set.warmup();
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
                        placement = "gpu".equals(spec.backend()) ? checkedPlacement(cold, model) : null;
                        facts = cold.facts();
                        promptTokens = tokenizeAll(cold, spec);
                    }
                }
                StatusChannel.phase(label + " warm load");
                double residentBeforeWarm = PageCache.residentFraction(model);
                try (Session s = engine.open(model, settings)) {
                    long rssAfterLoad = sampler.sampleNow();
                    s.resetNativePerf();
                    List<GenerationTiming> gens = new ArrayList<>();
                    for (int k = 0; k < promptTokens.length; k++) {
                        // Per prompt: a long generation still moves the bar and its ETA.
                        StatusChannel.phase(label + " generate " + (k + 1) + "/" + promptTokens.length);
                        gens.add(s.generateGreedy(promptTokens[k], set.nPredict(), true));
                    }
                    NativePerf np = s.nativePerf();
                    long rssAfterGen = sampler.sampleNow();
                    if (sampleOutput == null) {
                        sampleOutput = s.detokenize(gens.get(0).tokens(), false);
                    }
                    rep.put(Metric.LOAD_COLD_MS.key, (coldLoad + coldCtx) / 1e6);
                    rep.put(Metric.MODEL_LOAD_COLD_MS.key, coldLoad / 1e6);
                    rep.put(Metric.CONTEXT_INIT_COLD_MS.key, coldCtx / 1e6);
                    rep.put("resident_fraction_before_cold", ev.residentFractionBefore());
                    rep.put(Metric.LOAD_WARM_MS.key, (s.modelLoadNanos() + s.contextInitNanos()) / 1e6);
                    rep.put(Metric.MODEL_LOAD_WARM_MS.key, s.modelLoadNanos() / 1e6);
                    rep.put(Metric.CONTEXT_INIT_WARM_MS.key, s.contextInitNanos() / 1e6);
                    rep.put("resident_fraction_before_warm", residentBeforeWarm);
                    putGeneration(rep, gens);
                    rep.put(Metric.RSS_AFTER_LOAD_BYTES.key, (double) rssAfterLoad);
                    rep.put(Metric.RSS_AFTER_GEN_BYTES.key, (double) rssAfterGen);
                    rep.put(Metric.NATIVE_PROMPT_TPS.key, np.promptTokensPerSecond());
                    rep.put(Metric.NATIVE_DECODE_TPS.key, np.decodeTokensPerSecond());
                }
                long sampledPeak = sampler.peakBytes();
                long kernelPeak = kernelReset ? RssSampler.kernelPeakBytes() : -1;
                rep.put(Metric.PEAK_RSS_SAMPLED_BYTES.key, (double) sampledPeak);
                rep.put(Metric.PEAK_RSS_KERNEL_BYTES.key, kernelPeak > 0 ? (double) kernelPeak : Double.NaN);
                rep.put(Metric.PEAK_RSS_BYTES.key, (double) Math.max(sampledPeak, kernelPeak));
                if (measured) {
                    reps.add(rep);
                    evictions.add(ev);
                }
            }
        }

        // The wrapper figure is java-llama.cpp's own loop: it exists for the bundled engine only.
        if (set.wrapper() && engine.hasWrapperFigure()) {
            StatusChannel.phase("wrapper decode");
            double[] wrapper = wrapperPerRep(model, settings, spec);
            for (int r = 0; r < reps.size(); r++) {
                reps.get(r).put(Metric.WRAPPER_DECODE_TPS.key, wrapper[r]);
            }
        }
        List<TestResult> tests = new ArrayList<>();
        List<LadderPoint> ladder = new ArrayList<>();
        List<LlamaBenchTests.Test> wanted = set.tests().stream().map(LlamaBenchTests::parse).filter(t -> t != null).toList();
        if (!wanted.isEmpty() || !set.ladder().isEmpty()) {
            Random rnd = new Random(1);
            try (Session s = engine.open(model, settings)) {
                for (LlamaBenchTests.Test t : wanted) {
                    StatusChannel.phase(t.name());
                    tests.add(LlamaBenchTests.measure(s, settings, t, set.repetitions(), rnd));
                }
                KvCache kv = set.ladder().isEmpty() ? null : KvCache.of(GgufFile.open(model).metadata());
                for (int depth : set.ladder()) {
                    StatusChannel.phase("ladder d" + depth);
                    ladder.add(LlamaBenchTests.ladder(s, settings, kv, depth, set.repetitions(), rnd));
                }
            }
        }
        QualityResult quality = null;
        if (set.quality()) {
            StatusChannel.phase("quality");
            quality = QualityHook.run(spec, model);
        }
        StatusChannel.phase("write");

        Map<String, Stat> metrics = new LinkedHashMap<>();
        for (Metric m : Metric.repetitionMetrics()) {
            if (reps.get(0).containsKey(m.key)) {
                metrics.put(m.key, statOf(reps, m.key));
            }
        }
        List<Map<String, Double>> repsOut = new ArrayList<>();
        for (int r = 0; r < reps.size(); r++) {
            Map<String, Double> o = new LinkedHashMap<>();
            o.put("rep", (double) (r + 1));
            reps.get(r).forEach((k, v) -> o.put(k, Stat.finite(v)));
            repsOut.add(o);
        }
        return new CellRecord(CellRecord.SCHEMA_VERSION, Status.OK, null, spec.cell(), engineInfo,
                modelInfo(spec, model, facts), Hardware.of(hw), harness(spec, started, wall0, rssMethod, kernelPeakUsable),
                metrics, coldLoadSummary(evictions, placement), crosscheck(reps), set.warmup(), repsOut, tests, ladder, null, quality,
                new Sample(spec.prompts().get(0), sampleOutput), placement);
    }

    /**
     * A gpu cell's placement, verified: a load that did not put the layers where asked fails the
     * cell with the reason (never a gpu figure measured on the CPU). Null for an engine that cannot
     * tell (the bundled engine's Metal build), which keeps working as before.
     */
    private static GpuPlacement checkedPlacement(Session s, Path model) {
        GpuPlacement p = s.gpuPlacement();
        if (p != null && p.problem() != null) {
            throw new RunFailedException(model + ": " + p.problem());
        }
        return p;
    }

    static EngineSettings engineSettings(CellSpec spec) {
        Settings s = spec.settings();
        // a gpu cell at --gpu-layers 0 still lets llama.cpp use the GPU for prompt batches, as llama-bench -ngl 0
        return new EngineSettings(s.threads(), s.ctx(), s.batch(), s.ubatch(), s.cacheTypeK(), s.cacheTypeV(), s.flashAttn(),
                s.gpuLayers(), spec.output().verbose(), !"gpu".equals(spec.backend()));
    }

    /** The engine's identity as the result records it. */
    public static EngineInfo engineInfo(EngineIdentity id) {
        return new EngineInfo(id.name(), id.label(), id.location(), id.llamaTag(), id.llamaCommit(), id.variant(),
                id.backends(), id.cpuVariant(), id.devices(), id.gpuDevices(), id.systemInfo());
    }

    /** This machine, with the engine's build facts (hardware.native_build stays the llama.cpp build name). */
    static HardwareSnapshot snapshot(EngineIdentity id) {
        String gpu = id.gpuDevices().isEmpty() ? null : String.join("; ", id.gpuDevices());
        String build = "bundled".equals(id.name()) ? id.llamaTag() : id.label();
        return HardwareSnapshot.capture(build, id.systemInfo(), gpu);
    }

    private static Harness harness(CellSpec spec, Instant started, long wall0, String rssMethod, Boolean kernelPeakReset) {
        return new Harness(Version.get(), started.toString(), Instant.now().toString(), (System.nanoTime() - wall0) / 1e9,
                ProcessHandle.current().pid(), "child", spec.output().timeoutS(), rssMethod, kernelPeakReset);
    }

    static int[][] tokenizeAll(Session s, CellSpec spec) {
        int[][] out = new int[spec.prompts().size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = s.tokenize(spec.prompts().get(k), true, false);
            if (out[k].length == 0) {
                throw new RunFailedException("prompt " + (k + 1) + " tokenizes to nothing");
            }
            if (out[k].length + spec.settings().nPredict() > s.contextSize()) {
                throw new RunFailedException("prompt " + (k + 1) + " (" + out[k].length + " tokens) + --n-predict "
                        + spec.settings().nPredict() + " do not fit --ctx " + s.contextSize());
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
        rep.put(Metric.TTFT_MS.key, ttftSum / gens.size() / 1e6);
        rep.put(Metric.PROMPT_TOKENS.key, (double) promptTokens);
        rep.put(Metric.PROMPT_TPS.key, promptNanos > 0 ? promptTokens * 1e9 / promptNanos : Double.NaN);
        rep.put(Metric.GEN_TOKENS.key, (double) genTokens);
        rep.put(Metric.DECODE_TPS.key, gapSum > 0 ? gapCount * 1e9 / gapSum : Double.NaN);
        rep.put(Metric.ITL_P50_MS.key, Stats.percentile(gaps, 50) / 1e6);
        rep.put(Metric.ITL_P90_MS.key, Stats.percentile(gaps, 90) / 1e6);
        rep.put(Metric.ITL_P99_MS.key, Stats.percentile(gaps, 99) / 1e6);
        rep.put(Metric.TOTAL_MS.key, totalNanos / 1e6);
    }

    /**
     * The wrapper's decode tok/s per repetition: every prompt measured through java-llama.cpp, then
     * the harmonic mean over prompts (= total tokens / total time, as every prompt yields the same
     * number of tokens), so it is comparable with our decode_tps.
     */
    private static double[] wrapperPerRep(Path model, EngineSettings settings, CellSpec spec) {
        int reps = spec.settings().repetitions();
        double[] inverseSum = new double[reps];
        for (String prompt : spec.prompts()) {
            double[] tps = WrapperThroughput.measure(model, settings, prompt, spec.settings().nPredict(), spec.settings().warmup(), reps);
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

    private static Stat statOf(List<Map<String, Double>> reps, String key) {
        double[] v = reps.stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).filter(Double::isFinite).toArray();
        return Stat.of(v);
    }

    private static double meanOf(List<Map<String, Double>> reps, String key) {
        Double m = statOf(reps, key).mean();
        return m == null ? Double.NaN : m;
    }

    private static ColdLoad coldLoadSummary(List<PageCache.Eviction> evictions, GpuPlacement placement) {
        PageCache.Eviction first = evictions.get(0);
        String note = evictions.stream().map(PageCache.Eviction::note).filter(n -> n != null).findFirst().orElse(null);
        return new ColdLoad(first.method(), evictions.stream().allMatch(PageCache.Eviction::verified),
                Stat.finite(evictions.stream().mapToDouble(PageCache.Eviction::residentFractionBefore).max().orElse(Double.NaN)),
                "mincore", note, evicted(placement));
    }

    /** What a cold load starts without: the file's pages, and on a device also the copy the previous session freed. */
    static String evicted(GpuPlacement p) {
        String file = "the model file's pages (page cache)";
        if (p == null || p.layersOffloaded() == 0) {
            return file;
        }
        String devices = String.join(", ", p.split().keySet().stream().filter(d -> !d.equals("CPU")).toList());
        return file + "; the device copy of the weights on " + devices + " (freed with the previous session, "
                + "uploaded again by every load); not evicted: "
                + (p.rpcServers().isEmpty() ? "the driver's own caches (kernel and shader caches)"
                        : "what an rpc-server started with --cache keeps on its disk");
    }

    private static Crosscheck crosscheck(List<Map<String, Double>> reps) {
        double decode = diffPct(meanOf(reps, Metric.DECODE_TPS.key), meanOf(reps, Metric.NATIVE_DECODE_TPS.key));
        double prompt = diffPct(meanOf(reps, Metric.PROMPT_TPS.key), meanOf(reps, Metric.NATIVE_PROMPT_TPS.key));
        return new Crosscheck(Stat.finite(decode), Stat.finite(prompt), CROSSCHECK_THRESHOLD_PCT,
                Math.abs(decode) > CROSSCHECK_THRESHOLD_PCT || Math.abs(prompt) > CROSSCHECK_THRESHOLD_PCT,
                "llama_perf_context (llama.cpp's own timing of the same decodes)");
    }

    /** Our figure relative to llama.cpp's, in percent (negative: we measured slower). */
    static double diffPct(double ours, double theirs) {
        return theirs > 0 && Double.isFinite(ours) ? (ours - theirs) / theirs * 100.0 : Double.NaN;
    }

    static ModelInfo modelInfo(CellSpec spec, Path model, ModelFacts f) {
        long size;
        try {
            size = Files.size(model);
        } catch (IOException e) {
            throw new RunFailedException(model + ": cannot read its size: " + e.getMessage(), e);
        }
        String desc = f.description();
        String arch = spec.target().architecture() != null ? spec.target().architecture()
                : desc.isEmpty() ? null : desc.split(" ")[0];
        return new ModelInfo(size, f.parameterCount(), f.tensorBytes(),
                Stat.finite(f.parameterCount() > 0 ? f.tensorBytes() * 8.0 / f.parameterCount() : Double.NaN), spec.variant(),
                arch, spec.target().synthetic(), f.layers(), f.embedding(), f.vocabulary(), f.contextTrain(), desc,
                decodeTraffic(model, spec.settings()));
    }

    /**
     * Bytes one decoded token reads (weights, KV cache per position, at the cell's KV cache types)
     * from the file's tensor sizes: what the report's memory-bandwidth roofline divides by.
     */
    static ModelInfo.DecodeTraffic decodeTraffic(Path model, Settings s) {
        DecodeTraffic t;
        try {
            t = DecodeTraffic.of(GgufFile.open(model), EngineSettings.cacheType(s.cacheTypeK()), EngineSettings.cacheType(s.cacheTypeV()));
        } catch (RuntimeException e) {
            return null; // the header was validated before the run; a figure we cannot compute is left out
        }
        return new ModelInfo.DecodeTraffic(t.weightBytes(), t.kvBytesPerPosition(), t.kvCacheType(), DecodeTraffic.METHOD);
    }
}
