package dev.minillm.report;

import dev.minillm.gguf.LlamaFileType;
import dev.minillm.metrics.WithinNoise;
import dev.minillm.results.Metric;
import dev.minillm.results.Stat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparison table of one model at one setting: a column per cell (variant x backend, grouped
 * by machine), a row per figure. Ratios are computed here, within one machine: speedup over the
 * baseline variant (F16) on the same backend, over the CPU cell of the same variant, size ratio,
 * and delta-PPL against the baseline.
 */
public final class ComparisonTable {
    private static final double MIB = 1024.0 * 1024.0;

    /** One machine of a (possibly merged) report. */
    public record Machine(String key, String hostname, String cpuModel, String label) {
    }

    /** One column: a cell and its rendered figures. */
    public record Column(CellResult cell, Machine machine, Map<Row, Figure> figures, int flagCount) {
        public String header() {
            return cell.variant() + " " + cell.backend();
        }

        public Figure figure(Row row) {
            return figures.getOrDefault(row, Figure.missing());
        }
    }

    private final String key;
    private final String model;
    private final String settingsTag;
    private final String settingsSummary;
    private final String baselineVariant;
    private final List<Machine> machines;
    private final List<Column> columns;
    private final List<Row> rows;
    private final String qualityAxis;

    private ComparisonTable(String key, String model, String settingsTag, String settingsSummary, String baselineVariant,
                            List<Machine> machines, List<Column> columns, List<Row> rows, String qualityAxis) {
        this.key = key;
        this.model = model;
        this.settingsTag = settingsTag;
        this.settingsSummary = settingsSummary;
        this.baselineVariant = baselineVariant;
        this.machines = machines;
        this.columns = columns;
        this.rows = rows;
        this.qualityAxis = qualityAxis;
    }

    public String key() {
        return key;
    }

    public String model() {
        return model;
    }

    public String settingsTag() {
        return settingsTag;
    }

    public String settingsSummary() {
        return settingsSummary;
    }

    public String baselineVariant() {
        return baselineVariant;
    }

    public List<Machine> machines() {
        return machines;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Columns of cells that ran (status ok); failed and skipped cells are listed apart with their reason. */
    public List<Column> measuredColumns() {
        return columns.stream().filter(c -> c.cell().ok()).toList();
    }

    /** Failed and skipped cells. */
    public List<Column> notMeasured() {
        return columns.stream().filter(c -> !c.cell().ok()).toList();
    }

    /** The rows shown (optional rows without any value are left out). */
    public List<Row> rows() {
        return rows;
    }

    /** The quality measure the Pareto front uses ("KLD mean", "ΔPPL", "PPL"), or null without quality data. */
    public String qualityAxis() {
        return qualityAxis;
    }

    /** False when no measured cell has a quality result: the quality rows are then left out. */
    public boolean hasQuality() {
        return rows.stream().anyMatch(r -> r.section == Row.Section.QUALITY);
    }

    public boolean multiMachine() {
        return machines.size() > 1;
    }

    public String title() {
        return model + (settingsTag == null ? "" : " (" + settingsTag + ")");
    }

    /** Builds one table per model and settings, flags marking the figures the audit objected to. */
    public static List<ComparisonTable> build(List<CellResult> cells, List<AuditFlag> flags) {
        Map<String, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult c : cells) {
            groups.computeIfAbsent(c.tableKey(), k -> new ArrayList<>()).add(c);
        }
        List<ComparisonTable> tables = new ArrayList<>();
        for (Map.Entry<String, List<CellResult>> g : groups.entrySet()) {
            tables.add(buildOne(g.getKey(), g.getValue(), flags));
        }
        tables.sort(Comparator.comparing(ComparisonTable::key));
        return tables;
    }

