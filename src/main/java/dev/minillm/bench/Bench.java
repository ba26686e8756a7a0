package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import dev.minillm.engine.Engine;
import dev.minillm.engine.Engines;
import dev.minillm.engine.KvCache;
import dev.minillm.engine.gpu.RpcEndpoint;
import dev.minillm.gguf.GgufFile;
import dev.minillm.metrics.BandwidthProbe;
import dev.minillm.metrics.HardwareSnapshot;
import dev.minillm.results.CellRecord;
import dev.minillm.results.EngineInfo;
import dev.minillm.results.Hardware;
import dev.minillm.results.Harness;
import dev.minillm.results.ModelInfo;
import dev.minillm.results.Settings;
import dev.minillm.results.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A bench run: select and validate the models, plan the cells (model x variant x engine x backend x
 * the product of every swept setting), run each cell not already measured with the same settings
 * in its own child JVM, record failures and skips.
 */
public final class Bench {
    private Bench() {
    }

    /** One planned cell and its result file. */
    public record Cell(CellSpec spec, Path file) {
    }

    /**
     * @param cells    every planned cell, in order
     * @param results  the result of each cell (same order)
     * @param reusedIds cells whose stored result was reused (same settings), not measured in this run
     * @param ran      cells measured in this run
     * @param failed   cells that failed in this run
     */
    public record Outcome(List<Cell> cells, List<CellRecord> results, Set<String> reusedIds, int ran, int reused,
                          int failed, int skipped) {
    }

    /** How long the other processes' CPU use is sampled before a run, and what share of the cores counts as busy. */
    static final long BUSY_SAMPLE_MS = 1000;
    static final double BUSY_SHARE = 0.5;

    /**
     * llama.cpp's threads wait for each other at every step, so other work on the machine slows
     * and scatters the figures far more than its own CPU share; say so before spending the time.
     */
    private static void warnIfBusy(int threads) {
        double busy = HardwareSnapshot.othersBusyCores(BUSY_SAMPLE_MS);
        int cores = Runtime.getRuntime().availableProcessors();
        if (busy >= 0 && busy > BUSY_SHARE * cores) {
            Progress.info(String.format(Locale.ROOT, "the machine is busy (other processes use %.1f of %d cores): "
                    + "other processes compete with llama.cpp's %d thread(s), so figures will be slower and noisier "
                    + "(the report's audit flags a high spread); wait for a quiet machine%s", busy, cores, threads,
                    threads > 1 ? " or try --threads 1" : ""));
        }
    }

    /**
     * Runs the bench into {@code c.out()}, which the caller has locked: the lock proves that no
     * other run writes there, so files a dead run left behind are this run's to clean up.
     */
    public static Outcome run(BenchConfig c, ResultsLock lock) {
        return run(c, lock, new ChildRunner(c.out().resolve("logs"), c.output().verbose()));
    }

