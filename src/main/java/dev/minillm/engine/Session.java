package dev.minillm.engine;

/**
 * A loaded model with one context on some {@link Engine}: what bench, eval and calibrate drive.
 * Not thread-safe: one session per thread.
 */
public interface Session extends AutoCloseable, SpeculativeDecoder.Model {
    long modelLoadNanos();

    /**
     * Where the load put the model when the engine can offload (devices, layer split, device
     * buffers), checked against the request; null for an engine or build that cannot tell.
     */
    default dev.minillm.engine.gpu.GpuPlacement gpuPlacement() {
        return null;
    }

    long contextInitNanos();

    int vocabularySize();

    int contextSize();

    int batchCapacity();

    /** KV sequences the context was opened for (branches {@link #forwardBranches} can take at once). */
    int maxSequences();

    ModelFacts facts();

    /** The chat template stored in the model, or null. */
    String chatTemplate();

    int[] tokenize(String text, boolean addSpecial, boolean parseSpecial);

    /** Text of tokens (special tokens rendered as text only when {@code special}). */
    String detokenize(int[] tokens, boolean special);

    boolean isEndOfGeneration(int token);

    void clearCache();

    /**
     * A second context on this session's model (the model is loaded once), for workloads that need
     * another context size: closing it frees only its context.
     */
    Session newContext(EngineSettings contextSettings);

    /** Waits until llama.cpp has finished the work queued so far (a GPU backend runs asynchronously). */
    void synchronize();

    /** Whether the vocabulary puts a BOS token before a text. */
    boolean addsBos();

    int bosToken();

    /**
     * llama.cpp's own size of what the KV cache holds for sequence 0 (its state serialisation),
     * or -1 when this engine cannot say.
     */
    long sequenceStateBytes();

    void resetNativePerf();

    /** llama.cpp's own counters for the work since the last reset. */
    NativePerf nativePerf();

    /**
     * Runs {@code tokens} through the model at positions {@code startPos...}, in chunks of the
     * batch size. Logits are kept where {@code wantLogits} says so (null: only the last token);
     * read them with {@link #logits(int)} — valid for the last chunk only.
     */
    void forward(int[] tokens, int startPos, boolean[] wantLogits);

    /** Logits of the i-th token of the last forward chunk. */
    float[] logits(int batchIndex);

    /** Receives the logits of one position of {@link #forwardBranches}. */
    @FunctionalInterface
    interface BranchLogits {
        /**
         * @param branch the branch, or -1 for the last token of the shared prefix (logits that
         *               predict the first token of every branch)
         * @param index  the token's index within its branch (-1 with branch -1)
         */
        void accept(int branch, int index, float[] logits);
    }

    /**
     * Evaluates a shared {@code prefix} once, then every branch as its own continuation of it
     * (one KV sequence each, sharing the prefix's cells), from a fresh cache. Logits are delivered
     * for the prefix's last token and every branch token but each branch's last. Needs a session
     * opened for at least {@code branches.length} sequences.
     */
    void forwardBranches(int[] prefix, int[][] branches, BranchLogits out);

    /**
     * Greedy generation from a fresh cache, timed around the loop. With {@code ignoreEos} every
     * call yields exactly {@code nPredict} tokens, so repetitions are comparable.
     */
    GenerationTiming generateGreedy(int[] prompt, int nPredict, boolean ignoreEos);

    @Override
    void close();
}
