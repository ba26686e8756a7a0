package dev.minillm.engine;

import dev.minillm.common.RunFailedException;
import dev.minillm.engine.gpu.GpuFacts;
import dev.minillm.engine.gpu.GpuProbe;
import dev.minillm.engine.gpu.RpcServers;
import dev.minillm.nativelib.MinillmJni;
import dev.minillm.engine.gpu.GpuPlacement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A session on the native engine. The greedy loop runs entirely in C and returns per-token
 * timestamps in one array, so the harness adds nothing per token.
 */
final class NativeSession implements Session {
    private final Path modelPath;
    private final long model;
    private final long ctx;
    private final int nVocab;
    private final int nCtx;
    private final int nBatch;
    private final long modelLoadNanos;
    private final long contextInitNanos;
    private final int maxSequences;
    private final boolean ownsModel;
    private boolean closed;
    private GpuPlacement placement;

    private NativeSession(Path modelPath, long model, long ctx, long modelLoadNanos, long contextInitNanos, int maxSequences,
                          boolean ownsModel) {
        this.maxSequences = maxSequences;
        this.ownsModel = ownsModel;
        this.modelPath = modelPath;
        this.model = model;
        this.ctx = ctx;
        this.nVocab = (int) MinillmJni.modelFacts(model)[5];
        int[] cf = MinillmJni.contextFacts(ctx);
        this.nCtx = cf[0];
        this.nBatch = cf[1];
        this.modelLoadNanos = modelLoadNanos;
        this.contextInitNanos = contextInitNanos;
    }

    static NativeSession open(Path modelPath, EngineSettings s, int maxSequences) {
        if (maxSequences < 1) {
            throw new IllegalArgumentException("maxSequences must be >= 1");
        }
        MinillmJni.setVerbose(s.verbose());
        // Where llama.cpp puts the layers is read back from its own placement whenever it could
        // offload, so a cell asking for the GPU can never run on the CPU unnoticed.
        GpuProbe probe = s.cpuOnly() || GpuFacts.offloadTargets().isEmpty() ? null
                : GpuProbe.begin(s.gpuLayers() >= EngineSettings.ALL_LAYERS ? -1 : s.gpuLayers());
        long t0 = System.nanoTime();
        // An empty device list keeps llama.cpp off every GPU and RPC device (the cpu baseline).
        long model = MinillmJni.loadModel(modelPath.toString(), s.gpuLayers(), true, false, s.cpuOnly() ? "" : null);
        long t1 = System.nanoTime();
        if (model == 0) {
            if (probe != null) {
                probe.abandon();
            }
            throw new RunFailedException(modelPath + ": llama.cpp could not load the model" + reason());
        }
        try {
            NativeSession session = withContext(modelPath, model, s, t1 - t0, maxSequences, true);
            if (probe != null) {
                session.placement = probe.finish(MinillmJni.llamaContext(session.ctx), RpcServers.active());
            }
            return session;
        } catch (RunFailedException e) {
            if (probe != null) {
                probe.abandon();
            }
            MinillmJni.freeModel(model);
            throw e;
        }
    }

    private static NativeSession withContext(Path modelPath, long model, EngineSettings s, long loadNanos, int maxSequences,
                                             boolean ownsModel) {
        long t2 = System.nanoTime();
        // Flash attention as asked (off unless --flash-attn), not this llama.cpp's own "auto" default,
        // so that both engines run the same attention.
        long ctx = MinillmJni.newContext(model, s.ctx(), s.batch(), Math.min(s.ubatch(), s.batch()), s.threads(), s.threads(),
                EngineSettings.cacheType(s.cacheTypeK()).id(), EngineSettings.cacheType(s.cacheTypeV()).id(),
                s.flashAttn() ? 1 : 0, maxSequences);
        long t3 = System.nanoTime();
        if (ctx == 0) {
            throw new RunFailedException(modelPath + ": llama.cpp could not create a context of " + s.ctx() + " tokens" + reason());
        }
        return new NativeSession(modelPath, model, ctx, loadNanos, t3 - t2, maxSequences, ownsModel);
    }

    @Override
    public NativeSession newContext(EngineSettings contextSettings) {
        return withContext(modelPath, model, contextSettings, 0, 1, false);
    }

    @Override
    public void synchronize() {
        MinillmJni.synchronize(ctx);
    }

    @Override
    public boolean addsBos() {
        String v = MinillmJni.modelMeta(model, "tokenizer.ggml.add_bos_token");
        return v == null ? bosToken() >= 0 : Boolean.parseBoolean(v);
    }

