package dev.minillm.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Malformed models written by the project's own GgufWriter from the real stories260K: each one
 * a copy with one thing wrong that llama.cpp would refuse with only "could not load", or load
 * and misbehave on. {@code expected} is what the refusal must say (the key or tensor and the
 * expected value).
 */
public final class MalformedModels {
    public static final Path STORIES = dev.minillm.TestModel.STORIES;

    public record Case(String name, Path file, List<String> expected) {
    }

    private MalformedModels() {
    }

    /** The eleven cases, written into {@code dir}. */
    public static List<Case> writeAll(Path dir) throws IOException {
        GgufFile src = GgufFile.openValidated(STORIES);
        List<Case> cases = new ArrayList<>();
        cases.add(meta(dir, src, "missing-block-count", m -> m.remove("llama.block_count"),
                "missing llama.block_count"));
        cases.add(meta(dir, src, "block-count-too-high", m -> m.putUint32("llama.block_count", 50),
                "llama.block_count = 50", "tensors for 5 blocks", "expected llama.block_count = 5"));
        cases.add(meta(dir, src, "zero-heads", m -> m.putUint32("llama.attention.head_count", 0),
                "llama.attention.head_count = 0", "expected a positive"));
        cases.add(meta(dir, src, "embedding-length-disagrees", m -> m.putUint32("llama.embedding_length", 32),
                "tensor 'token_embd.weight' has shape [64, 512], expected [32, 512]", "llama.embedding_length = 32"));
        cases.add(meta(dir, src, "no-vocabulary", m -> m.remove(GgufMetadata.TOKENS),
                "no vocabulary", "tokenizer.ggml.tokens"));
        cases.add(meta(dir, src, "unknown-tokenizer", m -> m.putString("tokenizer.ggml.model", "klingon"),
                "tokenizer.ggml.model = 'klingon'", "expected one of"));
        cases.add(write(dir, "missing-tensor", copyWithout(src, "blk.2.ffn_up.weight"),
                "missing tensor 'blk.2.ffn_up.weight'", "shape [64, 172]"));
        GgufWriter wrongShape = copyWithout(src, "blk.0.attn_q.weight");
        // same name, half the rows: a file llama.cpp cannot map onto the model
        wrongShape.addTensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {64, 32},
                out -> out.write(ByteBuffer.allocate(64 * 32 * 4)));
        cases.add(write(dir, "wrong-tensor-shape", wrongShape,
                "tensor 'blk.0.attn_q.weight' has shape [64, 32], expected [64, 64]"));
        cases.add(meta(dir, src, "context-length-zero", m -> m.putUint32("llama.context_length", 0),
                "llama.context_length = 0"));
        cases.add(meta(dir, src, "scores-shorter", m -> m.put("tokenizer.ggml.scores", GgufValue.float32Array(new float[100])),
                "tokenizer.ggml.scores has 100 entries but the vocabulary has 512 tokens", "expected 512"));
        cases.add(meta(dir, src, "bos-past-vocab", m -> m.putUint32("tokenizer.ggml.bos_token_id", 600),
                "tokenizer.ggml.bos_token_id = 600 is past the vocabulary of 512 tokens", "expected 0..511"));
        return cases;
    }

    /**
     * A file the validator passes but llama.cpp refuses: block_count one lower than the blocks of
     * tensors present, so llama.cpp finds tensors it did not ask for.
     */
    public static Path refusedOnlyByLlamaCpp(Path dir) throws IOException {
        GgufFile src = GgufFile.openValidated(STORIES);
        GgufWriter w = GgufWriter.copyOf(src);
        w.metadata().putUint32("llama.block_count", 4);
        Path file = dir.resolve("block-count-too-low.gguf");
        w.write(file);
        return file;
    }

    private static Case meta(Path dir, GgufFile src, String name, Consumer<GgufMetadata> edit, String... expected) throws IOException {
        GgufWriter w = GgufWriter.copyOf(src);
        edit.accept(w.metadata());
        return write(dir, name, w, expected);
    }

    private static GgufWriter copyWithout(GgufFile src, String tensor) {
        GgufWriter w = new GgufWriter(src.metadata().copy());
        for (TensorInfo t : src.tensors()) {
            if (!t.name().equals(tensor)) {
                w.copyTensor(src, t);
            }
        }
        return w;
    }

    private static Case write(Path dir, String name, GgufWriter w, String... expected) throws IOException {
        Path file = dir.resolve(name + ".gguf");
        w.write(file);
        return new Case(name, file, List.of(expected));
    }
}
