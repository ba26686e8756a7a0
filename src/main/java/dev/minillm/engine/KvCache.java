package dev.minillm.engine;

import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufMetadata;
import java.util.Locale;

/**
 * The shape of a model's KV cache, from its GGUF metadata: what a token costs in the cache for a
 * pair of cache types, and which cache settings llama.cpp b4916 refuses for this model.
 *
 * @param headDimK elements of one K head ({arch}.attention.key_length, else embedding / heads)
 */
public record KvCache(int layers, int kvHeads, int headDimK, int headDimV) {

    public static KvCache of(GgufMetadata m) {
        String arch = m.architecture().orElse("");
        int layers = (int) m.layer0Long(arch + ".block_count", 0);
        long heads = m.layer0Long(arch + ".attention.head_count", 0);
        long kvHeads = m.layer0Long(arch + ".attention.head_count_kv", heads);
        long embd = m.layer0Long(arch + ".embedding_length", 0);
        long headDim = heads > 0 ? embd / heads : 0;
        return new KvCache(layers, (int) kvHeads, (int) m.layer0Long(arch + ".attention.key_length", headDim),
                (int) m.layer0Long(arch + ".attention.value_length", headDim));
    }

    /** Bytes per token: layers x KV heads x (head dim K x bytes per K element + head dim V x bytes per V element). */
    public long bytesPerToken(String cacheTypeK, String cacheTypeV) {
        return (long) layers * kvHeads * (rowBytes(EngineSettings.cacheType(cacheTypeK), headDimK)
                + rowBytes(EngineSettings.cacheType(cacheTypeV), headDimV));
    }

    private static long rowBytes(GgmlType t, int n) {
        return (long) n / t.blockSize() * t.typeSize();
    }

    /**
     * Why llama.cpp b4916 cannot create a context with these cache settings for this model, in its
     * own words (it returns no context or aborts), or null when it can.
     */
    public String unsupportedReason(String cacheTypeK, String cacheTypeV, boolean flashAttn) {
        GgmlType k = EngineSettings.cacheType(cacheTypeK);
        GgmlType v = EngineSettings.cacheType(cacheTypeV);
        if (v.isQuantized() && !flashAttn) {
            return "llama.cpp: V cache quantization requires flash_attn (--cache-type-v " + cacheTypeV + " needs --flash-attn on)";
        }
        if (headDimK % k.blockSize() != 0) {
            return String.format(Locale.ROOT, "llama.cpp: GGML_ASSERT(hparams.n_embd_head_k %% ggml_blck_size(type_k) == 0) "
                    + "failed: a K head of %d elements does not fill blocks of %d (%s)", headDimK, k.blockSize(), cacheTypeK);
        }
        if (headDimV % v.blockSize() != 0) {
            return String.format(Locale.ROOT, "llama.cpp: GGML_ASSERT(hparams.n_embd_head_v %% ggml_blck_size(type_v) == 0) "
                    + "failed: a V head of %d elements does not fill blocks of %d (%s)", headDimV, v.blockSize(), cacheTypeV);
        }
        return null;
    }
}
