package dev.minillm.eval;

import dev.minillm.common.BadInputException;
import dev.minillm.common.Progress;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.KvCacheTypes;
import dev.minillm.engine.Session;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.ModelInfo;
import dev.minillm.metrics.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The single entry point of a quality measurement of one model file (one bench cell or one
 * {@code minillm eval} call): perplexity, divergence from the baseline, greedy agreement and the
 * hallucination check, as the schema's "quality" block.
 *
 * <p>The baseline's distributions are computed once and kept in a record file
 * ({@link QualityOptions#baselineFile}); later variants reuse it while its model file, text and
 * settings still match. When the model is the baseline itself, a single pass both writes the
 * record and compares against it (KL 0, agreement 100 %).
 */
public final class QualityRunner {
    /** Session context for generation: prompts plus answers must fit. */
    static final int MIN_GENERATION_CTX = 1024;

    private QualityRunner() {
    }

    public static QualityResult run(Path model, Path baselineModel, QualityOptions o) {
        requireFile(model, "model");
        if (!defaultKv(o)) {
            KvCacheTypes.check(model, o.cacheTypeK(), o.cacheTypeV(), o.flashAttn());
        }
        if (GgufFile.open(model).isSynthetic()) {
            return QualityResult.syntheticWeights();
        }
        boolean needText = o.ppl() || (baselineModel != null && o.kld());
        EvalResources.Loaded text = needText ? requireText(o.textFile()) : null;
        EvalResources.Loaded promptSource = EvalResources.prompts(o.promptsFile());
        List<String> prompts = EvalResources.lines(promptSource.text());
        if (prompts.isEmpty()) {
            throw new BadInputException(promptSource.source() + ": no prompts");
        }
        List<Question> questions = o.hallucination() ? Question.load(o.questionsFile()) : List.of();
        // Read (and check) the task data before any model is loaded: a missing file costs nothing.
        List<ChoiceEval.TaskData> taskData = new java.util.ArrayList<>();
        for (ChoiceTask t : o.tasks()) {
            taskData.add(ChoiceEval.load(t, null, null, o.modelsDir()));
        }

        BaselineRecord record = null;
        String baselineVariant = null;
        boolean modelIsBaseline = false;
        boolean compare = baselineModel != null && (o.kld() || o.greedy());
        Path recordFile = null;
        BaselineRecord.Header want = null;
        if (compare) {
            requireFile(baselineModel, "baseline model");
            GgufFile baseFile = GgufFile.open(baselineModel);
            ModelInfo baseInfo = baseFile.info();
            if (baseInfo.synthetic()) {
                throw new BadInputException(baselineModel + ": the baseline has synthetic weights; divergence from it means nothing");
            }
            requireSameVocabulary(model, GgufFile.open(model), baselineModel, baseFile);
            baselineVariant = o.baselineVariant() != null ? o.baselineVariant()
                    : baseInfo.fileTypeOrDominant() != null ? baseInfo.fileTypeOrDominant() : baselineModel.getFileName().toString();
            // With another KV cache the same file is a variant of itself: its baseline pass keeps the default cache.
            modelIsBaseline = sameFile(model, baselineModel) && defaultKv(o);
            recordFile = o.baselineFile(baselineModel);
            want = wantedHeader(baselineModel, baselineVariant, o, requireText(o.textFile()), prompts);
            record = BaselineRecord.read(recordFile);
            if (record != null && !record.header().matches(want)) {
                Progress.info("baseline record " + recordFile + " was made with other inputs or settings: recomputing it");
                record = null;
            }
            if (record == null && !modelIsBaseline) {
                record = buildRecord(baselineModel, want, o, prompts, recordFile);
            }
        }

        try (Session session = open(model, o)) {
            QualityResult.Ppl ppl = null;
            QualityResult.Kld kld = null;
            QualityResult.Greedy greedy = null;
            Double evalTps = null;
            boolean recording = compare && record == null;
            int[][] ownContinuations = null;
            if (needText || recording) {
                EvalResources.Loaded t = text != null ? text : requireText(o.textFile());
                int[] tokens = TextScorer.tokenize(session, t.text());
                if (recording) {
                    record = BaselineRecord.create(completeHeader(want, session, tokens, o.ctx(), o.maxChunks()));
                } else if (record != null) {
                    checkCompatible(record, session, tokens, model);
                }
                Divergence div = record != null && o.kld()
                        ? new Divergence(record, TextScorer.scoredPositions(tokens.length, o.ctx(), o.maxChunks())) : null;
                BaselineRecord rec = record;
                TextScorer.Result r = TextScorer.score(session, tokens, o.ctx(), o.maxChunks(), (pos, target, lp) -> {
                    if (recording) {
                        rec.record(pos, lp);
                    }
                    if (div != null) {
                        div.add(pos, lp);
                    }
                }, "perplexity " + model.getFileName());
                evalTps = r.evalTokensPerSecond();
                if (o.ppl()) {
                    ppl = new QualityResult.Ppl(r.ppl(), r.pplStderr(), r.tokensScored(), r.ctx(), t.source(), r.chunks(), r.nllMean());
                }
                if (recording) {
                    ownContinuations = GreedyAgreement.continuations(session, prompts, o.greedyTokens());
                    record.setHeader(record.header().withResults(r.ppl(), r.pplStderr(), ownContinuations));
                    record.write(recordFile);
                    Progress.info("baseline record written: " + recordFile);
                }
                if (div != null) {
                    kld = div.result(r.ppl() - record.header().ppl(), record.header().ppl());
                }
            }
            if (record != null && o.greedy()) {
                int[][] mine = ownContinuations != null ? ownContinuations
                        : GreedyAgreement.continuations(session, prompts, o.greedyTokens());
                greedy = GreedyAgreement.compare(record.header().greedyContinuations(), mine, o.greedyTokens(),
                        promptSource.source());
            }
            QualityResult.Hallucination hall = null;
            List<QualityResult.FreeForm> free = null;
            if (o.hallucination()) {
                HallucinationCheck.Outcome out = HallucinationCheck.run(session, questions, o.answerTokens(), o.freeFormTokens());
                hall = out.hallucination();
                free = out.freeForm();
            }
            List<TaskAccuracy> mc = null;
            if (!taskData.isEmpty()) {
                mc = new java.util.ArrayList<>();
                for (ChoiceEval.TaskData d : taskData) {
                    mc.add(ChoiceEval.run(session, d, new ChoiceEval.Sample(o.taskLimit(), o.taskSeed(), null), null));
                }
            }
            return new QualityResult(false, null, baselineVariant, ppl, kld, greedy, hall, free, evalTps, mc,
                    baselineModel != null ? weightFidelity(baselineModel, model) : null, kvCache(model, o));
        }
    }

    /**
     * Per-tensor cosine / max-abs error of the model's dequantized weights against the baseline's;
     * null (with a note on stderr) when the two files do not hold the same tensors.
     */
    static dev.minillm.quant.WeightFidelity weightFidelity(Path baselineModel, Path model) {
        try {
            return dev.minillm.quant.QuantError.compare(baselineModel, model).fidelity();
        } catch (BadInputException e) {
            Progress.info("weight fidelity not measured: " + e.getMessage());
            return null;
        }
    }

    /** KL divergence and top-1 agreement accumulated over the scored positions. */
    static final class Divergence {
        private final BaselineRecord record;
        private final double[] kl;
        private int top1Same;
        private int n;

        Divergence(BaselineRecord record, int positions) {
            this.record = record;
            this.kl = new double[positions];
        }

        void add(int pos, double[] lp) {
            kl[pos] = record.klDivergence(pos, lp);
            if (LogProbs.argmax(lp) == record.top1(pos)) {
                top1Same++;
            }
            n++;
        }

        QualityResult.Kld result(double deltaPpl, double baselinePpl) {
            double sum = 0;
            double sum2 = 0;
            double max = 0;
            for (int i = 0; i < n; i++) {
                sum += kl[i];
                sum2 += kl[i] * kl[i];
                max = Math.max(max, kl[i]);
            }
            double mean = sum / n;
            double var = n > 1 ? Math.max(0, (sum2 - n * mean * mean) / (n - 1)) : 0;
            double p99 = Stats.percentile(java.util.Arrays.copyOf(kl, n), 99);
            return new QualityResult.Kld(mean, p99, (double) top1Same / n, deltaPpl, Math.sqrt(var / n), max,
                    baselinePpl, record.topK(), n);
        }
    }

    /** Computes and writes the baseline record with the baseline model. */
    static BaselineRecord buildRecord(Path baselineModel, BaselineRecord.Header want, QualityOptions o,
                                      List<String> prompts, Path recordFile) {
        Progress.info("computing the baseline record from " + baselineModel + " (once; kept in " + recordFile + ")");
        EvalResources.Loaded text = requireText(o.textFile());
        try (Session session = open(baselineModel, o, false)) {
            int[] tokens = TextScorer.tokenize(session, text.text());
            BaselineRecord rec = BaselineRecord.create(completeHeader(want, session, tokens, o.ctx(), o.maxChunks()));
            TextScorer.Result r = TextScorer.score(session, tokens, o.ctx(), o.maxChunks(), (pos, target, lp) -> rec.record(pos, lp),
                    "baseline " + baselineModel.getFileName());
            int[][] cont = GreedyAgreement.continuations(session, prompts, o.greedyTokens());
            rec.setHeader(rec.header().withResults(r.ppl(), r.pplStderr(), cont));
            rec.write(recordFile);
            return rec;
        }
    }

    static BaselineRecord.Header wantedHeader(Path baselineModel, String variant, QualityOptions o,
                                              EvalResources.Loaded text, List<String> prompts) {
        long size;
        long mtime;
        try {
            size = Files.size(baselineModel);
            mtime = Files.getLastModifiedTime(baselineModel).toMillis();
        } catch (IOException e) {
            throw new BadInputException(baselineModel + ": cannot read: " + e.getMessage());
        }
        return new BaselineRecord.Header(BaselineRecord.FORMAT_VERSION, baselineModel.toAbsolutePath().normalize().toString(),
                size, mtime, variant, o.ctx(), o.maxChunks(), o.topK(), 0, text.source(),
                BaselineRecord.sha256(text.text().getBytes(StandardCharsets.UTF_8)), null, 0, Double.NaN, Double.NaN,
                BaselineRecord.sha256(String.join("\n", prompts).getBytes(StandardCharsets.UTF_8)), o.greedyTokens(),
                null, Instant.now().toString());
    }

    private static BaselineRecord.Header completeHeader(BaselineRecord.Header h, Session s, int[] tokens, int ctx,
                                                        int maxChunks) {
        int k = Math.min(h.topK(), s.vocabularySize());
        return new BaselineRecord.Header(h.formatVersion(), h.modelFile(), h.modelBytes(), h.modelMtimeMs(), h.variant(), h.ctx(), h.maxChunks(), k,
                s.vocabularySize(), h.text(), h.textSha256(), BaselineRecord.sha256(tokens),
                TextScorer.scoredPositions(tokens.length, ctx, maxChunks), h.ppl(), h.pplStderr(), h.greedyPromptsSha256(),
                h.greedyNPredict(), h.greedyContinuations(), h.createdUtc());
    }

    /**
     * Divergence compares distributions token by token, so both files need the same vocabulary.
     * Checked from the GGUF headers before any work: a mismatch found after the baseline record
     * would cost minutes on a real model.
     */
    static void requireSameVocabulary(Path model, GgufFile modelFile, Path baseline, GgufFile baselineFile) {
        long n = modelFile.info().vocabSize();
        long nBase = baselineFile.info().vocabSize();
        if (n != nBase) {
            throw new BadInputException(model + ": its vocabulary has " + n + " tokens, the baseline " + baseline + "'s has "
                    + nBase + "; divergence needs the same vocabulary (use a variant of the same model as --baseline)");
        }
        for (String key : new String[] {"tokenizer.ggml.model", "tokenizer.ggml.tokens"}) {
            if (!java.util.Objects.equals(modelFile.metadata().get(key), baselineFile.metadata().get(key))) {
                throw new BadInputException(model + ": its " + key + " differs from the baseline " + baseline
                        + "'s; divergence needs the same vocabulary (use a variant of the same model as --baseline)");
            }
        }
    }

    private static void checkCompatible(BaselineRecord record, Session s, int[] tokens, Path model) {
        BaselineRecord.Header h = record.header();
        if (h.nVocab() != s.vocabularySize() || !BaselineRecord.sha256(tokens).equals(h.tokensSha256())) {
            throw new BadInputException(model + ": its tokenizer differs from the baseline's ("
                    + h.modelFile() + "); divergence needs the same vocabulary and tokenization");
        }
    }

    static Session open(Path model, QualityOptions o) {
        return open(model, o, true);
    }

    /** {@code ownKv}: the options' KV cache; false: llama.cpp's default (the baseline's). */
    static Session open(Path model, QualityOptions o, boolean ownKv) {
        int sessionCtx = Math.max(o.ctx(), MIN_GENERATION_CTX);
        // One KV sequence per choice when choices are scored (tasks, the facts' likelihood score).
        int sequences = o.tasks().isEmpty() && !o.hallucination() ? 1 : ChoiceScorer.MAX_CHOICES;
        EngineSettings s = ownKv
                ? new EngineSettings(o.threads(), sessionCtx, o.ctx(), Math.min(o.ctx(), 512), o.cacheTypeK(), o.cacheTypeV(),
                        o.flashAttn(), o.gpuLayers(), o.verbose())
                : new EngineSettings(o.threads(), sessionCtx, o.ctx(), o.gpuLayers(), o.verbose());
        return dev.minillm.engine.Engines.open(o.openEngine(), model, s, sequences);
    }

    static boolean defaultKv(QualityOptions o) {
        return KvCacheTypes.DEFAULT.equals(o.cacheTypeK()) && KvCacheTypes.DEFAULT.equals(o.cacheTypeV()) && !o.flashAttn();
    }

    private static QualityResult.KvCache kvCache(Path model, QualityOptions o) {
        Double bytes;
        Double defaultBytes;
        try {
            bytes = KvCacheTypes.bytesPerToken(model, o.cacheTypeK(), o.cacheTypeV());
            defaultBytes = KvCacheTypes.bytesPerToken(model, KvCacheTypes.DEFAULT, KvCacheTypes.DEFAULT);
        } catch (BadInputException e) {
            bytes = null; // a header without head sizes: the figures are unknown, the evaluation stands
            defaultBytes = null;
        }
        return new QualityResult.KvCache(o.cacheTypeK(), o.cacheTypeV(), o.flashAttn(), bytes, defaultBytes);
    }

    static EvalResources.Loaded requireText(Path file) {
        EvalResources.Loaded t = EvalResources.text(file, EvalResources.EVAL_TEXT);
        if (t == null) {
            throw new BadInputException(EvalResources.EVAL_TEXT + " not found (neither in the working directory nor in the jar); pass --text FILE");
        }
        return t;
    }

    static void requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(p + ": no such " + what + " file");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
