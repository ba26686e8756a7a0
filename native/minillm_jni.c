/*
 * minillm's JNI library over llama.cpp's C API (class dev.minillm.nativelib.MinillmJni).
 *
 * The interface is shaped for the benchmark harness, not for llama.cpp: handles are jlongs, every
 * call is coarse (a whole prompt, a whole timed generation), and llama.cpp's structs never cross
 * into Java, so the Java side does not depend on one llama.cpp struct layout. Where llama.cpp's
 * API differs between releases the difference is settled here at compile time (MINILLM_HAS_*,
 * probed by CMake). MINILLM_ABI is bumped whenever a native signature or an array layout changes;
 * the Java side refuses a library whose version differs.
 */
#include <jni.h>
#include <llama.h>
#include <ggml-backend.h>

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MINILLM_ABI 4

#define JNI_FN(ret, name) JNIEXPORT ret JNICALL Java_dev_minillm_nativelib_MinillmJni_##name

/* ---- logging: silent unless verbose, the last error/warning line kept for error messages ---- */

static int g_verbose = 0;
static char g_last_error[512];

static void log_cb(enum ggml_log_level level, const char *text, void *user) {
    (void) user;
    if (g_verbose) {
        fputs(text, stderr);
    }
    if ((level == GGML_LOG_LEVEL_ERROR || level == GGML_LOG_LEVEL_WARN) && text != NULL) {
        size_t n = strlen(text);
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
            n--;
        }
        if (n > 0) {
            if (n >= sizeof g_last_error) {
                n = sizeof g_last_error - 1;
            }
            memcpy(g_last_error, text, n);
            g_last_error[n] = 0;
        }
    }
}

static jlong now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (jlong) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static jstring jstr(JNIEnv *env, const char *s) {
    return s != NULL ? (*env)->NewStringUTF(env, s) : NULL;
}

/* ---- library and build facts ---- */

JNI_FN(jint, abiVersion)(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return MINILLM_ABI;
}

JNI_FN(void, init)(JNIEnv *env, jclass cls, jboolean verbose) {
    (void) env; (void) cls;
    g_verbose = verbose;
    llama_log_set(log_cb, NULL);
#ifdef MINILLM_BACKEND_DL
    /* Backends are separate libraries beside this one; load the best CPU variant and any GPU ones. */
    Dl_info info;
    if (dladdr((void *) &log_cb, &info) && info.dli_fname != NULL) {
        char dir[4096];
        strncpy(dir, info.dli_fname, sizeof dir - 1);
        dir[sizeof dir - 1] = 0;
        char *slash = strrchr(dir, '/');
        if (slash != NULL) {
            *slash = 0;
            ggml_backend_load_all_from_path(dir);
        }
    }
#endif
    llama_backend_init();
}

JNI_FN(void, setVerbose)(JNIEnv *env, jclass cls, jboolean verbose) {
    (void) env; (void) cls;
    g_verbose = verbose;
}

JNI_FN(jstring, lastLogError)(JNIEnv *env, jclass cls) {
    (void) cls;
    return jstr(env, g_last_error[0] ? g_last_error : NULL);
}

/* {tag, commit, variant, llama_version() or "", system info} */
JNI_FN(jobjectArray, buildInfo)(JNIEnv *env, jclass cls) {
    (void) cls;
    const char *version = "";
#ifdef MINILLM_HAS_LLAMA_VERSION
    version = llama_version();
#endif
    const char *items[5] = {MINILLM_LLAMA_TAG, MINILLM_LLAMA_COMMIT, MINILLM_VARIANT, version, llama_print_system_info()};
    jobjectArray out = (*env)->NewObjectArray(env, 5, (*env)->FindClass(env, "java/lang/String"), NULL);
    for (int i = 0; i < 5; i++) {
        (*env)->SetObjectArrayElement(env, out, i, jstr(env, items[i] ? items[i] : ""));
    }
    return out;
}

