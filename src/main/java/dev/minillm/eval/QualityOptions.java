package dev.minillm.eval;

import java.nio.file.Path;

/** Settings of a quality run; defaults are the documented ones (docs/readme/eval.md). */
public final class QualityOptions {
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int gpuLayers = 0;
    private int ctx = 512;
    private Path textFile;
    private int topK = 32;
    private int maxChunks = 0;
    private Path baselineDir = Path.of("results", "baseline");
    private String baselineName;
    private String baselineVariant;
    private Path promptsFile;
    private int greedyTokens = 32;
    private Path questionsFile;
    private int answerTokens = 48;
    private int freeFormTokens = 200;
    private boolean ppl = true;
    private boolean kld = true;
    private boolean greedy = true;
    private boolean hallucination = true;
    private boolean verbose;
    private String engine = dev.minillm.engine.Engines.DEFAULT;
    private java.util.List<ChoiceTask> tasks = java.util.List.of();
    private int taskLimit = 200;
    private long taskSeed = 42;
    private Path modelsDir = Path.of("models");
    private String cacheTypeK = dev.minillm.engine.KvCacheTypes.DEFAULT;
    private String cacheTypeV = dev.minillm.engine.KvCacheTypes.DEFAULT;
    private boolean flashAttn;

    public static QualityOptions defaults() {
        return new QualityOptions();
    }

    public int threads() { return threads; }
    public int gpuLayers() { return gpuLayers; }
    public int ctx() { return ctx; }
    /** null: prompts/eval.txt (working directory, else the jar's copy). */
    public Path textFile() { return textFile; }
    public int topK() { return topK; }
    /** Chunks of the text scored; 0: all. */
    public int maxChunks() { return maxChunks; }
    public Path baselineDir() { return baselineDir; }
    public String baselineName() { return baselineName; }
    public String baselineVariant() { return baselineVariant; }
    public Path promptsFile() { return promptsFile; }
    public int greedyTokens() { return greedyTokens; }
    public Path questionsFile() { return questionsFile; }
    public int answerTokens() { return answerTokens; }
    public int freeFormTokens() { return freeFormTokens; }
    public boolean ppl() { return ppl; }
    public boolean kld() { return kld; }
    public boolean greedy() { return greedy; }
    public boolean hallucination() { return hallucination; }
    public boolean verbose() { return verbose; }
    /** The --engine value (bundled, native or a native build folder). */
    public String engine() { return engine; }
    /** Multiple-choice tasks to score (empty: none). */
    public java.util.List<ChoiceTask> tasks() { return tasks; }
    /** Items per task, a seeded random sample; 0: all. */
    public int taskLimit() { return taskLimit; }
    public long taskSeed() { return taskSeed; }
    /** Where downloaded task data lives (models/&lt;dataset-id&gt;/...). */
    public Path modelsDir() { return modelsDir; }

    public QualityOptions threads(int v) { threads = positive(v, "threads"); return this; }
    public QualityOptions gpuLayers(int v) { gpuLayers = v; return this; }
    public QualityOptions ctx(int v) { ctx = positive(v, "ctx"); return this; }
    public QualityOptions textFile(Path v) { textFile = v; return this; }
    public QualityOptions topK(int v) { topK = positive(v, "top-k"); return this; }
    public QualityOptions maxChunks(int v) {
        if (v < 0) {
            throw new dev.minillm.common.BadInputException("--chunks must be 0 (all) or more, got " + v);
        }
        maxChunks = v;
        return this;
    }
    public QualityOptions baselineDir(Path v) { baselineDir = v; return this; }
    /** File name (without .kld) of the baseline record; null: the baseline model's file name. */
    public QualityOptions baselineName(String v) { baselineName = v; return this; }
    /** Label of the baseline (e.g. "F16"); null: read from the baseline's GGUF file type. */
    public QualityOptions baselineVariant(String v) { baselineVariant = v; return this; }
    public QualityOptions promptsFile(Path v) { promptsFile = v; return this; }
    public QualityOptions greedyTokens(int v) { greedyTokens = positive(v, "greedy tokens"); return this; }
    public QualityOptions questionsFile(Path v) { questionsFile = v; return this; }
    public QualityOptions answerTokens(int v) { answerTokens = positive(v, "answer tokens"); return this; }
    public QualityOptions freeFormTokens(int v) { freeFormTokens = positive(v, "free-form tokens"); return this; }
    public QualityOptions ppl(boolean v) { ppl = v; return this; }
    public QualityOptions kld(boolean v) { kld = v; return this; }
    public QualityOptions greedy(boolean v) { greedy = v; return this; }
    public QualityOptions hallucination(boolean v) { hallucination = v; return this; }
    public QualityOptions verbose(boolean v) { verbose = v; return this; }
    public QualityOptions engine(String v) { engine = v == null ? dev.minillm.engine.Engines.DEFAULT : v; return this; }

    /** The engine these options select (loaded once per process). */
    public dev.minillm.engine.Engine openEngine() {
        return dev.minillm.engine.Engines.get(engine, verbose);
    }
    public QualityOptions tasks(java.util.List<ChoiceTask> v) { tasks = java.util.List.copyOf(v); return this; }
    public QualityOptions taskLimit(int v) {
        if (v < 0) {
            throw new dev.minillm.common.BadInputException("--limit must be 0 (all items) or more, got " + v);
        }
        taskLimit = v;
        return this;
    }
    public QualityOptions taskSeed(long v) { taskSeed = v; return this; }
    public QualityOptions modelsDir(Path v) { modelsDir = v; return this; }
    public String cacheTypeK() { return cacheTypeK; }
    public String cacheTypeV() { return cacheTypeV; }
    public boolean flashAttn() { return flashAttn; }
    /** KV cache of the evaluated model (the baseline keeps llama.cpp's default). */
    public QualityOptions cacheTypeK(String v) { cacheTypeK = v == null ? dev.minillm.engine.KvCacheTypes.DEFAULT : v; return this; }
    public QualityOptions cacheTypeV(String v) { cacheTypeV = v == null ? dev.minillm.engine.KvCacheTypes.DEFAULT : v; return this; }
    public QualityOptions flashAttn(boolean v) { flashAttn = v; return this; }

    /** Where the baseline record of {@code baselineModel} is kept. */
    public Path baselineFile(Path baselineModel) {
        String name = baselineName;
        if (name == null) {
            name = baselineModel.getFileName().toString();
            if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
                name = name.substring(0, name.length() - 5);
            }
        }
        String engineSuffix = engine.equals(dev.minillm.engine.Engines.DEFAULT) ? "" : "." + dev.minillm.engine.Engines.idSegment(engine);
        return baselineDir.resolve(name + engineSuffix + ".kld");
    }

    private static int positive(int v, String what) {
        if (v < 1) {
            throw new dev.minillm.common.BadInputException(what + " must be at least 1, got " + v);
        }
        return v;
    }
}
