package dev.minillm.report;

import dev.minillm.results.Speculative;
import dev.minillm.results.Stat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The speculative-decoding part of the report: one row per cell that ran with a draft model
 * (target, draft, K) with accept rate, step times and the speedup over target-only greedy decoding
 * measured in the same child JVM; and two charts, speedup vs K per draft and accept rate per prompt.
 */
public final class SpeculativeReport {
    /** One speculative cell. {@code perPromptAcceptRate} may hold nulls (nothing proposed). */
    public record Entry(CellResult cell, String draft, int k, List<Double> perPromptAcceptRate, String llamaCpp) {
        String target() {
            return cell.model() + " " + cell.variant() + " " + cell.backend();
        }
    }

    private final List<Entry> entries;

    private SpeculativeReport(List<Entry> entries) {
        this.entries = entries;
    }

    /** Cells measured with --draft; the ordinary comparison tables leave them out. */
    public static boolean isSpeculative(CellResult c) {
        return c.settings() != null && c.settings().draftModel() != null;
    }

    public static SpeculativeReport of(List<CellResult> cells) {
        List<Entry> out = new ArrayList<>();
        for (CellResult c : cells) {
            if (!isSpeculative(c)) {
                continue;
            }
            Speculative spec = c.record().speculative();
            List<Double> perPrompt = new ArrayList<>();
            if (spec != null && spec.perPrompt() != null) {
                spec.perPrompt().forEach(p -> perPrompt.add(p.acceptRate()));
            }
            String draftModel = c.settings().draftModel();
            String draft = spec != null && spec.draftLabel() != null ? spec.draftLabel()
                    : java.nio.file.Path.of(draftModel).getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            int k = c.settings().draftMax() == null ? 0 : c.settings().draftMax();
            out.add(new Entry(c, draft, k, perPrompt, spec == null ? null : spec.llamaCpp()));
        }
        out.sort(Comparator.comparing((Entry e) -> e.target()).thenComparing(Entry::draft).thenComparingInt(Entry::k));
        return new SpeculativeReport(out);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The label of llama.cpp's own figure (bench's SpeculativeCell writes it under these metric names). */
    static final String LLAMA_CPP_LABEL = "llama.cpp's own speculative (common_speculative)";
    static final String LLAMA_PREFIX = "llama_";

    static final String[] HEADERS = {"Target", "Draft", "K", "Status", "Accept rate", "Mean accepted / step",
        "Tokens / target pass", "Draft ms / step", "Verify ms / step", "Target-only tok/s", "Speculative tok/s",
        "Speedup (wall)", "Decode speedup"};

    /** Whether the cell also holds llama.cpp's own speculative figure. */
    static boolean hasLlamaCpp(CellResult c) {
        return c.ok() && c.metric(LLAMA_PREFIX + "spec_speedup") != null;
    }

    /** The project's row of a cell, then llama.cpp's own figure of the same cell where it was measured. */
    static List<List<String>> rows(Entry e) {
        List<List<String>> out = new ArrayList<>();
        out.add(row(e, "", "ok, output identical"));
        if (hasLlamaCpp(e.cell())) {
            out.add(row(e, LLAMA_PREFIX, LLAMA_CPP_LABEL + ": ok, output identical"));
        }
        return out;
    }

    /** The cells of one row, rendered; {@code prefix} selects whose figures (the project's or llama.cpp's). */
    static List<String> row(Entry e, String prefix, String okStatus) {
        CellResult c = e.cell();
        List<String> r = new ArrayList<>(List.of(e.target(), e.draft(), String.valueOf(e.k())));
        if (!c.ok()) {
            r.add(c.status() + (c.reason() == null ? "" : ": " + c.reason()));
            while (r.size() < HEADERS.length) {
                r.add(Figure.MISSING);
            }
            return r;
        }
        r.add(okStatus);
        r.add(pct(c.metric(prefix + "spec_accept_rate")));
        for (String m : List.of("spec_mean_accepted", "spec_tokens_per_step", "spec_draft_ms_per_step", "spec_verify_ms_per_step",
                "spec_target_tps", "spec_tps")) {
            r.add(Figure.of(c.metric(prefix + m)).render());
        }
        r.add(ratio(c.metric(prefix + "spec_speedup")));
        r.add(ratio(c.metric(prefix + "spec_decode_speedup")));
        return r;
    }

    private static String pct(Stat s) {
        return s == null ? Figure.MISSING : Figure.percent(s.mean()).render();
    }

    private static String ratio(Stat s) {
        return s == null ? Figure.MISSING : Figure.ratio(s.mean(), s.stddev()).render();
    }