/* One line per backend device: name \t type(cpu|gpu|igpu|accel) \t description \t free \t total \t backend */
JNI_FN(jobjectArray, devices)(JNIEnv *env, jclass cls) {
    (void) cls;
    size_t n = ggml_backend_dev_count();
    jobjectArray out = (*env)->NewObjectArray(env, (jsize) n, (*env)->FindClass(env, "java/lang/String"), NULL);
    for (size_t i = 0; i < n; i++) {
        ggml_backend_dev_t dev = ggml_backend_dev_get(i);
        size_t free_b = 0, total_b = 0;
        ggml_backend_dev_memory(dev, &free_b, &total_b);
        const char *type;
        switch (ggml_backend_dev_type(dev)) {
            case GGML_BACKEND_DEVICE_TYPE_CPU: type = "cpu"; break;
            case GGML_BACKEND_DEVICE_TYPE_GPU: type = "gpu"; break;
#ifdef MINILLM_HAS_IGPU
            case GGML_BACKEND_DEVICE_TYPE_IGPU: type = "igpu"; break;
#endif
            default: type = "accel"; break;
        }
        ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
        char line[1024];
        snprintf(line, sizeof line, "%s\t%s\t%s\t%zu\t%zu\t%s", ggml_backend_dev_name(dev), type,
                 ggml_backend_dev_description(dev), free_b, total_b, reg ? ggml_backend_reg_name(reg) : "");
        (*env)->SetObjectArrayElement(env, out, (jsize) i, jstr(env, line));
    }
    return out;
}

/* Names of the ggml backends registered (compiled in, or loaded when built as loadable modules). */
JNI_FN(jobjectArray, backends)(JNIEnv *env, jclass cls) {
    (void) cls;
    size_t n = ggml_backend_reg_count();
    jobjectArray out = (*env)->NewObjectArray(env, (jsize) n, (*env)->FindClass(env, "java/lang/String"), NULL);
    for (size_t i = 0; i < n; i++) {
        (*env)->SetObjectArrayElement(env, out, (jsize) i, jstr(env, ggml_backend_reg_name(ggml_backend_reg_get(i))));
    }
    return out;
}

JNI_FN(jboolean, supportsGpuOffload)(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return llama_supports_gpu_offload();
}

/* ---- model ---- */

/* devices: comma-separated ggml device names to offload to; NULL: llama.cpp's choice; empty: none (CPU only). */
JNI_FN(jlong, loadModel)(JNIEnv *env, jclass cls, jstring jpath, jint n_gpu_layers, jboolean use_mmap,
                  jboolean use_mlock, jstring jdevices) {
    (void) cls;
    struct llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = n_gpu_layers;
#ifdef MINILLM_HAS_LOAD_MODE
    mp.load_mode = use_mmap ? (use_mlock ? LLAMA_LOAD_MODE_MMAP_MLOCK : LLAMA_LOAD_MODE_MMAP)
                            : (use_mlock ? LLAMA_LOAD_MODE_MLOCK : LLAMA_LOAD_MODE_NONE);
#else
    mp.use_mmap = use_mmap;
    mp.use_mlock = use_mlock;
#endif
    ggml_backend_dev_t devs[64];
    char names[2048];
    if (jdevices != NULL) {
        const char *d = (*env)->GetStringUTFChars(env, jdevices, NULL);
        strncpy(names, d, sizeof names - 1);
        names[sizeof names - 1] = 0;
        (*env)->ReleaseStringUTFChars(env, jdevices, d);
        int n = 0;
        for (char *tok = strtok(names, ","); tok != NULL && n < 63; tok = strtok(NULL, ",")) {
            ggml_backend_dev_t dev = ggml_backend_dev_by_name(tok);
            if (dev == NULL) {
                snprintf(g_last_error, sizeof g_last_error, "no backend device named '%s'", tok);
                return 0;
            }
            devs[n++] = dev;
        }
        devs[n] = NULL;
        mp.devices = devs; /* "" : no device but the CPU (llama.cpp then offloads nothing, not even prompt batches) */
    }
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    g_last_error[0] = 0;
    struct llama_model *model = llama_model_load_from_file(path, mp);
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return (jlong) (intptr_t) model;
}

JNI_FN(void, freeModel)(JNIEnv *env, jclass cls, jlong model) {
    (void) env; (void) cls;
    if (model) {
        llama_model_free((struct llama_model *) (intptr_t) model);
    }
}

