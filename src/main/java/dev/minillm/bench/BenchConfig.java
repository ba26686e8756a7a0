package dev.minillm.bench;

import dev.minillm.results.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a bench run needs, grouped by concern: which models ({@link Selection}), which settings
 * ({@link Sweep}), how to measure ({@link Measurement}) and where the results go ({@link Output}).
 * Build with {@link #builder()}.
 */
public record BenchConfig(Selection select, Sweep sweep, Measurement measure, Output output, Speculation speculation) {
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

    public static final int DEFAULT_REPETITIONS = 5;
    public static final int DEFAULT_WARMUP = 1;
    public static final int DEFAULT_TIMEOUT_S = 1800;

    /**
     * @param models        explicit model files (--model); empty to scan {@code modelDir}
     * @param modelDir      directory of {@code <model-id>/<file>.gguf} files
     * @param modelDirGiven whether --model-dir was given (a missing default directory is not an error)
     * @param quants        upper-case variant names to keep; empty means all
     * @param backends      "cpu" and/or "gpu"
     * @param engines       --engine values, one column each (bundled, native, build folders)
     */
    public record Selection(List<Path> models, Path modelDir, boolean modelDirGiven, Set<String> quants, Set<String> backends,
                            List<String> engines) {
        public Selection {
            engines = engines == null || engines.isEmpty() ? List.of(dev.minillm.engine.Engines.DEFAULT) : List.copyOf(engines);
        }
    }

    /** The values of each swept setting; a dimension not named here takes its default. */
    public record Sweep(Map<Dimension<?>, List<?>> values) {
        public Sweep {
            values = Map.copyOf(values);
        }

        /** The values given for a dimension; empty when it takes its default. */
        public List<?> of(Dimension<?> d) {
            List<?> v = values.get(d);
            return v != null ? v : List.of();
        }

        /** The first value of a dimension, else its default (e.g. the thread count for work done before the cells). */
        @SuppressWarnings("unchecked")
        public <T> T first(Dimension<T> d) {
            List<?> v = of(d);
            return v.isEmpty() ? d.defaultValue().apply(Settings.builder().build()) : (T) v.get(0);
        }

        /** The dimensions given more than one value. */
        public List<Dimension<?>> swept() {
            return Dimensions.ALL.stream().filter(d -> of(d).size() > 1).toList();
        }
    }

    /**
     * @param promptsFile --prompts, or null for the default prompt set
     * @param tests       the workloads of each cell ({@link Settings#tests})
     * @param ladder      context-ladder depths, empty for none
     * @param wrapper     also measure java-llama.cpp's own decode figure
     * @param quality     also measure quality (perplexity, KL divergence vs the family's baseline, ...)
     * @param tasks       multiple-choice tasks scored with the quality (--tasks); null if none
     */
    public record Measurement(Path promptsFile, int repetitions, int warmup, List<String> tests, List<Integer> ladder,
                              boolean wrapper, boolean quality, dev.minillm.eval.TaskSelection tasks) {
    }

    /**
     * @param timeoutSeconds per cell, child JVM start to result
     * @param force          measure again even when a matching result exists
     */
    public record Output(Path out, int timeoutSeconds, boolean force, boolean verbose) {
    }

    public Path out() {
        return output.out();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a config by name; unset parts take the bench command's defaults. */
    public static final class Builder {
        private List<Path> models = List.of();
        private Path modelDir = Path.of("models");
        private boolean modelDirGiven;
        private Set<String> quants = Set.of();
        private Set<String> backends = Set.of("cpu");
        private List<String> engines = List.of();
        private final Map<Dimension<?>, List<?>> sweep = new LinkedHashMap<>();
        private Path promptsFile;
        private int repetitions = DEFAULT_REPETITIONS;
        private int warmup = DEFAULT_WARMUP;
        private List<String> tests = List.of(Settings.PROMPT_SET_TEST);
        private List<Integer> ladder = List.of();
        private boolean wrapper = true;
        private boolean quality;
        private dev.minillm.eval.TaskSelection tasks;
        private Path out = Path.of("results");
        private int timeoutSeconds = DEFAULT_TIMEOUT_S;
        private boolean force;
        private boolean verbose;
        private Speculation speculation;

        public Builder models(List<Path> v) { models = List.copyOf(v); return this; }
        public Builder modelDir(Path v, boolean given) { modelDir = v; modelDirGiven = given; return this; }
        public Builder quants(Set<String> v) { quants = Set.copyOf(v); return this; }
        public Builder backends(Set<String> v) { backends = Set.copyOf(v); return this; }
        public Builder engines(List<String> v) { engines = List.copyOf(v); return this; }
        public <T> Builder sweep(Dimension<T> d, List<T> values) { sweep.put(d, List.copyOf(values)); return this; }
        public Builder sweepText(Dimension<?> d, String text) { sweep.put(d, d.values(text)); return this; }
        public Builder promptsFile(Path v) { promptsFile = v; return this; }
        public Builder repetitions(int v) { repetitions = v; return this; }
        public Builder warmup(int v) { warmup = v; return this; }
        public Builder tests(List<String> v) { tests = List.copyOf(v); return this; }
        public Builder ladder(List<Integer> v) { ladder = List.copyOf(v); return this; }
        public Builder wrapper(boolean v) { wrapper = v; return this; }
        public Builder quality(boolean v) { quality = v; return this; }
        public Builder tasks(dev.minillm.eval.TaskSelection v) { tasks = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder timeoutSeconds(int v) { timeoutSeconds = v; return this; }
        public Builder force(boolean v) { force = v; return this; }
        public Builder verbose(boolean v) { verbose = v; return this; }
        public Builder speculation(Speculation v) { speculation = v; return this; }

        public BenchConfig build() {
            return new BenchConfig(new Selection(models, modelDir, modelDirGiven, quants, backends, engines), new Sweep(sweep),
                    new Measurement(promptsFile, repetitions, warmup, tests, ladder, wrapper, quality, tasks),
                    new Output(out, timeoutSeconds, force, verbose), speculation);
        }
    }
}
