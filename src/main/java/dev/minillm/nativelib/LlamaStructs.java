package dev.minillm.nativelib;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * C structs of llama.h at build b4916, declared field by field. Sizes are checked at start-up
 * ({@link LlamaLibrary#load}) against the sizes measured for this build and against the library's
 * own defaults, so a layout drift fails loudly instead of corrupting memory.
 */
public final class LlamaStructs {
    private LlamaStructs() {
    }

    public static final int MODEL_PARAMS_SIZE = 64;
    public static final int CONTEXT_PARAMS_SIZE = 120;
    public static final int BATCH_SIZE = 56;
    public static final int PERF_CONTEXT_SIZE = 40;

    @Structure.FieldOrder({"devices", "n_gpu_layers", "split_mode", "main_gpu", "tensor_split",
            "progress_callback", "progress_callback_user_data", "kv_overrides",
            "vocab_only", "use_mmap", "use_mlock", "check_tensors"})
    public static class ModelParams extends Structure implements Structure.ByValue {
        public Pointer devices;
        public int n_gpu_layers;
        public int split_mode;
        public int main_gpu;
        public Pointer tensor_split;
        public Pointer progress_callback;
        public Pointer progress_callback_user_data;
        public Pointer kv_overrides;
        public byte vocab_only;
        public byte use_mmap;
        public byte use_mlock;
        public byte check_tensors;
    }

    @Structure.FieldOrder({"n_ctx", "n_batch", "n_ubatch", "n_seq_max", "n_threads", "n_threads_batch",
            "rope_scaling_type", "pooling_type", "attention_type",
            "rope_freq_base", "rope_freq_scale", "yarn_ext_factor", "yarn_attn_factor",
            "yarn_beta_fast", "yarn_beta_slow", "yarn_orig_ctx", "defrag_thold",
            "cb_eval", "cb_eval_user_data", "type_k", "type_v",
            "logits_all", "embeddings", "offload_kqv", "flash_attn", "no_perf",
            "abort_callback", "abort_callback_data"})
    public static class ContextParams extends Structure implements Structure.ByValue {
        public int n_ctx;
        public int n_batch;
        public int n_ubatch;
        public int n_seq_max;
        public int n_threads;
        public int n_threads_batch;
        public int rope_scaling_type;
        public int pooling_type;
        public int attention_type;
        public float rope_freq_base;
        public float rope_freq_scale;
        public float yarn_ext_factor;
        public float yarn_attn_factor;
        public float yarn_beta_fast;
        public float yarn_beta_slow;
        public int yarn_orig_ctx;
        public float defrag_thold;
        public Pointer cb_eval;
        public Pointer cb_eval_user_data;
        public int type_k;
        public int type_v;
        public byte logits_all;
        public byte embeddings;
        public byte offload_kqv;
        public byte flash_attn;
        public byte no_perf;
        public Pointer abort_callback;
        public Pointer abort_callback_data;
    }

    /** llama_batch; passed by value to llama_decode. Its arrays are owned by llama_batch_init. */
    @Structure.FieldOrder({"n_tokens", "token", "embd", "pos", "n_seq_id", "seq_id", "logits"})
    public static class Batch extends Structure implements Structure.ByValue {
        public int n_tokens;
        public Pointer token;
        public Pointer embd;
        public Pointer pos;
        public Pointer n_seq_id;
        public Pointer seq_id;
        public Pointer logits;
    }

    /** llama_perf_context_data: the library's own timing, used to cross-check ours. */
    @Structure.FieldOrder({"t_start_ms", "t_load_ms", "t_p_eval_ms", "t_eval_ms", "n_p_eval", "n_eval"})
    public static class PerfContextData extends Structure implements Structure.ByValue {
        public double t_start_ms;
        public double t_load_ms;
        public double t_p_eval_ms;
        public double t_eval_ms;
        public int n_p_eval;
        public int n_eval;
    }
}