    private static ComparisonTable buildOne(String key, List<CellResult> group, List<AuditFlag> flags) {
        Map<String, Machine> machines = new LinkedHashMap<>();
        for (CellResult c : group) {
            if (c.hardware() != null) {
                machines.computeIfAbsent(c.machineKey(), k -> machine(c));
            }
        }
        // a cell written without a hardware snapshot (e.g. skipped before its child ran) belongs to
        // the table's machine when there is only one
        String soleMachine = machines.size() == 1 ? machines.keySet().iterator().next() : null;
        Map<CellResult, String> machineOf = new HashMap<>();
        for (CellResult c : group) {
            String k = c.hardware() != null ? c.machineKey() : soleMachine != null ? soleMachine : c.machineKey();
            machineOf.put(c, k);
            machines.computeIfAbsent(k, x -> machine(c));
        }
        List<String> machineOrder = new ArrayList<>(machines.keySet());
        List<CellResult> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.<CellResult>comparingInt(c -> machineOrder.indexOf(machineOf.get(c)))
                .thenComparingInt((CellResult c) -> LlamaFileType.precisionRank(c.variant()))
                .thenComparing(CellResult::variant)
                // cpu first, then the gpu cells as their layers leave the CPU (--gpu-layers), local before RPC
                .thenComparingInt((CellResult c) -> c.backend().startsWith("cpu") ? 0 : 1)
                .thenComparingInt((CellResult c) -> c.settings() == null ? 0 : c.settings().rpc().size())
                .thenComparingInt((CellResult c) -> c.settings() == null ? 0 : c.settings().gpuLayers())
                .thenComparing(c -> "cpu".equals(c.backend()) ? "" : c.backend()));

        String baseline = baselineVariant(group);
        Builder b = new Builder(sorted, baseline, machineOf);
        String qualityAxis = b.qualityAxis();
        Set<CellResult> pareto = b.paretoFront();