/* {n_params, size bytes, n_layer, n_embd, n_ctx_train, n_vocab, n_head, n_head_kv} */
JNI_FN(jlongArray, modelFacts)(JNIEnv *env, jclass cls, jlong jmodel) {
    (void) cls;
    const struct llama_model *m = (const struct llama_model *) (intptr_t) jmodel;
    jlong v[8] = {(jlong) llama_model_n_params(m), (jlong) llama_model_size(m), llama_model_n_layer(m),
                  llama_model_n_embd(m), llama_model_n_ctx_train(m),
                  llama_vocab_n_tokens(llama_model_get_vocab(m)), llama_model_n_head(m), llama_model_n_head_kv(m)};
    jlongArray out = (*env)->NewLongArray(env, 8);
    (*env)->SetLongArrayRegion(env, out, 0, 8, v);
    return out;
}

JNI_FN(jstring, modelDescription)(JNIEnv *env, jclass cls, jlong model) {
    (void) cls;
    char buf[256];
    int n = llama_model_desc((const struct llama_model *) (intptr_t) model, buf, sizeof buf);
    return jstr(env, n >= 0 ? buf : "");
}

JNI_FN(jstring, chatTemplate)(JNIEnv *env, jclass cls, jlong model) {
    (void) cls;
    return jstr(env, llama_model_chat_template((const struct llama_model *) (intptr_t) model, NULL));
}

JNI_FN(jstring, modelMeta)(JNIEnv *env, jclass cls, jlong model, jstring jkey) {
    (void) cls;
    const char *key = (*env)->GetStringUTFChars(env, jkey, NULL);
    char buf[1024];
    int n = llama_model_meta_val_str((const struct llama_model *) (intptr_t) model, key, buf, sizeof buf);
    (*env)->ReleaseStringUTFChars(env, jkey, key);
    return n >= 0 ? jstr(env, buf) : NULL;
}

static const struct llama_vocab *vocab_of(jlong model) {
    return llama_model_get_vocab((const struct llama_model *) (intptr_t) model);
}

JNI_FN(jintArray, tokenize)(JNIEnv *env, jclass cls, jlong model, jbyteArray jtext, jboolean add_special, jboolean parse_special) {
    (void) cls;
    jsize len = (*env)->GetArrayLength(env, jtext);
    jbyte *text = (*env)->GetByteArrayElements(env, jtext, NULL);
    int cap = len + 8;
    llama_token *tokens = malloc(sizeof(llama_token) * (size_t) cap);
    int n = llama_tokenize(vocab_of(model), (const char *) text, len, tokens, cap, add_special, parse_special);
    if (n < 0) {
        cap = -n;
        tokens = realloc(tokens, sizeof(llama_token) * (size_t) cap);
        n = llama_tokenize(vocab_of(model), (const char *) text, len, tokens, cap, add_special, parse_special);
    }
    (*env)->ReleaseByteArrayElements(env, jtext, text, JNI_ABORT);
    if (n < 0) {
        n = 0;
    }
    jintArray out = (*env)->NewIntArray(env, n);
    (*env)->SetIntArrayRegion(env, out, 0, n, (const jint *) tokens);
    free(tokens);
    return out;
}

/* UTF-8 bytes of the tokens' pieces, concatenated (a piece may be part of a multi-byte character). */
JNI_FN(jbyteArray, detokenize)(JNIEnv *env, jclass cls, jlong model, jintArray jtokens, jboolean special) {
    (void) cls;
    jsize n = (*env)->GetArrayLength(env, jtokens);
    jint *tokens = (*env)->GetIntArrayElements(env, jtokens, NULL);
    size_t cap = 64 + (size_t) n * 16, len = 0;
    char *out = malloc(cap);
    for (jsize i = 0; i < n; i++) {
        char piece[256];
        char *p = piece;
        int k = llama_token_to_piece(vocab_of(model), tokens[i], piece, sizeof piece, 0, special);
        if (k < 0) { /* a piece longer than the buffer: -k bytes are needed */
            p = malloc((size_t) -k);
            k = llama_token_to_piece(vocab_of(model), tokens[i], p, -k, 0, special);
        }
        if (k > 0) {
            if (len + (size_t) k > cap) {
                cap = (len + (size_t) k) * 2;
                out = realloc(out, cap);
            }
            memcpy(out + len, p, (size_t) k);
            len += (size_t) k;
        }
        if (p != piece) {
            free(p);
        }
    }
    (*env)->ReleaseIntArrayElements(env, jtokens, tokens, JNI_ABORT);
    jbyteArray res = (*env)->NewByteArray(env, (jsize) len);
    (*env)->SetByteArrayRegion(env, res, 0, (jsize) len, (const jbyte *) out);
    free(out);
    return res;
}

