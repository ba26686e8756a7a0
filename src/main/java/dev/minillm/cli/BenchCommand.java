package dev.minillm.cli;

import dev.minillm.bench.Bench;
import dev.minillm.bench.BenchConfig;
import dev.minillm.bench.ResultsLock;
import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.LlamaFileType;
import dev.minillm.metrics.HardwareSnapshot;
import dev.minillm.report.ReportGenerator;
import dev.minillm.report.ReportNotWrittenException;
import dev.minillm.report.ReportOptions;
import dev.minillm.report.ReportResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Benchmark GGUF variants through llama.cpp: load time (cold and warm), time to first token, "
                + "prompt and decode speed, inter-token latency and memory, each cell (model x variant x backend) "
                + "in its own JVM. Results: <out>/raw/<model>/<variant>__<backend>.json; a Markdown table on stdout."})
public final class BenchCommand implements Callable<Integer> {
    /**
     * The quick job (the default): fewer and shorter repetitions, so the README's first command ends
     * in minutes on a 2-core machine, still with a discarded warmup and enough repetitions for a
     * spread the audit can judge.
     */
    static final int QUICK_REPETITIONS = 3;
    static final int QUICK_N_PREDICT = 32;

    @Option(names = "--model", paramLabel = "FILE", description = "GGUF file to benchmark (repeatable). Default: scan --models-dir.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Directory of <model-id>/<file>.gguf (default: models).")
    Path modelDir;

    @Option(names = "--model-dir", paramLabel = "DIR", hidden = true, description = "old spelling of --models-dir")
    void oldModelDir(Path dir) {
        modelDir = dir;
    }

    @Option(names = "--quant", paramLabel = "LIST", defaultValue = "all",
            description = "Variants to run, e.g. q5_k_m or q4_k_m,q5_k_m,f16, or all (default: ${DEFAULT-VALUE}).")
    String quant;

    @Option(names = "--backend", paramLabel = "cpu|gpu|both", defaultValue = "both",
            description = "cpu: no layer offloaded; gpu: all layers offloaded (skipped with the reason when the build has no GPU backend). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: physical cores).")
    Integer threads;

    @Option(names = "--ctx", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_CTX,
            description = "Context size; must fit the longest prompt + --n-predict (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_BATCH, description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--n-predict", paramLabel = "N",
            description = "Tokens generated per prompt, end-of-text ignored (default: " + QUICK_N_PREDICT + ", with --thorough "
                    + BenchConfig.DEFAULT_N_PREDICT + ").")
    Integer nPredict;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Prompts, one per line (default: prompts/prompts.txt, else the built-in set).")
    Path prompts;

