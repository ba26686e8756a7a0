package dev.minillm.gguf.synth;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hyper-parameters of a real model family, enough to write a GGUF whose every tensor has the
 * real model's shape (so speed and memory behave like the real thing; the weights are random).
 *
 * @param id             the --shape name ("qwen2.5-0.5b")
 * @param architecture   general.architecture
 * @param tiedEmbeddings true if the real model reuses token_embd as output (no output.weight)
 * @param qkvBias        true if attention q/k/v have biases (qwen2)
 * @param llama3Rope     llama3-style RoPE frequency scaling (rope_freqs.weight), or null
 * @param headDimension  width of one attention head when it is not embedding / heads (Qwen3), else 0
 * @param qkNorm         RMS norms on each head's query and key (attn_q_norm / attn_k_norm, Qwen3)
 */
public record ModelShape(
        String id,
        String architecture,
        int layers,
        int embedding,
        int heads,
        int kvHeads,
        int feedForward,
        int vocab,
        int contextLength,
        float ropeFreqBase,
        float rmsEps,
        boolean tiedEmbeddings,
        boolean qkvBias,
        Llama3Rope llama3Rope,
        int headDimension,
        boolean qkNorm) {

    /** A shape whose head width is embedding / heads and that has no query/key norms. */
    public ModelShape(String id, String architecture, int layers, int embedding, int heads, int kvHeads, int feedForward,
                      int vocab, int contextLength, float ropeFreqBase, float rmsEps, boolean tiedEmbeddings,
                      boolean qkvBias, Llama3Rope llama3Rope) {
        this(id, architecture, layers, embedding, heads, kvHeads, feedForward, vocab, contextLength, ropeFreqBase, rmsEps,
                tiedEmbeddings, qkvBias, llama3Rope, 0, false);
    }

    /** Llama 3.1/3.2 RoPE scaling ("rope_type": "llama3" in config.json). */
    public record Llama3Rope(double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {
    }

    // Values from the models' config.json (Qwen/Qwen2.5-*-Instruct, meta-llama/Llama-3.2-1B-Instruct).
    public static final ModelShape QWEN2_5_0_5B = new ModelShape("qwen2.5-0.5b", "qwen2",
            24, 896, 14, 2, 4864, 151936, 32768, 1_000_000f, 1e-6f, true, true, null);
    public static final ModelShape QWEN2_5_1_5B = new ModelShape("qwen2.5-1.5b", "qwen2",
            28, 1536, 12, 2, 8960, 151936, 32768, 1_000_000f, 1e-6f, true, true, null);
    public static final ModelShape QWEN2_5_3B = new ModelShape("qwen2.5-3b", "qwen2",
            36, 2048, 16, 2, 11008, 151936, 32768, 1_000_000f, 1e-6f, true, true, null);
    public static final ModelShape LLAMA_3_2_1B = new ModelShape("llama-3.2-1b", "llama",
            16, 2048, 32, 8, 8192, 128256, 131072, 500_000f, 1e-5f, true, false,
            new Llama3Rope(32.0, 1.0, 4.0, 8192));
    /**
     * Qwen/Qwen3-0.6B (config.json: hidden 1024, 28 layers, 16 heads of 128, 8 KV heads, ff 3072,
     * vocab 151936, 40960 positions, rope theta 1e6, rms eps 1e-6, tied embeddings, q/k norms, no
     * biases). An architecture newer than the bundled b4916: it needs the native engine.
     */
    public static final ModelShape QWEN3_0_6B = new ModelShape("qwen3-0.6b", "qwen3",
            28, 1024, 16, 8, 3072, 151936, 40960, 1_000_000f, 1e-6f, true, false, null, 128, true);
    /**
     * A small llama whose every row length is a multiple of 256, so every k-quant applies to
     * every matrix; untied, so output.weight exists (quantizers treat it specially).
     */
    public static final ModelShape TINY = new ModelShape("tiny", "llama",
            4, 256, 4, 2, 768, 2048, 2048, 10_000f, 1e-5f, false, false, null);

    private static final List<ModelShape> ALL = List.of(QWEN2_5_0_5B, QWEN2_5_1_5B, QWEN2_5_3B, LLAMA_3_2_1B, QWEN3_0_6B, TINY);

    public static List<ModelShape> all() {
        return ALL;
    }

    /** The shape with this id (case-insensitive); BadInputException listing the choices otherwise. */
    public static ModelShape byId(String id) {
        String k = id.trim().toLowerCase(Locale.ROOT);
        for (ModelShape s : ALL) {
            if (s.id.equals(k)) {
                return s;
            }
        }
        throw new BadInputException("unknown shape '" + id + "' (choose one of " + ids() + ")");
    }

    public static String ids() {
        return String.join(", ", ALL.stream().map(ModelShape::id).toList());
    }

    public int headDim() {
        return headDimension > 0 ? headDimension : embedding / heads;
    }

    /** Width of the query projection (all heads). */
    public int qDim() {
        return headDim() * heads;
    }

    /** Width of the K and V projections (n_embd_k_gqa). */
    public int kvDim() {
        return headDim() * kvHeads;
    }

    /** A tensor to generate: 2-D matrices are F16, 1-D vectors (norms, biases, rope factors) F32, as llama.cpp's converter writes them. */
    public record TensorSpec(String name, GgmlType type, long[] dims) {
        public long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        public boolean isNorm() {
            return name.endsWith("_norm.weight");
        }
    }

    /** All tensors in the order llama.cpp's converter writes them, ggml dims (row length first). */
    public List<TensorSpec> tensors() {
        List<TensorSpec> t = new ArrayList<>();
        long e = embedding;
        t.add(matrix("token_embd.weight", e, vocab));
        if (llama3Rope != null) {
            t.add(vector("rope_freqs.weight", headDim() / 2));
        }
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            t.add(vector(p + "attn_norm.weight", e));
            t.add(matrix(p + "attn_q.weight", e, qDim()));
            t.add(matrix(p + "attn_k.weight", e, kvDim()));
            t.add(matrix(p + "attn_v.weight", e, kvDim()));
            if (qkvBias) {
                t.add(vector(p + "attn_q.bias", qDim()));
                t.add(vector(p + "attn_k.bias", kvDim()));
                t.add(vector(p + "attn_v.bias", kvDim()));
            }
            t.add(matrix(p + "attn_output.weight", qDim(), e));
            if (qkNorm) {
                t.add(vector(p + "attn_k_norm.weight", headDim()));
                t.add(vector(p + "attn_q_norm.weight", headDim()));
            }
            t.add(vector(p + "ffn_norm.weight", e));
            t.add(matrix(p + "ffn_gate.weight", e, feedForward));
            t.add(matrix(p + "ffn_up.weight", e, feedForward));
            t.add(matrix(p + "ffn_down.weight", feedForward, e));
        }
        t.add(vector("output_norm.weight", e));
        if (!tiedEmbeddings) {
            t.add(matrix("output.weight", e, vocab));
        }
        return t;
    }

    /** Sum of tensor elements (what llama.cpp reports as the parameter count). */
    public long parameterCount() {
        return tensors().stream().mapToLong(TensorSpec::elements).sum();
    }

    /** Bytes of tensor data in the F16 file. */
    public long dataBytes() {
        return tensors().stream().mapToLong(s -> s.type().byteSize(s.dims())).sum();
    }

    private static TensorSpec matrix(String name, long rowLength, long rows) {
        return new TensorSpec(name, GgmlType.F16, new long[] {rowLength, rows});
    }

    private static TensorSpec vector(String name, long n) {
        return new TensorSpec(name, GgmlType.F32, new long[] {n});
    }
}