JNI_FN(jboolean, isEndOfGeneration)(JNIEnv *env, jclass cls, jlong model, jint token) {
    (void) env; (void) cls;
    return llama_vocab_is_eog(vocab_of(model), token);
}

/* ---- context ---- */

typedef struct {
    struct llama_context *ctx;
    struct llama_batch batch;
    int capacity;
    int n_vocab;
} session;

/* flash_attn: -1 auto, 0 off, 1 on. type_k/type_v: ggml_type ids (-1: llama.cpp's default). */
JNI_FN(jlong, newContext)(JNIEnv *env, jclass cls, jlong jmodel, jint n_ctx, jint n_batch, jint n_ubatch, jint threads,
                   jint threads_batch, jint type_k, jint type_v, jint flash_attn, jint n_seq_max) {
    (void) env; (void) cls;
    struct llama_model *model = (struct llama_model *) (intptr_t) jmodel;
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t) n_ctx;
    cp.n_batch = (uint32_t) n_batch;
    cp.n_ubatch = (uint32_t) n_ubatch;
    cp.n_threads = threads;
    cp.n_threads_batch = threads_batch;
    cp.no_perf = false;
    cp.n_seq_max = (uint32_t) (n_seq_max > 0 ? n_seq_max : 1);
#ifdef MINILLM_HAS_KV_UNIFIED
    /*
     * One cache of n_ctx cells shared by all sequences (branches share their prefix's cells), only
     * when there are several: with a unified cache llama_decode checks every batch against all
     * LLAMA_MAX_SEQ (256) sequences, a 256 x 256 loop that took ~0.1 ms per call on a 0.3 ms/token
     * model, before llama.cpp's own eval timer starts. One sequence needs no sharing.
     */
    cp.kv_unified = cp.n_seq_max > 1;
#endif
    if (type_k >= 0) {
        cp.type_k = (enum ggml_type) type_k;
    }
    if (type_v >= 0) {
        cp.type_v = (enum ggml_type) type_v;
    }
#ifdef MINILLM_HAS_FLASH_ATTN_TYPE
    cp.flash_attn_type = flash_attn < 0 ? LLAMA_FLASH_ATTN_TYPE_AUTO
                                        : (flash_attn ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED);
#else
    cp.flash_attn = flash_attn > 0;
#endif
    g_last_error[0] = 0;
    struct llama_context *ctx = llama_init_from_model(model, cp);
    if (ctx == NULL) {
        return 0;
    }
    session *s = calloc(1, sizeof *s);
    s->ctx = ctx;
    s->capacity = (int) llama_n_batch(ctx);
    s->batch = llama_batch_init(s->capacity, 0, 1);
    s->n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (int i = 0; i < s->capacity; i++) {
        s->batch.n_seq_id[i] = 1;
        s->batch.seq_id[i][0] = 0;
    }
    return (jlong) (intptr_t) s;
}

#define SESSION(h) ((session *) (intptr_t) (h))

JNI_FN(void, freeContext)(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    session *s = SESSION(h);
    if (s != NULL) {
        llama_batch_free(s->batch);
        llama_free(s->ctx);
        free(s);
    }
}

/* {n_ctx, n_batch, n_ubatch, n_threads} */
JNI_FN(jintArray, contextFacts)(JNIEnv *env, jclass cls, jlong h) {
    (void) cls;
    struct llama_context *ctx = SESSION(h)->ctx;
    jint v[4] = {(jint) llama_n_ctx(ctx), (jint) llama_n_batch(ctx), (jint) llama_n_ubatch(ctx), llama_n_threads(ctx)};
    jintArray out = (*env)->NewIntArray(env, 4);
    (*env)->SetIntArrayRegion(env, out, 0, 4, v);
    return out;
}

static void memory_clear(struct llama_context *ctx) {
#ifdef MINILLM_HAS_MEMORY_API
    llama_memory_clear(llama_get_memory(ctx), true);
#else
    llama_kv_self_clear(ctx);
#endif
}

