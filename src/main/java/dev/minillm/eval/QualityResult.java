package dev.minillm.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The "quality" block of a cell result (docs/cell-schema.md). Absent parts (no baseline given,
 * a part switched off) are null and left out of the JSON; JSON names are the snake_case of the
 * component names ({@link QualityJson}).
 */
@QualityJson
public record QualityResult(
        boolean synthetic,
        String note,
        String baselineVariant,
        Ppl ppl,
        Kld kld,
        Greedy greedy,
        Hallucination hallucination,
        List<FreeForm> freeForm,
        Double evalTps,
        List<TaskAccuracy> mc,
        dev.minillm.quant.WeightFidelity weightFidelity,
        KvCache kvCache) {

    public static final String SYNTHETIC_NOTE = "synthetic weights: quality n/a";

    public static QualityResult syntheticWeights() {
        return new QualityResult(true, SYNTHETIC_NOTE, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The KV cache the model was evaluated with (the baseline always uses llama.cpp's default, f16
     * without flash attention), and what one token of context costs in it and in the default.
     */
    @QualityJson
    public record KvCache(String typeK,
                          String typeV,
                          boolean flashAttn,
                          Double bytesPerToken,
                          Double defaultBytesPerToken) {
    }

    /** Perplexity over the evaluation text; {@code stderr} by the delta method, as llama-perplexity. */
    @QualityJson
    public record Ppl(double value,
                      double stderr,
                      int tokensScored,
                      int ctx,
                      String text,
                      int chunks,
                      double nllMean) {
    }

    /**
     * Divergence from the baseline over the same scored positions: KL(baseline || variant) in nats,
     * top-1 agreement of the argmax tokens, and PPL(variant) - PPL(baseline).
     */
    @QualityJson
    public record Kld(double mean,
                      double p99,
                      double top1Agreement,
                      double deltaPpl,
                      double meanStderr,
                      double max,
                      double baselinePpl,
                      int topK,
                      int positions) {
    }

    /** Greedy continuations of the prompt set compared token by token with the baseline's. */
    @QualityJson
    public record Greedy(double firstTokenMatch,
                         double meanPrefixLen,
                         int prompts,
                         int nPredict,
                         double fullMatch,
                         String promptsFile) {
    }

    @QualityJson
    public record Hallucination(int questions,
                                int correct,
                                int wrong,
                                int noAnswer,
                                double accuracy,
                                // Kept as null when nothing was answered: the rate is undefined, not 0.
                                @JsonInclude(JsonInclude.Include.ALWAYS)
                                Double hallucinationRate,
                                String promptMode,
                                String promptNote,
                                List<Answer> answers,
                                Likelihood likelihood) {
    }

    /**
     * The likelihood score of the factual questions: the share whose most probable accepted answer
     * (plain text after the prompt) beats every listed wrong answer, and the mean margin in nats
     * between the best accepted and the best wrong answer. It depends on no phrasing or formatting
     * of a generated answer, and the margin shows small differences between variants.
     */
    @QualityJson
    public record Likelihood(int questions,
                             int preferred,
                             double accuracy,
                             Double accuracyStderr,
                             double meanMargin,
                             Double meanMarginStderr) {
    }

    /** One question's likelihood figures: log-probabilities (nats) of the best accepted and best wrong answer. */
    @QualityJson
    public record FactLikelihood(String bestAnswer,
                                 double answerLogProb,
                                 String bestWrong,
                                 double wrongLogProb,
                                 boolean preferred) {
        public double margin() {
            return answerLogProb - wrongLogProb;
        }
    }

    /** One scored answer, kept whole so a person can audit the verdict. */
    @QualityJson
    public record Answer(String id,
                         String question,
                         String answer,
                         String verdict,
                         String reason,
                         FactLikelihood likelihood) {
    }

    /** A free-form prompt recorded for human reading, not scored. */
    @QualityJson
    public record FreeForm(String id,
                           String prompt,
                           String answer,
                           String promptMode) {
    }
}
