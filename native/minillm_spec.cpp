// llama.cpp's own speculative decoding (common/speculative.h, the "draft-simple" implementation of
// its common library) driven by one timed greedy loop, so minillm can report llama.cpp's figure
// beside the one of its own Java loop (engine/SpeculativeDecoder) on the same two contexts.
//
// Java class: dev.minillm.nativelib.MinillmJni (speculativeCommon).

#include <jni.h>

#include "common.h"
#include "llama.h"
#include "log.h"
#include "speculative.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <exception>
#include <string>
#include <vector>

// The llama_context of a minillm_jni.c session handle.
extern "C" llama_context * minillm_session_ctx(jlong handle);

namespace {

jlong now_ns() {
    return (jlong) std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now().time_since_epoch()).count();
}

int argmax(llama_context * ctx, int i, int n_vocab) {
    const float * p = llama_get_logits_ith(ctx, i);
    if (p == nullptr) {
        return -1;
    }
    int best = 0;
    for (int t = 1; t < n_vocab; t++) {
        if (p[t] > p[best]) {
            best = t;
        }
    }
    return best;
}

void seq_rm(llama_context * ctx, llama_pos from) {
    llama_memory_seq_rm(llama_get_memory(ctx), 0, from, -1);
}

struct batch_holder {
    llama_batch b;
    explicit batch_holder(int n) : b(llama_batch_init(n, 0, 1)) {}
    ~batch_holder() { llama_batch_free(b); }
};

// Runs a batch on the target and hands it to the speculator (the draft model decodes it too).
// Returns the nanoseconds the speculator took.
jlong decode_both(llama_context * tgt, common_speculative * spec, const llama_batch & batch) {
    if (llama_decode(tgt, batch) != 0) {
        throw std::runtime_error("llama_decode failed on the target");
    }
    jlong a = now_ns();
    if (!common_speculative_process(spec, batch)) {
        throw std::runtime_error("llama.cpp's speculator failed to process a batch on the draft");
    }
    llama_synchronize(tgt);
    return now_ns() - a;
}

}  // namespace

/*
 * Greedy speculative generation of exactly n_predict tokens after the prompt, from empty caches,
 * with llama.cpp's own draft generator (common_speculative_draft, type draft-simple: the draft
 * model's top token, up to draft_max of them) and a greedy check on the target: the longest
 * prefix the target agrees with is kept plus the target's own token; both caches are cut back.
 * As in the project's own loop, no round proposes past the requested count.
 *
 * Returns long[8 + 3 * n_predict]:
 *   [0] tokens produced          [1] prompt done (ns after start, target's first token included)
 *   [2] total ns                 [3] draft ns (common_speculative_draft + the draft's catch-up)
 *   [4] verify ns (target batch, choice, cache cuts)  [5] rounds  [6] proposed  [7] accepted
 *   [8 + i] the i-th token id
 *   [8 + n_predict + r], [8 + 2 * n_predict + r]: tokens proposed and accepted in round r
 * Throws IllegalStateException with llama.cpp's reason when the speculator cannot run.
 */
