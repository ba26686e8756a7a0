package dev.minillm.report;

import java.util.List;
import java.util.Map;

/** Renders the comparison tables, the failed/skipped cells and the audit as Markdown. */
final class MarkdownWriter {
    private MarkdownWriter() {
    }

    static String render(List<ComparisonTable> tables, Map<String, List<Verdict.Answer>> verdicts, Prediction.Table predicted,
                         List<AuditFlag> flags, List<String> problems, String header) {
        StringBuilder md = new StringBuilder();
        md.append("# minillm comparison\n\n").append(header).append("\n\n");
        for (ComparisonTable t : tables) {
            table(md, t);
        }
        md.append("Figures: mean ± sample standard deviation over the measured repetitions (n), warmup discarded. ")
                .append("Speedups are ratios of means, ± the combined relative spread. ")
                .append("⚠ marks a figure or cell the self-audit flagged. – means not measured.\n\n");
        audit(md, flags);
        if (!problems.isEmpty()) {
            md.append("## Unreadable result files (").append(problems.size()).append(" skipped)\n\n");
            for (String p : problems) {
                md.append("- ").append(esc(p)).append('\n');
            }
            md.append('\n');
        }
        if (predicted != null) {
            md.append("## Predicted (not measured)\n\n").append(Prediction.markdown(predicted.model(), predicted.rows())).append('\n');
        }
        verdict(md, tables, verdicts);
        return md.toString();
    }

    private static void table(StringBuilder md, ComparisonTable t) {
        md.append("## ").append(esc(t.title())).append("\n\n");
        if (!t.settingsSummary().isEmpty()) {
            md.append("Settings: ").append(esc(t.settingsSummary())).append(". ");
        }
        md.append("Baseline: ").append(t.baselineVariant()).append(".\n\n");
        for (ComparisonTable.Machine m : t.machines()) {
            md.append("- Machine: ").append(esc(m.label()));
            if (m.cpuModel() != null && !m.cpuModel().equals(m.label())) {
                md.append(" — ").append(esc(m.cpuModel()));
            }
            md.append('\n');
        }
        md.append('\n');
        List<ComparisonTable.Column> cols = t.measuredColumns();
        if (cols.isEmpty()) {
            md.append("No cell of this table ran successfully.\n\n");
        } else {
            md.append("| Metric |");
            for (ComparisonTable.Column c : cols) {
                md.append(' ').append(esc(c.header())).append(" |");
            }
            md.append("\n|---|");
            md.append("---:|".repeat(cols.size()));
            md.append('\n');
            Row.Section section = null;
            for (Row r : t.rows()) {
                if (r.section != section) {
                    section = r.section;
                    md.append("| **").append(section.title).append("** |").append(" |".repeat(cols.size())).append('\n');
                }
                md.append("| ").append(esc(r.label(t.baselineVariant()))).append(" |");
                for (ComparisonTable.Column c : cols) {
                    Figure f = c.figure(r);
                    md.append(' ').append(esc(f.render())).append(f.flagged() ? " ⚠" : "").append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            if (!t.hasQuality()) {
                md.append("Quality: not measured (no cell has quality results).\n\n");
            }
            String roof = t.rooflineNote();
            if (roof != null) {
                md.append("Roofline: ").append(esc(roof)).append("\n\n");
            }
        }
        List<ComparisonTable.Column> notRun = t.notMeasured();
        if (!notRun.isEmpty()) {
            md.append("Not measured:\n\n");
            for (ComparisonTable.Column c : notRun) {
                md.append("- ").append(esc(c.header())).append(t.multiMachine() ? " @ " + esc(c.machine().label()) : "")
                        .append(": ").append(esc(ComparisonTable.statusText(c.cell()))).append('\n');
            }
            md.append('\n');
        }
        if (t.columns().stream().anyMatch(c -> c.cell().synthetic())) {
            md.append("Synthetic weights: speed and memory are representative of the architecture and size; ")
                    .append("quality is n/a.\n\n");
        }
    }

    /** Last, so that it is the last thing bench and report print: the answer. */
    private static void verdict(StringBuilder md, List<ComparisonTable> tables, Map<String, List<Verdict.Answer>> verdicts) {
        if (verdicts.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        md.append("## Verdict\n\n");
        for (ComparisonTable t : tables) {
            List<Verdict.Answer> answers = verdicts.getOrDefault(t.key(), List.of());
            if (answers.isEmpty()) {
                continue;
            }
            if (tables.size() > 1) {
                md.append("**").append(esc(t.title())).append("**\n\n");
            }
            for (Verdict.Answer a : answers) {
                for (String line : a.lines()) {
                    md.append("- ").append(esc(line)).append('\n');
                }
                md.append('\n');
            }
        }
    }

    private static void audit(StringBuilder md, List<AuditFlag> flags) {
        md.append("## Self-audit\n\n");
        if (flags.isEmpty()) {
            md.append("No flags: every cell discarded warmup, has at least 3 repetitions, CV ≤ 10 %, ")
                    .append("a verified cold load, agrees with llama.cpp's own timing, and the tables mix no machines or harness versions.\n\n");
            return;
        }
        md.append(flags.size()).append(flags.size() == 1 ? " flag" : " flags").append(":\n\n");
        md.append("| Cell | Rule | Finding |\n|---|---|---|\n");
        for (AuditFlag f : flags) {
            md.append("| ").append(esc(f.cellId())).append(" | ").append(f.rule().code()).append(" | ")
                    .append(esc(f.message())).append(" |\n");
        }
        md.append('\n');
    }

    /** Escapes what would break a Markdown table cell. */
    static String esc(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
