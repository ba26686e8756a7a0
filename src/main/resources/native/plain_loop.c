/*
 * The plain C reference loop for minillm's overhead benchmark ("minillm calibrate").
 * It drives the same libjllama (llama.cpp b4916) through the C API with the same algorithm as
 * the Java decode loop: one batch, greedy sampling, first token excluded from decode speed.
 * Declarations are written here by hand (the library ships no header); struct layouts are the
 * ones minillm verifies at start-up.
 *
 * usage: plain_loop LIB MODEL THREADS CTX BATCH GPU_LAYERS N_PREDICT REPS WARMUP PROMPT
 * prints one line per measured repetition: "rep prompt_tokens prompt_tps decode_tokens decode_tps"
 */
#include <string.h>

#include "b4916_api.h"

static double now_s(void) {
    return now_ns() * 1e-9;
}


int main(int argc, char **argv) {
    if (argc != 11) { fprintf(stderr, "usage: %s LIB MODEL THREADS CTX BATCH GPU_LAYERS N_PREDICT REPS WARMUP PROMPT\n", argv[0]); return 2; }
    int threads = atoi(argv[3]), n_ctx = atoi(argv[4]), n_batch = atoi(argv[5]), gpu_layers = atoi(argv[6]);
    int n_predict = atoi(argv[7]), reps = atoi(argv[8]), warmup = atoi(argv[9]);
    const char *prompt = argv[10];

    void *model;
    struct b4916_calls api = open_b4916(argv[1], argv[2], gpu_layers, &model);
    int32_t (*tokenize)(void *, const char *, int32_t, int32_t *, int32_t, bool, bool) = sym("llama_tokenize");
    struct batch (*batch_init)(int32_t, int32_t, int32_t) = sym("llama_batch_init");
    int32_t (*decode)(void *, struct batch) = sym("llama_decode");
    void (*synchronize)(void *) = sym("llama_synchronize");
    void *(*greedy)(void) = sym("llama_sampler_init_greedy");
    int32_t (*sample)(void *, void *, int32_t) = sym("llama_sampler_sample");
    void (*sampler_reset)(void *) = sym("llama_sampler_reset");

    struct context_params cp = api.ctx_defaults();
    cp.n_ctx = n_ctx; cp.n_batch = n_batch; cp.n_ubatch = n_batch < 512 ? n_batch : 512;
    cp.n_threads = threads; cp.n_threads_batch = threads; cp.no_perf = false;
    void *ctx = api.init_ctx(model, cp);
    if (!ctx) { fprintf(stderr, "cannot create context\n"); return 4; }
    void *vocab = api.get_vocab(model);
    int32_t toks[8192];
    int32_t n_prompt = tokenize(vocab, prompt, (int32_t) strlen(prompt), toks, 8192, true, false);
    if (n_prompt <= 0 || n_prompt > n_batch) { fprintf(stderr, "prompt must be 1..%d tokens\n", n_batch); return 2; }
    struct batch b = batch_init(n_batch, 0, 1);
    for (int i = 0; i < n_batch; i++) { b.n_seq_id[i] = 1; b.seq_id[i][0] = 0; }
    void *smpl = greedy();

    for (int r = 0; r < warmup + reps; r++) {
        api.kv_clear(ctx);
        sampler_reset(smpl);
        for (int i = 0; i < n_prompt; i++) { b.token[i] = toks[i]; b.pos[i] = i; b.logits[i] = i == n_prompt - 1; }
        b.n_tokens = n_prompt;
        double t0 = now_s();
        if (decode(ctx, b) != 0) { fprintf(stderr, "decode failed\n"); return 5; }
        synchronize(ctx);
        double t_prompt = now_s();
        int32_t tok = sample(smpl, ctx, -1);
        double t_prev = now_s();
        double decode_time = 0;
        int pos = n_prompt;
        b.logits[0] = 1;
        for (int i = 1; i < n_predict; i++) {
            b.token[0] = tok; b.pos[0] = pos++; b.n_tokens = 1;
            if (decode(ctx, b) != 0) { fprintf(stderr, "decode failed\n"); return 5; }
            tok = sample(smpl, ctx, -1);
            double t = now_s();
            decode_time += t - t_prev;
            t_prev = t;
        }
        if (r >= warmup) {
            printf("%d %d %.3f %d %.3f\n", r - warmup + 1, n_prompt, n_prompt / (t_prompt - t0),
                   n_predict - 1, (n_predict - 1) / decode_time);
            fflush(stdout);
        }
    }
    return 0;
}
