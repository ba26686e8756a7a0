package dev.minillm.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.LlamaSession;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufValidator;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantizes the real stories260K model (64-wide rows: k-quants fall back) and the synthetic
 * "tiny" llama (rows multiple of 256) with ggml's kernels, then checks the files with the GGUF
 * validator, loads and runs them in llama.cpp, checks per-tensor types and the weight error.
 */
class QuantizerTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @TempDir
    static Path dir;
    static Path tiny;

    @BeforeAll
    static void writeTiny() throws IOException {
        tiny = dir.resolve("tiny-f16.gguf");
        SyntheticModels.write(ModelShape.TINY, tiny, 42);
    }

    static QuantizeResult quantize(Path in, QuantType type, int threads) {
        Path out = dir.resolve(in.getFileName().toString().replace(".gguf", "") + "-" + type.cliName() + "-t" + threads + ".gguf");
        return Quantizer.quantize(in, out, type, threads, ProgressListener.NONE);
    }

    static void assertValidAndTagged(QuantizeResult r) throws IOException {
        GgufFile f = GgufFile.open(r.output());
        assertEquals(List.of(), GgufValidator.problems(f));
        assertEquals(r.type().fileType().id(), f.metadata().getLong("general.file_type").orElseThrow());
        assertEquals(2L, f.metadata().getLong("general.quantization_version").orElseThrow());
        assertEquals(GgufFile.open(r.input()).tensors().size(), f.tensors().size());
        assertEquals(Files.size(r.output()), r.outputBytes());
        for (QuantizeResult.TensorResult t : r.tensors()) {
            assertEquals(t.type(), f.tensor(t.name()).type(), t.name());
        }
    }

    // One decode thread: ggml's worker threads spin-wait on each other, which on a loaded 2-core test
    // machine turns milliseconds into seconds; the point here is that llama.cpp loads and runs the file.
    static final EngineSettings ENGINE = new EngineSettings(1, 256, 256, 0, false);

    /** Loads the file in llama.cpp and decodes greedily: the output must be a runnable model. */
    static GenerationTiming generate(Path model) {
        try (LlamaSession s = LlamaSession.open(model, ENGINE)) {
            GenerationTiming g = s.generateGreedy(s.tokenize("Once upon a time", true, false), 16, true);
            assertEquals(16, g.generatedTokens());
            return g;
        }
    }

    @Test
    void stories260KFallsBackLikeLlamaCppAndStillTellsStories() throws IOException {
        Map<QuantType, Double> error = new EnumMap<>(QuantType.class);
        for (QuantType t : List.of(QuantType.Q4_0, QuantType.Q5_0, QuantType.Q8_0, QuantType.Q4_K_M, QuantType.F16)) {
            QuantizeResult r = quantize(STORIES, t, 2);
            assertValidAndTagged(r);
            error.put(t, QuantError.compare(STORIES, r.output()).relativeRms());
            // ffn_down rows are 172 wide: no quantized block fits, F16 for every mix.
            assertEquals(GgmlType.F16, r.typeOf("blk.3.ffn_down.weight"), t.name());
            assertEquals(GgmlType.F32, r.typeOf("blk.3.ffn_norm.weight"), t.name());
            assertEquals(GgmlType.F32, r.typeOf("output_norm.weight"), t.name());
            if (t == QuantType.Q4_K_M) {
                assertEquals(GgmlType.Q5_0, r.typeOf("blk.0.attn_q.weight"));
                assertEquals(GgmlType.Q5_0, r.typeOf("blk.1.attn_v.weight"));
                assertEquals(GgmlType.Q8_0, r.typeOf("blk.2.attn_v.weight"));
                assertEquals(GgmlType.Q8_0, r.typeOf("output.weight"));
                assertEquals(GgmlType.Q5_0, r.typeOf("token_embd.weight"));
                String text = generateText(r.output());
                assertTrue(text.chars().filter(Character::isLetter).count() > 10, text);
            }
            if (t == QuantType.Q4_0) {
                assertEquals(GgmlType.Q4_0, r.typeOf("blk.0.ffn_up.weight"));
                assertEquals(GgmlType.Q8_0, r.typeOf("output.weight"));
                assertTrue(r.tensors().stream().filter(x -> x.name().endsWith("ffn_down.weight")).allMatch(x -> x.beyondLlamaCpp()));
                generate(r.output());
            }
        }
        assertTrue(error.get(QuantType.Q4_0) > error.get(QuantType.Q5_0), error.toString());
        assertTrue(error.get(QuantType.Q5_0) > error.get(QuantType.Q8_0), error.toString());
        assertTrue(error.get(QuantType.Q8_0) > error.get(QuantType.F16), error.toString());
        assertTrue(error.get(QuantType.Q4_0) < 0.15 && error.get(QuantType.F16) < 0.001, error.toString());
    }

    static String generateText(Path model) {
        try (LlamaSession s = LlamaSession.open(model, ENGINE)) {
            GenerationTiming g = s.generateGreedy(s.tokenize("Once upon a time", true, false), 16, true);
            return s.detokenize(g.tokens(), false);
        }
    }

    @Test
    void tinyKQuantMixesFollowTheRulesAndErrorShrinksWithBits() throws IOException {
        List<QuantType> byBits = List.of(QuantType.Q2_K, QuantType.Q3_K_M, QuantType.Q4_K_M, QuantType.Q5_K_M,
                QuantType.Q6_K, QuantType.Q8_0);
        double previous = Double.MAX_VALUE;
        for (QuantType t : byBits) {
            QuantizeResult r = quantize(tiny, t, 2);
            assertValidAndTagged(r);
            assertTrue(r.tensors().stream().noneMatch(x -> x.note() != null), "256-multiple rows need no fallback");
            double e = QuantError.compare(tiny, r.output()).relativeRms();
            assertTrue(e < previous, t + " error " + e + " should be below the previous mix's " + previous);
            previous = e;
            if (t == QuantType.Q4_K_M) {
                // 4 layers: use_more_bits selects layers 2 and 3 (i >= 7*4/8, (i - 0) % 3 == 2).
                for (int i = 0; i < 4; i++) {
                    GgmlType more = i >= 2 ? GgmlType.Q6_K : GgmlType.Q4_K;
                    assertEquals(more, r.typeOf("blk." + i + ".attn_v.weight"), "attn_v " + i);
                    assertEquals(more, r.typeOf("blk." + i + ".ffn_down.weight"), "ffn_down " + i);
                    assertEquals(GgmlType.Q4_K, r.typeOf("blk." + i + ".attn_k.weight"));
                    assertEquals(GgmlType.Q4_K, r.typeOf("blk." + i + ".ffn_gate.weight"));
                    assertEquals(GgmlType.F32, r.typeOf("blk." + i + ".attn_norm.weight"));
                }
                assertEquals(GgmlType.Q6_K, r.typeOf("output.weight"));
                assertEquals(GgmlType.Q4_K, r.typeOf("token_embd.weight"));
                generate(r.output());
            }
            if (t == QuantType.Q2_K) {
                assertEquals(GgmlType.Q3_K, r.typeOf("blk.0.attn_v.weight")); // gqa 2 < 4
                assertEquals(GgmlType.Q3_K, r.typeOf("blk.0.ffn_down.weight"));
                assertEquals(GgmlType.Q3_K, r.typeOf("blk.0.attn_output.weight"));
                assertEquals(GgmlType.Q2_K, r.typeOf("blk.0.attn_q.weight"));
                generate(r.output());
            }
        }
    }

    @Test
    void everyOtherMixLoadsAndRunsInLlamaCpp() throws IOException {
        List<QuantType> tested = List.of(QuantType.Q2_K, QuantType.Q3_K_M, QuantType.Q4_K_M, QuantType.Q5_K_M,
                QuantType.Q6_K, QuantType.Q8_0);
        for (QuantType t : QuantType.values()) {
            if (tested.contains(t)) {
                continue;
            }
            // ggml's IQ4 search is ~5x slower than the k-quants: those two mixes run on the small real model,
            // where IQ4_XS (block 256) falls back to IQ4_NL on the 64-wide rows.
            boolean iq4 = t == QuantType.IQ4_NL || t == QuantType.IQ4_XS;
            QuantizeResult r = quantize(iq4 ? STORIES : tiny, t, 2);
            assertValidAndTagged(r);
            assertEquals(iq4 ? GgmlType.IQ4_NL : t.defaultType(), r.typeOf("blk.1.attn_q.weight"), t.name());
            generate(r.output());
        }
    }

    @Test
    void resultDoesNotDependOnThreadsOrWindowSize() throws IOException {
        QuantizeResult one = quantize(tiny, QuantType.Q4_K_M, 1);
        QuantizeResult two = quantize(tiny, QuantType.Q4_K_M, 2);
        Path small = dir.resolve("tiny-small-windows.gguf");
        // 3 rows of 256 per window: every matrix is converted in many windows.
        Quantizer.quantize(tiny, small, QuantType.Q4_K_M, 2, ProgressListener.NONE, 3 * 256);
        byte[] a = Files.readAllBytes(one.output());
        assertArrayEquals(a, Files.readAllBytes(two.output()));
        assertArrayEquals(a, Files.readAllBytes(small));
    }

    @Test
    void progressCoversAllSourceBytes() {
        long[] last = {-1, -1};
        QuantizeResult r = Quantizer.quantize(tiny, dir.resolve("tiny-progress.gguf"), QuantType.Q8_0, 2, (done, total) -> {
            assertTrue(done > last[0], "progress only grows");
            last[0] = done;
            last[1] = total;
        });
        assertEquals(r.sourceBytes(), last[0]);
        assertEquals(r.sourceBytes(), last[1]);
        assertEquals(ModelShape.TINY.dataBytes(), r.sourceBytes());
    }

    @Test
    void defaultOutputReplacesOrAppendsTheType() {
        assertEquals(Path.of("m/model-q4_k_m.gguf"), Quantizer.defaultOutput(Path.of("m/model-f16.gguf"), QuantType.Q4_K_M));
        assertEquals(Path.of("Model.Q8_0.gguf"), Quantizer.defaultOutput(Path.of("Model.F16.gguf"), QuantType.Q8_0));
        assertEquals(Path.of("stories260K-q6_k.gguf"), Quantizer.defaultOutput(Path.of("stories260K.gguf"), QuantType.Q6_K));
        assertEquals(Path.of("qwen-bf16x-q2_k.gguf"), Quantizer.defaultOutput(Path.of("qwen-bf16x.gguf"), QuantType.Q2_K));
    }
}
