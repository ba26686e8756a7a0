package dev.minillm.results;

/**
 * The run that wrote a result.
 *
 * @param childPid        the child JVM that measured the cell (null when the parent wrote it)
 * @param writtenBy       "child" or "parent" (failed and skipped cells)
 * @param timeoutS        the per-cell limit the run had
 * @param rssMethod       how RSS was read
 * @param kernelPeakReset whether /proc/self/clear_refs reset VmHWM before each repetition
 */
public record Harness(String version, String startedUtc, String finishedUtc, Double wallSeconds, Long childPid,
                      String writtenBy, Integer timeoutS, String rssMethod, Boolean kernelPeakReset) {
}
