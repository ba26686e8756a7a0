package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.KvCacheTypes;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a quantized KV cache costs in quality on stories260K. Its heads have 8 values, which a cache
 * of 32-value blocks cannot hold, so the KV cases run on {@link HeadPadded}: the same model with
 * 32-value heads, checked here to compute the same function.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvCacheQualityTest {
    @TempDir
    static Path dir;
    Path text;
    Path padded;

    @BeforeAll
    void setUp() throws Exception {
        text = EvalTestSupport.storyText(dir, 4000);
        padded = HeadPadded.write(TestModels.STORIES, dir.resolve("stories260K-head32.gguf"));
    }

    private QualityOptions opts(String name) {
        return EvalTestSupport.options(text, dir.resolve(name)).hallucination(false).greedy(false);
    }

    @Test
    void q8KvCacheCostsLittleButSomething() throws Exception {
        // The padded model is stories260K: same perplexity, no divergence from the original.
        QualityResult same = QualityRunner.run(padded, TestModels.STORIES, opts("orig"));
        QualityResult.Kld sameKld = same.kld();
        assertTrue(sameKld.mean() < 1e-5, "head-padded stories260K diverges from the original: " + sameKld.mean());
        assertTrue(sameKld.top1Agreement() > 0.995, "top-1 " + sameKld.top1Agreement());

        QualityResult kv = QualityRunner.run(padded, padded,
                opts("padded").cacheTypeK("q8_0").cacheTypeV("q8_0").flashAttn(true));
        QualityResult weights = QualityRunner.run(TestModels.variant(dir, "Q8_0").file(), TestModels.STORIES, opts("orig"));
        double kvKld = kv.kld().mean();
        double weightsKld = weights.kld().mean();
        System.out.printf("KLD q8_0 KV cache (K and V, flash attention): %.6g, top-1 %.4f, dPPL %+.5f; Q8_0 weights: %.6g, top-1 %.4f%n",
                kvKld, kv.kld().top1Agreement(), kv.kld().deltaPpl(), weightsKld, weights.kld().top1Agreement());
        assertTrue(kvKld > 0, "a q8_0 cache rounds K and V: KLD must be above 0, got " + kvKld);
        assertTrue(kvKld < 10 * weightsKld, "q8_0 KV KLD " + kvKld + " should stay below 10 x the Q8_0 weights' " + weightsKld);
        // For the record (README): flash attention alone, and a 4-bit cache.
        QualityResult fa = QualityRunner.run(padded, padded, opts("padded").flashAttn(true));
        QualityResult q4 = QualityRunner.run(padded, padded, opts("padded").cacheTypeK("q4_0").cacheTypeV("q4_0").flashAttn(true));
        System.out.printf("KLD f16 cache with flash attention: %.6g, top-1 %.4f; q4_0 cache: %.6g, top-1 %.4f, dPPL %+.5f%n",
                fa.kld().mean(), fa.kld().top1Agreement(), q4.kld().mean(), q4.kld().top1Agreement(), q4.kld().deltaPpl());
        assertTrue(fa.kld().mean() < kvKld, "flash attention over f16 is far closer than a q8_0 cache");
        assertTrue(q4.kld().mean() > kvKld, "a 4-bit cache costs more than an 8-bit one");
        assertEquals("q8_0", kv.kvCache().typeK());
        assertTrue(kv.kvCache().flashAttn());
        // 5 layers x 4 KV heads x 32 values x (34/32 bytes) for K and V, vs 2 bytes each in f16
        assertEquals(5 * 4 * 32 * 2 * 34.0 / 32, kv.kvCache().bytesPerToken(), 1e-9);
        assertEquals(5 * 4 * 32 * 2 * 2.0, kv.kvCache().defaultBytesPerToken(), 1e-9);
    }

    @Test
    void combinationsLlamaCppCannotRunAreRefusedInJava() {
        BadInputException heads = assertThrows(BadInputException.class, () ->
                QualityRunner.run(TestModels.STORIES, null, opts("x").kld(false).cacheTypeK("q8_0")));
        assertTrue(heads.getMessage().contains("stories260K.gguf") && heads.getMessage().contains("8"), heads.getMessage());
        BadInputException noFa = assertThrows(BadInputException.class, () ->
                QualityRunner.run(padded, null, opts("x").kld(false).cacheTypeV("q4_0")));
        assertTrue(noFa.getMessage().contains("--flash-attn"), noFa.getMessage());
        BadInputException f32 = assertThrows(BadInputException.class, () ->
                QualityRunner.run(padded, null, opts("x").kld(false).cacheTypeK("f32").flashAttn(true)));
        assertTrue(f32.getMessage().contains("f32"), f32.getMessage());
        BadInputException name = assertThrows(BadInputException.class, () -> KvCacheTypes.parse("--cache-type-k", "q4_k"));
        assertTrue(name.getMessage().contains("q4_k") && name.getMessage().contains("q8_0"), name.getMessage());
    }
}
