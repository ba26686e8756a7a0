package dev.minillm.engine;

/**
 * Timing of one greedy generation, measured around the project's own decode loop.
 *
 * @param promptTokens   tokens in the prompt (including BOS when the model adds one)
 * @param promptNanos    prompt processing: submitting the prompt until its logits are ready
 * @param ttftNanos      prompt submitted until the first generated token is sampled
 * @param generatedTokens tokens generated, the first included
 * @param interTokenNanos time of each token after the first (decode + sample), in order
 * @param totalNanos     prompt submitted until the last token is sampled
 * @param tokens         the generated token ids
 */
public record GenerationTiming(int promptTokens, long promptNanos, long ttftNanos, int generatedTokens,
                               long[] interTokenNanos, long totalNanos, int[] tokens) {

    public double promptTokensPerSecond() {
        return promptNanos > 0 ? promptTokens * 1e9 / promptNanos : 0;
    }

    /** Decode speed with the first token excluded (it belongs to TTFT). */
    public double decodeTokensPerSecond() {
        long sum = 0;
        for (long t : interTokenNanos) {
            sum += t;
        }
        return sum > 0 ? interTokenNanos.length * 1e9 / sum : 0;
    }
}