JNI_FN(void, clearCache)(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    memory_clear(SESSION(h)->ctx);
}

/* Waits for the work queued on the context (a GPU backend decodes asynchronously). */
JNI_FN(void, synchronize)(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    llama_synchronize(SESSION(h)->ctx);
}

/* llama.cpp's serialised size of what the KV cache holds for one sequence. */
JNI_FN(jlong, sequenceStateBytes)(JNIEnv *env, jclass cls, jlong h, jint seq) {
    (void) env; (void) cls;
    return (jlong) llama_state_seq_get_size(SESSION(h)->ctx, seq);
}

/* Drops the cached positions [p0, p1) of sequence 0 (p1 < 0: to the end). */
JNI_FN(jboolean, trimCache)(JNIEnv *env, jclass cls, jlong h, jint p0, jint p1) {
    (void) env; (void) cls;
#ifdef MINILLM_HAS_MEMORY_API
    return llama_memory_seq_rm(llama_get_memory(SESSION(h)->ctx), 0, p0, p1);
#else
    return llama_kv_self_seq_rm(SESSION(h)->ctx, 0, p0, p1);
#endif
}

/* Adds sequence dst to the cells of src in [p0, p1) (negative: open end); no data is copied. */
JNI_FN(void, copySequence)(JNIEnv *env, jclass cls, jlong h, jint src, jint dst, jint p0, jint p1) {
    (void) env; (void) cls;
#ifdef MINILLM_HAS_MEMORY_API
    llama_memory_seq_cp(llama_get_memory(SESSION(h)->ctx), src, dst, p0, p1);
#else
    llama_kv_self_seq_cp(SESSION(h)->ctx, src, dst, p0, p1);
#endif
}

static int decode_n(session *s, int n) {
    s->batch.n_tokens = n;
    return llama_decode(s->ctx, s->batch);
}

/*
 * Runs tokens at positions start_pos.. in chunks of the batch size. want_logits (may be NULL:
 * only the very last token) says which positions keep logits; readable with logits() for the
 * last chunk. Returns llama_decode's code (0 = ok).
 */
JNI_FN(jint, forward)(JNIEnv *env, jclass cls, jlong h, jintArray jtokens, jint start_pos, jbooleanArray jwant) {
    (void) cls;
    session *s = SESSION(h);
    jsize n = (*env)->GetArrayLength(env, jtokens);
    jint *tokens = (*env)->GetIntArrayElements(env, jtokens, NULL);
    jboolean *want = jwant != NULL ? (*env)->GetBooleanArrayElements(env, jwant, NULL) : NULL;
    int rc = 0;
    for (int done = 0; done < n && rc == 0;) {
        int k = n - done < s->capacity ? n - done : s->capacity;
        for (int i = 0; i < k; i++) {
            int idx = done + i;
            s->batch.token[i] = tokens[idx];
            s->batch.pos[i] = start_pos + idx;
            s->batch.logits[i] = want != NULL ? want[idx] : (idx == n - 1);
        }
        rc = decode_n(s, k);
        done += k;
    }
    if (want != NULL) {
        (*env)->ReleaseBooleanArrayElements(env, jwant, want, JNI_ABORT);
    }
    (*env)->ReleaseIntArrayElements(env, jtokens, tokens, JNI_ABORT);
    return rc;
}

/*
 * One batch of at most n_batch tokens with explicit positions and sequence ids; want says which
 * keep logits. Returns llama_decode's code, or -100 when the batch is too large.
 */
JNI_FN(jint, decodeBatch)(JNIEnv *env, jclass cls, jlong h, jintArray jtokens, jintArray jpos, jintArray jseq,
                          jbooleanArray jwant) {
    (void) cls;
    session *s = SESSION(h);
    jsize n = (*env)->GetArrayLength(env, jtokens);
    if (n > s->capacity) {
        return -100;
    }
    jint *tokens = (*env)->GetIntArrayElements(env, jtokens, NULL);
    jint *pos = (*env)->GetIntArrayElements(env, jpos, NULL);
    jint *seq = (*env)->GetIntArrayElements(env, jseq, NULL);
    jboolean *want = (*env)->GetBooleanArrayElements(env, jwant, NULL);
    for (int i = 0; i < n; i++) {
        s->batch.token[i] = tokens[i];
        s->batch.pos[i] = pos[i];
        s->batch.seq_id[i][0] = seq[i];
        s->batch.logits[i] = want[i];
    }
    int rc = decode_n(s, n);
    for (int i = 0; i < n; i++) {
        s->batch.seq_id[i][0] = 0; /* everything else assumes sequence 0 */
    }
    (*env)->ReleaseBooleanArrayElements(env, jwant, want, JNI_ABORT);
    (*env)->ReleaseIntArrayElements(env, jseq, seq, JNI_ABORT);
    (*env)->ReleaseIntArrayElements(env, jpos, pos, JNI_ABORT);
    (*env)->ReleaseIntArrayElements(env, jtokens, tokens, JNI_ABORT);
    return rc;
}

