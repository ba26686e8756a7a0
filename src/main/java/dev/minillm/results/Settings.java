package dev.minillm.results;

import dev.minillm.eval.TaskSelection;
import java.util.List;

/**
 * Everything that decides what a cell measures: how the engine runs (threads ... engine), the
 * workload (prompts, tokens, tests) and how it is measured (repetitions, warmup, extras). A stored
 * result is reused only when its settings equal the planned ones field for field. Build with
 * {@link #builder()}; change one field with {@link #toBuilder()}.
 *
 * @param cacheTypeK    KV cache type of K, llama.cpp's name (f16, q8_0, q4_0, ...)
 * @param flashAttn     flash attention on
 * @param gpuLayers     layers offloaded, llama.cpp's n_gpu_layers (0 on cpu cells, 999 = all; bench --gpu-layers)
 * @param rpc           the llama.cpp RPC servers (HOST:PORT) a gpu cell offloads to (bench --rpc), empty for a local cell
 * @param engine        which engine runs the cell ("bundled": java-llama.cpp's llama.cpp build)
 * @param promptsSha256 SHA-256 of the prompt set's text, so an edited prompt file is measured again
 * @param tests         the workloads, in order: "prompts" (the prompt set) and llama-bench tests (pp512, tg128, pp512+tg128, ... @ d4096)
 * @param ladder        context-ladder depths (tokens already in the KV cache), empty for none
 * @param draftModel    the draft GGUF of a speculative-decoding cell (bench --draft); null for an ordinary cell
 * @param draftMax      K, the most tokens the draft proposes per step
 * @param tasks         multiple-choice tasks scored in the quality run (bench --quality --tasks) and their sample; null if none
 */
public record Settings(int threads, int ctx, int batch, int ubatch, String cacheTypeK, String cacheTypeV,
                       boolean flashAttn, int gpuLayers, List<String> rpc, String engine,
                       int nPredict, String promptsFile, int promptCount, String promptsSha256, String sampler,
                       boolean ignoreEos, List<String> tests, List<Integer> ladder,
                       int repetitions, int warmup, boolean wrapper, boolean quality, TaskSelection tasks,
                       String draftModel, String draftVariant, Integer draftMax) {

    public static final String PROMPT_SET_TEST = "prompts";

    public Settings {
        rpc = rpc == null ? List.of() : List.copyOf(rpc); // absent in results written before RPC cells existed
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.threads = threads;
        b.ctx = ctx;
        b.batch = batch;
        b.ubatch = ubatch;
        b.cacheTypeK = cacheTypeK;
        b.cacheTypeV = cacheTypeV;
        b.flashAttn = flashAttn;
        b.gpuLayers = gpuLayers;
        b.rpc = rpc;
        b.engine = engine;
        b.nPredict = nPredict;
        b.promptsFile = promptsFile;
        b.promptCount = promptCount;
        b.promptsSha256 = promptsSha256;
        b.sampler = sampler;
        b.ignoreEos = ignoreEos;
        b.tests = tests;
        b.ladder = ladder;
        b.repetitions = repetitions;
        b.warmup = warmup;
        b.wrapper = wrapper;
        b.quality = quality;
        b.tasks = tasks;
        b.draftModel = draftModel;
        b.draftVariant = draftVariant;
        b.draftMax = draftMax;
        return b;
    }

    /** Builds settings by name; unset fields take the defaults below. */
    public static final class Builder {
        private int threads = 1;
        private int ctx = 2048;
        private int batch = 512;
        private int ubatch = 512;
        private String cacheTypeK = "f16";
        private String cacheTypeV = "f16";
        private boolean flashAttn;
        private int gpuLayers;
        private List<String> rpc = List.of();
        private String engine = "bundled";
        private int nPredict = 80;
        private String promptsFile;
        private int promptCount;
        private String promptsSha256;
        private String sampler = "greedy";
        private boolean ignoreEos = true;
        private List<String> tests = List.of(PROMPT_SET_TEST);
        private List<Integer> ladder = List.of();
        private int repetitions = 5;
        private int warmup = 1;
        private boolean wrapper;
        private boolean quality;
        private TaskSelection tasks;
        private String draftModel;
        private String draftVariant;
        private Integer draftMax;

        public Builder threads(int v) { threads = v; return this; }
        public Builder ctx(int v) { ctx = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder ubatch(int v) { ubatch = v; return this; }
        public Builder cacheTypeK(String v) { cacheTypeK = v; return this; }
        public Builder cacheTypeV(String v) { cacheTypeV = v; return this; }
        public Builder flashAttn(boolean v) { flashAttn = v; return this; }
        public Builder gpuLayers(int v) { gpuLayers = v; return this; }
        public Builder rpc(List<String> v) { rpc = List.copyOf(v); return this; }
        public Builder engine(String v) { engine = v; return this; }
        public Builder nPredict(int v) { nPredict = v; return this; }
        public Builder promptsFile(String v) { promptsFile = v; return this; }
        public Builder promptCount(int v) { promptCount = v; return this; }
        public Builder promptsSha256(String v) { promptsSha256 = v; return this; }
        public Builder sampler(String v) { sampler = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
        public Builder tests(List<String> v) { tests = List.copyOf(v); return this; }
        public Builder ladder(List<Integer> v) { ladder = List.copyOf(v); return this; }
        public Builder repetitions(int v) { repetitions = v; return this; }
        public Builder warmup(int v) { warmup = v; return this; }
        public Builder wrapper(boolean v) { wrapper = v; return this; }
        public Builder quality(boolean v) { quality = v; return this; }
        public Builder tasks(TaskSelection v) { tasks = v; return this; }
        public Builder draft(String model, String variant, Integer max) { draftModel = model; draftVariant = variant; draftMax = max; return this; }

        public Settings build() {
            return new Settings(threads, ctx, batch, ubatch, cacheTypeK, cacheTypeV, flashAttn, gpuLayers, rpc, engine,
                    nPredict, promptsFile, promptCount, promptsSha256, sampler, ignoreEos, tests, ladder,
                    repetitions, warmup, wrapper, quality, tasks, draftModel, draftVariant, draftMax);
        }
    }
}
