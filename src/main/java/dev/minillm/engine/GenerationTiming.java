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
 * @param decodeCallNanos of {@code interTokenNanos}, the time inside llama_decode until the logits were
 *                       ready (llama_synchronize), summed; -1 where the loop does not time it apart
 * @param pickNanos      of {@code interTokenNanos}, the time spent picking the greedy token, summed; -1
 *                       where the loop does not time it apart
 */
public record GenerationTiming(int promptTokens, long promptNanos, long ttftNanos, int generatedTokens,
                               long[] interTokenNanos, long totalNanos, int[] tokens, long decodeCallNanos,
                               long pickNanos) {

    /** A timing whose loop does not split each token's time into decode and pick. */
    public GenerationTiming(int promptTokens, long promptNanos, long ttftNanos, int generatedTokens,
                            long[] interTokenNanos, long totalNanos, int[] tokens) {
        this(promptTokens, promptNanos, ttftNanos, generatedTokens, interTokenNanos, totalNanos, tokens, -1, -1);
    }

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

    /**
     * Decode speed over llama_decode + llama_synchronize alone (what llama-bench times for a token),
     * the first token excluded; 0 where the loop does not time it apart.
     */
    public double decodeCallTokensPerSecond() {
        return decodeCallNanos > 0 ? interTokenNanos.length * 1e9 / decodeCallNanos : 0;
    }
}
