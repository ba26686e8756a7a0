package dev.minillm.cli;

import dev.minillm.report.AuditFlag;
import dev.minillm.report.AuditOptions;
import dev.minillm.report.AuditReport;
import dev.minillm.report.Auditor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** minillm audit: checks cell results for figures that should not be trusted; exit 1 on any finding. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Self-audit of cell results: warmup not discarded, fewer than 3 repetitions, CV over 10 %%, "
                + "a cold load that was not cold, mixed machines or harness versions, quality on synthetic weights, "
                + "project timing disagreeing with llama.cpp's own.",
                "Prints one line per flag (cell: rule: finding) on stdout; an unreadable result file is a finding (unreadable-result). "
                + "Exit 0 when clean, 1 on any flag."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory with raw/<model>/*.json; repeatable (default: ${DEFAULT-VALUE}).")
    List<Path> results;

    @Option(names = "--allow-mixed",
            description = "Accept cells from different machines or harness versions in one table.")
    boolean allowMixed;

    @Override
    public Integer call() {
        AuditReport r = Auditor.auditResults(results, AuditOptions.defaults().withAllowMixed(allowMixed));
        for (AuditFlag f : r.flags()) {
            System.out.println(f.line());
        }
        System.out.flush();
        System.err.println("minillm: audited " + r.cellCount() + " cells: "
                + (r.clean() ? "clean" : r.flags().size() + " flag(s)"
                + (r.problems().isEmpty() ? "" : ", " + r.problems().size() + " of them unreadable result file(s)")));
        return r.clean() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }
}
