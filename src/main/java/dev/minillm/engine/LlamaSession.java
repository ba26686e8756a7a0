package dev.minillm.engine;

import com.sun.jna.Pointer;
import dev.minillm.common.RunFailedException;
import dev.minillm.nativelib.LlamaLibrary;
import dev.minillm.nativelib.LlamaStructs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A loaded model with one context, driven through the llama.cpp C API. This is the decode loop
 * the project's speed figures come from: no wrapper, no server, one greedy sampler, and a batch
 * allocated once and reused, so per-token overhead is a few JNA calls.
 *
 * <p>Not thread-safe: one session per thread.
 */
public final class LlamaSession implements Session {
    private final Path modelPath;
    private final EngineSettings settings;
    private final Pointer model;
    private final Pointer ctx;
    private final Pointer vocab;
    private final Pointer sampler;
    private final LlamaStructs.Batch batch;
    private final int batchCapacity;
    private final int nVocab;
    private final long modelLoadNanos;
    private final long contextInitNanos;
    private final int maxSequences;
    private final boolean ownsModel;
    private boolean closed;

    private LlamaSession(Path modelPath, EngineSettings settings, Pointer model, Pointer ctx,
                         long modelLoadNanos, long contextInitNanos, int maxSequences, boolean ownsModel) {
        this.modelPath = modelPath;
        this.ownsModel = ownsModel;
        this.maxSequences = maxSequences;
        this.settings = settings;
        this.model = model;
        this.ctx = ctx;
        this.vocab = LlamaLibrary.llama_model_get_vocab(model);
        this.nVocab = LlamaLibrary.llama_vocab_n_tokens(vocab);
        this.sampler = LlamaLibrary.llama_sampler_init_greedy();
        this.batchCapacity = LlamaLibrary.llama_n_batch(ctx);
        this.batch = LlamaLibrary.llama_batch_init(batchCapacity, 0, 1);
        // The struct's native copy is kept current by hand (only n_tokens changes), which spares
        // JNA a reflective write of all fields on every per-token llama_decode call.
        this.batch.write();
        this.batch.setAutoWrite(false);
        // Every token of ours belongs to sequence 0; set once so the loop only writes token/pos/logits.
        for (int i = 0; i < batchCapacity; i++) {
            batch.n_seq_id.setInt(4L * i, 1);
            batch.seq_id.getPointer(8L * i).setInt(0, 0);
        }
        this.modelLoadNanos = modelLoadNanos;
        this.contextInitNanos = contextInitNanos;
    }

    /** Loads the model and creates a context; both steps are timed. */
    public static LlamaSession open(Path modelPath, EngineSettings settings) {
        return open(modelPath, settings, 1);
    }

    /**
     * As {@link #open(Path, EngineSettings)}, with room for {@code maxSequences} sequences in the
     * KV cache, for {@link #forwardBranches}. The cache stays one unified buffer of
     * {@code settings.ctx()} cells shared by all sequences.
     */
    public static LlamaSession open(Path modelPath, EngineSettings settings, int maxSequences) {
        if (maxSequences < 1) {
            throw new IllegalArgumentException("maxSequences must be >= 1");
        }
        if (!settings.defaultKvCache()) {
            // b4916 aborts the process on combinations it cannot run: refuse them before it sees them
            KvCacheTypes.check(modelPath, settings.cacheTypeK(), settings.cacheTypeV(), settings.flashAttn());
        }
        LlamaLibrary.load();
        LlamaLibrary.logToStderr(settings.verbose());
        LlamaStructs.ModelParams mp = LlamaLibrary.llama_model_default_params();
        mp.n_gpu_layers = settings.gpuLayers();
        LlamaLibrary.clearErrors();
        long t0 = System.nanoTime();
        Pointer model = LlamaLibrary.llama_model_load_from_file(modelPath.toString(), mp);
        long t1 = System.nanoTime();
        if (model == null) {
            String why = LlamaLibrary.lastErrorReason();
            throw new RunFailedException(modelPath + ": llama.cpp could not load the model"
                    + (why != null ? ": " + why : " (run with --verbose for its log)"));
        }
        try {
            return withContext(modelPath, model, settings, t1 - t0, maxSequences, true);
        } catch (RunFailedException e) {
            LlamaLibrary.llama_model_free(model);
            throw e;
        }
    }