    @Override
    public int bosToken() {
        String v = MinillmJni.modelMeta(model, "tokenizer.ggml.bos_token_id");
        try {
            return v == null ? -1 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public long sequenceStateBytes() {
        return MinillmJni.sequenceStateBytes(ctx, 0);
    }

    private static String reason() {
        String why = MinillmJni.lastLogError();
        return why != null ? ": " + why : " (run with --verbose for its log)";
    }

    @Override
    public GpuPlacement gpuPlacement() {
        return placement;
    }

    @Override
    public long modelLoadNanos() {
        return modelLoadNanos;
    }

    @Override
    public long contextInitNanos() {
        return contextInitNanos;
    }

    @Override
    public int vocabularySize() {
        return nVocab;
    }

    @Override
    public int contextSize() {
        return nCtx;
    }

    @Override
    public int batchCapacity() {
        return nBatch;
    }

    @Override
    public int maxSequences() {
        return maxSequences;
    }

    @Override
    public ModelFacts facts() {
        long[] f = MinillmJni.modelFacts(model);
        return new ModelFacts(MinillmJni.modelDescription(model), f[0], f[1], (int) f[2], (int) f[3], (int) f[4], (int) f[5]);
    }

    @Override
    public String chatTemplate() {
        return MinillmJni.chatTemplate(model);
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        return MinillmJni.tokenize(model, text.getBytes(StandardCharsets.UTF_8), addSpecial, parseSpecial);
    }

    @Override
    public String detokenize(int[] tokens, boolean special) {
        return new String(MinillmJni.detokenize(model, tokens, special), StandardCharsets.UTF_8);
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return MinillmJni.isEndOfGeneration(model, token);
    }

    @Override
    public void clearCache() {
        MinillmJni.clearCache(ctx);
    }

    @Override
    public void trimCache(int fromPos) {
        if (!MinillmJni.trimCache(ctx, fromPos, -1)) {
            throw new RunFailedException(modelPath + ": llama.cpp could not cut the KV cache back to position " + fromPos);
        }
    }

    @Override
    public int greedyToken(int batchIndex) {
        return MinillmJni.argmaxAt(ctx, new int[] {batchIndex})[0];
    }

    @Override
    public void resetNativePerf() {
        MinillmJni.perfReset(ctx);
    }

    @Override
    public NativePerf nativePerf() {
        double[] p = MinillmJni.perf(ctx);
        return new NativePerf(p[1], (int) p[2], p[3], (int) p[4]);
    }

    @Override
    public void forward(int[] tokens, int startPos, boolean[] wantLogits) {
        check(MinillmJni.forward(ctx, tokens, startPos, wantLogits));
    }

    private void check(int rc) {
        if (rc != 0) {
            throw new RunFailedException(modelPath + ": llama_decode failed with code " + rc
                    + (rc == 1 ? " (no KV cache slot: context of " + nCtx + " tokens too small?)" : ""));
        }
    }

    @Override
    public float[] logits(int batchIndex) {
        float[] l = MinillmJni.logits(ctx, batchIndex);
        if (l == null) {
            throw new RunFailedException("llama.cpp kept no logits for batch index " + batchIndex);
        }
        return l;
    }

    @Override
    public void forwardBranches(int[] prefix, int[][] branches, BranchLogits out) {
        BranchChecks.require(modelPath, prefix, branches, maxSequences, nCtx);
        int k = branches.length;
        clearCache();
        forward(prefix, 0, null);
        out.accept(-1, -1, logits((prefix.length - 1) % nBatch));
        for (int s = 1; s < k; s++) {
            MinillmJni.copySequence(ctx, 0, s, -1, -1);
        }
        int[] tok = new int[nBatch];
        int[] pos = new int[nBatch];
        int[] seq = new int[nBatch];
        boolean[] want = new boolean[nBatch];
        int[] slotIndex = new int[nBatch];
        int n = 0;
        for (int s = 0; s < k; s++) {
            int[] b = branches[s];
            for (int j = 0; j < b.length; j++) {
                if (n == nBatch) {
                    decodeBranchSlots(n, tok, pos, seq, want, slotIndex, out);
                    n = 0;
                }
                tok[n] = b[j];
                pos[n] = prefix.length + j;
                seq[n] = s;
                want[n] = j < b.length - 1;
                slotIndex[n] = j;
                n++;
            }
        }
        if (n > 0) {
            decodeBranchSlots(n, tok, pos, seq, want, slotIndex, out);
        }
    }

    private void decodeBranchSlots(int n, int[] tok, int[] pos, int[] seq, boolean[] want, int[] slotIndex, BranchLogits out) {
        check(MinillmJni.decodeBatch(ctx, Arrays.copyOf(tok, n), Arrays.copyOf(pos, n), Arrays.copyOf(seq, n), Arrays.copyOf(want, n)));
        for (int i = 0; i < n; i++) {
            if (want[i]) {
                out.accept(seq[i], slotIndex[i], logits(i));
            }
        }
    }

    @Override
    public GenerationTiming generateGreedy(int[] prompt, int nPredict, boolean ignoreEos) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        if (nPredict < 1) {
            throw new IllegalArgumentException("nPredict must be >= 1");
        }
        if (prompt.length + nPredict > nCtx) {
            throw new RunFailedException(modelPath + ": prompt (" + prompt.length + " tokens) + " + nPredict
                    + " generated tokens do not fit the context of " + nCtx + " tokens; raise --ctx");
        }
        long[] r = MinillmJni.generateGreedy(ctx, prompt, nPredict, ignoreEos);
        check((int) r[0]);
        int produced = (int) r[1];
        long promptNanos = r[2];
        int at = MinillmJni.GENERATION_HEADER;
        long[] gaps = new long[Math.max(0, produced - 1)];
        for (int i = 1; i < produced; i++) {
            gaps[i - 1] = r[at + i] - r[at + i - 1];
        }
        int[] tokens = new int[produced];
        for (int i = 0; i < produced; i++) {
            tokens[i] = (int) r[at + nPredict + i];
        }
        long ttft = produced > 0 ? r[at] : promptNanos;
        long total = produced > 0 ? r[at + produced - 1] : promptNanos;
        return new GenerationTiming(prompt.length, promptNanos, ttft, produced, gaps, total, tokens, r[3], r[4]);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            MinillmJni.freeContext(ctx);
            if (ownsModel) {
                MinillmJni.freeModel(model);
            }
        }
    }
}
