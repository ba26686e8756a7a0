package dev.minillm.report;

import dev.minillm.results.Metric;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A self-contained HTML report: inline CSS, inline SVG charts and one small inline script that
 * records how many charts drew (for the browser test); no network, fonts or external scripts.
 */
final class HtmlWriter {

    private HtmlWriter() {
    }

    /** {@code charts} maps a table key to its inline SVG elements (name -> svg), possibly empty. */
    static String render(List<ComparisonTable> tables, Map<String, List<Verdict.Answer>> verdicts, Prediction.Table predicted,
                         Map<String, Map<String, String>> charts, List<AuditFlag> flags,
                         List<String> problems, String header) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>minillm comparison</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>minillm comparison</h1><p class=\"meta\">").append(esc(header)).append("</p>\n");
        // For automated checks (the page's own chart count); not for readers.
        h.append("<p id=\"render-status\" hidden>charts: not checked (scripts disabled)</p>\n");
        if (tables.size() > 1) {
            h.append("<nav>");
            for (ComparisonTable t : tables) {
                h.append("<a href=\"#").append(slug(t.key())).append("\">").append(esc(t.title())).append("</a> ");
            }
            h.append("<a href=\"#audit\">Self-audit</a></nav>\n");
        }
        h.append("</header>\n<main>\n");
        for (ComparisonTable t : tables) {
            table(h, t, verdicts.getOrDefault(t.key(), List.of()), charts.getOrDefault(t.key(), Map.of()), flags);
        }
        if (predicted != null) {
            predicted(h, predicted);
        }
        audit(h, flags);
        if (!problems.isEmpty()) {
            h.append("<section><h2>Unreadable result files (").append(problems.size()).append(" skipped)</h2><ul>");
            problems.forEach(p -> h.append("<li><code>").append(esc(p)).append("</code></li>"));
            h.append("</ul></section>\n");
        }
        h.append("<footer><p>Figures: mean <span class=\"sd\">± sample standard deviation</span> <span class=\"n\">(n measured repetitions)</span>, ")
                .append("warmup discarded. Speedups are ratios of means with the combined relative spread. ")
                .append("<span class=\"flag-mark\">⚠</span> marks what the self-audit flagged; highlighted cells are the best in their row (with every value within noise of the best: mean ± spread ratios overlapping 1; none when all are); – means not measured.</p></footer>\n");
        h.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, ComparisonTable t, List<Verdict.Answer> verdicts, Map<String, String> charts, List<AuditFlag> flags) {
        h.append("<section class=\"model\" id=\"").append(slug(t.key())).append("\">\n<h2>").append(esc(t.title())).append("</h2>\n");
        h.append("<p class=\"settings\">");
        if (!t.settingsSummary().isEmpty()) {
            h.append("Settings: ").append(esc(t.settingsSummary())).append(" · ");
        }
        h.append("baseline ").append(esc(t.baselineVariant())).append(" · ");
        h.append(t.machines().stream().map(m -> esc(m.label()) + (m.cpuModel() != null && !m.cpuModel().equals(m.label())
                ? " <span class=\"muted\">(" + esc(m.cpuModel()) + ")</span>" : "")).collect(Collectors.joining(" · ")));
        h.append("</p>\n");
        for (Verdict.Answer a : verdicts) {
            h.append("<div class=\"verdict\"><h3>Verdict").append(t.multiMachine() ? " — " + esc(a.machine()) : "").append("</h3>\n");
            for (int i = 0; i < a.lines().size(); i++) {
                h.append(i == 0 ? "<p class=\"answer\">" : "<p>").append(esc(a.lines().get(i))).append("</p>\n");
            }
            h.append("</div>\n");
        }
        List<ComparisonTable.Column> cols = t.measuredColumns();
        if (cols.isEmpty()) {
            h.append("<p class=\"note\">No cell of this table ran successfully.</p>\n");
        } else {
            measuredTable(h, t, cols, flags);
            if (!t.hasQuality()) {
                h.append("<p class=\"note\">Quality: not measured (no cell has quality results).</p>\n");
            }
            String roof = t.rooflineNote();
            if (roof != null) {
                h.append("<p class=\"note roofline\">Roofline: ").append(esc(roof)).append("</p>\n");
            }
        }
        List<ComparisonTable.Column> notRun = t.notMeasured();
        if (!notRun.isEmpty()) {
            h.append("<div class=\"notrun\"><h3>Not measured</h3><ul>\n");
            for (ComparisonTable.Column c : notRun) {
                String cls = "failed".equals(c.cell().status()) ? "failed" : "skipped";
                h.append("<li><b>").append(esc(c.header())).append("</b>")
                        .append(t.multiMachine() ? " @ " + esc(c.machine().label()) : "")
                        .append(" <span class=\"badge ").append(cls).append("\">").append(esc(c.cell().status())).append("</span> ")
                        .append(esc(Objects.requireNonNullElse(c.cell().reason(), "no reason recorded"))).append("</li>\n");
            }
            h.append("</ul></div>\n");
        }
        if (t.columns().stream().anyMatch(c -> c.cell().synthetic())) {
            h.append("<p class=\"note\">Synthetic weights: speed and memory are representative of the architecture and size; quality is n/a.</p>\n");
        }
        if (!charts.isEmpty()) {
            h.append("<div class=\"charts\">\n");
            for (Map.Entry<String, String> e : charts.entrySet()) {
                h.append("<figure class=\"chart\" data-chart=\"").append(esc(e.getKey())).append("\">")
                        .append(e.getValue()).append("</figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static void measuredTable(StringBuilder h, ComparisonTable t, List<ComparisonTable.Column> cols, List<AuditFlag> flags) {
        h.append("<div class=\"table-wrap\"><table class=\"cmp\">\n<thead>\n");
        if (t.multiMachine()) {
            h.append("<tr class=\"machines\"><th></th>");
            ComparisonTable.Machine current = null;
            int span = 0;
            for (ComparisonTable.Column c : cols) {
                if (c.machine() != current) {
                    if (current != null) {
                        machineHeader(h, current, span);
                    }
                    current = c.machine();
                    span = 0;
                }
                span++;
            }
            machineHeader(h, current, span);
            h.append("</tr>\n");
        }
        h.append("<tr><th class=\"metric\">Metric</th>");
        for (ComparisonTable.Column c : cols) {
            h.append("<th class=\"col\">").append(esc(c.cell().variant())).append("<span class=\"backend\">")
                    .append(esc(c.cell().backend())).append("</span></th>");
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        Row.Section section = null;
        for (Row r : t.rows()) {
            if (r == Row.MACHINE) {
                continue;
            }
            if (r.section != section) {
                section = r.section;
                h.append("<tr class=\"section\"><th colspan=\"").append(cols.size() + 1).append("\">")
                        .append(esc(section.title)).append("</th></tr>\n");
            }
            Set<ComparisonTable.Column> best = best(cols, r);
            h.append("<tr><th class=\"metric\">").append(esc(r.label(t.baselineVariant()))).append("</th>");
            for (ComparisonTable.Column c : cols) {
                Figure f = c.figure(r);
                String cls = f.value() != null ? "num" : "txt";
                if (f.flagged()) {
                    cls += " flagged";
                }
                if (best.contains(c)) {
                    cls += " best";
                }
                h.append("<td class=\"").append(cls).append('"');
                String tip = flags.stream().filter(fl -> Objects.equals(fl.file(), c.cell().file())
                                && fl.cellId().equals(c.cell().displayId()) && (r == Row.STATUS || isFor(fl, r)))
                        .map(AuditFlag::line).collect(Collectors.joining("\n"));
                if (!tip.isEmpty()) {
                    h.append(" title=\"").append(esc(tip)).append('"');
                }
                h.append('>');
                if (r == Row.STATUS) {
                    status(h, c);
                } else {
                    figure(h, f);
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
    }

    private static boolean isFor(AuditFlag f, Row r) {
        return f.metric() != null && (f.metric().equals(r.key) || ("load_cold_ms".equals(f.metric()) && r == Row.LOAD_COLD));
    }

    private static void machineHeader(StringBuilder h, ComparisonTable.Machine m, int span) {
        h.append("<th class=\"machine\" colspan=\"").append(span).append("\">").append(esc(m.label()));
        if (m.cpuModel() != null && !m.cpuModel().equals(m.label())) {
            h.append("<span class=\"cpu\">").append(esc(m.cpuModel())).append("</span>");
        }
        h.append("</th>");
    }

    private static void status(StringBuilder h, ComparisonTable.Column c) {
        CellResult cell = c.cell();
        String cls = cell.ok() ? "ok" : "failed".equals(cell.status()) ? "failed" : "skipped";
        h.append("<span class=\"badge ").append(cls).append("\">").append(esc(cell.ok() ? "ok" : cls)).append("</span>");
        if (c.flagCount() > 0) {
            h.append(" <span class=\"flag-mark\">⚠").append(c.flagCount()).append("</span>");
        }
        if (cell.reason() != null) {
            h.append("<div class=\"reason\">").append(esc(cell.reason())).append("</div>");
        }
    }

    private static void figure(StringBuilder h, Figure f) {
        if (f.kind() == Figure.Kind.NUMBER) {
            int d = f.numberDecimals();
            h.append(Figure.fixed(f.value(), d));
            if (f.spread() != null) {
                h.append(" <span class=\"sd\">± ").append(Figure.fixed(f.spread(), d)).append("</span>");
            }
            if (f.n() != null) {
                h.append(" <span class=\"n\">(n=").append(f.n()).append(")</span>");
            }
        } else if (f.kind() == Figure.Kind.RATIO) {
            h.append("×").append(Figure.fixed(f.value(), 2));
            if (f.spread() != null) {
                h.append(" <span class=\"sd\">± ").append(Figure.fixed(f.spread(), 2)).append("</span>");
            }
        } else {
            String text = f.render();
            h.append(f.isMissing() || text.startsWith("n/a") ? "<span class=\"muted\">" + esc(text) + "</span>" : esc(text));
        }
        if (f.flagged()) {
            h.append(" <span class=\"flag-mark\">⚠</span>");
        }
    }

    /**
     * The best columns of a row among measured cells, by {@link Noise}: the top value and every
     * value within noise of it. Empty when fewer than two compete or when all are within noise of
     * the top (no winner to name).
     */
    static Set<ComparisonTable.Column> best(List<ComparisonTable.Column> cols, Row r) {
        if (r.metric == null || r.metric.better == Metric.Better.NEITHER) {
            return Set.of();
        }
        boolean higher = r.metric.higherIsBetter();
        List<ComparisonTable.Column> measured = cols.stream().filter(c -> c.figure(r).value() != null).toList();
        if (measured.size() < 2) {
            return Set.of();
        }
        ComparisonTable.Column top = measured.get(0);
        for (ComparisonTable.Column c : measured) {
            double v = c.figure(r).value();
            double t = top.figure(r).value();
            if (higher ? v > t : v < t) {
                top = c;
            }
        }
        Figure topFigure = top.figure(r);
        Set<ComparisonTable.Column> best = measured.stream()
                .filter(c -> Noise.compare(c.figure(r), topFigure, higher) == 0).collect(Collectors.toSet());
        return best.size() == measured.size() ? Set.of() : best;
    }

    private static void predicted(StringBuilder h, Prediction.Table p) {
        boolean roof = p.model().measuredBandwidth() != null;
        h.append("<section id=\"predicted\"><h2>Predicted (not measured)</h2>\n<div class=\"table-wrap\"><table class=\"cmp predicted\">\n")
                .append("<thead><tr><th class=\"metric\">Shape</th><th>Variant</th><th>Size (MiB)</th><th>Bytes per token (MiB)</th>")
                .append("<th>Decode tok/s (predicted)</th><th>Peak RAM MiB (predicted)</th>").append(roof ? "<th>Roofline tok/s</th>" : "")
                .append("</tr></thead>\n<tbody>\n");
        for (Prediction.Predicted r : p.rows()) {
            h.append("<tr><th class=\"metric\">").append(esc(r.shape())).append("</th><td class=\"txt\">").append(esc(r.variant()))
                    .append("</td><td class=\"num\">").append(Prediction.num(r.fileBytes() / (1024.0 * 1024.0)))
                    .append("</td><td class=\"num\">").append(Prediction.num(r.bytesPerToken() / (1024.0 * 1024.0)))
                    .append("</td><td class=\"num\">").append(Prediction.num(r.decodeTps())).append(" <span class=\"muted\">predicted</span>")
                    .append("</td><td class=\"num\">").append(Prediction.num(r.peakRamBytes() / (1024.0 * 1024.0)))
                    .append(" <span class=\"muted\">predicted</span></td>");
            if (roof) {
                h.append("<td class=\"num\">").append(Prediction.num(r.rooflineTps())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n<p class=\"note\">Predicted, not measured. Model: ").append(esc(p.model().describe()))
                .append(".</p>\n</section>\n");
    }

    private static void audit(StringBuilder h, List<AuditFlag> flags) {
        h.append("<section id=\"audit\"><h2>Self-audit</h2>\n");
        if (flags.isEmpty()) {
            h.append("<p class=\"clean\">No flags: every cell discarded warmup, has at least 3 repetitions, CV ≤ 10 %, ")
                    .append("a verified cold load, agrees with llama.cpp's own timing, and no table mixes machines or harness versions.</p>\n");
        } else {
            h.append("<p>").append(flags.size()).append(flags.size() == 1 ? " flag" : " flags").append(".</p>\n");
            h.append("<table class=\"audit\"><thead><tr><th>Cell</th><th>Rule</th><th>Finding</th></tr></thead><tbody>\n");
            for (AuditFlag f : flags) {
                h.append("<tr><td><code>").append(esc(f.cellId())).append("</code></td><td><span class=\"rule\" title=\"")
                        .append(esc(f.rule().description())).append("\">").append(f.rule().code()).append("</span></td><td>")
                        .append(esc(f.message())).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("</section>\n");
    }

    static String slug(String s) {
        return "t-" + s.replaceAll("[^A-Za-z0-9_.-]+", "-");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root { --fg:#222; --muted:#777; --line:#e3e3e3; --accent:#4e79a7; --bg:#fff; --zebra:#f7f9fb; }
            * { box-sizing: border-box; }
            body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif;
                   color:var(--fg); background:var(--bg); font-size:14px; line-height:1.45; }
            header { padding:20px 32px 8px; border-bottom:1px solid var(--line); }
            h1 { margin:0 0 4px; font-size:24px; }
            h2 { font-size:19px; margin:28px 0 4px; }
            main { padding:0 32px 32px; }
            nav a { margin-right:14px; color:var(--accent); text-decoration:none; }
            .meta, .settings, .muted { color:var(--muted); }
            .settings { margin:0 0 10px; }
            .table-wrap { overflow-x:auto; border:1px solid var(--line); border-radius:6px; display:inline-block; max-width:100%; }
            table.cmp { border-collapse:collapse; min-width:640px; font-variant-numeric: tabular-nums; }
            table.cmp td { min-width:130px; }
            table.cmp th, table.cmp td { padding:5px 10px; border-bottom:1px solid var(--line); white-space:nowrap; }
            table.cmp thead th { background:#f0f3f7; position:sticky; top:0; text-align:right; vertical-align:bottom; }
            table.cmp thead th.metric { text-align:left; left:0; z-index:2; }
            table.cmp th.machine { text-align:center; border-left:2px solid #c9d3df; }
            th.machine .cpu { display:block; font-weight:normal; color:var(--muted); font-size:12px; }
            th.col .backend { display:block; font-weight:normal; color:var(--muted); font-size:12px; }
            table.cmp tbody th.metric { text-align:left; font-weight:normal; position:sticky; left:0; z-index:1; background:#fff;
                                        box-shadow: 1px 0 0 var(--line); }
            table.cmp tbody tr:nth-child(even) { background:var(--zebra); }
            table.cmp tbody tr:nth-child(even) th.metric { background:var(--zebra); }
            table.cmp tbody tr { background:#fff; }
            table.cmp tr.section th { position:sticky; left:0; z-index:1; }
            tr.section th { text-align:left; background:#eef2f6 !important; font-size:12px; text-transform:uppercase;
                            letter-spacing:.05em; color:#456; }
            td.num, td.txt { text-align:right; }
            td.best { background:#e6f4ea; font-weight:600; }
            td.flagged { background:#fff4e0; }
            .sd { color:#555; }
            .n { color:var(--muted); font-size:12px; }
            .flag-mark { color:#c77700; font-weight:bold; }
            .badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; }
            .badge.ok { background:#e6f4ea; color:#1e7b34; }
            .badge.skipped { background:#eceff3; color:#555; }
            .badge.failed { background:#fde7e7; color:#b3261e; }
            .reason { white-space:normal; max-width:220px; margin-left:auto; font-size:12px; color:var(--muted); }
            .note { color:#555; font-style:italic; }
            .charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(520px, 1fr)); gap:16px; margin-top:16px; }
            figure.chart { margin:0; border:1px solid var(--line); border-radius:6px; padding:6px; background:#fff; }
            figure.chart svg { width:100%; height:auto; display:block; }
            table.audit { border-collapse:collapse; width:100%; }
            table.audit th, table.audit td { text-align:left; padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
            .rule { background:#fff4e0; color:#8a5300; padding:1px 6px; border-radius:4px; font-family:monospace; white-space:nowrap; }
            .clean { color:#1e7b34; }
            .notrun h3 { font-size:14px; margin:14px 0 4px; }
            .notrun ul { margin:0; padding-left:20px; }
            .verdict { border-left:4px solid var(--accent); background:#f3f7fb; padding:6px 14px; margin:8px 0 14px; max-width:1100px; }
            .verdict h3 { margin:4px 0; font-size:15px; }
            .verdict p { margin:4px 0; }
            .verdict p.answer { font-weight:600; }
            footer { margin-top:28px; color:var(--muted); font-size:13px; }
            """;

    /** Counts charts that drew (an svg with content and a size) and reports it in the title and the DOM. */
    private static final String SCRIPT = """
            (function () {
              var figs = document.querySelectorAll('figure.chart');
              var drawn = 0;
              figs.forEach(function (f) {
                var svg = f.querySelector('svg');
                if (svg && svg.querySelectorAll('path, rect, text').length > 10 && svg.getBoundingClientRect().width > 0) {
                  drawn++;
                }
              });
              document.body.setAttribute('data-charts-total', String(figs.length));
              document.body.setAttribute('data-charts-drawn', String(drawn));
              document.getElementById('render-status').textContent = 'charts drawn: ' + drawn + ' of ' + figs.length;
              document.title = 'minillm comparison (charts ' + drawn + '/' + figs.length + ')';
            })();
            """;
}
