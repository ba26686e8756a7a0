package dev.minillm.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.Session;
import dev.minillm.engine.PlainLoopReference;
import dev.minillm.metrics.Stats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast the perplexity pass evaluates text, next to the plain C loop's prompt-processing
 * speed on the same model, threads and chunk size: the C loop is the ceiling for pushing a
 * ctx-sized batch through llama_decode, so the gap is the cost of asking for logits at half the
 * positions, copying them to Java and scoring them.
 */
public final class EvalSpeed {
    private EvalSpeed() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(String model,
                         int threads,
                         int ctx,
                         int tokensEvaluated,
                         int tokensScored,
                         double evalTps,
                         double scoredTps,
                         double forwardTps,
                         double forwardLastLogitsTps,
                         int cLoopPromptTokens,
                         Double cLoopPromptTps,
                         int reps) {

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "model %s, %d threads, chunks of %d tokens, median of %d runs%n", model, threads, ctx, reps));
            sb.append(String.format(Locale.ROOT, "perplexity pass:  %8.0f tok/s evaluated (%d tokens, whole pass incl. scoring)%n", evalTps, tokensEvaluated));
            sb.append(String.format(Locale.ROOT, "                  %8.0f tok/s scored (%d tokens: the second half of each chunk)%n", scoredTps, tokensScored));
            sb.append(String.format(Locale.ROOT, "forward only:     %8.0f tok/s (llama_decode with logits for half the chunk)%n", forwardTps));
            sb.append(String.format(Locale.ROOT, "forward, 1 logit: %8.0f tok/s (same chunks, logits of the last token only, as the C loop)%n", forwardLastLogitsTps));
            if (cLoopPromptTps != null) {
                sb.append(String.format(Locale.ROOT, "plain C loop:     %8.0f tok/s prompt processing (%d-token prompt, same library)%n", cLoopPromptTps, cLoopPromptTokens));
                sb.append(String.format(Locale.ROOT, "eval / C loop:    %8.2f%n", evalTps / cLoopPromptTps));
            } else {
                sb.append("plain C loop:     n/a (no C compiler found)\n");
            }
            return sb.toString();
        }
    }

    public static Report measure(Path model, QualityOptions o, int reps) {
        QualityRunner.requireFile(model, "model");
        EvalResources.Loaded text = QualityRunner.requireText(o.textFile());
        double[] eval = new double[reps];
        double[] scored = new double[reps];
        double[] forward = new double[reps];
        double[] lastOnly = new double[reps];
        int evaluated = 0;
        int nScored = 0;
        String prompt;
        try (Session s = dev.minillm.engine.Engines.open(o.openEngine(), model, new EngineSettings(o.threads(), o.ctx(), o.ctx(), o.gpuLayers(), o.verbose()))) {
            int[] tokens = TextScorer.tokenize(s, text.text());
            for (int r = -1; r < reps; r++) { // one warmup run
                TextScorer.Result res = TextScorer.score(s, tokens, o.ctx(), o.maxChunks(), null, "speed");
                if (r >= 0) {
                    eval[r] = res.evalTokensPerSecond();
                    scored[r] = res.nanos() > 0 ? res.tokensScored() * 1e9 / res.nanos() : 0;
                    forward[r] = res.forwardTokensPerSecond();
                    evaluated = res.tokensEvaluated();
                    nScored = res.tokensScored();
                    lastOnly[r] = forwardLastLogitOnly(s, tokens, o.ctx(), TextScorer.chunks(tokens.length, o.ctx(), o.maxChunks()));
                }
            }
            // A prompt of about one chunk for the C loop, which needs it to fit one batch with BOS.
            prompt = s.detokenize(Arrays.copyOfRange(tokens, 1, o.ctx() - 16), false);
        }
        Double cTps = null;
        int cTokens = 0;
        // The plain C reference is built against the bundled library only.
        Path exe = o.openEngine() instanceof dev.minillm.engine.BundledEngine ? PlainLoopReference.compile() : null;
        if (exe != null) {
            List<PlainLoopReference.Rep> c = PlainLoopReference.run(exe, model,
                    new EngineSettings(o.threads(), o.ctx(), o.ctx(), o.gpuLayers(), false), prompt, 2, 1, reps);
            cTps = Stats.of(c.stream().mapToDouble(PlainLoopReference.Rep::promptTps).toArray()).median();
            cTokens = c.isEmpty() ? 0 : c.get(0).promptTokens();
        }
        return new Report(model.toString(), o.threads(), o.ctx(), evaluated, nScored, Stats.of(eval).median(),
                Stats.of(scored).median(), Stats.of(forward).median(), Stats.of(lastOnly).median(), cTokens, cTps, reps);
    }

    /** The same chunks through the same session, asking for the last token's logits only. */
    private static double forwardLastLogitOnly(Session s, int[] tokens, int ctx, int chunks) {
        long t0 = System.nanoTime();
        for (int c = 0; c < chunks; c++) {
            s.clearCache();
            s.forward(Arrays.copyOfRange(tokens, c * ctx, (c + 1) * ctx), 0, null);
            s.logits(ctx - 1);
        }
        long nanos = System.nanoTime() - t0;
        return nanos > 0 ? (double) chunks * ctx * 1e9 / nanos : 0;
    }
}