    /** Runs the matrix with {@code runner} starting the child JVMs. */
    public static Outcome run(BenchConfig c, ResultsLock lock, ChildRunner runner) {
        Objects.requireNonNull(lock, "the results directory must be locked");
        removeLeftovers(c.out());
        PromptSet prompts = PromptSet.load(c.measure().promptsFile());
        List<ModelCandidate> models = ModelSelector.select(c.select());
        if (models.isEmpty()) {
            if (c.speculation() != null) {
                throw new BadInputException("--draft needs target models (--model FILE or GGUF files under "
                        + c.select().modelDir() + "); the built-in synthetic family has no draft model");
            }
            models = DefaultFamily.prepare(c.select(), c.sweep().first(Dimensions.THREADS));
        }
        List<SpeculativeSpec> drafts = c.speculation() == null ? List.of() : DraftCheck.drafts(c.speculation(), models);
        if (models.stream().anyMatch(ModelCandidate::synthetic)) {
            Progress.info("benchmarking SYNTHETIC weights (random values in the real model's shape): speed and "
                    + "memory are real for that shape, quality is n/a. Real weights: minillm download");
        }
        // Each engine is loaded here once: a missing or broken native build stops the run before
        // any cell starts (one line, exit 2), and refusals/GPU reasons are known up front.
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (String e : c.select().engines()) {
            engines.put(e, Engines.get(e, c.output().verbose()));
        }
        for (ModelCandidate m : models) {
            List<String> refusals = engines.values().stream().map(e -> e.refusal(m.architecture())).toList();
            if (refusals.stream().allMatch(Objects::nonNull)) {
                throw new BadInputException(m.path() + ": " + refusals.get(0));
            }
        }
        ResultStore store = new ResultStore(c.out());
        List<Cell> cells = plan(c, prompts, models, store, drafts, engines);
        Map<String, ModelCandidate> byPath = new HashMap<>();
        models.forEach(m -> byPath.put(m.path().toString(), m));
        Map<String, KvCache> kvCaches = new HashMap<>();
        Map<Cell, String> skipReasons = new HashMap<>();
        for (Cell cell : cells) {
            String why = skipReason(cell.spec(), engines.get(cell.spec().engineOrDefault()),
                    kvCaches.computeIfAbsent(cell.spec().modelPath(), Bench::kvCache));
            if (why != null) {
                skipReasons.put(cell, why);
            }
        }
        Map<Cell, ResultStore.Reuse> reuse = new HashMap<>();
        cells.forEach(cell -> reuse.put(cell, ResultStore.reuse(cell.file(), cell.spec())));
        List<Cell> toMeasure = cells.stream()
                .filter(cell -> (c.output().force() || !reuse.get(cell).reusable()) && !skipReasons.containsKey(cell))
                .toList();

        warnIfBusy(c.sweep().first(Dimensions.THREADS));
        // once per run, before any child starts, so it competes with no measurement
        BandwidthProbe.Result bandwidth = toMeasure.isEmpty() ? null : probeBandwidth();
        Hardware.MemoryBandwidth memoryBandwidth = bandwidthRecord(bandwidth);
        List<CellRecord> results = new ArrayList<>();
        Set<String> reusedIds = new LinkedHashSet<>();
        int ran = 0;
        int failed = 0;
        int skipped = 0;
        // The bar counts the work of the cells to measure, in steps within each cell, so the ETA covers
        // the whole matrix from the first repetition on; cells done earlier or skipped cost nothing.
        CellProgress work = new CellProgress(c.measure().warmup(), c.measure().repetitions(), c.measure().wrapper(),
                c.measure().quality());
        int measuring = 0;
        try (Progress bar = Progress.start("bench", (long) toMeasure.size() * work.units(), "cells", work.units())) {
            long[] base = {0};
            for (Cell cell : cells) {
                CellSpec spec = cell.spec();
                ResultStore.Reuse r = reuse.get(cell);
                if (!c.output().force() && r.reusable()) {
                    Progress.info(spec.id() + ": already measured with the same settings (" + cell.file()
                            + "), reused; --force re-measures");
                    results.add(ResultStore.read(cell.file()));
                    reusedIds.add(spec.id());
                    continue;
                }
                String unreadable = ResultStore.unreadable(cell.file());
                if (unreadable != null) {
                    Progress.info(spec.id() + ": replacing an unreadable result (" + unreadable + ")");
                } else if (r.why() != null && !c.output().force()) {
                    Progress.info(spec.id() + ": measuring again, " + r.why());
                }
                Engine engine = engines.get(spec.engineOrDefault());
                String skipReason = skipReasons.get(cell);
                if (skipReason != null) {
                    CellRecord doc = stampParent(CellRecord.unmeasured(Status.SKIPPED, skipReason, spec.cell(),
                            spec.measure().engine()), Instant.now(), byPath.get(spec.modelPath()), spec, engine, memoryBandwidth);
                    doc = recordUnlessOk(cell.file(), doc);
                    Progress.info(spec.id() + ": skipped: " + skipReason);
                    results.add(doc);
                    skipped++;
                    continue;
                }
                measuring++;
                Progress.info(spec.id() + ": measuring (" + measuring + "/" + toMeasure.size() + ")");
                bar.phase(spec.variant() + " " + spec.backend() + " start");
                // A server that does not answer fails its cell here, with that reason, before a child starts.
                String deadServer = spec.settings().rpc().stream().map(e -> RpcEndpoint.parse(e).unreachableReason(3000))
                        .filter(Objects::nonNull).findFirst().orElse(null);
                CellRecord doc = deadServer != null ? recordUnlessOk(cell.file(), stampParent(CellRecord.unmeasured(Status.FAILED,
                        deadServer, spec.cell(), spec.measure().engine()), Instant.now(), byPath.get(spec.modelPath()), spec, engine,
                        memoryBandwidth)) : runOne(runner, spec, c, ph -> {
                    bar.phase(spec.variant() + " " + spec.backend() + " " + ph);
                    int at = work.at(ph);
                    if (at >= 0) {
                        bar.stepTo(base[0] + at);
                    }
                }, byPath.get(spec.modelPath()), engine, memoryBandwidth);
                if (memoryBandwidth != null && doc.hardware() != null && doc.hardware().memoryBandwidth() == null) {
                    // the child measured; the run's bandwidth figure joins its hardware snapshot
                    doc = new CellRecord(doc.schemaVersion(), doc.status(), doc.reason(), doc.cell(), doc.engine(),
                            doc.modelInfo(), doc.hardware().withMemoryBandwidth(memoryBandwidth), doc.harness(),
                            doc.metrics(), doc.coldLoad(), doc.crosscheck(), doc.warmupDiscarded(), doc.repetitions(),
                            doc.tests(), doc.ladder(), doc.speculative(), doc.quality(), doc.sample(), doc.gpu());
                    ResultStore.write(cell.file(), doc);
                }
                base[0] += work.units();
                bar.stepTo(base[0]);
                bar.phase("");
                results.add(doc);
                switch (doc.status()) {
                    case OK -> {
                        ran++;
                        Progress.info(spec.id() + ": ok (" + String.format(Locale.ROOT, "%.1f s",
                                doc.harness() == null || doc.harness().wallSeconds() == null ? 0.0 : doc.harness().wallSeconds()) + ")");
                    }
                    case SKIPPED -> {
                        skipped++;
                        Progress.info(spec.id() + ": skipped: " + doc.reason());
                    }
                    default -> {
                        failed++;
                        Progress.info(spec.id() + ": FAILED: " + doc.reason());
                    }
                }
            }
        }
        return new Outcome(cells, results, reusedIds, ran, reusedIds.size(), failed, skipped);
    }

