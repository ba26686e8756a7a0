package dev.minillm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        return c.settings() != null && c.settings().containsKey("draft_model");
    }

    public static SpeculativeReport of(List<CellResult> cells) {
        List<Entry> out = new ArrayList<>();
        for (CellResult c : cells) {
            if (!isSpeculative(c)) {
                continue;
            }
            JsonNode spec = null;
            try {
                spec = c.file() == null ? null : MAPPER.readTree(c.file().toFile()).get("speculative");
            } catch (IOException e) {
                // already read once by CellReader; the per-prompt figures are then just missing
            }
            List<Double> perPrompt = new ArrayList<>();
            if (spec != null && spec.path("per_prompt").isArray()) {
                for (JsonNode p : spec.get("per_prompt")) {
                    perPrompt.add(p.path("accept_rate").isNumber() ? p.get("accept_rate").asDouble() : null);
                }
            }
            String draftModel = c.settings().get("draft_model");
            String draft = spec != null && spec.hasNonNull("draft_label") ? spec.get("draft_label").asText()
                    : java.nio.file.Path.of(draftModel).getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            int k = Integer.parseInt(c.settings().getOrDefault("draft_max", "0"));
            out.add(new Entry(c, draft, k, perPrompt, spec == null ? null : spec.path("llama_cpp").asText(null)));
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

    static final String[] HEADERS = {"Target", "Draft", "K", "Status", "Accept rate", "Mean accepted / step",
        "Tokens / target pass", "Draft ms / step", "Verify ms / step", "Target-only tok/s", "Speculative tok/s",
        "Speedup (wall)", "Decode speedup"};

    /** The cells of one row, rendered. */
    static List<String> row(Entry e) {
        CellResult c = e.cell();
        List<String> r = new ArrayList<>(List.of(e.target(), e.draft(), String.valueOf(e.k())));
        if (!c.ok()) {
            r.add(c.status() + (c.reason() == null ? "" : ": " + c.reason()));
            while (r.size() < HEADERS.length) {
                r.add(Figure.MISSING);
            }
            return r;
        }
        r.add("ok, output identical");
        r.add(pct(c.metric("spec_accept_rate")));
        r.add(Figure.of(c.metric("spec_mean_accepted")).render());
        r.add(Figure.of(c.metric("spec_tokens_per_step")).render());
        r.add(Figure.of(c.metric("spec_draft_ms_per_step")).render());
        r.add(Figure.of(c.metric("spec_verify_ms_per_step")).render());
        r.add(Figure.of(c.metric("spec_target_tps")).render());
        r.add(Figure.of(c.metric("spec_tps")).render());
        r.add(ratio(c.metric("spec_speedup")));
        r.add(ratio(c.metric("spec_decode_speedup")));
        return r;
    }

    private static String pct(Stat s) {
        return s == null ? Figure.MISSING : Figure.percent(s.mean()).render();
    }

    private static String ratio(Stat s) {
        return s == null ? Figure.MISSING : Figure.ratio(s.mean(), s.stddev()).render();
    }

    private String note() {
        String llama = entries.stream().map(Entry::llamaCpp).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        return "Speculative and target-only greedy decoding of the same prompts and token count, interleaved in the same "
                + "child JVM; every speculative output was checked token for token against the target-only one. "
                + "Speedup = target-only time / speculative time (wall: prompt included; decode: after the first token). "
                + "llama.cpp's own speculative figure: " + (llama == null ? "not measured" : llama) + ".";
    }

    private SectionTable table() {
        return new SectionTable("speculative", "Speculative decoding", HEADERS, 3, entries.stream().map(SpeculativeReport::row).toList(), note());
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
        StringBuilder out = new StringBuilder("target,draft,k,status,accept_rate,mean_accepted,tokens_per_step,draft_ms_per_step,"
                + "verify_ms_per_step,target_tps,speculative_tps,speedup,speedup_stddev,decode_speedup\n");
        for (Entry e : entries) {
            CellResult c = e.cell();
            out.append(csvCell(e.target())).append(',').append(csvCell(e.draft())).append(',').append(e.k()).append(',')
                    .append(csvCell(c.status()));
            for (String m : List.of("spec_accept_rate", "spec_mean_accepted", "spec_tokens_per_step", "spec_draft_ms_per_step",
                    "spec_verify_ms_per_step", "spec_target_tps", "spec_tps", "spec_speedup")) {
                Stat s = c.metric(m);
                out.append(',').append(s == null ? "" : s.mean());
            }
            Stat sp = c.metric("spec_speedup");
            out.append(',').append(sp == null || sp.stddev() == null ? "" : sp.stddev());
            Stat dsp = c.metric("spec_decode_speedup");
            out.append(',').append(dsp == null ? "" : dsp.mean()).append('\n');
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
