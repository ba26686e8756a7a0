package dev.minillm.report;

/**
 * Thresholds of the self-audit. {@code allowMixed} accepts cells from different machines or
 * harness versions in one table (a deliberate multi-machine comparison).
 */
public record AuditOptions(boolean allowMixed, double maxCv, int minRepetitions, double crosscheckThresholdPct) {
    public static AuditOptions defaults() {
        return new AuditOptions(false, 0.10, 3, 5.0);
    }

    public AuditOptions withAllowMixed(boolean allow) {
        return new AuditOptions(allow, maxCv, minRepetitions, crosscheckThresholdPct);
    }
}