    /** Why a planned cell cannot run (the engine refuses the model, no GPU, settings llama.cpp refuses), or null. */
    private static String skipReason(CellSpec spec, Engine engine, KvCache kv) {
        String refusal = engine.refusal(spec.target().architecture());
        if (refusal != null) {
            return refusal;
        }
        if (!spec.settings().rpc().isEmpty()) {
            // the layers go to the servers' devices: the local build needs the RPC backend, not a GPU
            return rpcUnavailableReason(engine);
        }
        if ("gpu".equals(spec.backend()) && engine.gpuUnavailableReason() != null) {
            return engine.gpuUnavailableReason();
        }
        return unrunnable(spec.settings(), kv);
    }

    /** Why the engine cannot offload to RPC servers, or null when it can. */
    static String rpcUnavailableReason(Engine engine) {
        return engine.identity().backends().contains("RPC") ? null
                : "the " + engine.spec() + " engine has no RPC backend (use --engine native, built by scripts/build-native.sh)";
    }

    private static KvCache kvCache(String modelPath) {
        return KvCache.of(GgufFile.open(Path.of(modelPath)).metadata());
    }

    /**
     * Why llama.cpp refuses these settings for this model, in its own words, or null when it can run
     * them: checked before a child is started (llama.cpp aborts on some), so the cell is recorded as
     * skipped with the reason instead of changed or crashed.
     */
    static String unrunnable(Settings s, KvCache kv) {
        String cache = kv.unsupportedReason(s.cacheTypeK(), s.cacheTypeV(), s.flashAttn());
        if (cache != null) {
            return cache;
        }
        if (s.ubatch() > s.batch()) {
            return "--ubatch " + s.ubatch() + " exceeds --batch " + s.batch() + " (llama.cpp would silently use " + s.batch() + ")";
        }
        return null;
    }