    private String note() {
        boolean anyLlama = entries.stream().anyMatch(e -> hasLlamaCpp(e.cell()));
        String missing = entries.stream().filter(e -> e.cell().ok() && !hasLlamaCpp(e.cell())).map(Entry::llamaCpp)
                .filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        String llama = anyLlama
                ? "rows labelled \"" + LLAMA_CPP_LABEL + "\" are llama.cpp's own draft generator (its common library's "
                        + "common_speculative_draft) run on the same two contexts, its output checked the same way"
                        + (missing == null ? "" : "; elsewhere " + missing)
                : missing == null ? "not measured" : missing;
        return "Speculative and target-only greedy decoding of the same prompts and token count, interleaved in the same "
                + "child JVM; every speculative output was checked token for token against the target-only one. "
                + "Speedup = target-only time / speculative time (wall: prompt included; decode: after the first token). "
                + "llama.cpp's own speculative figure: " + llama + ".";
    }

    private SectionTable table() {
        return new SectionTable("speculative", "Speculative decoding", HEADERS, 3,
                entries.stream().flatMap(e -> rows(e).stream()).toList(), note());
    }

    String markdown() {
        return table().markdown();
    }

    String html(Map<String, String> charts) {
        StringBuilder extra = new StringBuilder();
        if (!charts.isEmpty()) {
            extra.append("<div class=\"charts\">\n");
            charts.values().forEach(svg -> extra.append("<figure>").append(svg).append("</figure>\n"));
            extra.append("</div>\n");
        }
        return table().html(extra.toString());
    }

    String csv() {
        StringBuilder out = new StringBuilder("target,draft,k,method,status,accept_rate,mean_accepted,tokens_per_step,draft_ms_per_step,"
                + "verify_ms_per_step,target_tps,speculative_tps,speedup,speedup_stddev,decode_speedup\n");
        for (Entry e : entries) {
            CellResult c = e.cell();
            for (String prefix : hasLlamaCpp(c) ? List.of("", LLAMA_PREFIX) : List.of("")) {
                out.append(csvCell(e.target())).append(',').append(csvCell(e.draft())).append(',').append(e.k()).append(',')
                        .append(prefix.isEmpty() ? "minillm" : "llama.cpp common_speculative").append(',')
                        .append(csvCell(c.status()));
                for (String m : List.of("spec_accept_rate", "spec_mean_accepted", "spec_tokens_per_step", "spec_draft_ms_per_step",
                        "spec_verify_ms_per_step", "spec_target_tps", "spec_tps", "spec_speedup")) {
                    Stat s = c.metric(prefix + m);
                    out.append(',').append(s == null ? "" : s.mean());
                }
                Stat sp = c.metric(prefix + "spec_speedup");
                out.append(',').append(sp == null || sp.stddev() == null ? "" : sp.stddev());
                Stat dsp = c.metric(prefix + "spec_decode_speedup");
                out.append(',').append(dsp == null ? "" : dsp.mean()).append('\n');
            }
        }
        return out.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Speedup vs K, a line per target and draft; accept rate per prompt, a bar per draft and K. */
    List<Charts.NamedChart> charts() {
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        DefaultStatisticalCategoryDataset accept = new DefaultStatisticalCategoryDataset();
        for (Entry e : entries) {
            Stat sp = e.cell().metric("spec_speedup");
            if (!e.cell().ok() || sp == null) {
                continue;
            }
            String name = e.draft() + " → " + e.target();
            double sd = sp.stddev() == null ? 0 : sp.stddev();
            series.computeIfAbsent(name, n -> new YIntervalSeries(n, true, false)).add(e.k(), sp.mean(), sp.mean() - sd, sp.mean() + sd);
            Stat lsp = hasLlamaCpp(e.cell()) ? e.cell().metric(LLAMA_PREFIX + "spec_speedup") : null;
            if (lsp != null) {
                double lsd = lsp.stddev() == null ? 0 : lsp.stddev();
                series.computeIfAbsent(name + " (" + LLAMA_CPP_LABEL + ")", n -> new YIntervalSeries(n, true, false))
                        .add(e.k(), lsp.mean(), lsp.mean() - lsd, lsp.mean() + lsd);
            }
            for (int p = 0; p < e.perPromptAcceptRate().size(); p++) {
                Double rate = e.perPromptAcceptRate().get(p);
                if (rate != null) {
                    accept.add(rate * 100, 0.0, e.draft() + " K=" + e.k(), "prompt " + (p + 1));
                }
            }
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new org.jfree.chart.renderer.xy.XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        org.jfree.chart.axis.NumberAxis kAxis = Charts.axis("K (most draft tokens per step)", true);
        kAxis.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, kAxis, Charts.axis("Speedup over target-only (×, ± stddev)", true), renderer);
        JFreeChart speedup = Charts.finish(new JFreeChart("Speculative decoding: speedup vs K", Charts.titleFont(), plot, true),
                plot, "No successful speculative cells");
        JFreeChart rate = Charts.bars("Speculative decoding: accept rate per prompt", "Accepted / proposed draft tokens (%)",
                accept, "No successful speculative cells");
        return List.of(new Charts.NamedChart("speculative-speedup-vs-k", "Speedup vs K", speedup),
                new Charts.NamedChart("speculative-accept-per-prompt", "Accept rate per prompt", rate));
    }
}
