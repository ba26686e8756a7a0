package dev.minillm.eval;

import dev.minillm.engine.Session;
import java.util.Arrays;

/**
 * Log-likelihood of each choice's continuation given its context, computed as
 * lm-evaluation-harness does: context and context + continuation are tokenized (with the model's
 * BOS), the continuation is the tokens past the context's length, and its log-likelihood is the
 * sum of the log-softmax of the tokens that were actually there. The choices of one item are
 * evaluated together: their common token prefix once, each choice's remainder as its own
 * sequence of one batch ({@link Session#forwardBranches}).
 */
public final class ChoiceScorer {
    /** Most choices an item may have (one KV sequence each). */
    public static final int MAX_CHOICES = 8;

    private ChoiceScorer() {
    }

    /** The tokens of one choice: the whole request and where its continuation starts. */
    record Encoded(int[] whole, int contextLength) {
    }

    static Encoded encode(Session session, String context, String continuation) {
        // The harness moves the context's trailing spaces to the continuation before tokenizing.
        int end = context.length();
        while (end > 0 && context.charAt(end - 1) == ' ') {
            end--;
        }
        String ctx = context.substring(0, end);
        String cont = context.substring(end) + continuation;
        int[] whole = session.tokenize(ctx + cont, true, false);
        int nCtx = session.tokenize(ctx, true, false).length;
        if (nCtx >= whole.length) {
            // The tokenizer merged the continuation into the context's last token: score it separately.
            int[] c = session.tokenize(cont, false, false);
            int[] ctxTokens = session.tokenize(ctx, true, false);
            whole = Arrays.copyOf(ctxTokens, ctxTokens.length + c.length);
            System.arraycopy(c, 0, whole, ctxTokens.length, c.length);
            nCtx = ctxTokens.length;
        }
        if (nCtx == 0) {
            throw new IllegalArgumentException("empty context and no BOS token: nothing to condition on");
        }
        return new Encoded(whole, nCtx);
    }

    /** Log-likelihood (nats) of each choice of {@code item}. */
    public static double[] logLikelihoods(Session session, ChoiceItem item) {
        return logLikelihoods(session, item, true);
    }

    /**
     * As {@link #logLikelihoods(Session, ChoiceItem)}; with {@code batched} false every choice is
     * evaluated on its own from a fresh cache, context included (the slow reference the batched
     * path is measured and checked against).
     */
    public static double[] logLikelihoods(Session session, ChoiceItem item, boolean batched) {
        int k = item.choices();
        if (k > MAX_CHOICES) {
            throw new IllegalArgumentException(item.id() + ": " + k + " choices; at most " + MAX_CHOICES);
        }
        Encoded[] enc = new Encoded[k];
        for (int i = 0; i < k; i++) {
            enc[i] = encode(session, item.contexts().get(i), item.continuations().get(i));
        }
        if (!batched) {
            double[] ll = new double[k];
            for (int i = 0; i < k; i++) {
                ll[i] = logLikelihoods(session, new Encoded[] {enc[i]})[0];
            }
            return ll;
        }
        return logLikelihoods(session, enc);
    }

    static double[] logLikelihoods(Session session, Encoded[] enc) {
        int room = session.maxSequences();
        if (enc.length > room) {
            // More candidates than KV sequences: score them in groups (each group shares its prefix).
            double[] all = new double[enc.length];
            for (int from = 0; from < enc.length; from += room) {
                int to = Math.min(enc.length, from + room);
                System.arraycopy(logLikelihoods(session, Arrays.copyOfRange(enc, from, to)), 0, all, from, to - from);
            }
            return all;
        }
        int k = enc.length;
        int shared = Integer.MAX_VALUE;
        for (Encoded e : enc) {
            shared = Math.min(shared, e.contextLength());
            shared = Math.min(shared, commonPrefix(enc[0].whole(), e.whole()));
        }
        double[] ll = new double[k];
        if (shared == 0) {
            // Nothing in common (no BOS and different first tokens): one prefix per choice.
            for (int i = 0; i < k; i++) {
                ll[i] = logLikelihoods(session, new Encoded[] {enc[i]})[0];
            }
            return ll;
        }
        int p = shared;
        int[] prefix = Arrays.copyOf(enc[0].whole(), p);
        int[][] branches = new int[k][];
        for (int i = 0; i < k; i++) {
            branches[i] = Arrays.copyOfRange(enc[i].whole(), p, enc[i].whole().length);
        }
        session.forwardBranches(prefix, branches, (branch, index, logits) -> {
            // Logits at absolute position pos predict the token at pos + 1.
            int pos = branch < 0 ? p - 1 : p + index;
            for (int i = 0; i < k; i++) {
                if (branch >= 0 && branch != i) {
                    continue;
                }
                int target = pos + 1;
                if (target >= enc[i].contextLength() && target < enc[i].whole().length) {
                    ll[i] += LogProbs.logProb(logits, enc[i].whole()[target]);
                }
            }
        });
        return ll;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
