package dev.minillm.engine;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The KV cache types llama.cpp accepts ({@code --cache-type-k/-v}) and the combinations the bundled
 * b4916 CPU build can run. It asserts (aborting the process) on a quantized cache whose block does
 * not divide the attention head size, and on flash attention over an f32 cache, so those are refused
 * here, in Java, from the GGUF header.
 */
public final class KvCacheTypes {
    public static final String DEFAULT = "f16";
    /** llama.cpp's list (common/arg.cpp kv_cache_types). */
    public static final List<String> ALLOWED = List.of("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1");

    private KvCacheTypes() {
    }

    /** The ggml type of a cache type name; bad input names the option. */
    public static GgmlType parse(String option, String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!ALLOWED.contains(n)) {
            throw new BadInputException(option + ": '" + name + "' is not a KV cache type (one of " + String.join(", ", ALLOWED) + ")");
        }
        return GgmlType.fromName(n);
    }

    /** Refuses what the bundled llama.cpp cannot run for this model, with one line naming the reason. */
    public static void check(Path model, String typeK, String typeV, boolean flashAttn) {
        GgmlType k = parse("--cache-type-k", typeK);
        GgmlType v = parse("--cache-type-v", typeV);
        if (v.isQuantized() && !flashAttn) {
            throw new BadInputException("--cache-type-v " + typeV + " needs --flash-attn (llama.cpp quantizes the V cache only with flash attention)");
        }
        if (flashAttn && (k == GgmlType.F32 || v == GgmlType.F32)) {
            throw new BadInputException("--flash-attn does not run over an f32 KV cache in llama.cpp b4916's CPU backend; use f16, bf16 or a quantized type");
        }
        if (!k.isQuantized() && !v.isQuantized()) {
            return;
        }
        Heads h = heads(model);
        requireDivides(model, "--cache-type-k", typeK, k, h.k());
        requireDivides(model, "--cache-type-v", typeV, v, h.v());
    }

    private static void requireDivides(Path model, String option, String name, GgmlType t, long headSize) {
        if (t.isQuantized() && headSize % t.blockSize() != 0) {
            throw new BadInputException(model + ": " + option + " " + name + " stores blocks of " + t.blockSize()
                    + " values per attention head, but this model's heads have " + headSize + "; use f16 or bf16");
        }
    }

    /** Attention head sizes of K and V and the KV head and layer counts, from the GGUF header. */
    public record Heads(long k, long v, long kvHeads, long layers) {
    }

    public static Heads heads(Path model) {
        GgufMetadata m = GgufFile.open(model).metadata();
        long embd = m.getArchLong("embedding_length").orElse(-1L);
        long heads = m.getArchLong("attention.head_count").orElse(-1L);
        long kvHeads = m.getArchLong("attention.head_count_kv").orElse(heads);
        long layers = m.getArchLong("block_count").orElse(-1L);
        long k = m.getArchLong("attention.key_length").orElse(heads > 0 ? embd / heads : -1L);
        long v = m.getArchLong("attention.value_length").orElse(k);
        if (k <= 0 || v <= 0 || kvHeads <= 0 || layers <= 0) {
            throw new BadInputException(model + ": the header does not give the attention head sizes needed for a KV cache type");
        }
        return new Heads(k, v, kvHeads, layers);
    }

    /** KV cache bytes one token of context costs: layers x KV heads x (head_k x bytes(K) + head_v x bytes(V)). */
    public static double bytesPerToken(Path model, String typeK, String typeV) {
        Heads h = heads(model);
        GgmlType k = parse("--cache-type-k", typeK);
        GgmlType v = parse("--cache-type-v", typeV);
        return h.layers() * h.kvHeads() * (h.k() * bytesPerValue(k) + h.v() * bytesPerValue(v));
    }

    private static double bytesPerValue(GgmlType t) {
        return (double) t.typeSize() / t.blockSize();
    }
}
