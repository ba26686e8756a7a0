package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.engine.Session;

/**
 * Perplexity the way llama.cpp's llama-perplexity computes it: the tokenized text is cut into
 * non-overlapping chunks of {@code ctx} tokens, the first token of each chunk is replaced by BOS
 * (when the model uses one), the chunk is evaluated from an empty cache, and only the second half
 * is scored — the logits at positions ctx/2 .. ctx-2 predict the tokens at ctx/2+1 .. ctx-1, so
 * every scored token has at least ctx/2 tokens of context. PPL = exp(mean NLL); its standard
 * error is PPL times the standard error of the mean NLL (delta method), as llama-perplexity prints.
 */
public final class TextScorer {
    private TextScorer() {
    }

    /** Receives the log-probabilities at each scored position, in order (0, 1, 2, ...). */
    @FunctionalInterface
    public interface PositionSink {
        void accept(int position, int targetToken, double[] logProbs);
    }

    /**
     * @param nllMean         mean negative log-likelihood (nats) of the scored tokens
     * @param tokensScored    tokens that contributed to the mean
     * @param tokensEvaluated tokens run through the model (all chunks, both halves)
     * @param nanos           wall time of the pass: forward passes, logits copy and scoring
     */
    public record Result(double nllMean, double ppl, double pplStderr, int tokensScored, int chunks, int ctx,
                         int tokensEvaluated, long nanos, long forwardNanos) {
        /** Tokens evaluated per second over the whole pass. */
        public double evalTokensPerSecond() {
            return nanos > 0 ? tokensEvaluated * 1e9 / nanos : 0;
        }

        public double forwardTokensPerSecond() {
            return forwardNanos > 0 ? tokensEvaluated * 1e9 / forwardNanos : 0;
        }
    }

    /** Tokens of {@code text} as llama-perplexity takes them: special tokens added (BOS), none parsed. */
    public static int[] tokenize(Session session, String text) {
        return session.tokenize(text, true, false);
    }

    /** Chunks scored for a text of {@code nTokens} tokens ({@code maxChunks} 0: all). */
    public static int chunks(int nTokens, int ctx, int maxChunks) {
        int all = nTokens / ctx;
        return maxChunks > 0 ? Math.min(all, maxChunks) : all;
    }

    /** Scored positions of a text of {@code nTokens} tokens at chunk size {@code ctx}. */
    public static int scoredPositions(int nTokens, int ctx, int maxChunks) {
        return chunks(nTokens, ctx, maxChunks) * (ctx - 1 - ctx / 2);
    }

    /**
     * Scores the first {@code maxChunks} chunks (0: all, like llama-perplexity's --chunks) and
     * hands every scored position's log-probabilities to {@code sink} (may be null).
     */
    public static Result score(Session session, int[] tokens, int ctx, int maxChunks, PositionSink sink, String label) {
        if (ctx < 8) {
            throw new BadInputException("--ctx must be at least 8, got " + ctx);
        }
        if (tokens.length < 2 * ctx) {
            throw new BadInputException("the evaluation text has " + tokens.length + " tokens; at least " + 2 * ctx
                    + " (2 x ctx, as llama-perplexity requires) are needed with a context of " + ctx);
        }
        if (session.batchCapacity() < ctx || session.contextSize() < ctx) {
            throw new IllegalArgumentException("session batch/context must hold a whole chunk of " + ctx + " tokens");
        }
        int[] bosProbe = session.tokenize("", true, false);
        Integer bos = bosProbe.length > 0 ? bosProbe[0] : null;
        int chunks = chunks(tokens.length, ctx, maxChunks);
        int first = ctx / 2;
        boolean[] want = new boolean[ctx];
        for (int i = first; i < ctx - 1; i++) {
            want[i] = true;
        }
        double nll = 0;
        double nll2 = 0;
        int count = 0;
        long forwardNanos = 0;
        long t0 = System.nanoTime();
        try (Progress bar = Progress.start(label, chunks, "chunks")) {
            for (int c = 0; c < chunks; c++) {
                int start = c * ctx;
                int[] chunk = java.util.Arrays.copyOfRange(tokens, start, start + ctx);
                if (bos != null) {
                    chunk[0] = bos;
                }
                session.clearCache();
                long f0 = System.nanoTime();
                session.forward(chunk, 0, want);
                for (int i = first; i < ctx - 1; i++) {
                    float[] logits = session.logits(i);
                    if (i == first) {
                        forwardNanos += System.nanoTime() - f0; // first logits read waits for the decode
                    }
                    double[] lp = LogProbs.logSoftmax(logits);
                    int target = tokens[start + i + 1];
                    double v = -lp[target];
                    nll += v;
                    nll2 += v * v;
                    if (sink != null) {
                        sink.accept(count, target, lp);
                    }
                    count++;
                }
                bar.stepTo(c + 1);
            }
        }
        long nanos = System.nanoTime() - t0;
        double mean = nll / count;
        double ppl = Math.exp(mean);
        double var = nll2 / count - mean * mean;
        double stderr = var > 0 && count > 1 ? Math.sqrt(var / (count - 1)) * ppl : Double.NaN;
        return new Result(mean, ppl, stderr, count, chunks, ctx, chunks * ctx, nanos, forwardNanos);
    }
}
