package dev.minillm.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a report run produced: the Markdown document (also what the CLI prints on stdout), the
 * files written, the verdict of each table (by table key), the audit flags, and the input files that could not be read.
 */
public record ReportResult(String markdown, List<ComparisonTable> tables, Map<String, List<Verdict.Answer>> verdicts,
                           List<AuditFlag> flags,
                           int cellCount, List<String> problems, List<Path> files) {
}
