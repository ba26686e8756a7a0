package dev.minillm.cli;

import dev.minillm.common.RunFailedException;
import dev.minillm.report.ReportGenerator;
import dev.minillm.report.ReportNotWrittenException;
import dev.minillm.report.ReportOptions;
import dev.minillm.report.ReportResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** minillm report: comparison tables, charts and an HTML page from cell results; the table goes to stdout. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the comparison of all cell results: Markdown table, CSV, JSON summary, "
                + "a self-contained HTML report and charts (SVG, PNG). Prints the Markdown on stdout.",
                "Several --results directories (e.g. one per machine) are merged; machines become column groups."})
public final class ReportCommand implements Callable<Integer> {
    @Mixin ResultsOptions input;

    @Option(names = "--tables", paramLabel = "DIR",
            description = "Where the report is written (default: <first results dir>/tables).")
    Path out;

    @Option(names = "--out", paramLabel = "DIR", hidden = true, description = "old spelling of --tables")
    void oldOut(Path dir) {
        out = dir;
    }

    @Option(names = "--json", description = "Print the JSON summary on stdout instead of the Markdown table.")
    boolean json;

    @Option(names = "--no-charts", description = "Skip drawing charts (faster; the HTML then has tables only).")
    boolean noCharts;

    @Mixin
    VerdictOptions verdict;

    /** The summary.json the report just wrote into {@code tables}. */
    static String summaryJson(Path tables) {
        try {
            return Files.readString(tables.resolve(ReportGenerator.SUMMARY));
        } catch (IOException e) {
            throw new RunFailedException(tables.resolve(ReportGenerator.SUMMARY) + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        Path outDir = out != null ? out : input.results.get(0).resolve("tables");
        ReportResult r;
        try {
            r = ReportGenerator.generate(input.results, outDir, new ReportOptions(input.allowMixed, !noCharts, verdict.constraints()));
        } catch (ReportNotWrittenException e) {
            System.out.print(e.markdown()); // computed, so shown, although no file holds it
            System.out.flush();
            throw e;
        }
        System.out.print(json ? summaryJson(outDir) : r.markdown());
        System.out.flush();
        System.err.println("minillm: report of " + r.cellCount() + " cells written to " + outDir
                + " (" + ReportGenerator.HTML + ", " + ReportGenerator.MARKDOWN + ", " + ReportGenerator.CSV + ", "
                + ReportGenerator.SUMMARY + (noCharts ? "" : ", " + ReportGenerator.CHARTS_DIR + "/") + "); "
                + r.flags().size() + " audit flag(s)"
                + (r.problems().isEmpty() ? "" : ", " + r.problems().size() + " unreadable result file(s) skipped"));
        if (!r.problems().isEmpty()) {
            // The same rule as 'audit': results that cannot be read make the outcome a failure.
            throw new RunFailedException(r.problems().size() + " result file(s) could not be read and are missing from the "
                    + "report (unreadable-result in its self-audit): " + r.problems().get(0));
        }
        return Main.EXIT_OK;
    }
}
