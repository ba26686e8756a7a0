package dev.minillm.eval;

import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufWriter;
import dev.minillm.gguf.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * stories260K rewritten with attention heads of 32 instead of 8 values — the same function, so that
 * a block-quantized KV cache (blocks of 32 per head) can hold it. llama.cpp b4916 cannot quantize
 * a cache of 8-value heads.
 *
 * <p>Each head's 8 dimensions are spread over 32 with zeros between them: rotary pair j of a Q/K head
 * moves to pair 4j of the wider head, which with 32 rotary dimensions turns at exactly the frequency
 * pair j turned at with 8; V dimensions keep their index and the output projection reads the same
 * columns. Zero dimensions add nothing to a dot product. Q is doubled to undo the wider head's
 * attention scale (1/sqrt(32) instead of 1/sqrt(8)); doubling a float is exact. So logits agree
 * with the original up to float summation order.
 */
public final class HeadPadded {
    static final int WIDE = 32;

    private HeadPadded() {
    }

    public static Path write(Path source, Path out) throws IOException {
        GgufFile in = GgufFile.open(source);
        GgufMetadata m = in.metadata().copy();
        int embd = m.getArchLong("embedding_length").orElseThrow().intValue();
        int heads = m.getArchLong("attention.head_count").orElseThrow().intValue();
        int kvHeads = m.getArchLong("attention.head_count_kv").orElseThrow().intValue();
        int head = embd / heads;
        m.putUint32("llama.attention.key_length", WIDE);
        m.putUint32("llama.attention.value_length", WIDE);
        m.putUint32("llama.rope.dimension_count", WIDE);
        GgufWriter w = new GgufWriter(m);
        for (TensorInfo t : in.tensors()) {
            String n = t.name();
            if (t.type() != GgmlType.F32 && (n.endsWith("attn_q.weight") || n.endsWith("attn_k.weight")
                    || n.endsWith("attn_v.weight") || n.endsWith("attn_output.weight"))) {
                throw new IllegalStateException(n + ": expected F32");
            }
            float[] src = floats(in, t);
            if (n.endsWith("attn_q.weight")) {
                add(w, n, new long[] {embd, (long) heads * WIDE}, rows(src, embd, heads, head, true, 2f));
            } else if (n.endsWith("attn_k.weight")) {
                add(w, n, new long[] {embd, (long) kvHeads * WIDE}, rows(src, embd, kvHeads, head, true, 1f));
            } else if (n.endsWith("attn_v.weight")) {
                add(w, n, new long[] {embd, (long) kvHeads * WIDE}, rows(src, embd, kvHeads, head, false, 1f));
            } else if (n.endsWith("attn_output.weight")) {
                add(w, n, new long[] {(long) heads * WIDE, embd}, columns(src, embd, heads, head));
            } else {
                w.copyTensor(in, t);
            }
        }
        w.write(out);
        return out;
    }

    /** Where dimension d of a narrow head goes in a wide one. */
    private static int target(int d, boolean rotary, int head) {
        return rotary ? (d / 2) * (WIDE / head) * 2 + d % 2 : d;
    }

    /** A projection whose output rows are head-major (Q, K, V): each row of length embd moves. */
    private static float[] rows(float[] src, int embd, int nHeads, int head, boolean rotary, float scale) {
        float[] dst = new float[nHeads * WIDE * embd];
        for (int h = 0; h < nHeads; h++) {
            for (int d = 0; d < head; d++) {
                int from = (h * head + d) * embd;
                int to = (h * WIDE + target(d, rotary, head)) * embd;
                for (int i = 0; i < embd; i++) {
                    dst[to + i] = src[from + i] * scale;
                }
            }
        }
        return dst;
    }

    /** The output projection: rows of length heads*head (its input), one per output dimension. */
    private static float[] columns(float[] src, int embd, int nHeads, int head) {
        int narrow = nHeads * head;
        int wide = nHeads * WIDE;
        float[] dst = new float[embd * wide];
        for (int o = 0; o < embd; o++) {
            for (int h = 0; h < nHeads; h++) {
                for (int d = 0; d < head; d++) {
                    dst[o * wide + h * WIDE + d] = src[o * narrow + h * head + d];
                }
            }
        }
        return dst;
    }

    private static float[] floats(GgufFile f, TensorInfo t) throws IOException {
        if (t.type() != GgmlType.F32) {
            return null;
        }
        FloatBuffer fb = f.tensorData(t).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    private static void add(GgufWriter w, String name, long[] dims, float[] data) {
        w.addTensor(name, GgmlType.F32, dims, out -> {
            ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            while (b.hasRemaining()) {
                out.write(b);
            }
        });
    }
}
