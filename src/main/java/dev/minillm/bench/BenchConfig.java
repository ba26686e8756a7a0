package dev.minillm.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything a bench run needs, as parsed from the command line.
 *
 * @param models        explicit model files (--model); empty to scan {@code modelDir}
 * @param modelDir      directory of {@code <model-id>/<file>.gguf} files
 * @param modelDirGiven whether --model-dir was given (a missing default directory is not an error)
 * @param quants        upper-case variant names to keep; empty means all
 * @param backends      "cpu" and/or "gpu"
 * @param promptsFile   --prompts, or null for the default prompt set
 * @param timeoutSeconds per cell, child JVM start to result
 * @param quality       also measure quality (perplexity, KL divergence vs the family's best variant, ...)
 * @param tasks         multiple-choice tasks scored with the quality (--tasks); null if none
 * @param speculation   --draft / --draft-max; null without --draft
 * @param engines       --engine values, one matrix dimension (bundled, native, build folders)
 */
public record BenchConfig(List<Path> models, Path modelDir, boolean modelDirGiven, Set<String> quants,
                          Set<String> backends, int threads, int ctx, int batch, int nPredict, Path promptsFile,
                          int repetitions, int warmup, Path out, int timeoutSeconds, boolean force,
                          boolean verbose, boolean wrapper, boolean quality, dev.minillm.eval.TaskSelection tasks,
                          Speculation speculation, List<String> engines) {

    /** Without multiple-choice tasks. */
    public BenchConfig(List<Path> models, Path modelDir, boolean modelDirGiven, Set<String> quants,
                       Set<String> backends, int threads, int ctx, int batch, int nPredict, Path promptsFile,
                       int repetitions, int warmup, Path out, int timeoutSeconds, boolean force,
                       boolean verbose, boolean wrapper, boolean quality) {
        this(models, modelDir, modelDirGiven, quants, backends, threads, ctx, batch, nPredict, promptsFile, repetitions,
                warmup, out, timeoutSeconds, force, verbose, wrapper, quality, null, null, null);
    }

    public static final int DEFAULT_CTX = 2048;
    public static final int DEFAULT_BATCH = 512;
    public static final int DEFAULT_N_PREDICT = 80;
    public static final int DEFAULT_REPETITIONS = 5;
    public static final int DEFAULT_WARMUP = 1;
    public static final int DEFAULT_TIMEOUT_S = 1800;

    public BenchConfig {
        engines = engines == null || engines.isEmpty() ? List.of(dev.minillm.engine.Engines.DEFAULT) : List.copyOf(engines);
    }

    public static final int DEFAULT_DRAFT_MAX = 4;

    /**
     * The speculative-decoding dimensions: every target cell is measured with each draft at each K.
     *
     * @param drafts         draft model files
     * @param targetOnlyCells also plan the ordinary cells ({@code --draft none})
     * @param draftMax       the K values (most tokens proposed per step)
     */
    public record Speculation(List<Path> drafts, boolean targetOnlyCells, List<Integer> draftMax) {
    }
}