    private static CellRecord runOne(ChildRunner runner, CellSpec spec, BenchConfig c, Consumer<String> phase,
                                     ModelCandidate model, Engine engine, Hardware.MemoryBandwidth bandwidth) {
        Instant started = Instant.now();
        Path specDir = c.out().resolve(".specs");
        Path specFile = specDir.resolve(ModelNames.safeSegment(spec.id().replace('/', '_')) + ".json");
        try {
            spec.write(specFile);
        } catch (IOException e) {
            throw new RunFailedException(specFile + ": cannot write the cell spec: " + e.getMessage(), e);
        }
        try {
            ChildRunner.Outcome o = runner.run(spec, specFile, c.output().timeoutSeconds(), phase);
            if (o.result() != null) {
                return o.result();
            }
            CellRecord doc = stampParent(CellRecord.unmeasured(Status.FAILED, o.failure(), spec.cell(), spec.measure().engine()),
                    started, model, spec, engine, bandwidth);
            return recordUnlessOk(Path.of(spec.output().resultPath()), doc);
        } finally {
            try {
                Files.deleteIfExists(specFile);
                Files.deleteIfExists(specDir);
            } catch (IOException ignored) {
                // another spec is still there (directory not empty): fine
            }
        }
    }

    /**
     * Writes a failed or skipped record unless the file holds an ok result, which a failure never
     * replaces (e.g. a --force re-measurement that failed): the good figures stay and the reason
     * is this run's message.
     */
    private static CellRecord recordUnlessOk(Path file, CellRecord doc) {
        if (ResultStore.isOk(file)) {
            return new CellRecord(doc.schemaVersion(), doc.status(), doc.reason() + " (the earlier ok result in " + file
                    + " is kept)", doc.cell(), doc.engine(), doc.modelInfo(), doc.hardware(), doc.harness(), doc.metrics(),
                    doc.coldLoad(), doc.crosscheck(), doc.warmupDiscarded(), doc.repetitions(), doc.tests(), doc.ladder(),
                    doc.speculative(), doc.quality(), doc.sample(), doc.gpu());
        }
        ResultStore.write(file, doc);
        return doc;
    }

