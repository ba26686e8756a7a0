package dev.minillm.report;

import java.nio.file.Path;

/**
 * One audit finding: which cell, which rule, and what was seen. {@code metric} names the metric
 * a figure-level rule (CV, crosscheck) applies to, else null.
 */
public record AuditFlag(String cellId, Path file, AuditRule rule, String metric, String message) {
    /** One line for logs: "cell: rule: message". */
    public String line() {
        return cellId + ": " + rule.code() + ": " + message;
    }
}
