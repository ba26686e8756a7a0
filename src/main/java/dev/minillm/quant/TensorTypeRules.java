package dev.minillm.quant;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the ggml type of every tensor for a mix, re-implementing llama.cpp b4916's quantizer
 * ({@code llama_model_quantize_impl} and {@code llama_tensor_get_type} in src/llama-quant.cpp):
 * <ul>
 * <li>only tensors whose name ends in "weight", with at least 2 non-trivial dims, that are not
 *     norms, MoE routers, position/token-type embeddings or a few tiny architecture-specific
 *     matrices are quantized; everything else (norms, biases...) is copied unchanged;</li>
 * <li>output.weight (or token_embd.weight when the model has no output.weight, i.e. tied
 *     embeddings) gets Q6_K, or Q8_0 when its rows are not a multiple of 256;</li>
 * <li>attn_v, ffn_down, attn_output and attn_qkv get more bits in some mixes and layers
 *     ({@code use_more_bits}: the first and last eighth of the layers and every third in between);</li>
 * <li>a type whose block does not divide the row length falls back: Q2_K/Q3_K/IQ4_XS to IQ4_NL,
 *     Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0, and to F16 if even that block does not fit.</li>
 * </ul>
 * The layer counters advance in llama.cpp's tensor order (its weights map sorts by layer number,
 * then by name), which is why {@link #plan} processes tensors in that order.
 *
 * <p>One deliberate extension: where llama.cpp has no fallback and aborts the whole run
 * ("Unsupported tensor size encountered", e.g. Q4_0 on a 172-wide row), the tensor is kept as
 * F16 instead, and the decision says so.
 */
public final class TensorTypeRules {
    private static final int QK_K = 256;

    /**
     * The decision for one tensor.
     *
     * @param type     the type written to the output
     * @param convert  true if the data must be converted (type differs from the source type)
     * @param note     why the type differs from the rule's first choice (row-size fallback), or null
     * @param beyondLlamaCpp true where llama.cpp b4916 would have refused the model (see class doc)
     */
    public record Decision(TensorInfo tensor, GgmlType type, boolean convert, String note, boolean beyondLlamaCpp) {
        public String name() {
            return tensor.name();
        }
    }

    private final ModelHparams hp;
    private final QuantType mix;
    private final boolean hasOutput;
    private final int nAttentionWv;
    private int iAttentionWv;
    private int iFfnDown;
    private int iFfnGate;
    private int iFfnUp;

    private TensorTypeRules(List<TensorInfo> tensors, ModelHparams hp, QuantType mix) {
        this.hp = hp;
        this.mix = mix;
        boolean output = false;
        int wv = 0;
        for (TensorInfo t : tensors) {
            String n = t.name();
            if (n.contains("attn_v.weight") || n.contains("attn_qkv.weight") || n.contains("attn_kv_b.weight")) {
                wv++;
            } else if (n.equals("output.weight")) {
                output = true;
            }
        }
        this.hasOutput = output;
        this.nAttentionWv = wv;
    }

    /** Decisions for all tensors, in llama.cpp's processing order (see {@link #llamaOrder}). */
    public static List<Decision> plan(List<TensorInfo> tensors, ModelHparams hp, QuantType mix) {
        List<TensorInfo> ordered = llamaOrder(tensors);
        TensorTypeRules rules = new TensorTypeRules(ordered, hp, mix);
        List<Decision> out = new ArrayList<>(ordered.size());
        for (TensorInfo t : ordered) {
            out.add(rules.decide(t));
        }
        return out;
    }

    /**
     * llama.cpp's weights-map order: tensors outside "blk.N." first, then by layer number; ties by
     * name (byte order).
     */
    public static List<TensorInfo> llamaOrder(List<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong((TensorInfo t) -> layerOf(t.name())).thenComparing(TensorInfo::name));
        return sorted;
    }

    /** The N of a "blk.N." prefix as sscanf("blk.%d.") reads it, or -1. */
    static long layerOf(String name) {
        if (!name.startsWith("blk.")) {
            return -1;
        }
        int i = 4;
        int start = i;
        if (i < name.length() && (name.charAt(i) == '-' || name.charAt(i) == '+')) {
            i++;
        }
        int digits = i;
        while (i < name.length() && Character.isDigit(name.charAt(i)) && i - digits < 9) {
            i++;
        }
        if (i == digits) {
            return -1;
        }
        return Long.parseLong(name.substring(start, i));
    }

    /** ggml_n_dims: the number of dims up to the last one that is larger than 1. */
    static int nDims(long[] dims) {
        int n = dims.length;
        while (n > 1 && dims[n - 1] == 1) {
            n--;
        }
        return Math.max(n, 1);
    }

    /** Whether llama.cpp b4916 would quantize this tensor at all. */
    static boolean isQuantizable(String name, long[] dims) {
        if (!name.endsWith("weight") || nDims(dims) < 2) {
            return false;
        }
        String[] kept = {
            "_norm.weight", "ffn_gate_inp.weight", "ssm_conv1d.weight", "attn_rel_b.weight",
            "time_mix_first.weight", "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight",
            "time_mix_v0.weight", "time_mix_v1.weight", "time_mix_v2.weight", "time_mix_a0.weight",
            "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight", "time_mix_g2.weight",
            "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight"
        };
        for (String k : kept) {
            if (name.contains(k)) {
                return false;
            }
        }
        return !name.equals("position_embd.weight") && !name.equals("token_types.weight");
    }

    private Decision decide(TensorInfo t) {
        GgmlType source = t.type();
        if (!isQuantizable(t.name(), t.dims())) {
            return new Decision(t, source, false, null, false);
        }
        GgmlType type = mix.defaultType();
        String note = null;
        boolean beyond = false;
        if (mix.isQuantized()) {
            type = ruleType(type, t);
            long ncols = t.dim(0);
            if (ncols % type.blockSize() != 0) {
                GgmlType first = type;
                GgmlType fallback = switch (type) {
                    case Q2_K, Q3_K, IQ4_XS -> GgmlType.IQ4_NL;
                    case Q4_K -> GgmlType.Q5_0;
                    case Q5_K -> GgmlType.Q5_1;
                    case Q6_K -> GgmlType.Q8_0;
                    default -> null;
                };
                if (fallback == null) {
                    beyond = true;
                    type = GgmlType.F16;
                } else {
                    type = ncols % fallback.blockSize() == 0 ? fallback : GgmlType.F16;
                }
                note = "row of " + ncols + " is not a multiple of " + first.blockSize() + " (" + first + ") -> " + type
                        + (beyond ? " (llama.cpp b4916 would refuse this tensor)" : "");
            }
        }
        return new Decision(t, type, type != source, note, beyond);
    }

    private static boolean useMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    /** The layer index an ffn counter stands for; MoE models read it from the name instead. */
    private int layerIndex(int counter, String name) {
        if (Math.max(1, hp.experts()) > 1) {
            long layer = layerOf(name);
            if (layer < 0) {
                throw new BadInputException("cannot determine the layer of tensor " + name);
            }
            if (layer >= hp.layers()) {
                throw new BadInputException("tensor " + name + " names layer " + layer + " but the model has " + hp.layers());
            }
            return (int) layer;
        }
        return counter;
    }

    /** llama_tensor_get_type for the mixes minillm offers (before the row-size fallback). */
    private GgmlType ruleType(GgmlType type, TensorInfo t) {
        String name = t.name();
        QuantType f = mix;
        int nLayer = hp.layers();
        if (name.equals("output.weight") || (!hasOutput && name.equals("token_embd.weight"))) {
            if (hp.isFalcon() || t.dim(0) % QK_K != 0) {
                type = GgmlType.Q8_0;
            } else if (type != GgmlType.Q8_0) {
                type = GgmlType.Q6_K;
            }
        } else if (name.equals("token_embd.weight")) {
            // llama.cpp changes it only for the IQ1/IQ2/IQ3_XXS/TQ mixes, which minillm does not offer.
            return type;
        } else if (name.contains("attn_v.weight")) {
            if (f == QuantType.Q2_K) {
                type = hp.gqa() >= 4 ? GgmlType.Q4_K : GgmlType.Q3_K;
            } else if (f == QuantType.Q3_K_M) {
                type = iAttentionWv < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
            } else if (f == QuantType.Q3_K_L) {
                type = GgmlType.Q5_K;
            } else if ((f == QuantType.IQ4_NL || f == QuantType.IQ4_XS) && hp.gqa() >= 4) {
                type = GgmlType.Q5_K;
            } else if ((f == QuantType.Q4_K_M || f == QuantType.Q5_K_M) && useMoreBits(iAttentionWv, nAttentionWv)) {
                type = GgmlType.Q6_K;
            } else if (f == QuantType.Q4_K_S && iAttentionWv < 4) {
                type = GgmlType.Q5_K;
            }
            if (hp.is70B() && (type == GgmlType.Q3_K || type == GgmlType.Q4_K)) {
                // 8 query heads share each attn_v there, so the tensor is small: more bits are cheap.
                type = GgmlType.Q5_K;
            }
            if (hp.experts() == 8) {
                type = GgmlType.Q8_0;
            }
            iAttentionWv++;
        } else if (name.contains("attn_k.weight")) {
            if (hp.experts() == 8) {
                type = GgmlType.Q8_0;
            }
        } else if (name.contains("attn_q.weight")) {
            return type;
        } else if (name.contains("ffn_down")) {
            int layer = layerIndex(iFfnDown, name);
            boolean falcon = hp.isFalcon();
            if (f == QuantType.Q2_K) {
                type = GgmlType.Q3_K;
            } else if (f == QuantType.Q3_K_M) {
                type = layer < nLayer / 16 ? GgmlType.Q5_K
                        : !falcon || useMoreBits(layer, nLayer) ? GgmlType.Q4_K : GgmlType.Q3_K;
            } else if (f == QuantType.Q3_K_L) {
                type = falcon ? GgmlType.Q4_K : GgmlType.Q5_K;
            } else if (f == QuantType.Q4_K_M) {
                if (falcon) {
                    type = layer < nLayer / 16 ? GgmlType.Q6_K : useMoreBits(layer, nLayer) ? GgmlType.Q5_K : GgmlType.Q4_K;
                } else if (useMoreBits(layer, nLayer)) {
                    type = GgmlType.Q6_K;
                }
            } else if (layer < nLayer / 8 && (f == QuantType.IQ4_NL || f == QuantType.IQ4_XS)) {
                type = GgmlType.Q5_K; // llama.cpp does this only without an imatrix, which minillm never has
            } else if (f == QuantType.Q5_K_M && useMoreBits(layer, nLayer)) {
                type = GgmlType.Q6_K;
            } else if (f == QuantType.Q4_K_S && !falcon && layer < nLayer / 8) {
                type = GgmlType.Q5_K;
            }
            iFfnDown++;
        } else if (name.contains("attn_output.weight")) {
            if (!hp.isFalcon()) {
                if (hp.experts() == 8) {
                    if (f == QuantType.Q2_K || f == QuantType.Q3_K_S || f == QuantType.Q3_K_M || f == QuantType.IQ4_NL
                            || f == QuantType.Q4_K_S || f == QuantType.Q4_K_M || f == QuantType.IQ4_XS) {
                        type = GgmlType.Q5_K;
                    }
                } else if (f == QuantType.Q2_K) {
                    type = GgmlType.Q3_K;
                } else if (f == QuantType.Q3_K_M) {
                    type = GgmlType.Q4_K;
                } else if (f == QuantType.Q3_K_L) {
                    type = GgmlType.Q5_K;
                }
            } else if (f == QuantType.Q3_K_L) {
                type = GgmlType.Q4_K;
            }
        } else if (name.contains("attn_qkv.weight")) {
            if (f == QuantType.Q3_K_M || f == QuantType.Q3_K_L) {
                type = GgmlType.Q4_K;
            } else if (f == QuantType.Q4_K_M) {
                type = GgmlType.Q5_K;
            } else if (f == QuantType.Q5_K_M) {
                type = GgmlType.Q6_K;
            }
        } else if (name.contains("ffn_gate")) {
            layerIndex(iFfnGate, name); // only IQ3_XS changes ffn_gate; the layer check still applies
            iFfnGate++;
        } else if (name.contains("ffn_up")) {
            layerIndex(iFfnUp, name);
            iFfnUp++;
        }
        return type;
    }
}
