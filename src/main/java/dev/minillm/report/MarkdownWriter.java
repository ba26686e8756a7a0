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
        md.append("Figures: mean ± sample standard deviation over the measured repetitions (n, stated once per table), warmup discarded. ")
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
        md.append("Baseline: ").append(t.baselineVariant()).append(".");
        Integer n = statedN(t);
        if (n != null) {
            md.append(" Figures: mean ± sd over n = ").append(n).append(" measured repetitions");
            md.append(" (a figure over another count says so).");
        }
        md.append("\n\n");
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
                    md.append(' ').append(esc(f.render(n))).append(f.flagged() ? " ⚠" : "").append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            if (!t.hasQuality()) {
                md.append("Quality: not measured (no cell has quality results).\n\n");
            }
            benchTests(md, t);
            ladder(md, t);
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

    /** llama-bench's tests, as llama-bench prints them: test name, tok/s ± sd, and hyperfine's Range (min … max). */
    private static void benchTests(StringBuilder md, ComparisonTable t) {
        List<ComparisonTable.Column> cols = t.measuredColumns().stream()
                .filter(c -> c.cell().record().tests() != null && !c.cell().record().tests().isEmpty()).toList();
        if (cols.isEmpty()) {
            return;
        }
        Integer n = cols.get(0).cell().record().tests().get(0).tps().n();
        md.append("llama-bench tests (tok/s = (prompt + generated tokens) / time, mean ± sd over n = ").append(n)
                .append(" repetitions, as llama-bench measures them):\n\n");
        md.append("| Cell | Test | tok/s | Range (min … max) |\n|---|---|---:|---:|\n");
        for (ComparisonTable.Column c : cols) {
            for (dev.minillm.results.TestResult r : c.cell().record().tests()) {
                Figure f = Figure.of(r.tps());
                int d = f.value() == null ? 0 : f.numberDecimals();
                String range = r.tps().min() == null ? Figure.MISSING
                        : Figure.fixed(r.tps().min(), d) + " … " + Figure.fixed(r.tps().max(), d);
                md.append("| ").append(esc(c.header())).append(" | ").append(esc(r.name())).append(" | ")
                        .append(esc(f.render(n))).append(" | ").append(range).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** The context ladder: what each depth costs in KV cache and memory, and decode speed there. */
    private static void ladder(StringBuilder md, ComparisonTable t) {
        List<ComparisonTable.Column> cols = t.measuredColumns().stream()
                .filter(c -> c.cell().record().ladder() != null && !c.cell().record().ladder().isEmpty()).toList();
        if (cols.isEmpty()) {
            return;
        }
        md.append("Context ladder (KV bytes/token analytic = layers × KV heads × head dim × (K + V bytes per element); ")
                .append("llama.cpp's KV = its state size of the filled cache; RSS = what the context cost the process; ")
                .append("decode over ").append(dev.minillm.results.LadderPoint.DECODE_TOKENS).append(" tokens at that depth):\n\n");
        md.append("| Cell | Depth | KV B/token (analytic) | KV MiB (analytic) | KV MiB (llama.cpp) | RSS MiB | Decode tok/s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (ComparisonTable.Column c : cols) {
            for (dev.minillm.results.LadderPoint p : c.cell().record().ladder()) {
                md.append("| ").append(esc(c.header())).append(" | ").append(p.depth()).append(" | ")
                        .append(p.kvBytesPerTokenAnalytic()).append(" | ").append(mib(p.kvBytesAnalytic())).append(" | ")
                        .append(mib(p.kvBytesReported())).append(" | ").append(mib(p.rssDeltaBytes())).append(" | ")
                        .append(esc(Figure.of(p.decodeTps()).render(p.decodeTps() == null ? null : p.decodeTps().n()))).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static String mib(Long bytes) {
        return bytes == null ? Figure.MISSING : Figure.fixed(bytes / 1048576.0, Figure.decimals(bytes / 1048576.0));
    }

    /** The repetition count most figures of the table are over, stated once; null when none has one. */
    static Integer statedN(ComparisonTable t) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (ComparisonTable.Column c : t.measuredColumns()) {
            for (Row r : t.rows()) {
                Integer n = c.figure(r).n();
                if (n != null) {
                    counts.merge(n, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream().max(java.util.Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(java.util.Map.Entry.comparingByKey())).map(java.util.Map.Entry::getKey).orElse(null);
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
