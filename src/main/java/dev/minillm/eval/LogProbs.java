package dev.minillm.eval;

/** Log-softmax and top-K selection in double precision. */
final class LogProbs {
    private LogProbs() {
    }

    /** log softmax of {@code logits}, computed in double with the max subtracted first. */
    static double[] logSoftmax(float[] logits) {
        double logZ = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }

    /** log softmax of {@code logits} at {@code token} alone. */
    static double logProb(float[] logits, int token) {
        return logits[token] - logSumExp(logits);
    }

    /** log(sum exp(logits)) in double, the max subtracted first. */
    static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Indices of the {@code k} largest values, largest first (ties: lower index first). A bounded
     * min-heap keeps this O(n log k) for vocabularies of 150k entries.
     */
    static int[] topK(double[] v, int k) {
        k = Math.min(k, v.length);
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < v.length; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, v);
            } else if (greater(i, heap[0], v)) {
                heap[0] = i;
                siftDown(heap, size, v);
            }
        }
        // Pop the min repeatedly: fills the result from the back, largest ends at index 0.
        int[] out = new int[size];
        for (int n = size; n > 0; n--) {
            out[n - 1] = heap[0];
            heap[0] = heap[n - 1];
            siftDown(heap, n - 1, v);
        }
        return out;
    }

    /** Ordering used by the heap: a beats b when larger, or equal with a lower index. */
    private static boolean greater(int a, int b, double[] v) {
        return v[a] > v[b] || (v[a] == v[b] && a < b);
    }

    private static void siftUp(int[] h, int i, double[] v) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (greater(h[p], h[i], v)) {
                int t = h[p];
                h[p] = h[i];
                h[i] = t;
                i = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] h, int n, double[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < n && greater(h[m], h[l], v)) {
                m = l;
            }
            if (r < n && greater(h[m], h[r], v)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            int t = h[m];
            h[m] = h[i];
            h[i] = t;
            i = m;
        }
    }
}