/* Logits of the i-th token of the last forward chunk (-1: the last one), or NULL. */
JNI_FN(jfloatArray, logits)(JNIEnv *env, jclass cls, jlong h, jint i) {
    (void) cls;
    session *s = SESSION(h);
    float *p = llama_get_logits_ith(s->ctx, i);
    if (p == NULL) {
        return NULL;
    }
    jfloatArray out = (*env)->NewFloatArray(env, s->n_vocab);
    (*env)->SetFloatArrayRegion(env, out, 0, s->n_vocab, p);
    return out;
}

/*
 * The greedy token: the first index of the largest logit, as llama.cpp's greedy sampler picks it,
 * without the n_vocab candidate array llama_sampler_sample builds first (~3 us a token at a
 * 512-token vocabulary, 1 % of a small model's decode).
 */
static int greedy_pick(const float *p, int n_vocab) {
    int best = 0;
    float best_logit = p[0];
    for (int t = 1; t < n_vocab; t++) {
        if (p[t] > best_logit) {
            best_logit = p[t];
            best = t;
        }
    }
    return best;
}

/* Greedy token (argmax) at each of the given batch indexes of the last forward chunk. */
JNI_FN(jintArray, argmaxAt)(JNIEnv *env, jclass cls, jlong h, jintArray jidx) {
    (void) cls;
    session *s = SESSION(h);
    jsize n = (*env)->GetArrayLength(env, jidx);
    jint *idx = (*env)->GetIntArrayElements(env, jidx, NULL);
    jint *best = malloc(sizeof(jint) * (size_t) (n > 0 ? n : 1));
    for (jsize j = 0; j < n; j++) {
        float *p = llama_get_logits_ith(s->ctx, idx[j]);
        best[j] = p != NULL ? greedy_pick(p, s->n_vocab) : -1;
    }
    (*env)->ReleaseIntArrayElements(env, jidx, idx, JNI_ABORT);
    jintArray out = (*env)->NewIntArray(env, n);
    (*env)->SetIntArrayRegion(env, out, 0, n, best);
    free(best);
    return out;
}

/*
 * The timed greedy loop: clears the cache, processes the prompt, then picks and decodes one token
 * at a time. Per token it takes three monotonic timestamps: before llama_decode, after
 * llama_synchronize (logits ready: the span llama.cpp's eval counter covers, plus its batch checks
 * before that counter starts) and after the greedy pick. Nothing crosses into Java until the end,
 * so the harness adds no per-token cost.
 *
 * Returns long[GEN_HEADER + 2 * n_predict]:
 *   [0] llama_decode's code (0 ok)   [1] tokens produced
 *   [2] prompt done (ns after start)
 *   [3] sum over the tokens after the first of llama_decode + llama_synchronize (ns)
 *   [4] sum over the tokens after the first of the greedy pick (ns)
 *   [GEN_HEADER + i]             time the i-th token was picked (ns after start; i = 0 is the first token)
 *   [GEN_HEADER + n_predict + i] the i-th token id
 */
#define GEN_HEADER 5

