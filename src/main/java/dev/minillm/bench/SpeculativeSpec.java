package dev.minillm.bench;

/**
 * The speculative-decoding part of a cell: the draft model and K, the most tokens it proposes per
 * step. A cell with one measures target-only greedy decoding and speculative decoding of the same
 * prompts side by side in its child JVM.
 *
 * @param draftPath    the draft GGUF (same vocabulary as the target, checked before the run)
 * @param draftLabel   short name used in cell ids and tables (file name without .gguf)
 * @param draftVariant the draft's file type (Q4_0, F16, ...)
 * @param draftMax     K
 */
public record SpeculativeSpec(String draftPath, String draftLabel, String draftVariant, int draftMax) {
    /** The cell-id / file-name suffix, e.g. {@code draft-stories260K-q4_0-k4}. */
    public String tag() {
        return "draft-" + ModelNames.safeSegment(draftLabel) + "-k" + draftMax;
    }
}
