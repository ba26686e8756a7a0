package dev.minillm.report;

import dev.minillm.common.StagedDirectory;
import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.common.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            Progress.info("warning: skipped " + problem);
        }
        String dirs = resultsDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (loaded.cells().isEmpty() && loaded.problems().isEmpty()) {
            throw new BadInputException(dirs + ": no cell results found (looked for raw/**/*.json)");
        }
        List<AuditFlag> flags = new ArrayList<>(loaded.unreadable());
        flags.addAll(Auditor.audit(loaded.cells(), options.auditOptions()));
        // Speculative cells compare two ways of decoding, not variants: they get their own section.
        SpeculativeReport speculative = SpeculativeReport.of(loaded.cells());
        List<ComparisonTable> tables = ComparisonTable.build(
                loaded.cells().stream().filter(c -> !SpeculativeReport.isSpeculative(c)).toList(), flags);
        Map<String, List<Verdict.Answer>> verdicts = new LinkedHashMap<>();
        for (ComparisonTable t : tables) {
            verdicts.put(t.key(), Verdict.of(t, options.constraints()));
        }
        Prediction.Table predicted = Prediction.forReport(
                loaded.cells().stream().filter(c -> !SpeculativeReport.isSpeculative(c)).toList());
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String header = "Generated " + generated + " by minillm " + Version.get() + " from " + loaded.cells().size()
                + (loaded.cells().size() == 1 ? " cell" : " cells") + " in " + dirs
                + (loaded.problems().isEmpty() ? "." : "; " + loaded.problems().size() + " unreadable file(s) skipped.");

        String markdown = MarkdownWriter.render(tables, verdicts, predicted, flags, loaded.problems(), header);
        KvCacheReport kv = KvCacheReport.of(loaded.cells());
        if (!kv.isEmpty()) {
            markdown = insertBefore(markdown, "## Self-audit", kv.markdown());
        }
        if (!speculative.isEmpty()) {
            markdown = insertBefore(markdown, "## Self-audit", speculative.markdown());
        }
        List<Path> files = new ArrayList<>();
        // Everything is written into a staging directory and renamed into place at the end, so a
        // failure (a full disk) leaves the old report or none, never a partial set.
        try (StagedDirectory staged = StagedDirectory.beside(outDir)) {
            Path dir = staged.path();
            Map<String, Map<String, String>> inline = new LinkedHashMap<>();
            if (options.charts()) {
                Progress.info("drawing charts for " + tables.size() + (tables.size() == 1 ? " table" : " tables"));
                for (ComparisonTable t : tables) {
                    Map<String, String> svgs = new LinkedHashMap<>();
                    for (Charts.NamedChart c : Charts.forTable(t)) {
                        String stem = HtmlWriter.slug(t.key()).substring(2) + "-" + c.name();
                        String id = "chart-" + stem.replaceAll("[^A-Za-z0-9_-]", "-");
                        files.add(write(dir, CHARTS_DIR + "/" + stem + ".svg", Charts.svgDocument(c.chart(), id + "-f")));
                        files.add(write(dir, CHARTS_DIR + "/" + stem + ".png", Charts.png(c.chart())));
                        svgs.put(c.name(), Charts.svgElement(c.chart(), id));
                    }
                    inline.put(t.key(), svgs);
                }
            }
            Map<String, String> speculativeCharts = new LinkedHashMap<>();
            if (options.charts() && !speculative.isEmpty()) {
                for (Charts.NamedChart c : speculative.charts()) {
                    String id = "chart-" + c.name();
                    files.add(write(dir, CHARTS_DIR + "/" + c.name() + ".svg", Charts.svgDocument(c.chart(), id + "-f")));
                    files.add(write(dir, CHARTS_DIR + "/" + c.name() + ".png", Charts.png(c.chart())));
                    speculativeCharts.put(c.name(), Charts.svgElement(c.chart(), id));
                }
            }
            String html = HtmlWriter.render(tables, verdicts, predicted, inline, flags, loaded.problems(), header);
            if (!kv.isEmpty()) {
                html = insertBefore(html, "<section id=\"audit\">", kv.html());
            }
            if (!speculative.isEmpty()) {
                html = insertBefore(html, "<section id=\"audit\">", speculative.html(speculativeCharts));
                files.add(write(dir, SPECULATIVE_CSV, speculative.csv()));
            }
            files.add(write(dir, MARKDOWN, markdown));
            files.add(write(dir, CSV, CsvWriter.render(tables, flags)));
            files.add(write(dir, SUMMARY, SummaryWriter.render(tables, verdicts, predicted, flags, loaded.problems(),
                    loaded.cells().size(), generated, Version.get())));
            files.add(write(dir, HTML, html));
            Set<String> owned = new HashSet<>(REPORT_SET);
            owned.addAll(staged.stagedNames());
            staged.commit(owned);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ReportNotWrittenException(outDir + ": cannot write the report, so none was written there ("
                    + e.getMessage() + ")", markdown, e);
        }
        List<Path> written = files.stream().map(outDir::resolve).toList();
        return new ReportResult(markdown, tables, verdicts, flags, loaded.cells().size(), loaded.problems(), written);
    }

    /** The names of a report set directly under its directory (an older set of these may be replaced whole). */
    private static final Set<String> REPORT_SET = Set.of(MARKDOWN, CSV, SUMMARY, HTML, CHARTS_DIR, SPECULATIVE_CSV);

    private static String insertBefore(String doc, String marker, String section) {
        int at = doc.indexOf(marker);
        return at < 0 ? doc + section : doc.substring(0, at) + section + doc.substring(at);
    }

    private static Path write(Path dir, String relative, String content) throws IOException {
        return write(dir, relative, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Path write(Path dir, String relative, byte[] content) throws IOException {
        dev.minillm.common.AtomicFiles.writeBytes(dir.resolve(relative), content); // fsynced before the set is renamed
        return Path.of(relative);
    }
}
