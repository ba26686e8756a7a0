package dev.minillm.report;

import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the comparison report from cell result files: Markdown, CSV, JSON summary, a
 * self-contained HTML page and chart files (SVG + PNG), all written atomically into the output
 * directory. The self-audit runs on the same cells and its flags appear in every format.
 */
public final class ReportGenerator {
    public static final String MARKDOWN = "comparison.md";
    public static final String CSV = "comparison.csv";
    public static final String SUMMARY = "summary.json";
    public static final String HTML = "report.html";
    public static final String CHARTS_DIR = "charts";
    public static final String SPECULATIVE_CSV = "speculative.csv";

    private ReportGenerator() {
    }

    public static ReportResult generate(Path resultsDir, Path outDir, ReportOptions options) {
        return generate(List.of(resultsDir), outDir, options);
    }

    /** Merges the cells of several results directories (e.g. one per machine) into one report. */
    public static ReportResult generate(List<Path> resultsDirs, Path outDir, ReportOptions options) {
        CellReader.Loaded loaded = CellReader.readAll(resultsDirs);
        for (String problem : loaded.problems()) {
            Progress.info("minillm: warning: skipped " + problem);
        }
        String dirs = resultsDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (loaded.cells().isEmpty()) {
            throw new BadInputException(dirs + ": no cell results found (looked for raw/**/*.json)"
                    + (loaded.problems().isEmpty() ? "" : "; " + loaded.problems().size() + " unreadable file(s)"));
        }
        List<AuditFlag> flags = Auditor.audit(loaded.cells(), options.auditOptions());
        // Speculative cells compare two ways of decoding, not variants: they get their own section.
        SpeculativeReport speculative = SpeculativeReport.of(loaded.cells());
        List<ComparisonTable> tables = ComparisonTable.build(
                loaded.cells().stream().filter(c -> !SpeculativeReport.isSpeculative(c)).toList(), flags);
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String header = "Generated " + generated + " by minillm " + Version.get() + " from " + loaded.cells().size()
                + (loaded.cells().size() == 1 ? " cell" : " cells") + " in " + dirs
                + (loaded.problems().isEmpty() ? "." : "; " + loaded.problems().size() + " unreadable file(s) skipped.");

        List<Path> files = new ArrayList<>();
        try {
            Map<String, Map<String, String>> inline = new LinkedHashMap<>();
            if (options.charts()) {
                Progress.info("minillm: drawing charts for " + tables.size() + (tables.size() == 1 ? " table" : " tables"));
                for (ComparisonTable t : tables) {
                    Map<String, String> svgs = new LinkedHashMap<>();
                    for (Charts.NamedChart c : Charts.forTable(t)) {
                        String stem = HtmlWriter.slug(t.key()).substring(2) + "-" + c.name();
                        String id = "chart-" + stem.replaceAll("[^A-Za-z0-9_-]", "-");
                        Path svg = outDir.resolve(CHARTS_DIR).resolve(stem + ".svg");
                        Path png = outDir.resolve(CHARTS_DIR).resolve(stem + ".png");
                        AtomicFiles.writeString(svg, Charts.svgDocument(c.chart(), id + "-f"));
                        AtomicFiles.writeBytes(png, Charts.png(c.chart()));
                        files.add(svg);
                        files.add(png);
                        svgs.put(c.name(), Charts.svgElement(c.chart(), id));
                    }
                    inline.put(t.key(), svgs);
                }
            }
            Map<String, String> speculativeCharts = new LinkedHashMap<>();
            if (options.charts() && !speculative.isEmpty()) {
                for (Charts.NamedChart c : speculative.charts()) {
                    String id = "chart-" + c.name();
                    Path svg = outDir.resolve(CHARTS_DIR).resolve(c.name() + ".svg");
                    Path png = outDir.resolve(CHARTS_DIR).resolve(c.name() + ".png");
                    AtomicFiles.writeString(svg, Charts.svgDocument(c.chart(), id + "-f"));
                    AtomicFiles.writeBytes(png, Charts.png(c.chart()));
                    files.add(svg);
                    files.add(png);
                    speculativeCharts.put(c.name(), Charts.svgElement(c.chart(), id));
                }
            }
            String markdown = MarkdownWriter.render(tables, flags, loaded.problems(), header);
            String html = HtmlWriter.render(tables, inline, flags, loaded.problems(), header);
            KvCacheReport kv = KvCacheReport.of(loaded.cells());
            if (!kv.isEmpty()) {
                markdown = insertBefore(markdown, "## Self-audit", kv.markdown());
                html = insertBefore(html, "<section id=\"audit\">", kv.html());
            }
            if (!speculative.isEmpty()) {
                markdown = insertBefore(markdown, "## Self-audit", speculative.markdown());
                html = insertBefore(html, "<section id=\"audit\">", speculative.html(speculativeCharts));
                files.add(write(outDir.resolve(SPECULATIVE_CSV), speculative.csv()));
            }
            files.add(write(outDir.resolve(MARKDOWN), markdown));
            files.add(write(outDir.resolve(CSV), CsvWriter.render(tables, flags)));
            files.add(write(outDir.resolve(SUMMARY), SummaryWriter.render(tables, flags, loaded.problems(),
                    loaded.cells().size(), generated, Version.get())));
            files.add(write(outDir.resolve(HTML), html));
            return new ReportResult(markdown, tables, flags, loaded.cells().size(), loaded.problems(), files);
        } catch (IOException e) {
            throw new RunFailedException(outDir + ": cannot write report: " + e.getMessage(), e);
        }
    }

    private static String insertBefore(String doc, String marker, String section) {
        int at = doc.indexOf(marker);
        return at < 0 ? doc + section : doc.substring(0, at) + section + doc.substring(at);
    }

    private static Path write(Path file, String content) throws IOException {
        AtomicFiles.writeString(file, content);
        return file;
    }
}
