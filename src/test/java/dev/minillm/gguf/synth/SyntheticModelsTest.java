package dev.minillm.gguf.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.minillm.engine.NativeStderr;
import dev.minillm.nativelib.NativeLibraryLocator;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufValidator;
import dev.minillm.gguf.Half;
import dev.minillm.gguf.ModelInfo;
import dev.minillm.gguf.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelsTest {
    @TempDir
    Path dir;

    private static void assertShapeMatches(ModelShape s, GgufFile f) {
        ModelInfo i = f.info();
        assertEquals(s.architecture(), i.architecture());
        assertEquals(s.layers(), i.layers());
        assertEquals(s.embedding(), i.embeddingLength());
        assertEquals(s.heads(), i.headCount());
        assertEquals(s.kvHeads(), i.headCountKv());
        assertEquals(s.feedForward(), i.feedForwardLength());
        assertEquals(s.vocab(), i.vocabSize());
        assertEquals(s.contextLength(), i.contextLength());
        assertEquals("F16", i.fileType());
        assertTrue(i.synthetic());
        assertTrue(f.isSynthetic());
        assertEquals("synthetic " + s.id(), i.name());
        assertEquals(s.parameterCount(), i.parameterCount());
        String a = s.architecture();
        assertEquals(s.ropeFreqBase(), f.metadata().getDouble(a + ".rope.freq_base").orElseThrow(), 0.0);
        assertEquals(s.rmsEps(), (float) (double) f.metadata().getDouble(a + ".attention.layer_norm_rms_epsilon").orElseThrow());
        List<ModelShape.TensorSpec> specs = s.tensors();
        assertEquals(specs.size(), f.tensors().size());
        for (int k = 0; k < specs.size(); k++) {
            TensorInfo t = f.tensors().get(k);
            assertEquals(specs.get(k).name(), t.name());
            assertEquals(specs.get(k).type(), t.type());
            assertArrayEquals(specs.get(k).dims(), t.dims(), t.name());
        }
    }

    @Test
    void shapeTableMatchesTheRealModels() {
        // Parameter counts derived by hand from the architectures; they round to the published
        // sizes (0.49B, 1.54B, 3.09B, 1.24B).
        assertEquals(494_032_768L, ModelShape.QWEN2_5_0_5B.parameterCount());
        assertEquals(1_543_714_304L, ModelShape.QWEN2_5_1_5B.parameterCount());
        assertEquals(3_085_938_688L, ModelShape.QWEN2_5_3B.parameterCount());
        assertEquals(1_235_814_432L, ModelShape.LLAMA_3_2_1B.parameterCount());

        ModelShape q = ModelShape.byId("Qwen2.5-0.5B");
        assertEquals(64, q.headDim());
        assertEquals(128, q.kvDim());
        List<String> names = q.tensors().stream().map(ModelShape.TensorSpec::name).toList();
        assertTrue(names.contains("blk.23.attn_q.bias"));
        assertTrue(names.contains("blk.0.attn_k.bias"));
        assertFalse(names.contains("output.weight"), "Qwen2.5-0.5B ties output to token_embd");
        assertFalse(names.contains("blk.24.attn_norm.weight"));
        ModelShape.TensorSpec down = q.tensors().stream().filter(t -> t.name().equals("blk.0.ffn_down.weight")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {4864, 896}, down.dims());
        assertEquals(GgmlType.F16, down.type());

        ModelShape l = ModelShape.LLAMA_3_2_1B;
        assertEquals(64, l.headDim());
        assertEquals(512, l.kvDim());
        List<String> ln = l.tensors().stream().map(ModelShape.TensorSpec::name).toList();
        assertTrue(ln.contains("rope_freqs.weight"));
        assertFalse(ln.contains("output.weight"));
        assertFalse(ln.contains("blk.0.attn_q.bias"));
        float[] f = SyntheticModels.llama3RopeFactors(l);
        assertEquals(32, f.length);
        assertEquals(1.0f, f[0]); // highest frequency: unscaled
        assertEquals(32.0f, f[31]); // lowest frequency: full factor
        for (int i = 1; i < f.length; i++) {
            assertTrue(f[i] >= f[i - 1], "factors grow with wavelength");
        }

        // Every row of tiny is a multiple of 256, so all k-quants apply to every matrix.
        for (ModelShape.TensorSpec t : ModelShape.TINY.tensors()) {
            assertEquals(0, t.dims()[0] % 256, t.name());
        }
        assertTrue(ModelShape.TINY.tensors().stream().anyMatch(t -> t.name().equals("output.weight")));
    }

    @Test
    void tinyRoundTripsDeterministicallyWithSaneWeights() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SyntheticModels.write(ModelShape.TINY, a, 5);
        SyntheticModels.write(ModelShape.TINY, b, 5);
        SyntheticModels.write(ModelShape.TINY, c, 6);
        GgufFile fa = GgufValidator.check(a);
        assertShapeMatches(ModelShape.TINY, fa);
        assertEquals(-1L, Files.mismatch(a, b), "same seed, same bytes");
        GgufFile fc = GgufFile.open(c);
        TensorInfo q = fa.tensor("blk.0.attn_q.weight");
        assertNotEquals(fa.tensorData(q), fc.tensorData(fc.tensor("blk.0.attn_q.weight")));

        ByteBuffer d = fa.tensorData(q);
        int n = d.remaining() / 2;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            float v = Half.toFloat(d.getShort());
            assertTrue(Float.isFinite(v));
            sum += v;
            sq += v * v;
        }
        double mean = sum / n;
        double std = Math.sqrt(sq / n - mean * mean);
        assertEquals(0.0, mean, 0.001);
        assertEquals(SyntheticModels.WEIGHT_STD, std, 0.001);
        ByteBuffer norm = fa.tensorData(fa.tensor("blk.3.ffn_norm.weight"));
        assertEquals(GgmlType.F32, fa.tensor("blk.3.ffn_norm.weight").type());
        for (int i = 0; i < 256; i++) {
            assertEquals(1.0f, norm.getFloat());
        }
    }

    @Test
    void vocabularyIsExactUniqueAndByteComplete() {
        for (int size : new int[] {SyntheticVocab.MIN_SIZE, 2048, 151936}) {
            List<String> t = SyntheticVocab.tokens(size);
            assertEquals(size, t.size());
            assertEquals(size, new HashSet<>(t).size(), "llama.cpp requires unique token strings");
            assertEquals("<0x0A>", t.get(3 + 10));
            assertEquals("<0xFF>", t.get(3 + 255));
        }
    }

    @Test
    void halfConversions() {
        assertEquals((short) 0x3C00, Half.fromFloat(1.0f));
        assertEquals((short) 0xB800, Half.fromFloat(-0.5f));
        assertEquals((short) 0x7BFF, Half.fromFloat(65504f));
        assertEquals((short) 0x7C00, Half.fromFloat(70000f));
        assertEquals((short) 0x0001, Half.fromFloat(0x1.0p-24f));
        assertEquals((short) 0x0000, Half.fromFloat(0x1.0p-26f));
        assertEquals((short) 0x3C00, Half.fromFloat(1.0f + 0x1.0p-11f), "ties round to even");
        assertEquals((short) 0x3C02, Half.fromFloat(1.0f + 3 * 0x1.0p-11f), "ties round to even (up)");
        for (int h = 0; h < 0x7C00; h += 7) {
            assertEquals((short) h, Half.fromFloat(Half.toFloat((short) h)), "exact round trip " + h);
        }
    }

    @Test
    void tinyLoadsAndGeneratesInLlamaCpp() throws IOException {
        Path p = dir.resolve("tiny.gguf");
        SyntheticModels.write(ModelShape.TINY, p, 1);
        NativeLibraryLocator.libraryPath(); // the one libjllama the JNA binding uses too
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> { });
        // java-llama.cpp's server layer writes its log straight to fd 2; keep the test log readable.
        NativeStderr.silenced(false, () -> {
            try (LlamaModel m = new LlamaModel(new ModelParameters().setModel(p.toString()).setCtxSize(256).setGpuLayers(0))) {
                String text = "Grüße, the quick brown fox! 42 ✓\n";
                int[] tokens = m.encode(text);
                assertTrue(tokens.length > 5 && tokens.length < text.length() + 10, "tokenized: " + tokens.length);
                for (int t : tokens) {
                    assertTrue(t >= 0 && t < ModelShape.TINY.vocab());
                }
                assertTrue(m.decode(tokens).contains("Grüße, the quick brown fox! 42 ✓"), "byte fallback covers any text");
                int generated = 0;
                for (LlamaOutput o : m.generate(new InferenceParameters("Once upon a time").setNPredict(16)
                        .setIgnoreEos(true).setTemperature(0f))) {
                    assertTrue(o.text != null);
                    generated++;
                }
                assertTrue(generated >= 16, "generated " + generated);
            }
            return null;
        });
    }

    @Test
    void qwen05bWritesQuicklyWithBoundedHeapAndExactShapes() throws IOException {
        ModelShape s = ModelShape.QWEN2_5_0_5B;
        Path p = dir.resolve("q.gguf");
        long t0 = System.nanoTime();
        long size = SyntheticModels.write(s, p, 1);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs < 60, "took " + secs + " s");
        assertEquals(Files.size(p), size);
        GgufFile f = GgufValidator.check(p);
        assertShapeMatches(s, f);
        assertEquals(s.dataBytes(), f.info().tensorDataBytes());
        assertEquals(16.0, f.info().bitsPerWeight(), 0.01);
        assertEquals(GgmlType.F32, f.tensor("blk.0.attn_q.bias").type());
        assertArrayEquals(new long[] {128}, f.tensor("blk.0.attn_v.bias").dims());
        assertNull(f.tensor("output.weight"));
        Files.delete(p);
    }
}
