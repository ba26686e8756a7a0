package dev.minillm.eval;

import dev.minillm.engine.LlamaSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared inputs: a story-like excerpt of prompts/eval.txt, small enough for quick passes. */
final class EvalTestSupport {
    /** Chunk size used in tests: small chunks keep each pass around a second on a busy machine. */
    static final int CTX = 128;

    private EvalTestSupport() {
    }

    /** The first {@code chars} characters of the shipped evaluation text (its stories come first). */
    static Path storyText(Path dir, int chars) throws IOException {
        String all = Files.readString(Path.of("prompts/eval.txt"), StandardCharsets.UTF_8);
        Path p = dir.resolve("story-" + chars + ".txt");
        Files.writeString(p, all.substring(0, Math.min(chars, all.length())), StandardCharsets.UTF_8);
        return p;
    }

    /** Options for one thread (fastest on a loaded 2-core machine for a 260K model), small ctx. */
    static QualityOptions options(Path text, Path baselineDir) {
        return QualityOptions.defaults().threads(1).ctx(CTX).textFile(text).baselineDir(baselineDir);
    }

    /**
     * Reference log-softmax, in double, of the raw logits at every scored position (the second half
     * of each ctx-token chunk but its last token, BOS in front), chunk by chunk: what the perplexity
     * pass and the baseline record should agree with.
     */
    static double[][] scoredLogProbs(LlamaSession s, int[] tokens, int ctx) {
        int chunks = tokens.length / ctx;
        double[][] out = new double[chunks * (ctx - 1 - ctx / 2)][];
        boolean[] all = new boolean[ctx];
        java.util.Arrays.fill(all, true);
        int k = 0;
        for (int c = 0; c < chunks; c++) {
            int[] chunk = java.util.Arrays.copyOfRange(tokens, c * ctx, (c + 1) * ctx);
            chunk[0] = 1;
            s.clearCache();
            s.forward(chunk, 0, all);
            for (int i = ctx / 2; i < ctx - 1; i++) {
                float[] l = s.logits(i);
                double z = 0;
                for (float x : l) {
                    z += Math.exp(x);
                }
                double[] lp = new double[l.length];
                for (int t = 0; t < l.length; t++) {
                    lp[t] = l[t] - Math.log(z);
                }
                out[k++] = lp;
            }
        }
        return out;
    }
}
