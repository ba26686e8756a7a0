package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.Engines;
import dev.minillm.engine.Session;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Perplexity of the real stories260K model (F32) through both engines, by eval's own perplexity
 * path (the session eval opens, TextScorer's llama-perplexity pass over the shipped evaluation
 * text): the bundled b4916 and the native build of a current llama.cpp must agree within 0.5 %.
 */
class NativePerplexityTest {
    record Pass(TextScorer.Result result, double[] targetNll, String session) {
    }

    static Pass perplexity(String engine) {
        QualityOptions o = EvalTestSupport.options(Path.of(EvalResources.EVAL_TEXT), null).engine(engine)
                .kld(false).greedy(false).hallucination(false);
        String text = EvalResources.text(o.textFile(), EvalResources.EVAL_TEXT).text();
        try (Session s = QualityRunner.open(TestModels.STORIES, o)) {
            int[] tokens = TextScorer.tokenize(s, text);
            double[] nll = new double[TextScorer.scoredPositions(tokens.length, o.ctx(), o.maxChunks())];
            TextScorer.Result r = TextScorer.score(s, tokens, o.ctx(), o.maxChunks(),
                    (pos, target, lp) -> nll[pos] = -lp[target], "ppl " + engine);
            return new Pass(r, nll, s.getClass().getSimpleName());
        }
    }

    @Test
    void bundledAndNativePerplexityAgreeWithinHalfAPercent() {
        Pass bundled = perplexity(Engines.DEFAULT);
        Pass nativ = perplexity(Engines.NATIVE);
        assertEquals("LlamaSession", bundled.session());
        assertEquals("NativeSession", nativ.session(), "the native engine's own library computed the second pass");
        double maxTokenDiff = 0;
        for (int i = 0; i < bundled.targetNll().length; i++) {
            maxTokenDiff = Math.max(maxTokenDiff, Math.abs(bundled.targetNll()[i] - nativ.targetNll()[i]));
        }
        TextScorer.Result b = bundled.result();
        TextScorer.Result n = nativ.result();
        double diff = Math.abs(n.ppl() - b.ppl()) / b.ppl();
        System.out.printf(java.util.Locale.ROOT,
                "stories260K F32 PPL over %d tokens (%d chunks of %d): bundled %.9f +/- %.4f, native %.9f +/- %.4f, "
                        + "relative difference %.3g %%, largest difference of one token's NLL %.3g nats%n",
                b.tokensScored(), b.chunks(), b.ctx(), b.ppl(), b.pplStderr(), n.ppl(), n.pplStderr(), diff * 100,
                maxTokenDiff);
        assertEquals(b.tokensScored(), n.tokensScored(), "the same tokens scored (same tokenizer, same chunks)");
        assertTrue(b.chunks() >= 20, "enough text for a stable figure: " + b.chunks() + " chunks");
        assertTrue(b.ppl() > 2 && b.ppl() < 60, "a story model on stories: " + b.ppl());
        assertTrue(diff < 0.005, "perplexity bundled " + b.ppl() + " vs native " + n.ppl() + ": " + diff * 100 + " % apart");
    }
}
