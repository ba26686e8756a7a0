package dev.minillm.report;

import dev.minillm.metrics.WithinNoise;
import dev.minillm.results.Metric;
import dev.minillm.results.Stat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The self-audit: checks each cell against the rules in {@link AuditRule} and returns one flag per
 * violation. Failed and skipped cells carry no measurements, so only the table-level mixing rules
 * look at them.
 */
public final class Auditor {

    private Auditor() {
    }

    /** Reads every cell under the results directories and audits them. */
    public static AuditReport auditResults(List<java.nio.file.Path> resultsDirs, AuditOptions options) {
        CellReader.Loaded loaded = CellReader.readAll(resultsDirs);
        if (loaded.cells().isEmpty() && loaded.problems().isEmpty()) {
            throw new dev.minillm.common.BadInputException(resultsDirs.stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + ": no cell results found (looked for raw/**/*.json)");
        }
        List<AuditFlag> flags = new ArrayList<>(loaded.unreadable());
        flags.addAll(audit(loaded.cells(), options));
        return new AuditReport(flags, loaded.problems(), loaded.cells().size());
    }

    public static List<AuditFlag> audit(List<CellResult> cells) {
        return audit(cells, AuditOptions.defaults());
    }

    public static List<AuditFlag> audit(List<CellResult> cells, AuditOptions options) {
        List<AuditFlag> flags = new ArrayList<>();
        for (CellResult c : cells) {
            auditCell(c, options, flags);
        }
        if (!options.allowMixed()) {
            Map<String, List<CellResult>> tables = new LinkedHashMap<>();
            for (CellResult c : cells) {
                tables.computeIfAbsent(c.tableKey(), k -> new ArrayList<>()).add(c);
            }
            for (List<CellResult> table : tables.values()) {
                mixed(table, AuditRule.MIXED_HARDWARE, c -> c.hardware() == null ? null : machineLabel(c), flags);
                mixed(table, AuditRule.MIXED_HARNESS, CellResult::harnessVersion, flags);
                // Engines side by side are the compared dimension (their own columns); within one
                // column every ratio must come from one build of that engine.
                Map<String, List<CellResult>> columns = new LinkedHashMap<>();
                table.forEach(c -> columns.computeIfAbsent(c.backend(), k -> new ArrayList<>()).add(c));
                for (List<CellResult> column : columns.values()) {
                    mixed(column, AuditRule.MIXED_ENGINE, Auditor::engineBuild, flags);
                }
            }
        }
        Map<String, List<CellResult>> tables = new LinkedHashMap<>();
        for (CellResult c : cells) {
            if (c.ok() && !c.synthetic() && c.quality() != null && c.quality().accuracy() != null) {
                tables.computeIfAbsent(c.tableKey(), k -> new ArrayList<>()).add(c);
            }
        }
        for (List<CellResult> table : tables.values()) {
            multipleChoice(table, flags);
        }
        return flags;
    }

