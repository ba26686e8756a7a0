/*
 * What the C reference programs of "minillm calibrate" need of libjllama (llama.cpp b4916): its
 * struct layouts (the ones minillm verifies at start-up; the library ships no header), symbol
 * lookup in the library opened with dlopen, the calls both programs make to load a model, a
 * monotonic clock and a silent log callback.
 */
#ifndef MINILLM_B4916_API_H
#define MINILLM_B4916_API_H
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct model_params {
    void *devices; int32_t n_gpu_layers; int32_t split_mode; int32_t main_gpu;
    const float *tensor_split; void *progress_callback; void *progress_callback_user_data;
    const void *kv_overrides; bool vocab_only; bool use_mmap; bool use_mlock; bool check_tensors;
};
struct context_params {
    uint32_t n_ctx, n_batch, n_ubatch, n_seq_max; int32_t n_threads, n_threads_batch;
    int32_t rope_scaling_type, pooling_type, attention_type;
    float rope_freq_base, rope_freq_scale, yarn_ext_factor, yarn_attn_factor, yarn_beta_fast, yarn_beta_slow;
    uint32_t yarn_orig_ctx; float defrag_thold; void *cb_eval; void *cb_eval_user_data;
    int32_t type_k, type_v; bool logits_all, embeddings, offload_kqv, flash_attn, no_perf;
    void *abort_callback; void *abort_callback_data;
};
struct batch {
    int32_t n_tokens; int32_t *token; float *embd; int32_t *pos; int32_t *n_seq_id; int32_t **seq_id; int8_t *logits;
};

static void *lib;
static inline void *sym(const char *name) {
    void *p = dlsym(lib, name);
    if (!p) { fprintf(stderr, "missing symbol %s\n", name); exit(3); }
    return p;
}
static inline uint64_t now_ns(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}
static inline void quiet_log(int level, const char *text, void *user) { (void) level; (void) text; (void) user; }

struct b4916_calls {
    struct context_params (*ctx_defaults)(void);
    void *(*init_ctx)(void *, struct context_params);
    void *(*get_vocab)(void *);
    void (*kv_clear)(void *);
};

/* Opens the library (exit 3 when it cannot), silences llama.cpp's log and loads the model on the CPU
 * plus gpu_layers (exit 4 when it cannot); *model receives it. */
static inline struct b4916_calls open_b4916(const char *lib_path, const char *model_path, int gpu_layers, void **model) {
    lib = dlopen(lib_path, RTLD_NOW | RTLD_GLOBAL);
    if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); exit(3); }
    void (*log_set)(void *, void *) = sym("llama_log_set");
    void (*backend_init)(void) = sym("llama_backend_init");
    struct model_params (*model_defaults)(void) = sym("llama_model_default_params");
    void *(*load)(const char *, struct model_params) = sym("llama_model_load_from_file");
    struct b4916_calls c = {
        sym("llama_context_default_params"), sym("llama_init_from_model"), sym("llama_model_get_vocab"),
        sym("llama_kv_self_clear"),
    };
    log_set((void *) quiet_log, NULL);
    backend_init();
    struct model_params mp = model_defaults();
    mp.n_gpu_layers = gpu_layers;
    *model = load(model_path, mp);
    if (!*model) { fprintf(stderr, "cannot load %s\n", model_path); exit(4); }
    return c;
}

#endif