JNI_FN(jlongArray, generateGreedy)(JNIEnv *env, jclass cls, jlong h, jintArray jprompt, jint n_predict, jboolean ignore_eos) {
    (void) cls;
    session *s = SESSION(h);
    const struct llama_vocab *vocab = llama_model_get_vocab(llama_get_model(s->ctx));
    jsize n_prompt = (*env)->GetArrayLength(env, jprompt);
    jint *prompt = (*env)->GetIntArrayElements(env, jprompt, NULL);
    jlong *res = calloc((size_t) (GEN_HEADER + 2 * n_predict), sizeof(jlong));
    jlong *picked_at = res + GEN_HEADER;
    jlong *ids = res + GEN_HEADER + n_predict;
    memory_clear(s->ctx);

    jlong t0 = now_ns();
    int rc = 0;
    for (int done = 0; done < n_prompt && rc == 0;) {
        int k = n_prompt - done < s->capacity ? n_prompt - done : s->capacity;
        for (int i = 0; i < k; i++) {
            s->batch.token[i] = prompt[done + i];
            s->batch.pos[i] = done + i;
            s->batch.logits[i] = (done + i == n_prompt - 1);
        }
        rc = decode_n(s, k);
        done += k;
    }
    (*env)->ReleaseIntArrayElements(env, jprompt, prompt, JNI_ABORT);
    int produced = 0;
    jlong decode_ns = 0, pick_ns = 0;
    if (rc == 0) {
        llama_synchronize(s->ctx);
        res[2] = now_ns() - t0;
        llama_token token = greedy_pick(llama_get_logits_ith(s->ctx, -1), s->n_vocab);
        picked_at[0] = now_ns() - t0;
        ids[0] = token;
        produced = 1;
        int pos = n_prompt;
        s->batch.logits[0] = 1;
        while (produced < n_predict && (ignore_eos || !llama_vocab_is_eog(vocab, token))) {
            s->batch.token[0] = token;
            s->batch.pos[0] = pos++;
            jlong t_start = now_ns();
            rc = decode_n(s, 1);
            if (rc != 0) {
                break;
            }
            llama_synchronize(s->ctx);
            jlong t_ready = now_ns();
            token = greedy_pick(llama_get_logits_ith(s->ctx, -1), s->n_vocab);
            jlong t_picked = now_ns();
            decode_ns += t_ready - t_start;
            pick_ns += t_picked - t_ready;
            picked_at[produced] = t_picked - t0;
            ids[produced] = token;
            produced++;
        }
    }
    res[0] = rc;
    res[1] = produced;
    res[3] = decode_ns;
    res[4] = pick_ns;
    jlongArray out = (*env)->NewLongArray(env, GEN_HEADER + 2 * n_predict);
    (*env)->SetLongArrayRegion(env, out, 0, GEN_HEADER + 2 * n_predict, res);
    free(res);
    return out;
}

/* llama.cpp's own counters: {t_load_ms, t_p_eval_ms, n_p_eval, t_eval_ms, n_eval} */
JNI_FN(jdoubleArray, perf)(JNIEnv *env, jclass cls, jlong h) {
    (void) cls;
    struct llama_perf_context_data p = llama_perf_context(SESSION(h)->ctx);
    jdouble v[5] = {p.t_load_ms, p.t_p_eval_ms, p.n_p_eval, p.t_eval_ms, p.n_eval};
    jdoubleArray out = (*env)->NewDoubleArray(env, 5);
    (*env)->SetDoubleArrayRegion(env, out, 0, 5, v);
    return out;
}

JNI_FN(void, perfReset)(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    llama_perf_context_reset(SESSION(h)->ctx);
}

/* ---- quantization ---- */

/* llama_model_quantize with llama.cpp's default policy for ftype (a llama_ftype id); 0 = ok. */
JNI_FN(jint, quantize)(JNIEnv *env, jclass cls, jstring jin, jstring jout, jint ftype, jint threads) {
    (void) cls;
    struct llama_model_quantize_params qp = llama_model_quantize_default_params();
    qp.ftype = (enum llama_ftype) ftype;
    qp.nthread = threads;
    const char *in = (*env)->GetStringUTFChars(env, jin, NULL);
    const char *out = (*env)->GetStringUTFChars(env, jout, NULL);
    g_last_error[0] = 0;
    uint32_t rc = llama_model_quantize(in, out, &qp);
    (*env)->ReleaseStringUTFChars(env, jin, in);
    (*env)->ReleaseStringUTFChars(env, jout, out);
    return (jint) rc;
}

/* ---- GPU facts ---- */

/* The llama_context of a session, for native/minillm_gpu.cpp (its memory breakdown per device). */
JNI_FN(jlong, llamaContext)(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    return (jlong) (intptr_t) SESSION(h)->ctx;
}
