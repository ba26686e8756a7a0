/*
 * llama-bench's test, as a plain C program over the same libjllama (llama.cpp b4916), for
 * "minillm calibrate --llama-bench": the yardstick minillm's pp/tg figures are compared with.
 * It does what llama-bench's test_prompt / test_gen do: a context of exactly n_prompt + n_gen +
 * n_depth tokens, random tokens (BOS first when the vocabulary adds one), prompts in batches of
 * n_batch through llama_batch_get_one, generation one token per llama_decode, llama_synchronize
 * after each step, one warmup run, then REPS timed runs from an empty KV cache (filled to n_depth
 * untimed first). Declarations are written by hand (the library ships no header); the struct
 * layouts are the ones minillm verifies at start-up.
 *
 * usage: llama_bench_loop LIB MODEL THREADS BATCH UBATCH TYPE_K TYPE_V FLASH_ATTN N_PROMPT N_GEN N_DEPTH REPS
 * prints one line per timed run: "rep tokens seconds tok_per_s"
 */

#include "b4916_api.h"


static int32_t (*decode)(void *, struct batch);
static struct batch (*batch_get_one)(int32_t *, int32_t);
static void (*synchronize)(void *);
static bool (*get_add_bos)(const void *);
static int32_t (*vocab_bos)(const void *);
static int32_t (*vocab_n_tokens)(const void *);

static void test_prompt(void *ctx, const void *vocab, int n_prompt, int n_batch) {
    const int32_t n_vocab = vocab_n_tokens(vocab);
    int32_t *tokens = malloc(sizeof(int32_t) * n_batch);
    int n_processed = 0;
    while (n_processed < n_prompt) {
        int n_tokens = n_prompt - n_processed < n_batch ? n_prompt - n_processed : n_batch;
        tokens[0] = n_processed == 0 && get_add_bos(vocab) ? vocab_bos(vocab) : rand() % n_vocab;
        for (int i = 1; i < n_tokens; i++) { tokens[i] = rand() % n_vocab; }
        if (decode(ctx, batch_get_one(tokens, n_tokens)) != 0) { fprintf(stderr, "decode failed\n"); exit(5); }
        n_processed += n_tokens;
    }
    synchronize(ctx);
    free(tokens);
}

static void test_gen(void *ctx, const void *vocab, int n_gen) {
    const int32_t n_vocab = vocab_n_tokens(vocab);
    int32_t token = get_add_bos(vocab) ? vocab_bos(vocab) : rand() % n_vocab;
    for (int i = 0; i < n_gen; i++) {
        if (decode(ctx, batch_get_one(&token, 1)) != 0) { fprintf(stderr, "decode failed\n"); exit(5); }
        synchronize(ctx);
        token = rand() % n_vocab;
    }
}

int main(int argc, char **argv) {
    if (argc != 13) {
        fprintf(stderr, "usage: %s LIB MODEL THREADS BATCH UBATCH TYPE_K TYPE_V FLASH_ATTN N_PROMPT N_GEN N_DEPTH REPS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[3]), n_batch = atoi(argv[4]), n_ubatch = atoi(argv[5]);
    int type_k = atoi(argv[6]), type_v = atoi(argv[7]), flash_attn = atoi(argv[8]);
    int n_prompt = atoi(argv[9]), n_gen = atoi(argv[10]), n_depth = atoi(argv[11]), reps = atoi(argv[12]);

    void *model;
    struct b4916_calls api = open_b4916(argv[1], argv[2], 0, &model);
    decode = sym("llama_decode");
    batch_get_one = sym("llama_batch_get_one");
    synchronize = sym("llama_synchronize");
    get_add_bos = sym("llama_vocab_get_add_bos");
    vocab_bos = sym("llama_vocab_bos");
    vocab_n_tokens = sym("llama_vocab_n_tokens");

    struct context_params cp = api.ctx_defaults();
    cp.n_ctx = n_prompt + n_gen + n_depth; cp.n_batch = n_batch; cp.n_ubatch = n_ubatch;
    cp.n_threads = threads; cp.n_threads_batch = threads;
    cp.type_k = type_k; cp.type_v = type_v; cp.flash_attn = flash_attn != 0;
    void *ctx = api.init_ctx(model, cp);
    if (!ctx) { fprintf(stderr, "cannot create context\n"); return 4; }
    const void *vocab = api.get_vocab(model);

    /* llama-bench's warmup run */
    if (n_prompt > 0) { test_prompt(ctx, vocab, n_prompt, n_batch); }
    if (n_gen > 0) { test_gen(ctx, vocab, 1); }
    for (int r = 0; r < reps; r++) {
        api.kv_clear(ctx);
        if (n_depth > 0) { test_prompt(ctx, vocab, n_depth, n_batch); }
        uint64_t t0 = now_ns();
        if (n_prompt > 0) { test_prompt(ctx, vocab, n_prompt, n_batch); }
        if (n_gen > 0) { test_gen(ctx, vocab, n_gen); }
        double s = (now_ns() - t0) / 1e9;
        printf("%d %d %.9f %.3f\n", r + 1, n_prompt + n_gen, s, (n_prompt + n_gen) / s);
        fflush(stdout);
    }
    return 0;
}
