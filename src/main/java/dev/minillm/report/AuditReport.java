package dev.minillm.report;

import java.util.List;

/** The outcome of auditing results directories: flags, unreadable files, cells checked. */
public record AuditReport(List<AuditFlag> flags, List<String> problems, int cellCount) {
    /** Clean: every cell readable and no flag. */
    public boolean clean() {
        return flags.isEmpty() && problems.isEmpty();
    }
}