    /**
     * A second context on this session's model (the model is loaded once), for workloads that need
     * another context size: closing it frees only its context.
     */
    @Override
    public LlamaSession newContext(EngineSettings contextSettings) {
        return withContext(modelPath, model, contextSettings, 0, 1, false);
    }

    private static LlamaSession withContext(Path modelPath, Pointer model, EngineSettings settings, long loadNanos,
                                            int maxSequences, boolean ownsModel) {
        LlamaStructs.ContextParams cp = LlamaLibrary.llama_context_default_params();
        cp.n_ctx = settings.ctx();
        cp.n_batch = settings.batch();
        cp.n_ubatch = settings.ubatch();
        cp.n_threads = settings.threads();
        cp.n_threads_batch = settings.threads();
        cp.n_seq_max = maxSequences;
        cp.no_perf = 0;
        cp.type_k = EngineSettings.cacheType(settings.cacheTypeK()).id();
        cp.type_v = EngineSettings.cacheType(settings.cacheTypeV()).id();
        cp.flash_attn = (byte) (settings.flashAttn() ? 1 : 0);
        long t2 = System.nanoTime();
        Pointer ctx = LlamaLibrary.llama_init_from_model(model, cp);
        long t3 = System.nanoTime();
        if (ctx == null) {
            String why = LlamaLibrary.lastErrorReason();
            throw new RunFailedException(modelPath + ": llama.cpp could not create a context of " + settings.ctx() + " tokens"
                    + (why != null ? ": " + why : ""));
        }
        return new LlamaSession(modelPath, settings, model, ctx, loadNanos, t3 - t2, maxSequences, ownsModel);
    }

    public long modelLoadNanos() {
        return modelLoadNanos;
    }

    public long contextInitNanos() {
        return contextInitNanos;
    }

    public int vocabularySize() {
        return nVocab;
    }

    @Override
    public int contextSize() {
        return LlamaLibrary.llama_n_ctx(ctx);
    }

    public int batchCapacity() {
        return batchCapacity;
    }

    /** KV sequences the context was opened for (branches {@link #forwardBranches} can take at once). */
    public int maxSequences() {
        return maxSequences;
    }

    public ModelFacts facts() {
        byte[] buf = new byte[256];
        int n = LlamaLibrary.llama_model_desc(model, buf, buf.length);
        String desc = n > 0 ? new String(buf, 0, Math.min(n, buf.length - 1), StandardCharsets.UTF_8) : "";
        return new ModelFacts(desc, LlamaLibrary.llama_model_n_params(model), LlamaLibrary.llama_model_size(model),
                LlamaLibrary.llama_model_n_layer(model), LlamaLibrary.llama_model_n_embd(model),
                LlamaLibrary.llama_model_n_ctx_train(model), nVocab);
    }

