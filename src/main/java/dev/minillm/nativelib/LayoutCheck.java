package dev.minillm.nativelib;

import com.sun.jna.Structure;
import dev.minillm.common.RunFailedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to run when the struct layouts declared in {@link LlamaStructs} do not match the loaded
 * library: first the sizes measured for build b4916, then the library's own default values,
 * which land in the wrong fields when an offset is off.
 */
final class LayoutCheck {
    private LayoutCheck() {
    }

    static void verify() {
        List<String> problems = new ArrayList<>();
        expectSize(problems, new LlamaStructs.ModelParams(), LlamaStructs.MODEL_PARAMS_SIZE, "llama_model_params");
        expectSize(problems, new LlamaStructs.ContextParams(), LlamaStructs.CONTEXT_PARAMS_SIZE, "llama_context_params");
        expectSize(problems, new LlamaStructs.Batch(), LlamaStructs.BATCH_SIZE, "llama_batch");
        expectSize(problems, new LlamaStructs.PerfContextData(), LlamaStructs.PERF_CONTEXT_SIZE, "llama_perf_context_data");

        LlamaStructs.ModelParams m = LlamaLibrary.llama_model_default_params();
        expect(problems, m.devices == null, "model_params.devices is NULL");
        expect(problems, m.split_mode == 1, "model_params.split_mode == LLAMA_SPLIT_MODE_LAYER");
        expect(problems, m.main_gpu == 0, "model_params.main_gpu == 0");
        expect(problems, m.tensor_split == null && m.progress_callback == null && m.kv_overrides == null,
                "model_params pointers are NULL");
        expect(problems, m.vocab_only == 0 && m.use_mmap == 1 && m.use_mlock == 0 && m.check_tensors == 0,
                "model_params flags (vocab_only=0, use_mmap=1, use_mlock=0, check_tensors=0)");

        LlamaStructs.ContextParams c = LlamaLibrary.llama_context_default_params();
        expect(problems, c.n_ctx == 512 && c.n_batch == 2048 && c.n_ubatch == 512 && c.n_seq_max == 1,
                "context_params sizes (512/2048/512/1), got " + c.n_ctx + "/" + c.n_batch + "/" + c.n_ubatch + "/" + c.n_seq_max);
        expect(problems, c.rope_scaling_type == -1 && c.pooling_type == -1 && c.attention_type == -1,
                "context_params enums unspecified (-1)");
        expect(problems, c.yarn_ext_factor == -1.0f && c.yarn_attn_factor == 1.0f
                        && c.yarn_beta_fast == 32.0f && c.yarn_beta_slow == 1.0f,
                "context_params yarn defaults (-1, 1, 32, 1)");
        expect(problems, c.type_k == 1 && c.type_v == 1, "context_params KV cache type F16");
        expect(problems, c.logits_all == 0 && c.embeddings == 0 && c.offload_kqv == 1 && c.flash_attn == 0,
                "context_params flags (logits_all=0, embeddings=0, offload_kqv=1, flash_attn=0)");
        expect(problems, c.cb_eval == null && c.abort_callback == null, "context_params callbacks NULL");
        if (!problems.isEmpty()) {
            throw new RunFailedException("the bundled llama.cpp library does not match the expected b4916 layout: "
                    + String.join("; ", problems));
        }
    }

    private static void expectSize(List<String> problems, Structure s, int size, String name) {
        if (s.size() != size) {
            problems.add(name + " is " + s.size() + " bytes, expected " + size);
        }
    }

    private static void expect(List<String> problems, boolean ok, String what) {
        if (!ok) {
            problems.add("default " + what + " not found");
        }
    }
}
