package dev.minillm.eval;

import dev.minillm.engine.Session;
import java.util.List;

/** Greedy continuations of a prompt set, and how far a variant's agree with the baseline's. */
public final class GreedyAgreement {
    private GreedyAgreement() {
    }

    /** Greedy continuation of each prompt (stopping at end-of-generation). */
    public static int[][] continuations(Session session, List<String> prompts, int nPredict) {
        int[][] out = new int[prompts.size()][];
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = session.tokenize(prompts.get(i), true, false);
            int n = Math.min(nPredict, session.contextSize() - prompt.length);
            out[i] = n < 1 ? new int[0] : session.generateGreedy(prompt, n, false).tokens();
        }
        return out;
    }

    /** Length of the common prefix of two token sequences. */
    static int prefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    public static QualityResult.Greedy compare(int[][] baseline, int[][] variant, int nPredict, String promptsSource) {
        if (baseline.length != variant.length) {
            throw new IllegalArgumentException("prompt counts differ");
        }
        int first = 0;
        int full = 0;
        double prefixSum = 0;
        for (int i = 0; i < baseline.length; i++) {
            int p = prefix(baseline[i], variant[i]);
            prefixSum += p;
            if (p > 0 || (baseline[i].length == 0 && variant[i].length == 0)) {
                first++;
            }
            if (p == baseline[i].length && p == variant[i].length) {
                full++;
            }
        }
        int n = baseline.length;
        return new QualityResult.Greedy(n > 0 ? (double) first / n : 0, n > 0 ? prefixSum / n : 0, n, nPredict,
                n > 0 ? (double) full / n : 0, promptsSource);
    }
}
