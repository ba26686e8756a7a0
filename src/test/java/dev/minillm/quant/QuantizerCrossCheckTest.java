package dev.minillm.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.Engine;
import dev.minillm.engine.Engines;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * minillm's quantizer against llama.cpp's own llama_model_quantize of the native engine (the
 * pinned current release), on the synthetic "tiny" llama whose rows (256, 768) fit every k-quant:
 * both outputs are loaded and compared tensor by tensor — same names, order, types, shapes and
 * bytes.
 */
class QuantizerCrossCheckTest {
    static final List<QuantType> MIXES = List.of(QuantType.Q8_0, QuantType.Q6_K, QuantType.Q5_K_M, QuantType.Q4_K_M,
            QuantType.Q3_K_M, QuantType.Q2_K, QuantType.Q4_0);

    @Test
    void byteIdenticalToLlamaModelQuantizeOfTheNativeEngine(@TempDir Path dir) throws Exception {
        Path f16 = dir.resolve("tiny-f16.gguf");
        SyntheticModels.write(ModelShape.TINY, f16, 7);
        Engine nativeEngine = Engines.get(Engines.NATIVE, false);
        List<String> differences = new ArrayList<>();
        for (QuantType t : MIXES) {
            Path ours = dir.resolve("ours-" + t.cliName() + ".gguf");
            Path theirs = dir.resolve("llama-" + t.cliName() + ".gguf");
            Quantizer.quantize(f16, ours, t, 2, ProgressListener.NONE);
            nativeEngine.quantize(f16, theirs, t.fileType().id(), 2);
            assertEquals(ModelShape.TINY.tensors().size(), GgufFile.openValidated(theirs).tensors().size());
            for (String d : QuantCrossCheck.compare(ours, theirs)) {
                differences.add(t.cliName() + " " + d);
            }
        }
        assertTrue(differences.isEmpty(), "vs llama_model_quantize of llama.cpp " + nativeEngine.identity().llamaTag()
                + ":\n" + String.join("\n", differences));
    }

    @Test
    void quantizeCommandChecksItselfAgainstTheNativeEngine(@TempDir Path dir) throws Exception {
        Path f16 = dir.resolve("tiny-f16.gguf");
        SyntheticModels.write(ModelShape.TINY, f16, 3);
        dev.minillm.cli.CliRun r = dev.minillm.cli.CliRun.of("quantize", "--in", f16.toString(), "--type", "q4_k_m",
                "--out", dir.resolve("q.gguf").toString(), "--check-with", "native");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("identical to llama_model_quantize of llama.cpp "), r.out());
        dev.minillm.cli.CliRun bundled = dev.minillm.cli.CliRun.of("quantize", "--in", f16.toString(), "--type", "q8_0",
                "--out", dir.resolve("q8.gguf").toString(), "--check-with", "bundled");
        assertEquals(2, bundled.code());
        assertTrue(bundled.err().contains("no llama_model_quantize"), bundled.err());
    }
}