    /**
     * Removes what a run killed mid-way left in the results directory: cell specs of children that
     * never finished and temp files of interrupted atomic writes. Only called under the lock.
     */
    static void removeLeftovers(Path out) {
        List<Path> left = new ArrayList<>();
        for (Path dir : List.of(out.resolve(".specs"), out.resolve("raw"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString();
                    return dir.endsWith(".specs") ? n.endsWith(".json") : n.startsWith(".") && n.endsWith(".tmp");
                }).forEach(left::add);
            } catch (IOException e) {
                Progress.info("warning: cannot list " + dir + ": " + e.getMessage());
            }
        }
        int removed = 0;
        for (Path p : left) {
            try {
                Files.deleteIfExists(p);
                removed++;
            } catch (IOException e) {
                Progress.info("warning: cannot remove the leftover " + p + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(out.resolve(".specs"));
        } catch (IOException ignored) {
            // something else is in there: leave it
        }
        if (removed > 0) {
            Progress.info("removed " + removed + " leftover file(s) of an interrupted run (cell specs, unfinished writes)");
        }
    }

    private static BandwidthProbe.Result probeBandwidth() {
        int threads = HardwareSnapshot.defaultThreads();
        Progress.info("measuring memory read bandwidth (" + threads + " thread(s), about a second)");
        BandwidthProbe.Result r = BandwidthProbe.measure(threads, BandwidthProbe.DEFAULT_BUFFER_BYTES);
        // hand the probe's buffer back before the children start
        System.gc();
        Progress.info("memory read bandwidth " + r.summary());
        return r;
    }

    /** The run's bandwidth figure and its method, as the cells' hardware snapshot records it. */
    static Hardware.MemoryBandwidth bandwidthRecord(BandwidthProbe.Result r) {
        return r == null ? null : new Hardware.MemoryBandwidth(r.bytesPerSecond(), r.medianBytesPerSecond(), r.threads(),
                r.bufferBytes(), r.passes(), r.seconds(), r.method(), "parent, once per bench run, before the cells");
    }

    private static final Map<String, Hardware> HARDWARE = new HashMap<>();

    /**
     * Completes a result the parent writes (failed or skipped cell): the model facts known without
     * loading it, this machine and the harness, so a report can still place and label the cell.
     */
    private static CellRecord stampParent(CellRecord doc, Instant started, ModelCandidate m, CellSpec spec, Engine engine,
                                          Hardware.MemoryBandwidth bandwidth) {
        ModelInfo mi = m == null ? null : ModelInfo.ofFile(m.fileSizeBytes(), m.nParams(), m.bitsPerWeight(), m.variant(),
                m.architecture(), m.synthetic());
        Hardware hardware;
        synchronized (HARDWARE) {
            hardware = HARDWARE.computeIfAbsent(engine.spec(), k -> Hardware.of(CellExecutor.snapshot(engine.identity())));
        }
        Instant now = Instant.now();
        Harness h = new Harness(Version.get(), started.toString(), now.toString(),
                (now.toEpochMilli() - started.toEpochMilli()) / 1000.0, null, "parent", spec.output().timeoutS(), null, null);
        return doc.withFacts(mi, bandwidth == null ? hardware : hardware.withMemoryBandwidth(bandwidth), h);
    }

    /** Every combination of the swept settings, in the order of {@link Dimensions#ALL} (the last varies fastest). */
    static List<Settings> settingsProduct(BenchConfig c, PromptSet prompts) {
        BenchConfig.Measurement m = c.measure();
        List<Settings> points = List.of(Settings.builder()
                .promptsFile(prompts.source()).promptCount(prompts.prompts().size()).promptsSha256(prompts.sha256())
                .tests(m.tests()).ladder(m.ladder()).repetitions(m.repetitions()).warmup(m.warmup())
                .wrapper(m.wrapper()).quality(m.quality()).tasks(m.quality() ? m.tasks() : null).build());
        for (Dimension<?> d : Dimensions.ALL) {
            List<Settings> next = new ArrayList<>();
            for (Settings s : points) {
                List<?> given = c.sweep().of(d);
                for (Object v : given.isEmpty() ? List.of(d.defaultValue().apply(s)) : given) {
                    next.add(d.apply(s.toBuilder(), v).build());
                }
            }
            points = next;
        }
        return points;
    }

    /** The plan with each engine's identity as the cells record it (for tests and dry runs). */
    static List<Cell> plan(BenchConfig c, PromptSet prompts, List<ModelCandidate> models, ResultStore store) {
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (String e : c.select().engines()) {
            engines.put(e, Engines.get(e, false));
        }
        return plan(c, prompts, models, store, List.of(), engines);
    }

    /**
     * {@code drafts}: one entry per draft model and K; every target cell is planned once per entry.
     * {@code engines}: the --engine values, each a column of its own beside the backend.
     */
    static List<Cell> plan(BenchConfig c, PromptSet prompts, List<ModelCandidate> models, ResultStore store,
                           List<SpeculativeSpec> drafts, Map<String, Engine> engines) {
        List<SpeculativeSpec> dimension = new ArrayList<>();
        if (c.speculation() == null || c.speculation().targetOnlyCells()) {
            dimension.add(null);
        }
        dimension.addAll(drafts);
        List<Settings> points = settingsProduct(c, prompts);
        List<Cell> cells = new ArrayList<>();
        // The quality baseline of each family, chosen as 'minillm eval' does (F16, else the most precise real variant).
        Map<String, List<Path>> byFamily = new LinkedHashMap<>();
        for (ModelCandidate m : models) {
            byFamily.computeIfAbsent(m.family(), f -> new ArrayList<>()).add(m.path());
        }
        Map<String, Path> baselines = new HashMap<>();
        if (c.measure().quality()) {
            byFamily.forEach((family, paths) -> baselines.put(family, dev.minillm.eval.BaselineChoice.pick(paths)));
        }
        for (ModelCandidate m : models) {
            for (Map.Entry<String, Engine> engine : engines.entrySet()) {
                // The engine is part of the column (backend segment), not of the settings tag, so that
                // engines land side by side in one table.
                String seg = Engines.idSegment(engine.getKey());
                EngineInfo identity = CellExecutor.engineInfo(engine.getValue().identity());
                for (String backend : List.of("cpu", "gpu")) {
                    if (!c.select().backends().contains(backend)) {
                        continue;
                    }
                    for (Settings point : forBackend(points, backend)) {
                        String placement = backend.equals("gpu") ? Dimensions.placementTag(point) : "";
                        String where = placement.isEmpty() ? backend : backend + "-" + placement;
                        String column = seg.equals(Engines.DEFAULT) ? where : where + "-" + seg;
                        for (SpeculativeSpec draft : dimension) {
                            Settings.Builder sb = point.toBuilder().engine(engine.getKey());
                            if (draft != null) {
                                // A speculative cell compares decoding speeds; quality and the wrapper's figure belong to the ordinary cell.
                                sb.wrapper(false).quality(false).tasks(null).draft(draft.draftPath(), draft.draftVariant(), draft.draftMax());
                            } else if (!engine.getValue().hasWrapperFigure()) {
                                sb.wrapper(false); // java-llama.cpp's own loop exists for the bundled engine only
                            }
                            Settings s = sb.build();
                            String tag = settingsTag(s, prompts);
                            if (draft != null) {
                                tag = tag.isEmpty() ? draft.tag() : tag + "_" + draft.tag();
                            }
                            Path file = store.cellFile(m.family(), m.variant(), column, tag);
                            String id = m.family() + "/" + m.variant() + "__" + column + (tag.isEmpty() ? "" : "__" + tag);
                            Path baseline = baselines.get(m.family());
                            CellSpec spec = new CellSpec(
                                    new CellSpec.Target(id, m.family(), m.variant(), backend, m.path().toString(), m.synthetic(), m.architecture()),
                                    new CellSpec.Measure(s, prompts.prompts(), identity, baseline == null ? null : baseline.toString(),
                                            c.out().resolve("baseline").toString(), draft),
                                    new CellSpec.Output(file.toAbsolutePath().toString(), c.output().timeoutSeconds(), c.output().verbose()));
                            cells.add(new Cell(spec, file));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /**
     * The settings points of one backend: a gpu cell runs once per placement (--gpu-layers, --rpc);
     * a cpu cell offloads nothing, so the placement sweep collapses to one cpu cell per point.
     */
    static List<Settings> forBackend(List<Settings> points, String backend) {
        if (backend.equals("gpu")) {
            return points;
        }
        LinkedHashSet<Settings> cpu = new LinkedHashSet<>();
        for (Settings p : points) {
            cpu.add(p.toBuilder().gpuLayers(0).rpc(List.of()).build());
        }
        return new ArrayList<>(cpu);
    }

    /**
     * Empty for the default settings, else a short tag of every setting that differs, e.g.
     * {@code t4_c4096_ctkq8_0_fa1_n128}: results at other settings never overwrite the default ones.
     * Repetitions and warmup change the precision of a figure, not what it measures, so they are
     * not part of the tag (a stored result with other counts is measured again in place).
     */
    public static String settingsTag(Settings s, PromptSet prompts) {
        String tag = Dimensions.tag(s);
        if (!prompts.isDefault()) {
            tag += (tag.isEmpty() ? "" : "_") + "p" + prompts.contentTag();
        }
        return tag;
    }
}
