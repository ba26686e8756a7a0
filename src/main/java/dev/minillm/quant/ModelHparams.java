package dev.minillm.quant;

import dev.minillm.gguf.GgufMetadata;

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
        int layers = (int) m.layer0Long(arch + ".block_count", 0);
        long heads = m.layer0Long(arch + ".attention.head_count", 0);
        long kvHeads = m.layer0Long(arch + ".attention.head_count_kv", heads);
        int gqa = kvHeads == 0 ? 0 : (int) (heads / kvHeads);
        int experts = (int) m.layer0Long(arch + ".expert_count", 0);
        boolean is70B = layers == 80 && (arch.equals("llama") && heads != kvHeads || arch.equals("qwen2"));
        return new ModelHparams(arch, layers, gqa, experts, is70B);
    }

    boolean isFalcon() {
        return architecture.equals("falcon");
    }
}
