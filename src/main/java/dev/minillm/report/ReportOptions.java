package dev.minillm.report;

/**
 * Options of a report run. {@code allowMixed}: cells from several machines or harness versions
 * may share a table without audit flags. {@code charts}: draw charts (SVG, PNG, inline in HTML).
 * {@code constraints}: what the verdict's recommendation must meet.
 */
public record ReportOptions(boolean allowMixed, boolean charts, Constraints constraints) {
    public ReportOptions {
        constraints = constraints == null ? Constraints.none() : constraints;
    }

    public ReportOptions(boolean allowMixed, boolean charts) {
        this(allowMixed, charts, Constraints.none());
    }

    public static ReportOptions defaults() {
        return new ReportOptions(false, true);
    }

    public AuditOptions auditOptions() {
        return AuditOptions.defaults().withAllowMixed(allowMixed);
    }
}
