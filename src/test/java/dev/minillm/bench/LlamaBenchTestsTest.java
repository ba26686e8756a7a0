package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.KvCache;
import dev.minillm.engine.Engines;
import dev.minillm.engine.Session;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import dev.minillm.results.LadderPoint;
import dev.minillm.results.TestResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama-bench's tests and the context ladder on real native code. */
class LlamaBenchTestsTest {
    @TempDir
    Path tmp;

    @Test
    void testsAreNamedAsLlamaBenchNamesThem() {
        assertEquals(List.of("pp512", "tg128", "pp512+tg128", "pp512 @ d4096", "tg128 @ d4096", "pp512+tg128 @ d4096"),
                LlamaBenchTests.names(List.of(512), List.of(128), List.of(new int[] {512, 128}), List.of(0, 4096)));
        for (String name : List.of("pp512", "tg128", "pp512+tg128", "tg128 @ d4096", "pp64+tg16 @ d128")) {
            assertEquals(name, LlamaBenchTests.parse(name).name());
        }
        assertEquals(new LlamaBenchTests.Test(512, 128, 4096), LlamaBenchTests.parse("pp512+tg128 @ d4096"));
        assertNull(LlamaBenchTests.parse("prompts"));
        assertNull(LlamaBenchTests.parse("pp512tg128"));
        assertArrayEquals(new int[] {512, 128}, LlamaBenchTests.pair("512,128"));
        assertThrows(dev.minillm.common.BadInputException.class, () -> LlamaBenchTests.pair("512"));
    }

    @Test
    void ppAndTgRunTheRequestedTokensAndTheLadderMatchesTheAnalyticKvSizeOnBothEngines() throws Exception {
        // 8 layers, 2 KV heads of 64: every cache type's blocks fit, a token costs 4 KiB in f16, and the
        // few bytes of bookkeeping llama.cpp serialises per cell (8 in b4916, 12 in the native release) stay under 1 %
        ModelShape shape = new ModelShape("tiny-8-layers", "llama", 8, 256, 4, 2, 768, 2048, 2048, 10_000f, 1e-5f,
                false, false, null);
        Path model = tmp.resolve("tiny.gguf");
        SyntheticModels.write(shape, model, 7);
        KvCache kv = KvCache.of(GgufFile.open(model).metadata());
        assertEquals(new KvCache(8, 2, 64, 64), kv);
        EngineSettings f16 = new EngineSettings(1, 512, 512, 0, false);
        EngineSettings q8 = new EngineSettings(1, 512, 512, 512, "q8_0", "q8_0", true, 0, false);
        for (String engine : List.of(Engines.DEFAULT, Engines.NATIVE)) {
          try (Session s = Engines.get(engine, false).open(model, f16)) {
            Random rnd = new Random(1);
            TestResult pp = LlamaBenchTests.measure(s, f16, new LlamaBenchTests.Test(64, 0, 0), 2, rnd);
            TestResult tg = LlamaBenchTests.measure(s, f16, new LlamaBenchTests.Test(0, 16, 32), 2, rnd);
            assertEquals("pp64", pp.name());
            assertEquals("tg16 @ d32", tg.name());
            assertEquals(2, pp.samples().size());
            assertTrue(pp.tps().mean() > 0 && tg.tps().mean() > 0);

            for (EngineSettings e : List.of(f16, q8)) {
                long perToken = 8L * 2 * 2 * (e == f16 ? 64 * 2 : 64 / 32 * 34); // layers x KV heads x (K + V) x row bytes
                for (int depth : List.of(128, 256)) {
                    LadderPoint p = LlamaBenchTests.ladder(s, e, kv, depth, 2, rnd);
                    assertEquals(perToken, p.kvBytesPerTokenAnalytic(), e.cacheTypeK());
                    assertEquals(perToken * depth, p.kvBytesAnalytic());
                    double off = Math.abs(p.kvBytesReported() - p.kvBytesAnalytic()) / (double) p.kvBytesAnalytic();
                    assertTrue(off < 0.01, engine + " " + e.cacheTypeK() + " d" + depth + ": llama.cpp holds " + p.kvBytesReported()
                            + " bytes, analytic " + p.kvBytesAnalytic());
                    assertEquals(2, p.decodeTps().n());
                    // recorded; it can be 0 when the allocator hands the context memory an earlier one freed
                    assertNotNull(p.rssDeltaBytes());
                }
            }
          }
        }
    }
}
