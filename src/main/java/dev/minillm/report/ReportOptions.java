package dev.minillm.report;

/**
 * Options of a report run. {@code allowMixed}: cells from several machines or harness versions
 * may share a table without audit flags. {@code charts}: draw charts (SVG, PNG, inline in HTML).
 */
public record ReportOptions(boolean allowMixed, boolean charts) {
    public static ReportOptions defaults() {
        return new ReportOptions(false, true);
    }

    public AuditOptions auditOptions() {
        return AuditOptions.defaults().withAllowMixed(allowMixed);
    }
}
