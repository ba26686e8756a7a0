package dev.minillm.quant;

import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufValue;

/**
 * The hyper-parameters llama.cpp's per-tensor type choice looks at.
 *
 * @param architecture general.architecture ("falcon" has its own rules)
 * @param layers       {arch}.block_count (n_layer: the layer count of the ffn_down/gate/up counters)
 * @param gqa          n_head / n_head_kv of layer 0 (0 if there are no KV heads)
 * @param experts      {arch}.expert_count (0 for dense models)
 * @param is70B        llama.cpp's LLM_TYPE_70B: an 80-layer llama with grouped KV heads, or an 80-layer qwen2
 */
public record ModelHparams(String architecture, int layers, int gqa, int experts, boolean is70B) {

    public static ModelHparams of(GgufMetadata m) {
        String arch = m.architecture().orElse("");
        int layers = (int) first(m, arch + ".block_count", 0);
        long heads = first(m, arch + ".attention.head_count", 0);
        long kvHeads = first(m, arch + ".attention.head_count_kv", heads);
        int gqa = kvHeads == 0 ? 0 : (int) (heads / kvHeads);
        int experts = (int) first(m, arch + ".expert_count", 0);
        boolean is70B = layers == 80 && (arch.equals("llama") && heads != kvHeads || arch.equals("qwen2"));
        return new ModelHparams(arch, layers, gqa, experts, is70B);
    }

    /** A scalar, or the first element of a per-layer array (llama.cpp's hparams for layer 0). */
    private static long first(GgufMetadata m, String key, long fallback) {
        GgufValue v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isArray()) {
            return v.length() == 0 ? fallback : v.longAt(0);
        }
        return v.isNumber() ? v.asLong() : fallback;
    }

    boolean isFalcon() {
        return architecture.equals("falcon");
    }
}
