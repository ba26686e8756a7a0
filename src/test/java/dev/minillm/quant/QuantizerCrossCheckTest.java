package dev.minillm.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.engine.Engine;
import dev.minillm.engine.Engines;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.TensorInfo;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.nio.ByteBuffer;
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
            differences.addAll(compare(t, GgufFile.openValidated(ours), GgufFile.openValidated(theirs)));
        }
        assertTrue(differences.isEmpty(), "vs llama_model_quantize of llama.cpp " + nativeEngine.identity().llamaTag()
                + ":\n" + String.join("\n", differences));
    }

    static List<String> compare(QuantType t, GgufFile ours, GgufFile theirs) throws Exception {
        List<String> out = new ArrayList<>();
        List<TensorInfo> a = ours.tensors();
        List<TensorInfo> b = theirs.tensors();
        if (!a.stream().map(TensorInfo::name).toList().equals(b.stream().map(TensorInfo::name).toList())) {
            out.add(t + ": tensor names/order differ");
            return out;
        }
        assertEquals(ModelShape.TINY.tensors().size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            TensorInfo x = a.get(i);
            TensorInfo y = b.get(i);
            if (x.typeId() != y.typeId()) {
                out.add(t + " " + x.name() + ": type " + x.typeName() + " here, " + y.typeName() + " in llama.cpp");
            } else if (!java.util.Arrays.equals(x.dims(), y.dims())) {
                out.add(t + " " + x.name() + ": shape " + x.shape() + " vs " + y.shape());
            } else {
                ByteBuffer da = ours.tensorData(x);
                ByteBuffer db = theirs.tensorData(y);
                if (!da.equals(db)) {
                    out.add(t + " " + x.name() + " (" + x.typeName() + "): data differs");
                }
            }
        }
        return out;
    }
}
