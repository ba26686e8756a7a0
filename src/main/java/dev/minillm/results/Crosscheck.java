package dev.minillm.results;

/**
 * Our timing compared with llama.cpp's own (llama_perf_context) for the same decodes.
 *
 * @param decodeDiffPct (ours - theirs) / theirs in percent
 */
public record Crosscheck(Double decodeDiffPct, Double promptDiffPct, Double thresholdPct, Boolean flagged, String against) {
}
