package dev.minillm.quant;

import dev.minillm.engine.Engine;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * minillm's quantizer output against llama.cpp's own {@code llama_model_quantize} of an engine
 * (the native one: the bundled library does not export it), tensor by tensor: names, order, types,
 * shapes and bytes.
 */
public final class QuantCrossCheck {
    private QuantCrossCheck() {
    }

    /** The differences, one line each; empty when the files hold identical tensors. */
    public static List<String> compare(Path ours, Path theirs) throws IOException {
        GgufFile a = GgufFile.openValidated(ours);
        GgufFile b = GgufFile.openValidated(theirs);
        List<String> out = new ArrayList<>();
        List<TensorInfo> ta = a.tensors();
        List<TensorInfo> tb = b.tensors();
        if (!ta.stream().map(TensorInfo::name).toList().equals(tb.stream().map(TensorInfo::name).toList())) {
            out.add("tensor names or their order differ (" + ta.size() + " vs " + tb.size() + " tensors)");
            return out;
        }
        for (int i = 0; i < ta.size(); i++) {
            TensorInfo x = ta.get(i);
            TensorInfo y = tb.get(i);
            if (x.typeId() != y.typeId()) {
                out.add(x.name() + ": " + x.typeName() + " here, " + y.typeName() + " in llama.cpp");
            } else if (!Arrays.equals(x.dims(), y.dims())) {
                out.add(x.name() + ": shape " + x.shape() + " here, " + y.shape() + " in llama.cpp");
            } else {
                ByteBuffer da = a.tensorData(x);
                ByteBuffer db = b.tensorData(y);
                if (!da.equals(db)) {
                    out.add(x.name() + " (" + x.typeName() + "): data differs");
                }
            }
        }
        return out;
    }

    /**
     * Quantizes {@code source} with the engine's llama_model_quantize into a temporary file beside
     * {@code ours} and compares; the temporary file is removed.
     */
    public static List<String> againstEngine(Engine engine, Path source, Path ours, QuantType type, int threads)
            throws IOException {
        Path dir = ours.toAbsolutePath().getParent();
        Path theirs = Files.createTempFile(dir, ".llama-quantize-", ".gguf");
        try {
            engine.quantize(source, theirs, type.fileType().id(), threads);
            return compare(ours, theirs);
        } finally {
            Files.deleteIfExists(theirs);
        }
    }
}