    @Option(names = "--repetitions", paramLabel = "N",
            description = "Measured repetitions per cell (default: " + QUICK_REPETITIONS + ", with --thorough " + BenchConfig.DEFAULT_REPETITIONS + ").")
    Integer repetitions;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_WARMUP,
            description = "Warmup repetitions, discarded (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--thorough", description = "The full protocol: " + BenchConfig.DEFAULT_REPETITIONS + " repetitions of "
            + BenchConfig.DEFAULT_N_PREDICT + " tokens per prompt. Without it bench runs the quick job: " + QUICK_REPETITIONS
            + " repetitions of " + QUICK_N_PREDICT + " tokens (same warmup, cold and warm loads, prompts and statistics).")
    boolean thorough;

    // A field initialiser, not defaultValue: picocli would apply that after the old spelling set the field.
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory, as 'report --results' reads it (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results");

    @Option(names = "--out", paramLabel = "DIR", hidden = true, description = "old spelling of --results")
    void oldOut(Path dir) {
        out = dir;
    }

    @Option(names = "--json", description = "Print the report's JSON summary on stdout instead of the Markdown table.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + BenchConfig.DEFAULT_TIMEOUT_S,
            description = "Per cell; a cell running longer is killed and recorded as failed (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--force", description = "Re-measure cells that already have an ok result.")
    boolean force;

    @Option(names = "--no-wrapper", description = "Skip the java-llama.cpp wrapper's decode figure.")
    boolean noWrapper;

    @Option(names = "--quality", description = "Also measure quality in each cell: perplexity, KL divergence and greedy agreement "
            + "vs the family's baseline (F16, else its most precise variant), hallucination check (see 'minillm eval'). Slower.")
    boolean quality;

    @Option(names = "--engine", paramLabel = "LIST", defaultValue = "bundled",
            description = "llama.cpp engine(s): bundled (b4916, no set-up), native (built by scripts/build-native.sh) "
                    + "or a native build folder; a comma list runs every cell on each (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "With --quality: also score multiple-choice tasks in every cell (arc_easy, arc_challenge, hellaswag, "
                    + "piqa, winogrande; data from 'minillm download --dataset'), as 'minillm eval mc' does.")
    java.util.List<String> tasks;

    @picocli.CommandLine.Mixin
    TaskSampleOptions sample;

    @Option(names = "--draft", paramLabel = "FILE|none",
            description = "Speculative decoding: a draft model with the target's vocabulary, e.g. a low-bit copy of it "
                    + "(repeatable, a matrix dimension). Each cell then compares speculative with target-only greedy decoding "
                    + "of the same prompts. 'none' also keeps the ordinary cells. Default: none.")
    List<String> drafts = new ArrayList<>();

    @Option(names = "--draft-max", paramLabel = "LIST", defaultValue = "" + BenchConfig.DEFAULT_DRAFT_MAX,
            description = "With --draft: K, the most tokens the draft proposes per step; a comma list sweeps it, e.g. 1,2,3,4 "
                    + "(default: ${DEFAULT-VALUE}).")
    String draftMax;

    @Option(names = "--verbose", description = "Show llama.cpp's log and the child JVMs' output.")
    boolean verbose;

    @Mixin
    VerdictOptions verdict;

    /** The --tasks sample, checked (task names, data files) before anything runs; null without --tasks. */
    private dev.minillm.eval.TaskSelection taskSelection() {
        if (tasks == null || tasks.isEmpty()) {
            return null;
        }
        if (!quality) {
            throw new BadInputException("--tasks scores multiple-choice accuracy in the quality run: add --quality");
        }
        dev.minillm.eval.TaskSelection t = new dev.minillm.eval.TaskSelection(tasks, sample.limit, sample.seed,
                (modelDir != null ? modelDir : Path.of("models")).toAbsolutePath().toString());
        t.check();
        return t;
    }

    @Override
    public Integer call() {
        // a malformed constraint must fail before the measurements, not after them
        dev.minillm.report.Constraints constraints = verdict.constraints();
        int nPredict = this.nPredict != null ? this.nPredict : thorough ? BenchConfig.DEFAULT_N_PREDICT : QUICK_N_PREDICT;
        int repetitions = this.repetitions != null ? this.repetitions : thorough ? BenchConfig.DEFAULT_REPETITIONS : QUICK_REPETITIONS;
        BenchConfig config = new BenchConfig(models, modelDir != null ? modelDir : Path.of("models"), modelDir != null,
                parseQuants(quant), parseBackends(backend), threads != null ? positive("--threads", threads) : HardwareSnapshot.defaultThreads(),
                atLeast("--ctx", ctx, 8), positive("--batch", batch), positive("--n-predict", nPredict), prompts,
                positive("--repetitions", repetitions), atLeast("--warmup", warmup, 0), out, positive("--timeout", timeout),
                force, verbose, !noWrapper, quality, taskSelection(), speculation(drafts, draftMax),
                dev.minillm.engine.Engines.parseList(engine));
        if (nPredict >= ctx) {
            throw new BadInputException("--n-predict " + nPredict + " does not fit --ctx " + ctx + " (the prompt needs room too)");
        }
        if (config.speculation() != null) {
            int k = config.speculation().draftMax().stream().mapToInt(Integer::intValue).max().orElse(1);
            if (k + 1 > batch) {
                throw new BadInputException("--draft-max " + k + " needs --batch of at least " + (k + 1)
                        + " (the target checks K+1 positions in one batch)");
            }
        }
        // One run per results directory: a second one would halve both runs' figures and race on the files.
        try (ResultsLock lock = ResultsLock.acquire(config.out())) {
            return runLocked(config, lock);
        }
    }

    private int runLocked(BenchConfig config, ResultsLock lock) {
        Bench.Outcome outcome = Bench.run(config, lock);
        // The comparison of everything measured into --out so far (this run's cells included).
        Path tables = config.out().resolve("tables");
        String notWritten = null;
        try {
            ReportResult report = ReportGenerator.generate(config.out(), tables, new ReportOptions(false, true, verdict.constraints()));
            System.out.print(json ? ReportCommand.summaryJson(tables) : report.markdown());
        } catch (ReportNotWrittenException e) {
            System.out.print(e.markdown()); // the table was computed: show it although no file holds it
            notWritten = e.getMessage();
        } catch (RuntimeException e) {
            notWritten = e.getMessage();
        }
        System.out.flush();
        System.err.println("minillm: " + outcome.ran() + " measured, " + outcome.reused() + " already done, "
                + outcome.skipped() + " skipped, " + outcome.failed() + " failed; results in " + config.out().resolve("raw")
                + (notWritten == null ? ", report in " + tables.resolve(ReportGenerator.HTML) + " (tables, CSV, JSON and charts beside it)"
                        : "; NO report was written"));
        if (notWritten != null) {
            throw new RunFailedException("the measurements are safe in " + config.out().resolve("raw")
                    + ", but the report was not written: " + notWritten + "; free space and run 'minillm report --results "
                    + config.out() + "'");
        }
        if (outcome.failed() > 0) {
            throw new RunFailedException(outcome.failed() + " of " + outcome.cells().size() + " cells failed (reasons in the table and in "
                    + config.out().resolve("raw") + ")");
        }
        return Main.EXIT_OK;
    }

    /** --draft and --draft-max; null without --draft (or with only 'none'). */
    static BenchConfig.Speculation speculation(List<String> drafts, String draftMax) {
        List<Path> files = new ArrayList<>();
        boolean none = false;
        for (String d : drafts) {
            if (d.strip().equalsIgnoreCase("none")) {
                none = true;
            } else {
                files.add(Path.of(d));
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        List<Integer> ks = new ArrayList<>();
        for (String part : draftMax.split(",")) {
            int k;
            try {
                k = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new BadInputException("--draft-max: '" + part.strip() + "' is not a whole number");
            }
            if (k < 1 || k > 64) {
                throw new BadInputException("--draft-max must be between 1 and 64, not " + k);
            }
            if (!ks.contains(k)) {
                ks.add(k);
            }
        }
        return new BenchConfig.Speculation(files, none, ks);
    }

    static Set<String> parseQuants(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String q : text.split(",")) {
            if (q.strip().equalsIgnoreCase("all")) {
                return Set.of();
            }
            // Checked before anything is written: a typo must not turn into minutes of work on the wrong variants.
            out.add(LlamaFileType.parse(q, "--quant").label());
        }
        return out;
    }

    static Set<String> parseBackends(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "cpu" -> Set.of("cpu");
            case "gpu" -> Set.of("gpu");
            case "both" -> Set.of("cpu", "gpu");
            default -> throw new BadInputException("--backend must be cpu, gpu or both, not '" + text + "'");
        };
    }

    private static int positive(String name, int v) {
        return atLeast(name, v, 1);
    }

    private static int atLeast(String name, int v, int min) {
        if (v < min) {
            throw new BadInputException(name + " must be at least " + min + ", not " + v);
        }
        return v;
    }
}
