package dev.minillm.cli;

import dev.minillm.bench.Bench;
import dev.minillm.bench.BenchConfig;
import dev.minillm.bench.Dimension;
import dev.minillm.bench.Dimensions;
import dev.minillm.bench.LlamaBenchTests;
import dev.minillm.bench.ResultsLock;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.LlamaFileType;
import dev.minillm.report.OutputFormat;
import dev.minillm.report.ReportGenerator;
import dev.minillm.report.ReportNotWrittenException;
import dev.minillm.report.ReportOptions;
import dev.minillm.report.ReportResult;
import dev.minillm.results.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true, modelTransformer = BenchCommand.SweepOptions.class,
        description = {"Benchmark GGUF variants through llama.cpp: load time (cold and warm), time to first token, "
                + "prompt and decode speed, inter-token latency and memory, each cell (model x variant x backend) "
                + "in its own JVM. Every setting option takes a comma list (--threads 1,2 --flash-attn off,on): the cells are "
                + "the product. Results: <out>/raw/<model>/<variant>__<backend>[__<settings>].json; a Markdown table on stdout."})
public final class BenchCommand implements Callable<Integer> {
    /**
     * The quick job (the default): fewer and shorter repetitions, so the README's first command ends
     * in minutes on a 2-core machine, still with a discarded warmup and enough repetitions for a
     * spread the audit can judge.
     */
    static final int QUICK_REPETITIONS = 3;
    static final int QUICK_N_PREDICT = Dimensions.QUICK_N_PREDICT;

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
            description = "cpu: no layer offloaded; gpu: the layers --gpu-layers names offloaded, all by default (skipped with "
                    + "the reason when the build has no GPU backend); both (or cpu,gpu). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Prompts, one per line (default: prompts/prompts.txt, else the built-in set).")
    Path prompts;

    @Option(names = "--repetitions", paramLabel = "N",
            description = "Measured repetitions per cell (default: " + QUICK_REPETITIONS + ", with --thorough " + BenchConfig.DEFAULT_REPETITIONS + ").")
    Integer repetitions;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchConfig.DEFAULT_WARMUP,
            description = "Warmup repetitions, discarded (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "LIST", split = ",",
            description = "llama-bench's prompt-processing tests: pp<N> for each N, e.g. -p 512 (in addition to the prompt set).")
    List<Integer> nPrompt = new ArrayList<>();

    @Option(names = {"-n", "--n-gen"}, paramLabel = "LIST", split = ",",
            description = "llama-bench's generation tests: tg<N> for each N, e.g. -n 128.")
    List<Integer> nGen = new ArrayList<>();

    @Option(names = "-pg", paramLabel = "P,G",
            description = "llama-bench's prompt + generation test pp<P>+tg<G>, e.g. -pg 512,128 (repeatable).")
    List<String> pg = new ArrayList<>();

    @Option(names = {"-d", "--depth"}, paramLabel = "LIST", split = ",",
            description = "Run each llama-bench test after a KV cache already holding N tokens (\"@ d<N>\"), e.g. -d 0,4096.")
    List<Integer> depth = new ArrayList<>();

    @Option(names = "--ladder", paramLabel = "LIST", split = ",",
            description = "Context ladder: at each depth (tokens in the KV cache) the analytic KV bytes, llama.cpp's KV size, "
                    + "the RSS it costs and decode tok/s, e.g. --ladder 128,256,512,1024,2048,4096.")
    List<Integer> ladder = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "md|csv|json|jsonl|summary", defaultValue = "md",
            description = "What goes to stdout: the Markdown report (md), its CSV, the cell results as a JSON array (json) "
                    + "or one per line (jsonl), or the report's JSON summary with the verdict (summary). The files in "
                    + "--results are written regardless. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write that output to FILE instead of stdout.")
    Path outputFile;

    @Option(names = "--thorough", description = "The full protocol: " + BenchConfig.DEFAULT_REPETITIONS + " repetitions of "
            + Dimensions.DEFAULT_N_PREDICT + " tokens per prompt and the wrapper's figure. Without it bench runs the quick job: "
            + QUICK_REPETITIONS + " repetitions of " + QUICK_N_PREDICT + " tokens, no wrapper figure (same warmup, cold and warm "
            + "loads, prompts, llama.cpp's own timers and statistics).")
    boolean thorough;

    // A field initialiser, not defaultValue: picocli would apply that after the old spelling set the field.
    @Option(names = "--results", paramLabel = "DIR",
            description = "Results directory, as 'report --results' reads it (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results");

    @Option(names = "--out", paramLabel = "DIR", hidden = true, description = "old spelling of --results")
    void oldOut(Path dir) {
        out = dir;
    }

    @Option(names = "--json", description = "Print the report's JSON summary (summary.json: the tables' figures and the verdict) "
            + "on stdout instead of the Markdown table; the same as -o summary.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + BenchConfig.DEFAULT_TIMEOUT_S,
            description = "Per cell; a cell running longer is killed and recorded as failed (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--force", description = "Re-measure cells that already have an ok result.")
    boolean force;

    // Null unless given: the quick job leaves the wrapper's figure out, --thorough measures it.
    @Option(names = "--wrapper", negatable = true,
            description = "Also measure java-llama.cpp's own decode loop on the same prompts (the wrapper's figure, a cross-check "
                    + "that doubles a cell's time). Default: with --thorough only; --no-wrapper leaves it out there too.")
    Boolean wrapper;

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

    @Spec
    CommandSpec spec;

    /** Adds one option per sweep dimension, so a new dimension needs no change here. */
    static final class SweepOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (Dimension<?> d : Dimensions.ALL) {
                command.addOption(OptionSpec.builder(d.option()).paramLabel("LIST").type(String.class)
                        .description(d.description()).build());
            }
            return command;
        }
    }

    @Override
    public Integer call() {
        // a malformed constraint must fail before the measurements, not after them
        verdict.constraints();
        OutputFormat format = json ? OutputFormat.SUMMARY : OutputFormat.parse(output);
        int repetitions = this.repetitions != null ? this.repetitions : thorough ? BenchConfig.DEFAULT_REPETITIONS : QUICK_REPETITIONS;
        BenchConfig.Builder b = BenchConfig.builder()
                .models(models).modelDir(modelDir != null ? modelDir : Path.of("models"), modelDir != null)
                .quants(parseQuants(quant)).backends(parseBackends(backend))
                .engines(dev.minillm.engine.Engines.parseList(engine))
                .promptsFile(prompts).repetitions(positive("--repetitions", repetitions)).warmup(atLeast("--warmup", warmup, 0))
                .wrapper(wrapper != null ? wrapper : thorough).quality(quality).tasks(taskSelection())
                .tests(tests()).ladder(atLeast("--ladder", ladder, 1))
                .out(out).timeoutSeconds(positive("--timeout", timeout)).force(force).verbose(verbose)
                .speculation(speculation(drafts, draftMax));
        for (Dimension<?> d : Dimensions.ALL) {
            b.sweepText(d, spec.findOption(d.option()).getValue());
        }
        if (spec.findOption(Dimensions.N_PREDICT.option()).getValue() == null) {
            // the quick job generates fewer tokens per prompt unless --thorough
            b.sweep(Dimensions.N_PREDICT, List.of(thorough ? Dimensions.DEFAULT_N_PREDICT : QUICK_N_PREDICT));
        }
        BenchConfig config = b.build();
        if (!config.select().backends().contains("gpu")) {
            for (Dimension<?> d : Dimensions.ALL) {
                if (d.placement() && !config.sweep().of(d).isEmpty()) {
                    throw new BadInputException(d.option() + " places the layers of gpu cells: it needs --backend gpu or both, not cpu");
                }
            }
        }
        if (config.speculation() != null) {
            int k = config.speculation().draftMax().stream().mapToInt(Integer::intValue).max().orElse(1);
            for (Object batch : orDefault(config, Dimensions.BATCH)) {
                if (k + 1 > (Integer) batch) {
                    throw new BadInputException("--draft-max " + k + " needs --batch of at least " + (k + 1)
                            + " (the target checks K+1 positions in one batch)");
                }
            }
        }
        for (Object n : orDefault(config, Dimensions.N_PREDICT)) {
            for (Object ctx : orDefault(config, Dimensions.CTX)) {
                if ((Integer) n >= (Integer) ctx) {
                    throw new BadInputException("--n-predict " + n + " does not fit --ctx " + ctx + " (the prompt needs room too)");
                }
            }
        }
        // One run per results directory: a second one would halve both runs' figures and race on the files.
        try (ResultsLock lock = ResultsLock.acquire(config.out())) {
            return runLocked(config, lock, format);
        }
    }

    private int runLocked(BenchConfig config, ResultsLock lock, OutputFormat format) {
        Bench.Outcome outcome = Bench.run(config, lock);
        // The comparison of everything measured into --out so far (this run's cells included).
        Path tables = config.out().resolve("tables");
        String notWritten = null;
        try {
            ReportResult report = ReportGenerator.generate(config.out(), tables, new ReportOptions(false, true, verdict.constraints()));
            print(format.render(report, outcome.results()));
        } catch (ReportNotWrittenException e) {
            // the table was computed: show it although no file holds it
            print(format == OutputFormat.MD ? e.markdown() : format.renderCells(outcome.results()));
            notWritten = e.getMessage();
        } catch (RuntimeException e) {
            notWritten = e.getMessage();
        }
        System.out.flush();
        System.err.println("minillm: " + outcome.ran() + " measured, " + outcome.reused() + " reused (same settings), "
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

    /** Machine output goes to --output-file or stdout, never mixed with the logs on stderr. */
    private void print(String text) {
        if (outputFile == null) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        try {
            AtomicFiles.writeBytes(outputFile, text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new RunFailedException(outputFile + ": cannot write the output: " + e.getMessage(), e);
        }
    }

    /** The prompt set, then llama-bench's tests in its order. */
    private List<String> tests() {
        List<int[]> pairs = pg.stream().map(LlamaBenchTests::pair).toList();
        List<String> out = new ArrayList<>();
        out.add(Settings.PROMPT_SET_TEST);
        out.addAll(LlamaBenchTests.names(atLeast("-p", nPrompt, 1), atLeast("-n", nGen, 1), pairs, atLeast("-d", depth, 0)));
        return out;
    }

    private static List<Integer> atLeast(String name, List<Integer> values, int min) {
        values.forEach(v -> atLeast(name, v, min));
        return values;
    }

    private static List<?> orDefault(BenchConfig c, Dimension<?> d) {
        return c.sweep().of(d).isEmpty() ? List.of(c.sweep().first(d)) : c.sweep().of(d);
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
        return switch (text.replace(" ", "").toLowerCase(Locale.ROOT)) {
            case "cpu" -> Set.of("cpu");
            case "gpu" -> Set.of("gpu");
            case "both", "cpu,gpu", "gpu,cpu" -> Set.of("cpu", "gpu");
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
