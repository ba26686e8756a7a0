package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.Progress;
import dev.minillm.common.Version;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.Engine;
import dev.minillm.engine.Engines;
import dev.minillm.metrics.BandwidthProbe;
import dev.minillm.metrics.HardwareSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A bench run: select and validate the models, plan the cells (model x variant x backend at one set
 * of settings), run each cell not already done in its own child JVM, record failures and skips.
 */
public final class Bench {
    /** Test-only system property "kind@cell-id-substring": makes the matching child die or hang. */
    public static final String TEST_FAULT_PROPERTY = "minillm.testFault";

    private Bench() {
    }

    /** One planned cell and its result file. */
    public record Cell(CellSpec spec, Path file) {
    }

    /**
     * @param cells    every planned cell, in order
     * @param results  the result document of each cell (same order)
     * @param ran      cells measured in this run
     * @param reused   cells skipped because an ok result already existed
     * @param failed   cells that failed in this run
     */
    public record Outcome(List<Cell> cells, List<JsonNode> results, int ran, int reused, int failed, int skipped) {
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
            Progress.info(String.format(java.util.Locale.ROOT, "the machine is busy (other processes use %.1f of %d cores): "
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
        java.util.Objects.requireNonNull(lock, "the results directory must be locked");
        removeLeftovers(c.out());
        PromptSet prompts = PromptSet.load(c.promptsFile());
        List<ModelCandidate> models = ModelSelector.select(c);
        if (models.isEmpty()) {
            if (c.speculation() != null) {
                throw new dev.minillm.common.BadInputException("--draft needs target models (--model FILE or GGUF files under "
                        + c.modelDir() + "); the built-in synthetic family has no draft model");
            }
            models = DefaultFamily.prepare(c);
        }
        List<SpeculativeSpec> drafts = c.speculation() == null ? List.of() : DraftCheck.drafts(c.speculation(), models);
        if (models.stream().anyMatch(ModelCandidate::synthetic)) {
            Progress.info("benchmarking SYNTHETIC weights (random values in the real model's shape): speed and "
                    + "memory are real for that shape, quality is n/a. Real weights: minillm download");
        }
        // Each engine is loaded here once: a missing or broken native build stops the run before
        // any cell starts (one line, exit 2), and refusals/GPU reasons are known up front.
        java.util.Map<String, Engine> engines = new java.util.LinkedHashMap<>();
        for (String e : c.engines()) {
            engines.put(e, Engines.get(e, c.verbose()));
        }
        for (ModelCandidate m : models) {
            List<String> refusals = engines.values().stream().map(e -> e.refusal(m.architecture())).toList();
            if (refusals.stream().allMatch(java.util.Objects::nonNull)) {
                throw new dev.minillm.common.BadInputException(m.path() + ": " + refusals.get(0));
            }
        }
        ResultStore store = new ResultStore(c.out());
        List<Cell> cells = plan(c, prompts, models, store, drafts);
        java.util.Map<String, ModelCandidate> byPath = new java.util.HashMap<>();
        models.forEach(m -> byPath.put(m.path().toString(), m));
        String fault = System.getProperty(TEST_FAULT_PROPERTY);

        warnIfBusy(c.threads());
        java.util.function.Function<CellSpec, String> skipReasonOf = spec -> {
            Engine engine = engines.get(spec.engineOrDefault());
            String refusal = engine.refusal(spec.architecture());
            return refusal != null ? refusal : "gpu".equals(spec.backend()) ? engine.gpuUnavailableReason() : null;
        };
        boolean anyToMeasure = cells.stream().anyMatch(cell -> (c.force() || !ResultStore.isDone(cell.file(), cell.spec()))
                && skipReasonOf.apply(cell.spec()) == null);
        // once per run, before any child starts, so it competes with no measurement
        BandwidthProbe.Result bandwidth = anyToMeasure ? probeBandwidth() : null;
        ChildRunner runner = new ChildRunner(c.out().resolve("logs"), c.verbose());
        List<JsonNode> results = new ArrayList<>();
        int ran = 0;
        int reused = 0;
        int failed = 0;
        int skipped = 0;
        // The bar counts the work of the cells to measure, in steps within each cell, so the ETA covers
        // the whole matrix from the first repetition on; cells done earlier or skipped cost nothing.
        CellProgress work = new CellProgress(c.warmup(), c.repetitions(), c.wrapper(), c.quality());
        long toMeasure = cells.stream().filter(cell -> !alreadyDone(c, cell) && skipReasonOf.apply(cell.spec()) == null)
                .count();
        int measuring = 0;
        try (Progress bar = Progress.start("bench", toMeasure * work.units(), "cells", work.units())) {
            long[] base = {0};
            for (Cell cell : cells) {
                CellSpec spec = cell.spec();
                if (alreadyDone(c, cell)) {
                    Progress.info("" + spec.id() + ": already measured (" + cell.file() + "), skipped; --force re-measures");
                    results.add(ResultStore.read(cell.file()));
                    reused++;
                    continue;
                }
                String unreadable = ResultStore.unreadable(cell.file());
                if (unreadable != null) {
                    Progress.info("bench: " + spec.id() + ": replacing an unreadable result (" + unreadable + ")");
                }
                Engine engine = engines.get(spec.engineOrDefault());
                String refusal = engine.refusal(spec.architecture());
                String skipReason = refusal != null ? refusal
                        : "gpu".equals(spec.backend()) ? engine.gpuUnavailableReason() : null;
                if (skipReason != null) {
                    ObjectNode doc = CellJson.base(spec, "skipped", skipReason);
                    CellJson.putEngine(doc, engine.identity());
                    stampParent(doc, Instant.now(), byPath.get(spec.modelPath()), engine);
                    putBandwidth(doc, bandwidth);
                    recordUnlessOk(cell.file(), doc, spec);
                    Progress.info(spec.id() + ": skipped: " + skipReason);
                    results.add(doc);
                    skipped++;
                    continue;
                }
                measuring++;
                Progress.info("" + spec.id() + ": measuring (" + measuring + "/" + toMeasure + ")");
                bar.phase(spec.variant() + " " + spec.backend() + " start");
                JsonNode doc = runOne(runner, applyFault(spec, fault), c, ph -> {
                    bar.phase(spec.variant() + " " + spec.backend() + " " + ph);
                    int at = work.at(ph);
                    if (at >= 0) {
                        bar.stepTo(base[0] + at);
                    }
                }, byPath.get(spec.modelPath()), bandwidth, engine);
                if (bandwidth != null && doc instanceof ObjectNode o && o.path("hardware").isObject()
                        && !o.path("hardware").has("memory_bandwidth")) {
                    // the child measured; the run's bandwidth figure joins its hardware snapshot
                    putBandwidth(o, bandwidth);
                    ResultStore.write(cell.file(), o);
                }
                base[0] += work.units();
                bar.stepTo(base[0]);
                bar.phase("");
                results.add(doc);
                String status = doc.path("status").asText();
                if ("ok".equals(status)) {
                    ran++;
                    Progress.info("" + spec.id() + ": ok (" + String.format("%.1f s", doc.path("harness").path("wall_seconds").asDouble()) + ")");
                } else if ("skipped".equals(status)) {
                    skipped++;
                    Progress.info("" + spec.id() + ": skipped: " + doc.path("reason").asText());
                } else {
                    failed++;
                    Progress.info("" + spec.id() + ": FAILED: " + doc.path("reason").asText());
                }
            }
        }
        return new Outcome(cells, results, ran, reused, failed, skipped);
    }

    private static boolean alreadyDone(BenchConfig c, Cell cell) {
        return !c.force() && ResultStore.isDone(cell.file(), cell.spec());
    }

    private static JsonNode runOne(ChildRunner runner, CellSpec spec, BenchConfig c, java.util.function.Consumer<String> phase,
                                   ModelCandidate model,
                                   BandwidthProbe.Result bandwidth, Engine engine) {
        Instant started = Instant.now();
        Path specDir = c.out().resolve(".specs");
        Path specFile = specDir.resolve(ModelNames.safeSegment(spec.id().replace('/', '_')) + ".json");
        try {
            spec.write(specFile);
        } catch (IOException e) {
            throw new dev.minillm.common.RunFailedException(specFile + ": cannot write the cell spec: " + e.getMessage(), e);
        }
        try {
            ChildRunner.Outcome o = runner.run(spec, specFile, c.timeoutSeconds(), phase);
            if (o.result() != null) {
                return o.result();
            }
            ObjectNode doc = CellJson.base(spec, "failed", o.failure());
            stampParent(doc, started, model, engine);
            putBandwidth(doc, bandwidth);
            recordUnlessOk(Path.of(spec.resultPath()), doc, spec);
            return doc;
        } finally {
            try {
                Files.deleteIfExists(specFile);
                Files.deleteIfExists(specDir);
            } catch (IOException ignored) {
                // another spec is still there (directory not empty): fine
            }
        }
    }

    private static final java.util.Map<String, HardwareSnapshot> HARDWARE = new java.util.HashMap<>();

    /**
     * Writes a failed or skipped record unless the file holds an ok result, which a failure never
     * replaces (e.g. a --force re-measurement that failed): the good figures stay and the reason
     * is this run's message.
     */
    private static void recordUnlessOk(Path file, ObjectNode doc, CellSpec spec) {
        if (ResultStore.isOk(file)) {
            doc.put("reason", doc.path("reason").asText() + " (the earlier ok result in " + file + " is kept)");
            return;
        }
        ResultStore.write(file, doc);
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
            try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString();
                    return dir.endsWith(".specs") ? n.endsWith(".json") : n.startsWith(".") && n.endsWith(".tmp");
                }).forEach(left::add);
            } catch (IOException e) {
                Progress.info("bench: warning: cannot list " + dir + ": " + e.getMessage());
            }
        }
        int removed = 0;
        for (Path p : left) {
            try {
                Files.deleteIfExists(p);
                removed++;
            } catch (IOException e) {
                Progress.info("bench: warning: cannot remove the leftover " + p + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(out.resolve(".specs"));
        } catch (IOException ignored) {
            // something else is in there: leave it
        }
        if (removed > 0) {
            Progress.info("bench: removed " + removed + " leftover file(s) of an interrupted run (cell specs, unfinished writes)");
        }
    }

    private static HardwareSnapshot hardware;

    private static BandwidthProbe.Result probeBandwidth() {
        int threads = HardwareSnapshot.defaultThreads();
        Progress.info("bench: measuring memory read bandwidth (" + threads + " thread(s), about a second)");
        BandwidthProbe.Result r = BandwidthProbe.measure(threads, BandwidthProbe.DEFAULT_BUFFER_BYTES);
        // hand the probe's buffer back before the children start
        System.gc();
        Progress.info("bench: memory read bandwidth " + r.summary());
        return r;
    }

    /** The run's bandwidth figure and its method in the cell's hardware snapshot ({@code hardware.memory_bandwidth}). */
    static void putBandwidth(ObjectNode doc, BandwidthProbe.Result r) {
        if (r == null || !doc.path("hardware").isObject()) {
            return;
        }
        ObjectNode b = ((ObjectNode) doc.get("hardware")).putObject("memory_bandwidth");
        b.put("bytes_per_s", r.bytesPerSecond());
        b.put("median_bytes_per_s", r.medianBytesPerSecond());
        b.put("threads", r.threads());
        b.put("buffer_bytes", r.bufferBytes());
        b.put("passes", r.passes());
        b.put("seconds", r.seconds());
        b.put("method", r.method());
        b.put("measured_by", "parent, once per bench run, before the cells");
    }

    /**
     * Completes a result the parent writes (failed or skipped cell): the model facts known without
     * loading it, this machine and the harness, so a report can still place and label the cell.
     */
    private static void stampParent(ObjectNode doc, Instant started, ModelCandidate m, Engine engine) {
        if (m != null) {
            ObjectNode mi = doc.putObject("model_info");
            mi.put("file_size_bytes", m.fileSizeBytes());
            mi.put("n_params", m.nParams());
            CellJson.num(mi, "bits_per_weight", m.bitsPerWeight());
            mi.put("file_type", m.variant());
            mi.put("architecture", m.architecture());
            mi.put("synthetic", m.synthetic());
        }
        HardwareSnapshot hardware;
        synchronized (HARDWARE) {
            hardware = HARDWARE.computeIfAbsent(engine.spec(), k -> CellExecutor.snapshot(engine.identity()));
        }
        CellExecutor.putHardware(doc.putObject("hardware"), hardware);
        if (!doc.has("engine")) {
            CellJson.putEngine(doc, engine.identity());
        }
        ObjectNode h = doc.putObject("harness");
        h.put("version", Version.get());
        h.put("started_utc", started.toString());
        h.put("finished_utc", Instant.now().toString());
        h.put("wall_seconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
        h.put("written_by", "parent");
    }

    static List<Cell> plan(BenchConfig c, PromptSet prompts, List<ModelCandidate> models, ResultStore store) {
        return plan(c, prompts, models, store, List.of());
    }

    /** {@code drafts}: one entry per draft model and K; every target cell is planned once per entry. */
    static List<Cell> plan(BenchConfig c, PromptSet prompts, List<ModelCandidate> models, ResultStore store,
                           List<SpeculativeSpec> drafts) {
        List<SpeculativeSpec> dimension = new ArrayList<>();
        if (c.speculation() == null || c.speculation().targetOnlyCells()) {
            dimension.add(null);
        }
        dimension.addAll(drafts);
        String tag = settingsTag(c, prompts);
        List<Cell> cells = new ArrayList<>();
        // The quality baseline of each family, chosen as 'minillm eval' does (F16, else the most precise real variant).
        java.util.Map<String, List<Path>> byFamily = new java.util.LinkedHashMap<>();
        for (ModelCandidate m : models) {
            byFamily.computeIfAbsent(m.family(), f -> new ArrayList<>()).add(m.path());
        }
        java.util.Map<String, Path> baselines = new java.util.HashMap<>();
        if (c.quality()) {
            byFamily.forEach((family, paths) -> baselines.put(family, dev.minillm.eval.BaselineChoice.pick(paths)));
        }
        for (ModelCandidate m : models) {
            for (String engine : c.engines())
            for (String backend : List.of("cpu", "gpu")) {
                if (!c.backends().contains(backend)) {
                    continue;
                }
                // The engine is part of the column (backend segment), not of the settings tag, so that
                // engines land side by side in one table.
                String seg = Engines.idSegment(engine);
                String column = seg.equals(Engines.DEFAULT) ? backend : backend + "-" + seg;
                for (SpeculativeSpec draft : dimension) {
                    String cellTag = draft == null ? tag : tag.isEmpty() ? draft.tag() : tag + "_" + draft.tag();
                    Path file = store.cellFile(m.family(), m.variant(), column, cellTag);
                    String id = m.family() + "/" + m.variant() + "__" + column + (cellTag.isEmpty() ? "" : "__" + cellTag);
                    // A speculative cell compares decoding speeds; quality and the wrapper's figure belong to the ordinary cell.
                    CellSpec spec = new CellSpec(id, m.family(), m.variant(), backend, m.path().toString(), m.synthetic(),
                            m.architecture(), c.threads(), c.ctx(), c.batch(),
                            backend.equals("gpu") ? EngineSettings.ALL_LAYERS : 0, c.nPredict(), c.repetitions(), c.warmup(),
                            prompts.source(), prompts.prompts(), c.timeoutSeconds(), c.wrapper() && draft == null, c.verbose(),
                            file.toAbsolutePath().toString(), null, c.quality() && draft == null,
                            baselines.get(m.family()) == null ? null : baselines.get(m.family()).toString(),
                            c.out().resolve("baseline").toString(), c.quality() && draft == null ? c.tasks() : null, draft,
                            engine);
                    cells.add(new Cell(spec, file));
                }
            }
        }
        return cells;
    }

    /**
     * Empty for the default settings, else a short tag of what differs, e.g. {@code t4_c4096_n128}:
     * results at other settings never overwrite the default ones. Repetitions and warmup change the
     * precision of a figure, not what it measures, so they are not part of the tag.
     */
    public static String settingsTag(BenchConfig c, PromptSet prompts) {
        List<String> parts = new ArrayList<>();
        if (c.threads() != HardwareSnapshot.defaultThreads()) {
            parts.add("t" + c.threads());
        }
        if (c.ctx() != BenchConfig.DEFAULT_CTX) {
            parts.add("c" + c.ctx());
        }
        if (c.batch() != BenchConfig.DEFAULT_BATCH) {
            parts.add("b" + c.batch());
        }
        if (c.nPredict() != BenchConfig.DEFAULT_N_PREDICT) {
            parts.add("n" + c.nPredict());
        }
        if (!prompts.isDefault()) {
            parts.add("p" + prompts.contentTag());
        }
        return String.join("_", parts);
    }

    private static CellSpec applyFault(CellSpec spec, String fault) {
        if (fault == null || fault.isBlank()) {
            return spec;
        }
        int at = fault.indexOf('@');
        String kind = at < 0 ? fault : fault.substring(0, at);
        String match = at < 0 ? "" : fault.substring(at + 1);
        return spec.id().contains(match) ? spec.withFault(kind) : spec;
    }
}