extern "C" JNIEXPORT jlongArray JNICALL Java_dev_minillm_nativelib_MinillmJni_speculativeCommon(
        JNIEnv * env, jclass, jlong target, jlong draft, jintArray jprompt, jint n_predict, jint draft_max,
        jboolean verbose) {
    llama_context * tgt = minillm_session_ctx(target);
    llama_context * dft = minillm_session_ctx(draft);
    const jsize n_prompt = env->GetArrayLength(jprompt);
    std::vector<llama_token> prompt(n_prompt);
    env->GetIntArrayRegion(jprompt, 0, n_prompt, prompt.data());
    // common's logger prints to stdout/stderr on its own thread: only with --verbose.
    common_log_set_verbosity_thold(verbose ? LOG_LEVEL_INFO : -1);

    std::vector<jlong> res(8 + 3 * (size_t) (n_predict > 0 ? n_predict : 0), 0);
    try {
        if (n_prompt == 0 || n_predict < 1 || draft_max < 1) {
            throw std::runtime_error("empty prompt, nothing to generate or draft max < 1");
        }
        if (n_prompt + n_predict > (jint) llama_n_ctx(tgt) || n_prompt + n_predict > (jint) llama_n_ctx(dft)) {
            throw std::runtime_error("prompt + generated tokens do not fit the context");
        }
        if (common_context_can_seq_rm(tgt) != COMMON_CONTEXT_SEQ_RM_TYPE_PART
                || common_context_can_seq_rm(dft) != COMMON_CONTEXT_SEQ_RM_TYPE_PART) {
            throw std::runtime_error("the model's cache cannot drop rejected draft positions (a recurrent model needs "
                                     "llama.cpp's checkpoints, which this loop does not take)");
        }
        const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(llama_get_model(tgt)));
        const int n_batch = (int) llama_n_batch(tgt);
        if (draft_max + 1 > n_batch || draft_max + 1 > (int) llama_n_batch(dft)) {
            throw std::runtime_error("the batch size is smaller than draft max + 1");
        }

        common_params_speculative params;
        params.types = {COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE};
        params.draft.n_max = draft_max;
        params.draft.n_min = 0;
        params.draft.p_min = 0.0f;  // greedy: every top token is proposed
        params.draft.ctx_tgt = tgt;
        params.draft.ctx_dft = dft;
        common_speculative_ptr spec(common_speculative_init(params, 1));
        if (!spec) {
            throw std::runtime_error("common_speculative_init returned no speculator");
        }

        llama_memory_clear(llama_get_memory(tgt), true);
        llama_memory_clear(llama_get_memory(dft), true);
        batch_holder batch(n_batch);
        llama_tokens history(prompt.begin(), prompt.end());
        history.reserve((size_t) (n_prompt + n_predict));
        llama_tokens proposal;

        const jlong t0 = now_ns();
        jlong draft_ns = 0;
        for (int done = 0; done < n_prompt;) {
            const int k = std::min(n_prompt - done, n_batch);
            common_batch_clear(batch.b);
            for (int i = 0; i < k; i++) {
                common_batch_add(batch.b, prompt[done + i], done + i, {0}, done + i == n_prompt - 1);
            }
            draft_ns += decode_both(tgt, spec.get(), batch.b);
            done += k;
        }
        llama_token last = argmax(tgt, -1, n_vocab);
        int produced = 0;
        res[8 + produced++] = last;
        const jlong t_prompt = now_ns();
        draft_ns = 0;  // the prompt's draft decode counts as prompt time, as in the project's loop
        common_speculative_begin(spec.get(), 0, history);

        jlong verify_ns = 0;
        jlong rounds = 0, proposed = 0, accepted = 0;
        llama_pos n_past = n_prompt;  // positions 0..n_past-1 are in both caches; `last` is not yet
        while (produced < n_predict) {
            const int k = std::min((int) draft_max, n_predict - produced - 1);
            const jlong a = now_ns();
            proposal.clear();
            if (k > 0) {
                common_speculative_get_draft_params(spec.get(), 0) = {
                    /* .drafting = */ true,
                    /* .n_max    = */ k,
                    /* .n_past   = */ n_past,
                    /* .id_last  = */ last,
                    /* .prompt   = */ &history,
                    /* .result   = */ &proposal,
                };
                common_speculative_draft(spec.get());
                if ((int) proposal.size() > k) {
                    proposal.resize(k);
                }
                // The draft decoded `last` and its own proposals; the check below feeds them again.
                seq_rm(dft, n_past);
            }
            const jlong b = now_ns();
            common_batch_clear(batch.b);
            common_batch_add(batch.b, last, n_past, {0}, true);
            for (size_t i = 0; i < proposal.size(); i++) {
                common_batch_add(batch.b, proposal[i], n_past + 1 + (llama_pos) i, {0}, true);
            }
            const jlong catch_up = decode_both(tgt, spec.get(), batch.b);
            int n = 0;
            llama_token own = argmax(tgt, 0, n_vocab);
            while (n < (int) proposal.size() && own == proposal[n]) {
                n++;
                own = argmax(tgt, n, n_vocab);
            }
            common_speculative_accept(spec.get(), 0, (uint16_t) n);
            history.push_back(last);
            for (int i = 0; i < n; i++) {
                res[8 + produced++] = proposal[i];
                history.push_back(proposal[i]);
            }
            res[8 + produced++] = own;
            n_past += 1 + n;
            last = own;
            seq_rm(tgt, n_past);
            seq_rm(dft, n_past);
            const jlong c = now_ns();
            draft_ns += (b - a) + catch_up;
            verify_ns += (c - b) - catch_up;
            res[8 + n_predict + rounds] = (jlong) proposal.size();
            res[8 + 2 * n_predict + rounds] = n;
            rounds++;
            proposed += (jlong) proposal.size();
            accepted += n;
        }
        const jlong t_end = now_ns();
        res[0] = produced;
        res[1] = t_prompt - t0;
        res[2] = t_end - t0;
        res[3] = draft_ns;
        res[4] = verify_ns;
        res[5] = rounds;
        res[6] = proposed;
        res[7] = accepted;
    } catch (const std::exception & e) {
        env->ThrowNew(env->FindClass("java/lang/IllegalStateException"),
                      (std::string("llama.cpp's speculative decoding: ") + e.what()).c_str());
        return nullptr;
    }
    jlongArray out = env->NewLongArray((jsize) res.size());
    env->SetLongArrayRegion(out, 0, (jsize) res.size(), res.data());
    return out;
}