        List<Column> columns = new ArrayList<>();
        for (CellResult c : sorted) {
            List<AuditFlag> own = flags.stream().filter(f -> Objects.equals(f.file(), c.file())
                    && Objects.equals(f.cellId(), c.displayId())).toList();
            Machine m = machines.get(machineOf.get(c));
            Map<Row, Figure> figures = b.figures(c, m, pareto, own);
            columns.add(new Column(c, m, figures, own.size()));
        }
        List<Row> rows = new ArrayList<>();
        // without any quality result the whole section would be dashes: leave it out (renderers say so)
        boolean anyQuality = columns.stream().filter(col -> col.cell().ok()).anyMatch(col -> java.util.Arrays.stream(Row.values())
                .filter(r -> r.section == Row.Section.QUALITY).anyMatch(r -> !col.figure(r).isMissing()));
        for (Row r : Row.values()) {
            if (r.section == Row.Section.QUALITY && !anyQuality) {
                continue;
            }
            if (r == Row.MACHINE) {
                if (machines.size() > 1) {
                    rows.add(r);
                }
            } else if (!r.optional || columns.stream().filter(col -> col.cell().ok()).anyMatch(col -> !col.figure(r).isMissing()
                    && !"no".equals(col.figure(r).text()))) {
                rows.add(r);
            }
        }
        CellResult first = group.get(0);
        return new ComparisonTable(key, first.model(), first.settingsTag(), settingsSummary(first), baseline,
                List.copyOf(machines.values()), columns, rows, qualityAxis);
    }

    private static Machine machine(CellResult c) {
        dev.minillm.results.Hardware h = c.hardware();
        String host = h == null ? null : h.hostname();
        String cpu = h == null ? null : h.cpuModel();
        String label = host != null ? host : cpu != null ? cpu : "unknown machine";
        return new Machine(c.machineKey(), host, cpu, label);
    }

    private static String settingsSummary(CellResult c) {
        dev.minillm.results.Settings s = c.settings();
        if (s == null) {
            return "";
        }
        return "threads " + s.threads() + ", ctx " + s.ctx() + ", batch " + s.batch() + ", ubatch " + s.ubatch()
                + ", cache " + s.cacheTypeK() + "/" + s.cacheTypeV() + ", flash-attn " + (s.flashAttn() ? "on" : "off")
                + ", n_predict " + s.nPredict() + ", prompt_count " + s.promptCount() + ", repetitions " + s.repetitions()
                + ", warmup " + s.warmup() + ", sampler " + s.sampler();
    }

    /** The variant quality and ratios are measured against: the one named by the cells, else F16, else the most precise. */
    static String baselineVariant(List<CellResult> group) {
        Map<String, Integer> named = new HashMap<>();
        for (CellResult c : group) {
            if (c.quality() != null && c.quality().baselineVariant() != null) {
                named.merge(c.quality().baselineVariant(), 1, Integer::sum);
            }
        }
        if (!named.isEmpty()) {
            return named.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
        // No cell names one: the same rule eval uses (F16, else the most precise variant measured).
        return group.stream().filter(CellResult::ok).map(CellResult::variant)
                .min(Comparator.comparingInt(LlamaFileType::baselineRank))
                .orElse("F16");
    }

    /** Computes the figures of each column, looking up the baseline cells on the same machine. */
    private static final class Builder {
        private final List<CellResult> cells;
        private final String baseline;
        private final Map<CellResult, String> machineOf;

        Builder(List<CellResult> cells, String baseline, Map<CellResult, String> machineOf) {
            this.cells = cells;
            this.baseline = baseline;
            this.machineOf = machineOf;
        }

        private boolean sameMachine(CellResult a, CellResult b) {
            return machineOf.get(a).equals(machineOf.get(b));
        }

        /** "cpu" or "gpu": the column label without the engine ("cpu native" -> "cpu"). */
        private static String baseBackend(CellResult c) {
            int sp = c.backend().indexOf(' ');
            return sp < 0 ? c.backend() : c.backend().substring(0, sp);
        }

        /** The engine part of the column label, empty for the bundled engine. */
        private static String engineOf(CellResult c) {
            int sp = c.backend().indexOf(' ');
            return sp < 0 ? "" : c.backend().substring(sp + 1);
        }

        private CellResult find(Predicate<CellResult> p) {
            return cells.stream().filter(CellResult::ok).filter(p).findFirst().orElse(null);
        }

        /** The baseline-variant cell on the same machine and backend (for speedups). */
        CellResult baselineSameBackend(CellResult c) {
            return find(o -> sameMachine(o, c) && o.backend().equals(c.backend())
                    && o.variant().equalsIgnoreCase(baseline));
        }

        /** The baseline-variant cell on the same machine, any backend (size and quality do not depend on it). */
        CellResult baselineAnyBackend(CellResult c) {
            CellResult same = baselineSameBackend(c);
            return same != null ? same : find(o -> sameMachine(o, c)
                    && o.variant().equalsIgnoreCase(baseline));
        }

        /** The same variant on the CPU of the same machine and engine. */
        CellResult cpuSameVariant(CellResult c) {
            return find(o -> sameMachine(o, c) && "cpu".equals(baseBackend(o)) && engineOf(o).equals(engineOf(c))
                    && o.variant().equals(c.variant()));
        }

        /** The same variant and backend on the bundled engine (the engine is the compared dimension). */
        CellResult bundledSameVariant(CellResult c) {
            return find(o -> sameMachine(o, c) && baseBackend(o).equals(baseBackend(c)) && engineOf(o).isEmpty()
                    && o.variant().equals(c.variant()));
        }

        String qualityAxis() {
            if (cells.stream().anyMatch(c -> realQuality(c) != null && realQuality(c).kldMean() != null)) {
                return "KLD mean";
            }
            if (cells.stream().anyMatch(c -> deltaPpl(c) != null)) {
                return "ΔPPL";
            }
            if (cells.stream().anyMatch(c -> realQuality(c) != null && realQuality(c).ppl() != null)) {
                return "PPL";
            }
            return null;
        }

        /** Quality loss on the chosen axis (lower is better), or null. The baseline itself scores 0. */
        Double qualityLoss(CellResult c) {
            CellResult.Quality q = realQuality(c);
            if (q == null) {
                return null;
            }
            String axis = qualityAxis();
            if ("KLD mean".equals(axis)) {
                return q.kldMean() != null ? q.kldMean() : c.variant().equalsIgnoreCase(baseline) ? 0.0 : null;
            }
            if ("ΔPPL".equals(axis)) {
                Double d = deltaPpl(c);
                return d != null ? d : c.variant().equalsIgnoreCase(baseline) ? 0.0 : null;
            }
            return q.ppl();
        }

        /** Columns no other column beats on both size and quality loss. */
        Set<CellResult> paretoFront() {
            List<CellResult> candidates = cells.stream()
                    .filter(c -> c.ok() && sizeBytes(c) != null && qualityLoss(c) != null).toList();
            Set<CellResult> front = new java.util.HashSet<>();
            for (CellResult c : candidates) {
                boolean dominated = candidates.stream().anyMatch(o -> o != c
                        && sizeBytes(o) <= sizeBytes(c) && qualityLoss(o) <= qualityLoss(c)
                        && (sizeBytes(o) < sizeBytes(c) || qualityLoss(o) < qualityLoss(c)));
                if (!dominated) {
                    front.add(c);
                }
            }
            return front;
        }

        /** Quality of real weights only: synthetic weights have no meaningful quality. */
        static CellResult.Quality realQuality(CellResult c) {
            return c.ok() && !c.synthetic() ? c.quality() : null;
        }

        Double deltaPpl(CellResult c) {
            CellResult.Quality q = realQuality(c);
            if (q == null) {
                return null;
            }
            if (q.deltaPpl() != null) {
                return q.deltaPpl();
            }
            CellResult base = baselineAnyBackend(c);
            CellResult.Quality bq = base == null ? null : realQuality(base);
            if (q.ppl() == null || bq == null || bq.ppl() == null) {
                return null;
            }
            return q.ppl() - bq.ppl();
        }

        /** Where a gpu cell's model went: device, split and device memory (nothing for a cpu cell). */
        private static void gpuFigures(CellResult c, Map<Row, Figure> f) {
            var g = c.record().gpu();
            if (g == null) {
                return;
            }
            List<String> devices = g.devices().stream().filter(d -> g.split().containsKey(d.name()))
                    .map(d -> d.label() + (d.driver() != null ? "; " + d.driver() : "")
                            + String.format(java.util.Locale.ROOT, "; %.0f / %.0f MiB", d.memoryFreeBytes() / MIB, d.memoryTotalBytes() / MIB))
                    .toList();
            f.put(Row.GPU_DEVICE, devices.isEmpty() ? Figure.text("none (all layers on the CPU)") : Figure.text(String.join(" + ", devices)));
            f.put(Row.GPU_LAYERS, Figure.text(g.layersOffloaded() + " of " + g.layersTotal() + " (" + g.splitText() + ")"));
            f.put(Row.GPU_MODEL_MIB, Figure.number(g.modelBytesOffloaded() / MIB, null, null));
            f.put(Row.GPU_KV_MIB, Figure.number(g.kvBytesOffloaded() / MIB, null, null));
        }

        Map<Row, Figure> figures(CellResult c, Machine machine, Set<CellResult> pareto, List<AuditFlag> flags) {
            Map<Row, Figure> f = new EnumMap<>(Row.class);
            f.put(Row.STATUS, Figure.text(statusText(c) + (flags.isEmpty() ? "" : " ⚠" + flags.size())));
            f.put(Row.MACHINE, Figure.text(machine.label()));
            f.put(Row.WEIGHTS, c.modelInfo() == null && c.quality() == null ? Figure.missing()
                    : Figure.text(c.synthetic() ? "synthetic weights" : "real"));
            if (!c.ok()) {
                return f;
            }
            Long size = sizeBytes(c);
            f.put(Row.SIZE_MIB, Figure.number(size == null ? null : size / MIB, null, null));
            CellResult base = baselineAnyBackend(c);
            Long baseSize = base == null ? null : sizeBytes(base);
            f.put(Row.SIZE_RATIO, size == null || baseSize == null || baseSize == 0 ? Figure.missing()
                    : Figure.ratio((double) size / baseSize, null));
            Double bpw = c.modelInfo() == null ? null : c.modelInfo().bitsPerWeight();
            f.put(Row.BITS_PER_WEIGHT, bpw == null || bpw == 0 ? Figure.missing() : Figure.number(bpw, null, null));
            f.put(Row.RSS_AFTER_LOAD, mib(c.metric(Metric.RSS_AFTER_LOAD_BYTES)));
            f.put(Row.RSS_AFTER_GEN, mib(c.metric(Metric.RSS_AFTER_GEN_BYTES)));
            f.put(Row.PEAK_RSS, mib(c.metric(Metric.PEAK_RSS_BYTES)));
            gpuFigures(c, f);
            f.put(Row.LOAD_COLD, Figure.of(c.metric(Metric.LOAD_COLD_MS)));
            f.put(Row.LOAD_WARM, Figure.of(c.metric(Metric.LOAD_WARM_MS)));
            f.put(Row.TTFT, Figure.of(c.metric(Metric.TTFT_MS)));
            f.put(Row.PROMPT_TPS, Figure.of(c.metric(Metric.PROMPT_TPS)));
            f.put(Row.DECODE_TPS, Figure.of(c.metric(Metric.DECODE_TPS)));
            f.put(Row.NATIVE_DECODE_TPS, Figure.of(c.metric(Metric.NATIVE_DECODE_TPS)));
            f.put(Row.WRAPPER_DECODE_TPS, Figure.of(c.metric(Metric.WRAPPER_DECODE_TPS)));
            f.put(Row.ITL_P50, Figure.of(c.metric(Metric.ITL_P50_MS)));
            f.put(Row.ITL_P99, Figure.of(c.metric(Metric.ITL_P99_MS)));

            CellResult sameBackend = baselineSameBackend(c);
            f.put(Row.DECODE_SPEEDUP_BASELINE, speedup(c, sameBackend, Metric.DECODE_TPS));
            f.put(Row.PROMPT_SPEEDUP_BASELINE, speedup(c, sameBackend, Metric.PROMPT_TPS));
            if (!"cpu".equals(baseBackend(c))) {
                CellResult cpu = cpuSameVariant(c);
                f.put(Row.DECODE_SPEEDUP_CPU, speedup(c, cpu, Metric.DECODE_TPS));
                f.put(Row.PROMPT_SPEEDUP_CPU, speedup(c, cpu, Metric.PROMPT_TPS));
            }
            roofline(c, f);
            if (!engineOf(c).isEmpty()) {
                CellResult bundled = bundledSameVariant(c);
                f.put(Row.DECODE_SPEEDUP_BUNDLED, speedup(c, bundled, Metric.DECODE_TPS));
                f.put(Row.PROMPT_SPEEDUP_BUNDLED, speedup(c, bundled, Metric.PROMPT_TPS));
            }
            quality(c, f, pareto);
            for (AuditFlag flag : flags) {
                Row row = flaggedRow(flag);
                if (row != null && f.containsKey(row)) {
                    f.put(row, f.get(row).withFlag());
                }
            }
            return f;
        }

        private static void roofline(CellResult c, Map<Row, Figure> f) {
            Double bytes = Roofline.bytesPerToken(c);
            Double bw = Roofline.bandwidth(c);
            Double roof = Roofline.decodeTps(c);
            f.put(Row.BYTES_PER_TOKEN, bytes == null ? Figure.missing() : Figure.number(bytes / MIB, null, null));
            f.put(Row.MEMORY_BANDWIDTH, bw == null ? Figure.missing() : Figure.number(bw / 1e9, null, null));
            f.put(Row.ROOFLINE_TPS, roof == null ? Figure.missing() : Figure.number(roof, null, null));
            f.put(Row.ROOFLINE_FRACTION, Roofline.fraction(c));
            String bound = Roofline.bound(c);
            f.put(Row.DECODE_BOUND, bound == null ? Figure.missing() : Figure.text(bound));
            f.put(Row.PROMPT_GFLOPS, Roofline.promptGflops(c));
        }

        private void quality(CellResult c, Map<Row, Figure> f, Set<CellResult> pareto) {
            List<Row> qualityRows = List.of(Row.PPL, Row.DELTA_PPL, Row.KLD_MEAN, Row.KLD_P99, Row.TOP1,
                    Row.HALLUCINATION_ACCURACY, Row.HALLUCINATION_RATE, Row.PARETO);
            if (c.synthetic()) {
                for (Row r : qualityRows) {
                    f.put(r, Figure.text("n/a (synthetic)"));
                }
                return;
            }
            CellResult.Quality q = c.quality();
            if (q == null) {
                return;
            }
            f.put(Row.PPL, Figure.number(q.ppl(), q.pplStderr(), null).withPrecision());
            Double delta = deltaPpl(c);
            Double relative = null;
            if (delta != null && q.ppl() != null && q.ppl() - delta != 0) {
                relative = delta / (q.ppl() - delta);
            }
            boolean isBaseline = c.variant().equalsIgnoreCase(baseline);
            f.put(Row.DELTA_PPL, isBaseline ? Figure.text("baseline") : Figure.delta(delta, relative));
            f.put(Row.KLD_MEAN, q.kldMean() == null && isBaseline ? Figure.text("baseline") : Figure.number(q.kldMean(), null, null));
            f.put(Row.KLD_P99, q.kldP99() == null && isBaseline ? Figure.text("baseline") : Figure.number(q.kldP99(), null, null));
            f.put(Row.TOP1, q.top1Agreement() == null && isBaseline ? Figure.text("baseline") : Figure.percent(q.top1Agreement()));
            f.put(Row.HALLUCINATION_ACCURACY, Figure.percent(q.hallucinationAccuracy()));
            f.put(Row.HALLUCINATION_RATE, Figure.percent(q.hallucinationRate()));
            accuracy(c, q, isBaseline, f);
            if (qualityLoss(c) != null && sizeBytes(c) != null) {
                f.put(Row.PARETO, Figure.text(pareto.contains(c) ? "yes" : "no"));
            }
        }

        /** The multiple-choice rows and the task each shows. */
        static final Map<Row, String> TASK_ROWS = Map.of(Row.ARC_EASY, "arc_easy", Row.ARC_CHALLENGE, "arc_challenge",
                Row.HELLASWAG, "hellaswag", Row.PIQA, "piqa", Row.WINOGRANDE, "winogrande");

        /**
         * Accuracy ± stderr per task with the difference from the baseline variant, marked "within
         * noise" when it is inside the combined standard error (the rule of {@link WithinNoise});
         * the facts' likelihood score the same way; weight fidelity as "mean cosine, worst tensor".
         */
        private void accuracy(CellResult c, CellResult.Quality q, boolean isBaseline, Map<Row, Figure> f) {
            CellResult.Accuracy a = q.accuracy();
            if (a == null) {
                return;
            }
            CellResult base = isBaseline ? null : baselineAnyBackend(c);
            CellResult.Accuracy ba = base == null || realQuality(base) == null ? null : realQuality(base).accuracy();
            for (Map.Entry<Row, String> e : TASK_ROWS.entrySet()) {
                CellResult.TaskScore t = a.task(e.getValue());
                if (t == null) {
                    continue;
                }
                CellResult.TaskScore bt = ba == null ? null : ba.task(e.getValue());
                String vs = null;
                if (bt != null && bt.itemsKey().equals(t.itemsKey())) {
                    vs = vsBaseline(t.score(), t.stderr(), bt.score(), bt.stderr());
                } else if (bt != null) {
                    vs = "other items than " + baseline + ": not compared";
                }
                f.put(e.getKey(), new Figure(Figure.Kind.TEXT, t.score(), t.stderr(), t.items(),
                        points(t.score()) + (t.stderr() == null ? "" : " ± " + points(t.stderr())) + (vs == null ? "" : " (" + vs + ")"), false));
            }
            if (a.factsPreferred() != null) {
                String vs = ba == null || ba.factsPreferred() == null ? null
                        : vsBaseline(a.factsPreferred(), a.factsPreferredStderr(), ba.factsPreferred(), ba.factsPreferredStderr());
                f.put(Row.FACTS_LIKELIHOOD, new Figure(Figure.Kind.TEXT, a.factsPreferred(), a.factsPreferredStderr(), null,
                        points(a.factsPreferred()) + (a.factsMargin() == null ? "" : String.format(java.util.Locale.ROOT,
                                ", margin %s%.2f nats", a.factsMargin() < 0 ? "−" : "+", Math.abs(a.factsMargin())))
                                + (vs == null ? "" : " (" + vs + ")"), false));
            }
            if (a.meanCosine() != null) {
                f.put(Row.WEIGHT_FIDELITY, isBaseline && a.meanCosine() == 1.0 ? Figure.text("baseline")
                        : new Figure(Figure.Kind.TEXT, a.meanCosine(), null, a.fidelityTensors(), String.format(java.util.Locale.ROOT,
                        "mean cosine %s%s", cosine(a.meanCosine()), a.worstTensor() == null ? ""
                                : ", worst tensor " + a.worstTensor() + " " + cosine(a.minCosine())), false));
            }
        }

        /** "−2.0 vs F16, within noise" (points; the rule of {@link WithinNoise}). */
        private String vsBaseline(double v, Double se, double b, Double seB) {
            double points = 100 * (v - b);
            String d = (points < 0 ? "−" : "+") + String.format(java.util.Locale.ROOT, "%.1f vs %s", Math.abs(points), baseline);
            if (se == null || seB == null) {
                return d;
            }
            return d + (WithinNoise.withinNoise(v, se, b, seB) ? ", within noise" : ", beyond noise");
        }

        private static String points(double fraction) {
            return String.format(java.util.Locale.ROOT, "%.1f", 100 * fraction);
        }

        private static String cosine(Double c) {
            return c == null ? "?" : c == 1.0 ? "1" : String.format(java.util.Locale.ROOT, "%.5f", c);
        }

        private static Row flaggedRow(AuditFlag flag) {
            if (flag.metric() == null) {
                return null;
            }
            // the row that shows the flagged metric, from the one registry of metric names
            for (Row r : Row.values()) {
                if (r.metric != null && r.metric.key.equals(flag.metric())) {
                    return r;
                }
            }
            return null;
        }

        /** this / reference, with the relative spreads of both combined ({@link Noise#ratio}). */
        private Figure speedup(CellResult c, CellResult reference, Metric metric) {
            if (reference == null) {
                return Figure.missing();
            }
            if (reference == c) {
                return Figure.text("baseline");
            }
            Noise.Ratio r = Noise.ratio(c.metric(metric), reference.metric(metric));
            return r == null ? Figure.missing() : Figure.ratio(r.value(), r.spread());
        }

    }

    /**
     * The quality loss of a column on the table's quality axis (lower is better; the baseline
     * scores 0), read from its figures; null without quality figures.
     */
    public Double qualityLoss(Column c) {
        if (qualityAxis == null) {
            return null;
        }
        Figure f = switch (qualityAxis) {
            case "KLD mean" -> c.figure(Row.KLD_MEAN);
            case "ΔPPL" -> c.figure(Row.DELTA_PPL);
            default -> c.figure(Row.PPL);
        };
        if (f.value() != null) {
            return f.value();
        }
        return "baseline".equals(f.text()) ? 0.0 : null;
    }

    /**
     * One sentence on what limits decode in this table, from the roofline rows: which cells run far
     * below the line because they are overhead-bound, which are near it; null without roofline data.
     */
    public String rooflineNote() {
        List<String> overhead = new ArrayList<>();
        List<String> memory = new ArrayList<>();
        List<String> other = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double maxBytes = 0;
        for (Column c : measuredColumns()) {
            String bound = Roofline.bound(c.cell());
            if (bound == null) {
                continue;
            }
            double pct = Roofline.fraction(c.cell()).value();
            switch (bound) {
                case "overhead" -> {
                    overhead.add(c.header());
                    lo = Math.min(lo, pct);
                    hi = Math.max(hi, pct);
                    maxBytes = Math.max(maxBytes, Roofline.bytesPerToken(c.cell()));
                }
                case "memory bandwidth" -> memory.add(c.header());
                default -> other.add(c.header() + " (" + bound + ")");
            }
        }
        List<String> parts = new ArrayList<>();
        if (!overhead.isEmpty()) {
            String range = Math.round(lo * 100) == Math.round(hi * 100) ? Math.round(lo * 100) + " %"
                    : Math.round(lo * 100) + "–" + Math.round(hi * 100) + " %";
            parts.add(String.format(java.util.Locale.ROOT, "%s %s overhead-bound: %s of the memory roofline while "
                            + "reading at most %s MiB per token, so per-token fixed costs (graph set-up, thread hand-offs, "
                            + "sampling), not memory bandwidth, limit decode", String.join(", ", overhead),
                    overhead.size() == 1 ? "is" : "are", range, Figure.fixed(maxBytes / MIB, Figure.decimals(maxBytes / MIB))));
        }
        if (!memory.isEmpty()) {
            parts.add(String.join(", ", memory) + (memory.size() == 1 ? " runs" : " run") + " at ≥ "
                    + Math.round(Roofline.MEMORY_BOUND_FRACTION * 100) + " % of the roofline: memory-bandwidth-bound");
        }
        if (!other.isEmpty()) {
            parts.add("below the line: " + String.join(", ", other));
        }
        return parts.isEmpty() ? null : String.join("; ", parts) + ".";
    }

    static String statusText(CellResult c) {
        if (c.ok()) {
            return "ok";
        }
        String word = "failed".equals(c.status()) ? "FAILED" : c.status();
        return c.reason() == null ? word : word + ": " + c.reason();
    }

    static Long sizeBytes(CellResult c) {
        Long s = c.modelInfo() == null ? null : c.modelInfo().fileSizeBytes();
        return s == null || s <= 0 ? null : s;
    }

    private static Figure mib(Stat s) {
        return s == null ? Figure.missing() : Figure.of(s.scaled(1.0 / MIB));
    }
}
