package dev.minillm.engine;

import java.util.Arrays;

/**
 * Greedy speculative decoding: a draft model proposes up to K tokens one at a time, the target
 * checks all of them (and the position after them) in one batch, the longest prefix the target
 * agrees with is kept plus the target's own next token, and both KV caches are cut back to what
 * was kept. With greedy sampling on both sides the output is exactly the target's own greedy
 * output; only the cost differs.
 *
 * <p>Works on any pair of {@link Model}s, so it does not depend on how a model is run.
 */
public final class SpeculativeDecoder {
    /** What the loop needs from a loaded model with one KV cache (sequence 0). */
    public interface Model {
        /** Runs tokens at positions startPos.. (in one batch when they fit); logits where wantLogits says (null: last only). */
        void forward(int[] tokens, int startPos, boolean[] wantLogits);

        /** The greedy choice from the logits at batch index i of the last forward (-1: the last token's). */
        int greedyToken(int batchIndex);

        /** Drops the KV cache from position fromPos on. */
        void trimCache(int fromPos);

        void clearCache();

        int contextSize();
    }

    /**
     * One generation.
     *
     * @param tokens         the generated tokens (exactly nPredict)
     * @param promptNanos    both models' prompt processing, up to the target's first token
     * @param totalNanos     prompt submitted to last token
     * @param steps          draft-and-verify rounds (a round with nothing to propose counts too)
     * @param proposed       draft tokens proposed
     * @param accepted       draft tokens the target agreed with
     * @param draftNanos     time the draft spent proposing (its catch-up decode included)
     * @param verifyNanos    time of the target's batched checks, choice and cache cuts
     * @param proposedByStep draft tokens proposed in each round (K, fewer near the requested count)
     * @param acceptedByStep accepted draft tokens of each round
     */
    public record Result(int[] tokens, long promptNanos, long totalNanos, int steps, int proposed, int accepted,
                         long draftNanos, long verifyNanos, int[] proposedByStep, int[] acceptedByStep) {
    }

    private SpeculativeDecoder() {
    }

    /**
     * Generates {@code nPredict} tokens after {@code prompt} (end-of-text not special-cased, as in
     * the bench's target-only loop) from empty caches.
     */
    public static Result generate(Model target, Model draft, int[] prompt, int nPredict, int draftMax) {
        if (prompt.length == 0 || nPredict < 1) {
            throw new IllegalArgumentException("empty prompt or nothing to generate");
        }
        if (draftMax < 1) {
            throw new IllegalArgumentException("draft max must be >= 1");
        }
        int need = prompt.length + nPredict;
        if (need > target.contextSize() || need > draft.contextSize()) {
            throw new IllegalArgumentException("prompt + generated tokens (" + need + ") do not fit the context");
        }
        target.clearCache();
        draft.clearCache();
        int[] seq = Arrays.copyOf(prompt, need);
        int seqLen = prompt.length;
        int[] acceptedByStep = new int[nPredict];
        int[] proposedByStep = new int[nPredict];

        long t0 = System.nanoTime();
        target.forward(prompt, 0, null);
        seq[seqLen++] = target.greedyToken(-1);
        draft.forward(prompt, 0, null);
        int draftCached = prompt.length;
        long tPrompt = System.nanoTime();

        long draftNanos = 0;
        long verifyNanos = 0;
        int steps = 0;
        int proposed = 0;
        int accepted = 0;
        int[] proposal = new int[draftMax];
        boolean[] allLogits = new boolean[draftMax + 1];
        Arrays.fill(allLogits, true);
        while (seqLen < need) {
            // Never propose past the requested count: the last token always comes from the target.
            int k = Math.min(draftMax, need - seqLen - 1);
            long a = System.nanoTime();
            if (k > 0) {
                draft.forward(Arrays.copyOfRange(seq, draftCached, seqLen), draftCached, null);
                draftCached = seqLen;
                proposal[0] = draft.greedyToken(-1);
                for (int i = 1; i < k; i++) {
                    draft.forward(new int[] {proposal[i - 1]}, draftCached++, null);
                    proposal[i] = draft.greedyToken(-1);
                }
            }
            long b = System.nanoTime();
            int[] check = new int[k + 1];
            check[0] = seq[seqLen - 1];
            System.arraycopy(proposal, 0, check, 1, k);
            int base = seqLen - 1;
            target.forward(check, base, Arrays.copyOf(allLogits, k + 1));
            int n = 0;
            int own = target.greedyToken(0);
            while (n < k && own == proposal[n]) {
                n++;
                own = target.greedyToken(n);
            }
            System.arraycopy(proposal, 0, seq, seqLen, n);
            seqLen += n;
            seq[seqLen++] = own;
            if (n < k) {
                target.trimCache(base + n + 1);
            }
            // The draft holds the old sequence plus proposals 0..k-2; keep what the target kept.
            int draftKeep = seqLen - 1 - n + Math.min(n, Math.max(k - 1, 0));
            if (draftCached > draftKeep) {
                draft.trimCache(draftKeep);
                draftCached = draftKeep;
            }
            long c = System.nanoTime();
            draftNanos += b - a;
            verifyNanos += c - b;
            proposedByStep[steps] = k;
            acceptedByStep[steps++] = n;
            proposed += k;
            accepted += n;
        }
        long tEnd = System.nanoTime();
        return new Result(Arrays.copyOfRange(seq, prompt.length, need), tPrompt - t0,
                tEnd - t0, steps, proposed, accepted, draftNanos, verifyNanos,
                Arrays.copyOf(proposedByStep, steps), Arrays.copyOf(acceptedByStep, steps));
    }
}
