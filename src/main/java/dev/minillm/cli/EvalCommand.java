package dev.minillm.cli;

import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.PrettyJson;
import dev.minillm.common.RunFailedException;
import dev.minillm.engine.KvCacheTypes;
import dev.minillm.eval.EvalSpeed;
import dev.minillm.eval.QualityOptions;
import dev.minillm.eval.QualityResult;
import dev.minillm.eval.QualityRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minillm eval}: quality of one GGUF file — perplexity, divergence, hallucination check. */
@Command(name = "eval",
        description = "Quality of one GGUF model: perplexity, divergence from a baseline, greedy agreement, "
                + "hallucination check, multiple-choice accuracy. See docs/readme/eval.md.",
        subcommands = {EvalCommand.Ppl.class, EvalCommand.Kld.class, EvalCommand.Halluc.class,
                EvalCommand.All.class, EvalCommand.Speed.class, EvalCommand.Mc.class})
public final class EvalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand: ppl, kld, halluc, mc, all or speed");
    }

    /** Options every subcommand takes. */
    static final class Common {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;

        @Mixin ModelOption model;
        @Mixin ThreadsOption threads;

        @Option(names = "--gpu-layers", paramLabel = "N", defaultValue = "0",
                description = "layers to offload to a GPU backend (default: ${DEFAULT-VALUE})")
        int gpuLayers;

        @Option(names = "--json", description = "print the result as JSON (the cell schema's quality block)")
        boolean json;

        @Mixin EngineOption engine;

        @Option(names = "--cache-type-k", paramLabel = "TYPE", defaultValue = KvCacheTypes.DEFAULT,
                description = "KV cache type for K: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1 (default: ${DEFAULT-VALUE}); "
                        + "the baseline of kld keeps f16")
        String cacheTypeK;

        @Option(names = "--cache-type-v", paramLabel = "TYPE", defaultValue = KvCacheTypes.DEFAULT,
                description = "KV cache type for V, as --cache-type-k; a quantized V cache needs --flash-attn (default: ${DEFAULT-VALUE})")
        String cacheTypeV;

        @Option(names = "--flash-attn", description = "use flash attention (needed for a quantized V cache)")
        boolean flashAttn;

        QualityOptions options() {
            KvCacheTypes.parse("--cache-type-k", cacheTypeK);
            KvCacheTypes.parse("--cache-type-v", cacheTypeV);
            return QualityOptions.defaults().threads(threads.get()).gpuLayers(Args.atLeast("--gpu-layers", gpuLayers, 0)).verbose(engine.verbose())
                    .cacheTypeK(cacheTypeK.strip().toLowerCase(Locale.ROOT)).cacheTypeV(cacheTypeV.strip().toLowerCase(Locale.ROOT))
                    .flashAttn(flashAttn).engine(engine.name());
        }

        Path model() {
            return model.model;
        }
    }

    /** Below this chunk size a perplexity figure mostly measures the missing context. */
    static final int MIN_PPL_CTX = 64;

    /** Options of the perplexity pass. */
    static final class TextOptions {
        @Option(names = "--text", paramLabel = "FILE",
                description = "plain-text evaluation file (default: prompts/eval.txt; e.g. wikitext-2's wiki.test.raw)")
        Path text;

        @Option(names = "--ctx", paramLabel = "N", defaultValue = "512",
                description = "chunk size in tokens; the second half of each chunk is scored (default: ${DEFAULT-VALUE})")
        int ctx;

        @Option(names = "--chunks", paramLabel = "N", defaultValue = "0",
                description = "score only the first N chunks (0: all; wiki.test.raw has ~600 at ctx 512)")
        int chunks;

        void apply(QualityOptions o) {
            if (ctx < MIN_PPL_CTX) {
                throw new BadInputException("--ctx " + ctx + " is too small for a meaningful perplexity: only the second half of "
                        + "each chunk is scored, with the first half as its context; use at least " + MIN_PPL_CTX
                        + " (llama-perplexity uses 512)");
            }
            o.textFile(text).ctx(ctx).maxChunks(Args.atLeast("--chunks", chunks, 0));
        }
    }

    @Command(name = "ppl",
            description = "Perplexity of the model on a text, computed as llama-perplexity does.")
    static final class Ppl implements Callable<Integer> {
        @Mixin Common common;
        @Mixin TextOptions text;

        @Override
        public Integer call() {
            QualityOptions o = common.options().kld(false).greedy(false).hallucination(false);
            text.apply(o);
            QualityResult r = QualityRunner.run(common.model(), null, o);
            if (common.json || r.synthetic()) {
                printJson(r.synthetic() ? r : r.ppl());
            } else {
                QualityResult.Ppl p = r.ppl();
                System.out.printf(Locale.ROOT, "PPL = %.4f +/- %.5f  (%d tokens scored in %d chunks of %d, text %s, %.0f tok/s evaluated)%n",
                        p.value(), p.stderr(), p.tokensScored(), p.chunks(), p.ctx(), p.text(), r.evalTps());
                printKv(r.kvCache());
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "kld",
            description = "Divergence of the model from a baseline (KL, top-1 agreement, delta PPL) and greedy agreement.")
    static final class Kld implements Callable<Integer> {
        @Mixin Common common;
        @Mixin TextOptions text;
        @Option(names = "--baseline", required = true, paramLabel = "FILE",
                description = "the full-precision (or highest-precision) variant to compare against")
        Path baselineModel;
        @Mixin BaselineOptions baseline;
        @Mixin GreedyPrompts greedyPrompts;

        @Option(names = "--greedy-tokens", paramLabel = "N", defaultValue = "32",
                description = "tokens generated per prompt for greedy agreement (default: ${DEFAULT-VALUE})")
        int greedyTokens;

        @Override
        public Integer call() {
            QualityOptions o = common.options().hallucination(false).promptsFile(greedyPrompts.prompts)
                    .greedyTokens(Args.positive("--greedy-tokens", greedyTokens));
            text.apply(o);
            baseline.apply(o);
            QualityResult r = QualityRunner.run(common.model(), baselineModel, o);
            if (common.json || r.synthetic()) {
                printJson(r);
            } else {
                QualityResult.Ppl p = r.ppl();
                QualityResult.Kld k = r.kld();
                QualityResult.Greedy g = r.greedy();
                System.out.printf(Locale.ROOT, "baseline %s: PPL %.4f%n", r.baselineVariant(), k.baselinePpl());
                System.out.printf(Locale.ROOT, "model:       PPL %.4f +/- %.5f   delta PPL %+.4f%n", p.value(), p.stderr(), k.deltaPpl());
                System.out.printf(Locale.ROOT, "KL divergence: mean %.6f +/- %.6f  p99 %.6f  max %.6f  (top-%d record, %d positions)%n",
                        k.mean(), k.meanStderr(), k.p99(), k.max(), k.topK(), k.positions());
                System.out.printf(Locale.ROOT, "top-1 agreement: %.2f %%%n", 100 * k.top1Agreement());
                printKv(r.kvCache());
                System.out.printf(Locale.ROOT, "greedy agreement: first token %.0f %%, mean matched prefix %.1f of %d tokens, identical %.0f %% (%d prompts)%n",
                        100 * g.firstTokenMatch(), g.meanPrefixLen(), g.nPredict(), 100 * g.fullMatch(), g.prompts());
            }
            return Main.EXIT_OK;
        }
    }

    /** The prompt set of the greedy-agreement check (kld and all). */
    static final class GreedyPrompts {
        @Option(names = "--prompts", paramLabel = "FILE",
                description = "prompts for greedy agreement, one per line (default: prompts/prompts.txt, else built-in)")
        Path prompts;
    }

    /** Where baseline records are kept and how much of each distribution (kld and all). */
    static final class BaselineOptions {
        @Option(names = "--baseline-dir", paramLabel = "DIR", defaultValue = "results/baseline",
                description = "where the baseline's distributions are kept (default: ${DEFAULT-VALUE})")
        Path baselineDir;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "32",
                description = "baseline log-probabilities kept per position (default: ${DEFAULT-VALUE})")
        int topK;

        void apply(QualityOptions o) {
            o.baselineDir(baselineDir).topK(topK);
        }
    }

    @Command(name = "halluc",
            description = "Hallucination check: factual questions asked greedily, each answer scored correct / wrong / no answer.")
    static final class Halluc implements Callable<Integer> {
        @Mixin Common common;
        @Mixin QuestionOptions questions;

        @Override
        public Integer call() {
            QualityOptions o = common.options().ppl(false).kld(false).greedy(false);
            questions.apply(o);
            QualityResult r = QualityRunner.run(common.model(), null, o);
            if (common.json || r.synthetic()) {
                printJson(r.synthetic() ? r : new HallucinationView(r.hallucination(), r.freeForm()));
            } else {
                QualityResult.Hallucination h = r.hallucination();
                for (QualityResult.Answer a : h.answers()) {
                    QualityResult.FactLikelihood lk = a.likelihood();
                    String byLikelihood = lk == null ? "" : String.format(Locale.ROOT, "  [likelihood: %s %s %+.2f vs %s]",
                            lk.preferred() ? "prefers" : "does not prefer", lk.bestAnswer(), lk.margin(), lk.bestWrong());
                    System.out.printf(Locale.ROOT, "%-9s %-20s %s%s%n", a.verdict(), a.id(), oneLine(a.answer(), 90), byLikelihood);
                }
                System.out.printf(Locale.ROOT, "%nprompt mode: %s (%s)%n", h.promptMode(), h.promptNote());
                System.out.printf(Locale.ROOT, "%d questions: %d correct, %d wrong, %d no answer; accuracy %.1f %%, hallucination rate %s%n",
                        h.questions(), h.correct(), h.wrong(), h.noAnswer(), 100 * h.accuracy(),
                        h.hallucinationRate() == null ? "n/a (nothing answered)" : String.format(Locale.ROOT, "%.1f %%", 100 * h.hallucinationRate()));
                QualityResult.Likelihood lk = h.likelihood();
                if (lk != null) {
                    System.out.printf(Locale.ROOT, "by likelihood: %d of %d questions give an accepted answer more probability than every "
                                    + "listed wrong one (%.1f %% +/- %.1f); mean margin %+.3f nats%n", lk.preferred(), lk.questions(),
                            100 * lk.accuracy(), lk.accuracyStderr() == null ? 0 : 100 * lk.accuracyStderr(), lk.meanMargin());
                }
                for (QualityResult.FreeForm f : r.freeForm()) {
                    System.out.printf(Locale.ROOT, "%nfree-form (%s, not scored):%n%s%n", f.id(), f.answer().strip());
                }
            }
            return Main.EXIT_OK;
        }
    }

    /** The hallucination block with the free-form answers beside it. */
    record HallucinationView(QualityResult.Hallucination hallucination,
                             @com.fasterxml.jackson.annotation.JsonProperty("free_form") java.util.List<QualityResult.FreeForm> freeForm) {
    }

    static final class QuestionOptions {
        @Option(names = "--questions", paramLabel = "FILE",
                description = "questions file, JSON lines (default: prompts/hallucination.jsonl)")
        Path questions;

        @Option(names = "--answer-tokens", paramLabel = "N", defaultValue = "48",
                description = "most tokens generated per answer (default: ${DEFAULT-VALUE})")
        int answerTokens;

        @Option(names = "--free-form-tokens", paramLabel = "N", defaultValue = "200",
                description = "most tokens generated for the free-form prompt (default: ${DEFAULT-VALUE})")
        int freeFormTokens;

        void apply(QualityOptions o) {
            o.questionsFile(questions).answerTokens(answerTokens).freeFormTokens(freeFormTokens);
        }
    }

    @Command(name = "all",
            description = "Every quality measurement; prints (or writes with --out) the cell schema's quality block as JSON.")
    static final class All implements Callable<Integer> {
        @Mixin Common common;
        @Mixin TextOptions text;
        @Option(names = "--baseline", paramLabel = "FILE",
                description = "the full-precision (or highest-precision) variant to compare against (without it: no divergence)")
        Path baselineModel;
        @Mixin BaselineOptions baseline;
        @Mixin QuestionOptions questions;
        @Mixin GreedyPrompts greedyPrompts;
        @Mixin TaskSampleOptions sample;

        @Option(names = "--tasks", split = ",", paramLabel = "TASK",
                description = "also score these multiple-choice tasks (as 'eval mc'; data under --models-dir)")
        List<String> tasks;

        @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
                description = "where downloaded task data is looked for (default: ${DEFAULT-VALUE})")
        Path modelsDir;

        @Option(names = "--out", paramLabel = "FILE", description = "write the JSON here (atomically) instead of stdout")
        Path out;

        @Override
        public Integer call() {
            QualityOptions o = common.options().promptsFile(greedyPrompts.prompts);
            text.apply(o);
            baseline.apply(o);
            questions.apply(o);
            if (tasks != null && !tasks.isEmpty()) {
                new dev.minillm.eval.TaskSelection(tasks, sample.limit, sample.seed, modelsDir.toString()).apply(o);
            }
            QualityResult r = QualityRunner.run(common.model(), baselineModel, o);
            String json = toJson(r);
            if (out != null) {
                try {
                    AtomicFiles.writeString(out, json + "\n");
                } catch (IOException e) {
                    throw new RunFailedException(out + ": cannot write: " + e.getMessage(), e);
                }
                System.err.println("minillm: quality written to " + out);
            } else {
                System.out.println(json);
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "speed",
            description = "Evaluation speed (tokens evaluated per second in the perplexity pass) next to the plain "
                    + "C loop's prompt-processing speed on the same model and chunk size.")
    static final class Speed implements Callable<Integer> {
        @Mixin Common common;
        @Mixin TextOptions text;

        // A field initialiser, not defaultValue: picocli would apply that after the old spelling set the field.
        @Option(names = "--repetitions", paramLabel = "N", description = "measured repetitions (default: ${DEFAULT-VALUE})")
        int reps = 3;

        @Option(names = "--reps", paramLabel = "N", hidden = true, description = "old spelling of --repetitions")
        void oldReps(int n) {
            reps = n;
        }

        @Override
        public Integer call() {
            QualityOptions o = common.options();
            text.apply(o);
            EvalSpeed.Report r = EvalSpeed.measure(common.model(), o, Args.positive("--repetitions", reps));
            if (common.json) {
                printJson(r);
            } else {
                System.out.print(r.describe());
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "mc",
            description = "Multiple-choice accuracy (ARC, HellaSwag, PIQA, WinoGrande) scored by log-likelihood as "
                    + "lm-evaluation-harness does: acc and acc_norm with standard errors, the scored item ids recorded.")
    static final class Mc implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--task", required = true, split = ",", paramLabel = "TASK",
                description = "arc_easy, arc_challenge, hellaswag, piqa, winogrande (comma list)")
        List<String> tasks;

        @Mixin TaskSampleOptions sample;

        @Option(names = "--ids", paramLabel = "FILE",
                description = "score exactly the items named in FILE (one id per line, e.g. a previous run's sample_ids)")
        Path ids;

        @Option(names = "--data", paramLabel = "FILE",
                description = "the task's JSON-lines file or release zip (default: the file 'minillm download --dataset' puts in models/<dataset-id>/); one task only")
        Path data;

        @Option(names = "--labels", paramLabel = "FILE",
                description = "PIQA's separate label file, one 0/1 per line (default: from the zip, or <stem>-labels.lst beside a .jsonl)")
        Path labels;

        @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "models",
                description = "where downloaded task data is looked for (default: ${DEFAULT-VALUE})")
        Path modelsDir;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the JSON result here (atomically)")
        Path out;

        @Option(names = "--unbatched", description = "score every choice in its own pass, context included: the slow "
                + "reference, for measuring what batching over the shared prefix saves (same results)")
        boolean unbatched;

        @Override
        public Integer call() {
            List<dev.minillm.eval.ChoiceTask> parsed = tasks.stream().map(dev.minillm.eval.ChoiceTask::parse).distinct().toList();
            if ((data != null || labels != null) && parsed.size() != 1) {
                throw new BadInputException("--data and --labels name the file of one task; give a single --task");
            }
            if (sample.limit < 0) {
                throw new BadInputException("--limit must be 0 (all items) or more, got " + sample.limit);
            }
            List<String> idList = ids == null ? null : readIds(ids);
            List<dev.minillm.eval.ChoiceEval.TaskData> loaded = parsed.stream()
                    .map(t -> dev.minillm.eval.ChoiceEval.load(t, data, labels, modelsDir)).toList();
            List<dev.minillm.eval.TaskAccuracy> results = dev.minillm.eval.ChoiceRunner.run(common.model(), loaded,
                    new dev.minillm.eval.ChoiceEval.Sample(sample.limit, sample.seed, idList), common.options(), !unbatched);
            String json = toJson(results);
            if (out != null) {
                try {
                    AtomicFiles.writeString(out, json + "\n");
                } catch (IOException e) {
                    throw new RunFailedException(out + ": cannot write: " + e.getMessage(), e);
                }
            }
            if (common.json) {
                System.out.println(json);
            } else {
                for (dev.minillm.eval.TaskAccuracy a : results) {
                    System.out.print(describe(a));
                }
                if (out != null) {
                    System.out.println("result with the scored item ids: " + out);
                }
            }
            return Main.EXIT_OK;
        }

        static List<String> readIds(Path file) {
            try {
                return java.nio.file.Files.readAllLines(file).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new BadInputException(file + ": no such file");
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot read: " + e.getMessage());
            }
        }
    }

    static String describe(dev.minillm.eval.TaskAccuracy a) {
        StringBuilder b = new StringBuilder();
        String sample = a.seed() != null ? "random sample of " + a.items() + " of " + a.available() + " items, seed " + a.seed()
                : a.items() + " of " + a.available() + " items";
        b.append(String.format(Locale.ROOT, "%s (%d-shot, %s; %s)%n", a.task(), a.nShot(), sample, a.data()));
        b.append(String.format(Locale.ROOT, "  acc       %.4f +/- %s%n", a.acc(), fmt(a.accStderr())));
        if (a.accNorm() != null) {
            b.append(String.format(Locale.ROOT, "  acc_norm  %.4f +/- %s%n", a.accNorm(), fmt(a.accNormStderr())));
        }
        b.append(String.format(Locale.ROOT, "  %.2f items/s, %.1f s%n", a.itemsPerSecond(), a.seconds()));
        return b.toString();
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** The KV cache line, printed when it is not llama.cpp's default. */
    static void printKv(QualityResult.KvCache kv) {
        if (kv == null || (KvCacheTypes.DEFAULT.equals(kv.typeK()) && KvCacheTypes.DEFAULT.equals(kv.typeV()) && !kv.flashAttn())) {
            return;
        }
        String bytes = kv.bytesPerToken() == null ? "" : String.format(Locale.ROOT, ", %.0f bytes per token of context (f16: %.0f, %+.1f %%)",
                kv.bytesPerToken(), kv.defaultBytesPerToken(), 100 * (kv.bytesPerToken() / kv.defaultBytesPerToken() - 1));
        System.out.printf(Locale.ROOT, "KV cache: K %s, V %s%s%s%n", kv.typeK(), kv.typeV(), kv.flashAttn() ? ", flash attention" : "", bytes);
    }

    static String oneLine(String s, int max) {
        String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 3) + "...";
    }

    static String toJson(Object o) {
        try {
            return PrettyJson.mapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new RunFailedException("cannot format the result as JSON: " + e.getMessage(), e);
        }
    }

    static void printJson(Object o) {
        System.out.println(toJson(o));
    }
}
