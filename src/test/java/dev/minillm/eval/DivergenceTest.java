package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Divergence against stories260K (F32) as the baseline. Variants are stories260K quantized to
 * Q8_0 and Q4_0 (the project's quantizer when present, else rounded weights: see
 * {@link TestModels#variant}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DivergenceTest {
    @TempDir
    static Path dir;
    Path text;
    Path r8;
    Path r4;

    @BeforeAll
    void setUp() throws Exception {
        text = EvalTestSupport.storyText(dir, 4000);
        TestModels.Variant q8 = TestModels.variant(dir, "Q8_0");
        TestModels.Variant q4 = TestModels.variant(dir, "Q4_0");
        System.out.println("variants: " + q8.madeBy() + "; " + q4.madeBy());
        r8 = q8.file();
        r4 = q4.file();
    }

    private QualityOptions opts(Path baselineDir) {
        return EvalTestSupport.options(text, baselineDir).hallucination(false).greedyTokens(16);
    }

    @Test
    void modelAgainstItselfHasZeroDivergenceAndFullAgreement() throws Exception {
        Path base = dir.resolve("self");
        QualityResult r = QualityRunner.run(TestModels.STORIES, TestModels.STORIES, opts(base));
        QualityResult.Kld k = r.kld();
        assertEquals(0.0, k.mean(), 1e-6);
        assertEquals(0.0, k.p99(), 1e-6);
        assertEquals(1.0, k.top1Agreement());
        assertEquals(0.0, k.deltaPpl(), 1e-12);
        assertEquals(r.ppl().tokensScored(), k.positions());
        assertEquals(1.0, r.greedy().firstTokenMatch());
        assertEquals(1.0, r.greedy().fullMatch());
        assertTrue(r.greedy().meanPrefixLen() > 0);
        assertEquals("F32", r.baselineVariant(), "stories260K's GGUF file type");
        BaselineRecord rec = BaselineRecord.read(base.resolve("stories260K.kld"));
        assertNotNull(rec, "the baseline record is written");
        assertEquals(k.positions(), rec.positions());
        assertEquals(r.ppl().value(), rec.header().ppl(), 1e-12);
        long size = Files.size(base.resolve("stories260K.kld"));
        assertEquals(rec.positions() * (8L * 32 + 4), size - 4 - BaselineRecord.MAGIC.length()
                - new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(rec.header()).length);
    }

    @Test
    void fewerBitsDivergeMoreAndTheRecordIsReused() throws Exception {
        Path base = dir.resolve("quant");
        QualityResult q8 = QualityRunner.run(r8, TestModels.STORIES, opts(base));
        Path recFile = base.resolve("stories260K.kld");
        String created = BaselineRecord.read(recFile).header().createdUtc();
        QualityResult q4 = QualityRunner.run(r4, TestModels.STORIES, opts(base));
        assertEquals(created, BaselineRecord.read(recFile).header().createdUtc(), "second variant reuses the record");
        System.out.printf("r8: KL %.6f p99 %.6f top1 %.4f dPPL %+.4f | r4: KL %.6f p99 %.6f top1 %.4f dPPL %+.4f%n",
                q8.kld().mean(), q8.kld().p99(), q8.kld().top1Agreement(), q8.kld().deltaPpl(),
                q4.kld().mean(), q4.kld().p99(), q4.kld().top1Agreement(), q4.kld().deltaPpl());
        assertTrue(q8.kld().mean() > 0, "8-bit rounding changes the distributions");
        assertTrue(q4.kld().mean() > 5 * q8.kld().mean(), "4 bits diverge much more than 8");
        assertTrue(q4.kld().p99() > q8.kld().p99());
        assertTrue(q4.kld().top1Agreement() < q8.kld().top1Agreement());
        assertTrue(q8.kld().top1Agreement() > 0.9);
        assertTrue(q4.kld().deltaPpl() > q8.kld().deltaPpl());
        assertTrue(q4.greedy().meanPrefixLen() <= q8.greedy().meanPrefixLen());
        // Weight fidelity against the baseline's tensors.
        assertTrue(q8.weightFidelity().tensors() > 0);
        assertTrue(q8.weightFidelity().meanCosine() < 1 && q8.weightFidelity().meanCosine() > 0.999, q8.weightFidelity().summary());
        assertTrue(q4.weightFidelity().meanCosine() < q8.weightFidelity().meanCosine(), q4.weightFidelity().summary());
        assertTrue(q4.weightFidelity().maxAbsError() > q8.weightFidelity().maxAbsError());

        // Settings changed (chunk size): the stale record is recomputed, not misused.
        QualityRunner.run(r8, TestModels.STORIES, opts(base).ctx(64).greedy(false));
        assertEquals(64, BaselineRecord.read(recFile).header().ctx());
    }

    @Test
    void topKRecordIsExactWithFullVocabularyAndALowerBoundOtherwise() throws Exception {
        // Exact KL(baseline || r4), computed here from both models' raw logits.
        String s = Files.readString(text, StandardCharsets.UTF_8);
        int ctx = EvalTestSupport.CTX;
        double[] exact = {0};
        int[] n = {0};
        double[][] baseLp;
        try (LlamaSession a = LlamaSession.open(TestModels.STORIES, new EngineSettings(1, ctx, ctx, 0, false))) {
            int[] tokens = a.tokenize(s, true, false);
            baseLp = EvalTestSupport.scoredLogProbs(a, tokens, ctx);
        }
        try (LlamaSession b = LlamaSession.open(r4, new EngineSettings(1, ctx, ctx, 0, false))) {
            double[][] varLp = EvalTestSupport.scoredLogProbs(b, b.tokenize(s, true, false), ctx);
            for (int p = 0; p < baseLp.length; p++) {
                for (int t = 0; t < baseLp[p].length; t++) {
                    exact[0] += Math.exp(baseLp[p][t]) * (baseLp[p][t] - varLp[p][t]);
                }
                n[0]++;
            }
        }
        double exactMean = exact[0] / n[0];
        QualityOptions full = opts(dir.resolve("full")).topK(512).greedy(false);
        QualityResult all = QualityRunner.run(r4, TestModels.STORIES, full);
        assertEquals(512, all.kld().topK());
        assertEquals(exactMean, all.kld().mean(), 1e-5 * exactMean, "full-vocabulary record gives the exact KL");
        QualityResult top8 = QualityRunner.run(r4, TestModels.STORIES, opts(dir.resolve("top8")).topK(8).greedy(false));
        System.out.printf("exact KL %.6f, top-8 record %.6f%n", exactMean, top8.kld().mean());
        assertTrue(top8.kld().mean() <= exactMean + 1e-9, "merging the tail can only lower KL");
        assertTrue(top8.kld().mean() > 0.5 * exactMean, "the top 8 tokens carry most of it");
    }
}