    /**
     * Per task of one table: cells scored on other items than the majority are flagged (their
     * accuracies cannot be compared); when every pair of the remaining cells is within noise
     * ({@link WithinNoise}, the tables' rule), the first cell carries a note that the sample is too
     * small to rank the variants.
     */
    private static void multipleChoice(List<CellResult> table, List<AuditFlag> flags) {
        java.util.Set<String> tasks = new java.util.LinkedHashSet<>();
        for (CellResult c : table) {
            c.quality().accuracy().tasks().forEach(t -> tasks.add(t.task()));
        }
        for (String task : tasks) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (CellResult c : table) {
                CellResult.TaskScore t = c.quality().accuracy().task(task);
                if (t != null) {
                    counts.merge(t.itemsKey(), 1, Integer::sum);
                }
            }
            String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<CellResult> comparable = new ArrayList<>();
            for (CellResult c : table) {
                CellResult.TaskScore t = c.quality().accuracy().task(task);
                if (t == null) {
                    continue;
                }
                if (t.itemsKey().equals(majority)) {
                    comparable.add(c);
                } else {
                    flags.add(flag(c, AuditRule.MC_DIFFERENT_ITEMS, null, task + ": scored on other items than the rest of the "
                            + c.tableKey() + " table (another data file, --limit, --seed or --ids); its accuracy is not compared"));
                }
            }
            if (comparable.size() < 2) {
                continue;
            }
            boolean allWithin = true;
            for (int i = 0; i < comparable.size() && allWithin; i++) {
                for (int j = i + 1; j < comparable.size(); j++) {
                    CellResult.TaskScore a = comparable.get(i).quality().accuracy().task(task);
                    CellResult.TaskScore b = comparable.get(j).quality().accuracy().task(task);
                    if (a.stderr() == null || b.stderr() == null
                            || !WithinNoise.withinNoise(a.score(), a.stderr(), b.score(), b.stderr())) {
                        allWithin = false;
                        break;
                    }
                }
            }
            if (allWithin) {
                CellResult.TaskScore t = comparable.get(0).quality().accuracy().task(task);
                flags.add(flag(comparable.get(0), AuditRule.MC_WITHIN_NOISE, null, String.format(Locale.ROOT,
                        "%s: all %d variants are within noise of each other (± %.1f points on %d items); score more items "
                                + "(--limit) before reading a ranking into it", task, comparable.size(), 100 * t.stderr(), t.items())));
            }
        }
    }

    private static void auditCell(CellResult c, AuditOptions o, List<AuditFlag> flags) {
        if (c.synthetic() && c.quality() != null && c.quality().hasFigures()) {
            flags.add(flag(c, AuditRule.QUALITY_ON_SYNTHETIC, null,
                    "quality figures present for synthetic weights; the report shows n/a"));
        }
        if (!c.ok()) {
            return;
        }
        if (c.warmupDiscarded() == null) {
            flags.add(flag(c, AuditRule.WARMUP_NOT_DISCARDED, null, "warmup_discarded is missing"));
        } else if (c.warmupDiscarded() < 1) {
            flags.add(flag(c, AuditRule.WARMUP_NOT_DISCARDED, null,
                    "warmup_discarded = " + c.warmupDiscarded() + ", the first (cold-cache) repetition is in the figures"));
        }
        var gpu = c.record().gpu();
        if (gpu != null && gpu.softwareDevice()) {
            String devices = String.join(", ", gpu.devices().stream().filter(d -> d.software()).map(d -> d.label()).toList());
            flags.add(flag(c, AuditRule.SOFTWARE_GPU, null, "offloaded to " + devices
                    + ", which runs on the CPU: its speed is no GPU's speed"));
        }
        Integer reps = repetitions(c);
        if (reps == null || reps < o.minRepetitions()) {
            flags.add(flag(c, AuditRule.TOO_FEW_REPETITIONS, null,
                    (reps == null ? "repetition count unknown" : "n = " + reps) + ", need at least " + o.minRepetitions()));
        }
        for (Metric metric : Metric.CV_AUDITED) {
            Stat s = c.metric(metric);
            Double cv = s == null ? null : s.effectiveCv();
            if (cv != null && cv > o.maxCv()) {
                flags.add(flag(c, AuditRule.HIGH_CV, metric.key, String.format(Locale.ROOT,
                        "%s CV = %.1f %% (limit %.0f %%)", metric.shortName, cv * 100, o.maxCv() * 100)));
            }
        }
        if (c.metric(Metric.LOAD_COLD_MS) != null && !Boolean.TRUE.equals(c.coldLoadVerified())) {
            flags.add(flag(c, AuditRule.COLD_LOAD_NOT_COLD, "load_cold_ms", c.coldLoadVerified() == null
                    ? "cold load time reported without a verified cold_load record"
                    : "metrics.cold_load.verified is false (" + Objects.requireNonNullElse(c.coldLoadMethod(), "no method")
                    + "): the file was still in the page cache"
                    + (c.coldResidentFractionBefore() == null ? "" : String.format(Locale.ROOT,
                            " (%.1f %% resident before the load)", c.coldResidentFractionBefore() * 100))));
        }
        crosscheck(c, o, flags);
        if (Roofline.exceeded(c)) {
            Stat decode = c.metric("decode_tps");
            flags.add(flag(c, AuditRule.ABOVE_ROOFLINE, "decode_tps", String.format(Locale.ROOT,
                    "decode %s tok/s is above the roofline %.1f tok/s (%.2f GB/s ÷ %.1f MiB per token) beyond noise: "
                    + "the bandwidth probe ran on a busy machine, or the bytes per token are overcounted",
                    Figure.of(decode).renderValue(), Roofline.decodeTps(c), Roofline.bandwidth(c) / 1e9,
                    Roofline.bytesPerToken(c) / (1024.0 * 1024.0))));
        }
    }

    private static void crosscheck(CellResult c, AuditOptions o, List<AuditFlag> flags) {
        dev.minillm.results.Crosscheck cc = c.crosscheck();
        double threshold = cc != null && cc.thresholdPct() != null ? cc.thresholdPct() : o.crosscheckThresholdPct();
        Double decodeDiff = cc != null ? cc.decodeDiffPct() : diffPct(c.metric(Metric.DECODE_TPS), c.metric(Metric.NATIVE_DECODE_TPS));
        Double promptDiff = cc != null ? cc.promptDiffPct() : diffPct(c.metric(Metric.PROMPT_TPS), c.metric(Metric.NATIVE_PROMPT_TPS));
        List<String> parts = new ArrayList<>();
        String metric = null;
        if (decodeDiff != null && Math.abs(decodeDiff) > threshold) {
            parts.add(String.format(Locale.ROOT, "decode differs by %.1f %%", decodeDiff));
            metric = "decode_tps";
        }
        if (promptDiff != null && Math.abs(promptDiff) > threshold) {
            parts.add(String.format(Locale.ROOT, "prompt differs by %.1f %%", promptDiff));
            metric = metric == null ? "prompt_tps" : metric;
        }
        if (parts.isEmpty() && cc != null && Boolean.TRUE.equals(cc.flagged())) {
            parts.add("the harness flagged its crosscheck");
        }
        if (!parts.isEmpty()) {
            flags.add(flag(c, AuditRule.CROSSCHECK_DISAGREES, metric, String.join(", ", parts)
                    + String.format(Locale.ROOT, " from llama.cpp's own timing (threshold %.0f %%)", threshold)));
        }
    }

    private static Double diffPct(Stat project, Stat nativeTiming) {
        if (project == null || nativeTiming == null || nativeTiming.mean() == 0.0) {
            return null;
        }
        return (project.mean() - nativeTiming.mean()) / nativeTiming.mean() * 100.0;
    }

    /** Measured repetitions: n of decode tok/s, else the repetitions array, else the planned count. */
    static Integer repetitions(CellResult c) {
        Stat decode = c.metric(Metric.DECODE_TPS);
        if (decode != null && decode.n() != null) {
            return decode.n();
        }
        if (c.repetitionCount() != null) {
            return c.repetitionCount();
        }
        return c.settings() == null || c.settings().repetitions() == 0 ? null : c.settings().repetitions();
    }

    /** The engine build that measured a cell ("native v0.4.0 (cpu) 80fb11a"), null when not recorded. */
    static String engineBuild(CellResult c) {
        dev.minillm.results.EngineInfo e = c.record().engine();
        if (e == null || e.name() == null) {
            return null;
        }
        if (e.llamaCppTag() == null && e.llamaCppCommit() == null) {
            return null; // which build is unknown (e.g. a converted version-1 file without its hardware): nothing to compare
        }
        String label = e.label() != null ? e.label() : e.name() + (e.llamaCppTag() == null ? "" : " " + e.llamaCppTag());
        return label + (e.llamaCppCommit() == null ? "" : " " + e.llamaCppCommit().substring(0, Math.min(7, e.llamaCppCommit().length())));
    }

    static String machineLabel(CellResult c) {
        dev.minillm.results.Hardware h = c.hardware();
        return Objects.requireNonNullElse(h.cpuModel(), "unknown CPU") + " on " + Objects.requireNonNullElse(h.hostname(), "unknown host");
    }

    /** Flags every cell whose value differs from the table's most common value. */
    private static void mixed(List<CellResult> table, AuditRule rule, Function<CellResult, String> key, List<AuditFlag> flags) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (CellResult c : table) {
            String k = key.apply(c);
            if (k != null) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        if (counts.size() < 2) {
            return;
        }
        String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        for (CellResult c : table) {
            String k = key.apply(c);
            if (k != null && !k.equals(majority)) {
                String what = switch (rule) {
                    case MIXED_HARDWARE -> "machine";
                    case MIXED_ENGINE -> "engine build";
                    default -> "harness version";
                };
                String of = rule == AuditRule.MIXED_ENGINE ? "the " + c.backend() + " column of the " + c.tableKey() + " table"
                        : "the " + c.tableKey() + " table";
                flags.add(flag(c, rule, null, what + " '" + k + "' differs from '" + majority
                        + "' of the rest of " + of + "; pass --allow-mixed to compare on purpose"));
            }
        }
    }

    private static AuditFlag flag(CellResult c, AuditRule rule, String metric, String message) {
        return new AuditFlag(c.displayId(), c.file(), rule, metric, message);
    }
}
