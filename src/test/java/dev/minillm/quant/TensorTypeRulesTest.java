package dev.minillm.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The per-tensor type rules against hand-derived expectations from llama.cpp b4916's quantizer. */
class TensorTypeRulesTest {

    /** A llama-shaped tensor list in the order convert_hf_to_gguf writes it (file order). */
    static List<TensorInfo> llama(int layers, long embd, long ffn, long kvDim, long vocab, boolean tiedEmbeddings) {
        List<TensorInfo> t = new ArrayList<>();
        t.add(f32("token_embd.weight", embd, vocab));
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            t.add(f32(p + "attn_norm.weight", embd));
            t.add(f32(p + "ffn_down.weight", ffn, embd));
            t.add(f32(p + "ffn_gate.weight", embd, ffn));
            t.add(f32(p + "ffn_up.weight", embd, ffn));
            t.add(f32(p + "ffn_norm.weight", embd));
            t.add(f32(p + "attn_k.weight", embd, kvDim));
            t.add(f32(p + "attn_output.weight", embd, embd));
            t.add(f32(p + "attn_q.weight", embd, embd));
            t.add(f32(p + "attn_v.weight", embd, kvDim));
        }
        t.add(f32("output_norm.weight", embd));
        if (!tiedEmbeddings) {
            t.add(f32("output.weight", embd, vocab));
        }
        return t;
    }

    static TensorInfo f32(String name, long... dims) {
        return new TensorInfo(name, dims, 0, GgmlType.F32, 0);
    }

    static Map<String, GgmlType> types(List<TensorInfo> tensors, ModelHparams hp, QuantType mix) {
        Map<String, GgmlType> m = new TreeMap<>();
        for (TensorTypeRules.Decision d : TensorTypeRules.plan(tensors, hp, mix)) {
            m.put(d.name(), d.type());
        }
        return m;
    }

    static ModelHparams llamaHp(int layers, int gqa) {
        return new ModelHparams("llama", layers, gqa, 0, false);
    }

    @Test
    void q4KMGivesMoreBitsToAttnVAndFfnDownOfTheUseMoreBitsLayers() {
        // 12 layers: use_more_bits picks layer < 1, layer >= 10, and (layer - 1) % 3 == 2 -> 0,3,6,9,10,11.
        Map<String, GgmlType> m = types(llama(12, 256, 512, 256, 1024, false), llamaHp(12, 1), QuantType.Q4_K_M);
        List<Integer> more = List.of(0, 3, 6, 9, 10, 11);
        for (int i = 0; i < 12; i++) {
            GgmlType expected = more.contains(i) ? GgmlType.Q6_K : GgmlType.Q4_K;
            assertEquals(expected, m.get("blk." + i + ".attn_v.weight"), "attn_v of layer " + i);
            assertEquals(expected, m.get("blk." + i + ".ffn_down.weight"), "ffn_down of layer " + i);
            assertEquals(GgmlType.Q4_K, m.get("blk." + i + ".attn_q.weight"));
            assertEquals(GgmlType.Q4_K, m.get("blk." + i + ".ffn_up.weight"));
            assertEquals(GgmlType.F32, m.get("blk." + i + ".attn_norm.weight"));
        }
        assertEquals(GgmlType.Q6_K, m.get("output.weight"));
        assertEquals(GgmlType.Q4_K, m.get("token_embd.weight"));
        assertEquals(GgmlType.F32, m.get("output_norm.weight"));
    }

    @Test
    void tiedEmbeddingsGetTheOutputTreatment() {
        Map<String, GgmlType> m = types(llama(4, 256, 512, 256, 1024, true), llamaHp(4, 1), QuantType.Q4_K_M);
        assertEquals(GgmlType.Q6_K, m.get("token_embd.weight"));
        Map<String, GgmlType> q8 = types(llama(4, 256, 512, 256, 1024, true), llamaHp(4, 1), QuantType.Q8_0);
        assertEquals(GgmlType.Q8_0, q8.get("token_embd.weight"));
        Map<String, GgmlType> q4 = types(llama(4, 256, 512, 256, 1024, false), llamaHp(4, 1), QuantType.Q4_0);
        assertEquals(GgmlType.Q6_K, q4.get("output.weight"));
        assertEquals(GgmlType.Q4_0, q4.get("token_embd.weight"));
    }

    @Test
    void lowBitMixesRaiseAttentionAndFfnDown() {
        List<TensorInfo> model = llama(16, 256, 512, 128, 1024, false);
        Map<String, GgmlType> q2 = types(model, llamaHp(16, 2), QuantType.Q2_K);
        assertEquals(GgmlType.Q3_K, q2.get("blk.5.attn_v.weight"));
        assertEquals(GgmlType.Q3_K, q2.get("blk.5.ffn_down.weight"));
        assertEquals(GgmlType.Q3_K, q2.get("blk.5.attn_output.weight"));
        assertEquals(GgmlType.Q2_K, q2.get("blk.5.attn_q.weight"));
        assertEquals(GgmlType.Q4_K, types(model, llamaHp(16, 4), QuantType.Q2_K).get("blk.5.attn_v.weight"));

        Map<String, GgmlType> q3m = types(model, llamaHp(16, 2), QuantType.Q3_K_M);
        assertEquals(GgmlType.Q5_K, q3m.get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q3m.get("blk.1.attn_v.weight"));
        assertEquals(GgmlType.Q4_K, q3m.get("blk.2.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q3m.get("blk.0.ffn_down.weight")); // layer < 16/16
        assertEquals(GgmlType.Q4_K, q3m.get("blk.1.ffn_down.weight"));
        assertEquals(GgmlType.Q4_K, q3m.get("blk.7.attn_output.weight"));
        assertEquals(GgmlType.Q3_K, q3m.get("blk.7.ffn_up.weight"));

        Map<String, GgmlType> q3l = types(model, llamaHp(16, 2), QuantType.Q3_K_L);
        assertEquals(GgmlType.Q5_K, q3l.get("blk.9.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q3l.get("blk.9.ffn_down.weight"));
        assertEquals(GgmlType.Q5_K, q3l.get("blk.9.attn_output.weight"));

        Map<String, GgmlType> q3s = types(model, llamaHp(16, 2), QuantType.Q3_K_S);
        assertEquals(GgmlType.Q3_K, q3s.get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q3_K, q3s.get("blk.0.ffn_down.weight"));

        Map<String, GgmlType> q4s = types(model, llamaHp(16, 2), QuantType.Q4_K_S);
        assertEquals(GgmlType.Q5_K, q4s.get("blk.3.attn_v.weight"));
        assertEquals(GgmlType.Q4_K, q4s.get("blk.4.attn_v.weight"));
        assertEquals(GgmlType.Q5_K, q4s.get("blk.1.ffn_down.weight")); // layer < 16/8
        assertEquals(GgmlType.Q4_K, q4s.get("blk.2.ffn_down.weight"));

        Map<String, GgmlType> q5s = types(model, llamaHp(16, 2), QuantType.Q5_K_S);
        assertEquals(GgmlType.Q5_K, q5s.get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q6_K, q5s.get("output.weight"));
        Map<String, GgmlType> q6 = types(model, llamaHp(16, 2), QuantType.Q6_K);
        assertTrue(q6.entrySet().stream().filter(e -> !e.getKey().contains("norm")).allMatch(e -> e.getValue() == GgmlType.Q6_K));
    }

    @Test
    void f16MixConvertsEveryQuantizableTensorAndKeepsNorms() {
        Map<String, GgmlType> m = types(llama(2, 64, 172, 32, 512, false), llamaHp(2, 2), QuantType.F16);
        assertEquals(GgmlType.F16, m.get("output.weight"));
        assertEquals(GgmlType.F16, m.get("blk.1.ffn_down.weight")); // 172 wide: fine for F16
        assertEquals(GgmlType.F32, m.get("blk.1.ffn_norm.weight"));
    }

    @Test
    void stories260KShapesFallBackLikeLlamaCpp() {
        // embedding 64, ffn 172, 5 layers, 4 KV heads of 8 (gqa 2), vocab 512, untied output.
        List<TensorInfo> model = llama(5, 64, 172, 32, 512, false);
        ModelHparams hp = llamaHp(5, 2);
        Map<String, GgmlType> m = types(model, hp, QuantType.Q4_K_M);
        assertEquals(GgmlType.Q8_0, m.get("output.weight")); // 64 % 256 != 0
        assertEquals(GgmlType.Q5_0, m.get("token_embd.weight")); // Q4_K -> Q5_0
        assertEquals(GgmlType.Q5_0, m.get("blk.0.attn_q.weight"));
        assertEquals(GgmlType.Q5_0, m.get("blk.0.attn_v.weight"));
        assertEquals(GgmlType.Q8_0, m.get("blk.2.attn_v.weight")); // use_more_bits -> Q6_K -> Q8_0
        assertEquals(GgmlType.Q8_0, m.get("blk.4.attn_v.weight"));
        assertEquals(GgmlType.F16, m.get("blk.0.ffn_down.weight")); // 172 fits no block
        assertEquals(GgmlType.F32, m.get("blk.0.ffn_norm.weight"));

        Map<String, GgmlType> q2 = types(model, hp, QuantType.Q2_K);
        assertEquals(GgmlType.IQ4_NL, q2.get("blk.0.attn_q.weight"));
        assertEquals(GgmlType.IQ4_NL, q2.get("blk.0.attn_v.weight")); // Q3_K -> IQ4_NL
        assertEquals(GgmlType.F16, q2.get("blk.0.ffn_down.weight"));
        assertEquals(GgmlType.Q5_1, types(model, hp, QuantType.Q5_K_S).get("blk.3.attn_k.weight"));
        assertEquals(GgmlType.Q8_0, types(model, hp, QuantType.Q6_K).get("blk.3.attn_k.weight"));

        List<TensorTypeRules.Decision> q40 = TensorTypeRules.plan(model, hp, QuantType.Q4_0);
        TensorTypeRules.Decision down = q40.stream().filter(d -> d.name().equals("blk.0.ffn_down.weight")).findFirst().orElseThrow();
        assertEquals(GgmlType.F16, down.type());
        assertTrue(down.beyondLlamaCpp(), "llama.cpp has no fallback for q4_0 and aborts");
        assertTrue(down.note().contains("172"), down.note());
        TensorTypeRules.Decision q = q40.stream().filter(d -> d.name().equals("blk.0.attn_q.weight")).findFirst().orElseThrow();
        assertEquals(GgmlType.Q4_0, q.type());
        assertNull(q.note());
        assertFalse(q.beyondLlamaCpp());
    }

    @Test
    void orderIsNumericByLayerThenByName() {
        List<TensorInfo> model = llama(12, 256, 512, 256, 1024, false);
        List<String> names = TensorTypeRules.llamaOrder(model).stream().map(TensorInfo::name).collect(Collectors.toList());
        assertEquals(List.of("output.weight", "output_norm.weight", "token_embd.weight", "blk.0.attn_k.weight"), names.subList(0, 4));
        assertTrue(names.indexOf("blk.9.ffn_up.weight") < names.indexOf("blk.10.attn_k.weight"));
        assertEquals(-1, TensorTypeRules.layerOf("token_embd.weight"));
        assertEquals(17, TensorTypeRules.layerOf("blk.17.attn_q.weight"));
    }

    @Test
    void onlyNamedMultiDimensionalWeightsAreQuantized() {
        assertTrue(TensorTypeRules.isQuantizable("blk.0.attn_q.weight", new long[] {64, 64}));
        assertFalse(TensorTypeRules.isQuantizable("blk.0.attn_q.bias", new long[] {64, 64}));
        assertFalse(TensorTypeRules.isQuantizable("blk.0.attn_norm.weight", new long[] {64}));
        assertFalse(TensorTypeRules.isQuantizable("blk.0.attn_q_norm.weight", new long[] {64, 8}));
        assertFalse(TensorTypeRules.isQuantizable("blk.0.ffn_gate_inp.weight", new long[] {64, 8}));
        assertFalse(TensorTypeRules.isQuantizable("position_embd.weight", new long[] {64, 8}));
        assertFalse(TensorTypeRules.isQuantizable("blk.0.x.weight", new long[] {64, 1, 1}), "ggml_n_dims ignores trailing 1s");
        assertTrue(TensorTypeRules.isQuantizable("blk.0.ffn_up_exps.weight", new long[] {64, 32, 8}));
    }

    @Test
    void moeAndSpecialModels() {
        List<TensorInfo> model = llama(8, 256, 512, 256, 1024, false);
        Map<String, GgmlType> moe = types(model, new ModelHparams("llama", 8, 4, 8, false), QuantType.Q4_K_M);
        assertEquals(GgmlType.Q8_0, moe.get("blk.1.attn_v.weight"));
        assertEquals(GgmlType.Q8_0, moe.get("blk.1.attn_k.weight"));
        assertEquals(GgmlType.Q5_K, moe.get("blk.1.attn_output.weight"));

        Map<String, GgmlType> big = types(model, new ModelHparams("llama", 8, 8, 0, true), QuantType.Q3_K_S);
        assertEquals(GgmlType.Q5_K, big.get("blk.1.attn_v.weight"));

        Map<String, GgmlType> falcon = types(model, new ModelHparams("falcon", 8, 1, 0, false), QuantType.Q4_K_M);
        assertEquals(GgmlType.Q8_0, falcon.get("output.weight"));
        assertEquals(GgmlType.Q5_K, falcon.get("blk.3.ffn_down.weight")); // use_more_bits, not first 1/16

        List<TensorInfo> badMoe = new ArrayList<>(model);
        badMoe.add(f32("blk.9.ffn_down_exps.weight", 512, 256, 8));
        assertThrows(BadInputException.class, () -> TensorTypeRules.plan(badMoe, new ModelHparams("llama", 8, 4, 8, false), QuantType.Q4_K_M));
    }

    @Test
    void parsesMixNames() {
        assertEquals(QuantType.Q4_K_M, QuantType.parse("q4_k_m"));
        assertEquals(QuantType.Q5_K_S, QuantType.parse("Q5_K_S"));
        assertEquals(15, QuantType.parse("q4-k-m").fileType().id());
        assertEquals(7, QuantType.Q8_0.fileType().id());
        BadInputException e = assertThrows(BadInputException.class, () -> QuantType.parse("q9_k"));
        assertTrue(e.getMessage().contains("q4_k_m"), e.getMessage());
    }
}
