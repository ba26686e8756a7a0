package dev.minillm.bench;

import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import dev.minillm.gguf.GgufFile;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.KvCache;
import dev.minillm.engine.NativeBuild;
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
import java.util.Set;

/**
 * A bench run: select and validate the models, plan the cells (model x variant x backend x the
 * product of every swept setting), run each cell not already measured with the same settings in
 * its own child JVM, record failures and skips.
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

    /**
     * llama.cpp's threads wait for each other at every step, so other work on the machine slows
     * and scatters the figures far more than its own CPU share; say so before spending the time.
     */
    private static void warnIfBusy(int threads) {
        double load = HardwareSnapshot.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        if (load >= 0 && load > 0.5 * cores) {
            Progress.info(String.format(Locale.ROOT, "bench: the machine is busy (load average %.1f on %d cores): "
                    + "other processes compete with llama.cpp's %d thread(s), so figures will be slower and noisier "
                    + "(the report's audit flags a high spread); wait for a quiet machine%s", load, cores, threads,
                    threads > 1 ? " or try --threads 1" : ""));
        }
    }

    public static Outcome run(BenchConfig c) {
        return run(c, new ChildRunner(c.out().resolve("logs"), c.output().verbose()));
    }

    /** Runs the matrix with {@code runner} starting the child JVMs. */
    public static Outcome run(BenchConfig c, ChildRunner runner) {
        PromptSet prompts = PromptSet.load(c.measure().promptsFile());
        List<ModelCandidate> models = ModelSelector.select(c.select());
        if (models.isEmpty()) {
            if (c.speculation() != null) {
                throw new dev.minillm.common.BadInputException("--draft needs target models (--model FILE or GGUF files under "
                        + c.select().modelDir() + "); the built-in synthetic family has no draft model");
            }
            models = DefaultFamily.prepare(c.select(), c.sweep().first(Dimensions.THREADS));
        }
        List<SpeculativeSpec> drafts = c.speculation() == null ? List.of() : DraftCheck.drafts(c.speculation(), models);
        if (models.stream().anyMatch(ModelCandidate::synthetic)) {
            Progress.info("bench: benchmarking SYNTHETIC weights (random values in the real model's shape): speed and "
                    + "memory are real for that shape, quality is n/a. Real weights: minillm download");
        }
        String gpuReason = c.select().backends().contains("gpu") ? NativeBuild.gpuUnavailableReason() : null;
        ResultStore store = new ResultStore(c.out());
        List<Cell> cells = plan(c, prompts, models, store, drafts);
        Map<String, ModelCandidate> byPath = new HashMap<>();
        models.forEach(m -> byPath.put(m.path().toString(), m));
        Map<String, KvCache> kvCaches = new HashMap<>();

        warnIfBusy(c.sweep().first(Dimensions.THREADS));
        List<CellRecord> results = new ArrayList<>();
        Set<String> reusedIds = new LinkedHashSet<>();
        int ran = 0;
        int failed = 0;
        int skipped = 0;
        try (Progress bar = Progress.start("bench", cells.size(), "cells")) {
            for (Cell cell : cells) {
                CellSpec spec = cell.spec();
                ResultStore.Reuse reuse = ResultStore.reuse(cell.file(), spec);
                if (!c.output().force() && reuse.reusable()) {
                    Progress.info("bench: " + spec.id() + ": already measured with the same settings (" + cell.file()
                            + "), reused; --force re-measures");
                    results.add(ResultStore.read(cell.file()));
                    reusedIds.add(spec.id());
                    bar.stepBy(1);
                    continue;
                }
                if (reuse.why() != null && !c.output().force()) {
                    Progress.info("bench: " + spec.id() + ": measuring again, " + reuse.why());
                }
                String unrunnable = "gpu".equals(spec.backend()) && gpuReason != null ? gpuReason
                        : unrunnable(spec.settings(), kvCaches.computeIfAbsent(spec.modelPath(), Bench::kvCache));
                if (unrunnable != null) {
                    CellRecord doc = stampParent(CellRecord.unmeasured(Status.SKIPPED, unrunnable, spec.cell(),
                            spec.measure().engine()), Instant.now(), byPath.get(spec.modelPath()), spec);
                    ResultStore.write(cell.file(), doc);
                    Progress.info("bench: " + spec.id() + ": skipped: " + unrunnable);
                    results.add(doc);
                    skipped++;
                    bar.stepBy(1);
                    continue;
                }
                Progress.info("bench: " + spec.id() + ": measuring (" + (cells.indexOf(cell) + 1) + "/" + cells.size() + ")");
                bar.phase(" " + spec.variant() + " " + spec.backend() + " start");
                CellRecord doc = runOne(runner, spec, c, bar, byPath.get(spec.modelPath()));
                results.add(doc);
                switch (doc.status()) {
                    case OK -> {
                        ran++;
                        Progress.info("bench: " + spec.id() + ": ok (" + String.format(Locale.ROOT, "%.1f s",
                                doc.harness() == null || doc.harness().wallSeconds() == null ? 0.0 : doc.harness().wallSeconds()) + ")");
                    }
                    case SKIPPED -> {
                        skipped++;
                        Progress.info("bench: " + spec.id() + ": skipped: " + doc.reason());
                    }
                    default -> {
                        failed++;
                        Progress.info("bench: " + spec.id() + ": FAILED: " + doc.reason());
                    }
                }
                bar.stepBy(1);
            }
        }
        return new Outcome(cells, results, reusedIds, ran, reusedIds.size(), failed, skipped);
    }

    private static KvCache kvCache(String modelPath) {
        return KvCache.of(GgufFile.open(Path.of(modelPath)).metadata());
    }

    /**
     * Why llama.cpp b4916 refuses these settings for this model, in its own words, or null when it
     * can run them: checked before a child is started (llama.cpp aborts on some), so the cell is
     * recorded as skipped with the reason instead of changed or crashed.
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

    private static CellRecord runOne(ChildRunner runner, CellSpec spec, BenchConfig c, Progress bar, ModelCandidate model) {
        Instant started = Instant.now();
        Path specDir = c.out().resolve(".specs");
        Path specFile = specDir.resolve(ModelNames.safeSegment(spec.id().replace('/', '_')) + ".json");
        try {
            spec.write(specFile);
        } catch (IOException e) {
            throw new RunFailedException(specFile + ": cannot write the cell spec: " + e.getMessage(), e);
        }
        try {
            ChildRunner.Outcome o = runner.run(spec, specFile, c.output().timeoutSeconds(),
                    ph -> bar.phase(" " + spec.variant() + " " + spec.backend() + " " + ph));
            if (o.result() != null) {
                return o.result();
            }
            CellRecord doc = stampParent(CellRecord.unmeasured(Status.FAILED, o.failure(), spec.cell(), spec.measure().engine()),
                    started, model, spec);
            ResultStore.write(Path.of(spec.output().resultPath()), doc);
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

    private static Hardware hardware;

    /**
     * Completes a result the parent writes (failed or skipped cell): the model facts known without
     * loading it, this machine and the harness, so a report can still place and label the cell.
     */
    private static CellRecord stampParent(CellRecord doc, Instant started, ModelCandidate m, CellSpec spec) {
        ModelInfo mi = m == null ? null : ModelInfo.ofFile(m.fileSizeBytes(), m.nParams(), m.bitsPerWeight(), m.variant(),
                m.architecture(), m.synthetic());
        synchronized (Bench.class) {
            if (hardware == null) {
                hardware = Hardware.of(HardwareSnapshot.capture(NativeBuild.BUILD, NativeBuild.systemInfo(), NativeBuild.gpuBackend()));
            }
        }
        Instant now = Instant.now();
        Harness h = new Harness(Version.get(), started.toString(), now.toString(),
                (now.toEpochMilli() - started.toEpochMilli()) / 1000.0, null, "parent", spec.output().timeoutS(), null, null);
        return doc.withFacts(mi, hardware, h);
    }

    /** The engine a cell runs on, as the result records it (the reuse check compares it). */
    static EngineInfo engineFor(Settings s) {
        return new EngineInfo(s.engine(), NativeBuild.BUILD);
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
            for (String backend : List.of("cpu", "gpu")) {
                if (!c.select().backends().contains(backend)) {
                    continue;
                }
                for (Settings point : points) {
                  for (SpeculativeSpec draft : dimension) {
                    Settings.Builder sb = point.toBuilder().gpuLayers(backend.equals("gpu") ? EngineSettings.ALL_LAYERS : 0);
                    if (draft != null) {
                        // A speculative cell compares decoding speeds; quality and the wrapper's figure belong to the ordinary cell.
                        sb.wrapper(false).quality(false).tasks(null).draft(draft.draftPath(), draft.draftVariant(), draft.draftMax());
                    }
                    Settings s = sb.build();
                    String tag = settingsTag(s, prompts);
                    if (draft != null) {
                        tag = tag.isEmpty() ? draft.tag() : tag + "_" + draft.tag();
                    }
                    Path file = store.cellFile(m.family(), m.variant(), backend, tag);
                    String id = m.family() + "/" + m.variant() + "__" + backend + (tag.isEmpty() ? "" : "__" + tag);
                    Path baseline = baselines.get(m.family());
                    CellSpec spec = new CellSpec(
                            new CellSpec.Target(id, m.family(), m.variant(), backend, m.path().toString(), m.synthetic(), m.architecture()),
                            new CellSpec.Measure(s, prompts.prompts(), engineFor(s), baseline == null ? null : baseline.toString(),
                                    c.out().resolve("baseline").toString(), draft),
                            new CellSpec.Output(file.toAbsolutePath().toString(), c.output().timeoutSeconds(), c.output().verbose()));
                    cells.add(new Cell(spec, file));
                  }
                }
            }
        }
        return cells;
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
