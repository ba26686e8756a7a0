package dev.minillm.cli;

import dev.minillm.report.AuditFlag;
import dev.minillm.report.AuditOptions;
import dev.minillm.report.AuditReport;
import dev.minillm.report.Auditor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** minillm audit: checks cell results for figures that should not be trusted; exit 1 on any finding. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Self-audit of cell results: warmup not discarded, fewer than 3 repetitions, CV over 10 %%, decode above the memory roofline, "
                + "a cold load that was not cold, mixed machines or harness versions, quality on synthetic weights, "
                + "project timing disagreeing with llama.cpp's own.",
                "Prints one line per flag (cell: rule: finding) on stdout; an unreadable result file is a finding (unreadable-result). "
                + "Exit 0 when clean, 1 on any flag."})
public final class AuditCommand implements Callable<Integer> {
    @Mixin ResultsOptions input;

    @Option(names = "--json", description = "Print the findings as JSON (cells, flags with rule and message, unreadable files).")
    boolean json;

    @Override
    public Integer call() {
        AuditReport r = Auditor.auditResults(input.results, AuditOptions.defaults().withAllowMixed(input.allowMixed));
        if (json) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("cells", r.cellCount());
            m.put("clean", r.clean());
            m.put("flags", r.flags().stream().map(f -> {
                java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
                e.put("cell", f.cellId());
                e.put("rule", f.rule().toString());
                e.put("metric", f.metric());
                e.put("message", f.message());
                return e;
            }).toList());
            m.put("unreadable", r.problems());
            System.out.println(EvalCommand.toJson(m));
            return r.clean() ? Main.EXIT_OK : Main.EXIT_FAILED;
        }
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
