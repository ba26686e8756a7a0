package dev.minillm.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The "quality" block of a cell result (docs/cell-schema.md). Absent parts (no baseline given,
 * a part switched off) are null and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityResult(
        @JsonProperty("synthetic") boolean synthetic,
        @JsonProperty("note") String note,
        @JsonProperty("baseline_variant") String baselineVariant,
        @JsonProperty("ppl") Ppl ppl,
        @JsonProperty("kld") Kld kld,
        @JsonProperty("greedy") Greedy greedy,
        @JsonProperty("hallucination") Hallucination hallucination,
        @JsonProperty("free_form") List<FreeForm> freeForm,
        @JsonProperty("eval_tps") Double evalTps) {

    public static final String SYNTHETIC_NOTE = "synthetic weights: quality n/a";

    public static QualityResult syntheticWeights() {
        return new QualityResult(true, SYNTHETIC_NOTE, null, null, null, null, null, null, null);
    }

    /** Perplexity over the evaluation text; {@code stderr} by the delta method, as llama-perplexity. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ppl(@JsonProperty("value") double value,
                      @JsonProperty("stderr") double stderr,
                      @JsonProperty("tokens_scored") int tokensScored,
                      @JsonProperty("ctx") int ctx,
                      @JsonProperty("text") String text,
                      @JsonProperty("chunks") int chunks,
                      @JsonProperty("nll_mean") double nllMean) {
    }

    /**
     * Divergence from the baseline over the same scored positions: KL(baseline || variant) in nats,
     * top-1 agreement of the argmax tokens, and PPL(variant) - PPL(baseline).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kld(@JsonProperty("mean") double mean,
                      @JsonProperty("p99") double p99,
                      @JsonProperty("top1_agreement") double top1Agreement,
                      @JsonProperty("delta_ppl") double deltaPpl,
                      @JsonProperty("mean_stderr") double meanStderr,
                      @JsonProperty("max") double max,
                      @JsonProperty("baseline_ppl") double baselinePpl,
                      @JsonProperty("top_k") int topK,
                      @JsonProperty("positions") int positions) {
    }

    /** Greedy continuations of the prompt set compared token by token with the baseline's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Greedy(@JsonProperty("first_token_match") double firstTokenMatch,
                         @JsonProperty("mean_prefix_len") double meanPrefixLen,
                         @JsonProperty("prompts") int prompts,
                         @JsonProperty("n_predict") int nPredict,
                         @JsonProperty("full_match") double fullMatch,
                         @JsonProperty("prompts_file") String promptsFile) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hallucination(@JsonProperty("questions") int questions,
                                @JsonProperty("correct") int correct,
                                @JsonProperty("wrong") int wrong,
                                @JsonProperty("no_answer") int noAnswer,
                                @JsonProperty("accuracy") double accuracy,
                                // Kept as null when nothing was answered: the rate is undefined, not 0.
                                @JsonInclude(JsonInclude.Include.ALWAYS)
                                @JsonProperty("hallucination_rate") Double hallucinationRate,
                                @JsonProperty("prompt_mode") String promptMode,
                                @JsonProperty("prompt_note") String promptNote,
                                @JsonProperty("answers") List<Answer> answers) {
    }

    /** One scored answer, kept whole so a person can audit the verdict. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(@JsonProperty("id") String id,
                         @JsonProperty("question") String question,
                         @JsonProperty("answer") String answer,
                         @JsonProperty("verdict") String verdict,
                         @JsonProperty("reason") String reason) {
    }

    /** A free-form prompt recorded for human reading, not scored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FreeForm(@JsonProperty("id") String id,
                           @JsonProperty("prompt") String prompt,
                           @JsonProperty("answer") String answer,
                           @JsonProperty("prompt_mode") String promptMode) {
    }
}
