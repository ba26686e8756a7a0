package dev.minillm.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What a report run produced: the Markdown document (also what the CLI prints on stdout), the
 * files written, the audit flags, and the input files that could not be read.
 */
public record ReportResult(String markdown, List<ComparisonTable> tables, List<AuditFlag> flags,
                           int cellCount, List<String> problems, List<Path> files) {
}