    /** The chat template stored in the model, or null. */
    public String chatTemplate() {
        return LlamaLibrary.llama_model_chat_template(model, null);
    }

    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[utf8.length + 8];
        int n = LlamaLibrary.llama_tokenize(vocab, utf8, utf8.length, tokens, tokens.length,
                (byte) (addSpecial ? 1 : 0), (byte) (parseSpecial ? 1 : 0));
        if (n < 0) {
            tokens = new int[-n];
            n = LlamaLibrary.llama_tokenize(vocab, utf8, utf8.length, tokens, tokens.length,
                    (byte) (addSpecial ? 1 : 0), (byte) (parseSpecial ? 1 : 0));
        }
        return java.util.Arrays.copyOf(tokens, Math.max(n, 0));
    }

    /** Text of tokens (special tokens rendered as text only when {@code special}). */
    public String detokenize(int[] tokens, boolean special) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[128];
        for (int t : tokens) {
            int n = LlamaLibrary.llama_token_to_piece(vocab, t, buf, buf.length, 0, (byte) (special ? 1 : 0));
            if (n < 0) {
                buf = new byte[-n];
                n = LlamaLibrary.llama_token_to_piece(vocab, t, buf, buf.length, 0, (byte) (special ? 1 : 0));
            }
            out.write(buf, 0, Math.max(n, 0));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public boolean isEndOfGeneration(int token) {
        return LlamaLibrary.llama_vocab_is_eog(vocab, token) != 0;
    }

    /** Waits until llama.cpp has finished the work queued so far. */
    @Override
    public void synchronize() {
        LlamaLibrary.llama_synchronize(ctx);
    }

    /** Whether the vocabulary puts a BOS token before a text. */
    @Override
    public boolean addsBos() {
        return LlamaLibrary.llama_vocab_get_add_bos(vocab) != 0;
    }

    @Override
    public int bosToken() {
        return LlamaLibrary.llama_vocab_bos(vocab);
    }

    /** llama.cpp's own size of what the KV cache holds for sequence 0 (its state serialisation: cells and their positions). */
    @Override
    public long sequenceStateBytes() {
        return LlamaLibrary.llama_state_seq_get_size(ctx, 0);
    }

    @Override
    public void clearCache() {
        LlamaLibrary.llama_kv_self_clear(ctx);
    }

    @Override
    public void trimCache(int fromPos) {
        if (LlamaLibrary.llama_kv_self_seq_rm(ctx, 0, fromPos, -1) == 0) {
            throw new RunFailedException(modelPath + ": llama.cpp could not cut the KV cache back to position " + fromPos);
        }
    }

    /** Greedy choice (the same sampler as {@link #generateGreedy}) from the logits at a batch index of the last forward. */
    @Override
    public int greedyToken(int batchIndex) {
        return LlamaLibrary.llama_sampler_sample(sampler, ctx, batchIndex);
    }

    public void resetNativePerf() {
        LlamaLibrary.llama_perf_context_reset(ctx);
    }

    public NativePerf nativePerf() {
        LlamaStructs.PerfContextData p = LlamaLibrary.llama_perf_context(ctx);
        return new NativePerf(p.t_p_eval_ms, p.n_p_eval, p.t_eval_ms, p.n_eval);
    }

    /**
     * Runs {@code tokens} through the model at positions {@code startPos...}, in chunks of the
     * batch size. Logits are kept for the positions where {@code wantLogits} says so (null: only
     * the last token); read them with {@link #logits(int)} — valid for the last chunk only, so
     * callers wanting logits everywhere pass at most {@link #batchCapacity()} tokens.
     */
    @Override
    public void forward(int[] tokens, int startPos, boolean[] wantLogits) {
        int done = 0;
        while (done < tokens.length) {
            int n = Math.min(batchCapacity, tokens.length - done);
            for (int i = 0; i < n; i++) {
                int k = done + i;
                batch.token.setInt(4L * i, tokens[k]);
                batch.pos.setInt(4L * i, startPos + k);
                boolean keep = wantLogits != null ? wantLogits[k] : k == tokens.length - 1;
                batch.logits.setByte(i, (byte) (keep ? 1 : 0));
            }
            decode(n);
            done += n;
        }
    }

    /** Logits of the i-th token of the last forward chunk. */
    public float[] logits(int batchIndex) {
        Pointer p = LlamaLibrary.llama_get_logits_ith(ctx, batchIndex);
        if (p == null) {
            throw new RunFailedException("llama.cpp kept no logits for batch index " + batchIndex);
        }
        return p.getFloatArray(0, nVocab);
    }

    /**
     * Evaluates a shared {@code prefix} once, then every branch as its own continuation of it, from
     * a fresh cache: the prefix goes into sequence 0, is shared with sequences 1..k-1 by
     * {@code llama_kv_self_seq_cp} (no copy), and the branches' tokens are packed together into as
     * few batches as the batch size allows. Logits are delivered for the prefix's last token and for
     * every branch token except each branch's last (the ones that predict a following token).
     */
    public void forwardBranches(int[] prefix, int[][] branches, BranchLogits out) {
        BranchChecks.require(modelPath, prefix, branches, maxSequences, contextSize());
        int k = branches.length;
        clearCache();
        forward(prefix, 0, null);
        // forward() works in chunks of batchCapacity: the prefix's last token ends the last chunk.
        out.accept(-1, -1, logits((prefix.length - 1) % batchCapacity));
        for (int s = 1; s < k; s++) {
            LlamaLibrary.llama_kv_self_seq_cp(ctx, 0, s, -1, -1);
        }
        int[] slotBranch = new int[batchCapacity];
        int[] slotIndex = new int[batchCapacity];
        int n = 0;
        try {
            for (int s = 0; s < k; s++) {
                int[] b = branches[s];
                for (int j = 0; j < b.length; j++) {
                    if (n == batchCapacity) {
                        decodeBranchSlots(n, slotBranch, slotIndex, out);
                        n = 0;
                    }
                    batch.token.setInt(4L * n, b[j]);
                    batch.pos.setInt(4L * n, prefix.length + j);
                    batch.seq_id.getPointer(8L * n).setInt(0, s);
                    boolean keep = j < b.length - 1;
                    batch.logits.setByte(n, (byte) (keep ? 1 : 0));
                    slotBranch[n] = keep ? s : -1;
                    slotIndex[n] = j;
                    n++;
                }
            }
            if (n > 0) {
                decodeBranchSlots(n, slotBranch, slotIndex, out);
            }
        } finally {
            // The rest of the session assumes every batch slot belongs to sequence 0.
            for (int i = 0; i < batchCapacity; i++) {
                batch.seq_id.getPointer(8L * i).setInt(0, 0);
            }
        }
    }

    private void decodeBranchSlots(int n, int[] slotBranch, int[] slotIndex, BranchLogits out) {
        decode(n);
        for (int i = 0; i < n; i++) {
            if (slotBranch[i] >= 0) {
                out.accept(slotBranch[i], slotIndex[i], logits(i));
            }
        }
    }

    private void decode(int n) {
        batch.n_tokens = n;
        batch.getPointer().setInt(0, n);
        int rc = LlamaLibrary.llama_decode(ctx, batch);
        if (rc != 0) {
            throw new RunFailedException(modelPath + ": llama_decode failed with code " + rc
                    + (rc == 1 ? " (no KV cache slot: context of " + contextSize() + " tokens too small?)" : ""));
        }
    }

    /**
     * Greedy generation from a fresh cache, timed around the loop. With {@code ignoreEos} every
     * call yields exactly {@code nPredict} tokens, so repetitions are comparable.
     */
    public GenerationTiming generateGreedy(int[] prompt, int nPredict, boolean ignoreEos) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        if (prompt.length + nPredict > contextSize()) {
            throw new RunFailedException(modelPath + ": prompt (" + prompt.length + " tokens) + " + nPredict
                    + " generated tokens do not fit the context of " + contextSize() + " tokens; raise --ctx");
        }
        clearCache();
        LlamaLibrary.llama_sampler_reset(sampler);
        int[] out = new int[nPredict];
        long[] gaps = new long[Math.max(0, nPredict - 1)];
        long t0 = System.nanoTime();
        forward(prompt, 0, null);
        LlamaLibrary.llama_synchronize(ctx);
        long tPrompt = System.nanoTime();
        int token = LlamaLibrary.llama_sampler_sample(sampler, ctx, -1);
        long tPrev = System.nanoTime();
        long ttft = tPrev - t0;
        out[0] = token;
        int produced = 1;
        int pos = prompt.length;
        batch.logits.setByte(0, (byte) 1);
        while (produced < nPredict && (ignoreEos || !isEndOfGeneration(token))) {
            batch.token.setInt(0, token);
            batch.pos.setInt(0, pos++);
            decode(1);
            token = LlamaLibrary.llama_sampler_sample(sampler, ctx, -1);
            long now = System.nanoTime();
            gaps[produced - 1] = now - tPrev;
            tPrev = now;
            out[produced++] = token;
        }
        return new GenerationTiming(prompt.length, tPrompt - t0, ttft, produced,
                java.util.Arrays.copyOf(gaps, produced - 1), tPrev - t0, java.util.Arrays.copyOf(out, produced));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LlamaLibrary.llama_sampler_free(sampler);
            LlamaLibrary.llama_batch_free(batch);
            LlamaLibrary.llama_free(ctx);
            if (ownsModel) {
                LlamaLibrary.llama_model_free(model);
            }
        }
    }
}
