package dev.minillm.results;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * What a speculative-decoding cell (bench --draft) records besides its spec_* metrics
 * (docs/readme/speculative.md).
 *
 * @param draftParams             the draft's parameter count (written as draft_n_params before)
 * @param method                  how the project's own loop drafts and verifies
 * @param identicalToTarget       every speculative output equalled target-only greedy (a cell fails otherwise)
 * @param generationsChecked      generations compared token for token (warmup included)
 * @param acceptedLengthHistogram [n]: rounds of the measured repetitions in which n draft tokens were accepted
 * @param llamaCpp                why llama.cpp's own speculative figure is missing; null when {@code llamaCppOwn} holds it
 * @param llamaCppOwn             llama.cpp's own speculative decoding on the same contexts (its llama_spec_* metrics), or null
 */
public record Speculative(String method, String draftModel, String draftLabel, String draftVariant, int draftMax,
                          @JsonAlias("draft_n_params") long draftParams, long draftTensorBytes, boolean identicalToTarget, int generationsChecked,
                          List<PromptAcceptance> perPrompt, List<Long> acceptedLengthHistogram, String llamaCpp,
                          LlamaCppSpeculative llamaCppOwn) {

    /** Draft tokens proposed and accepted for one prompt over the measured repetitions. */
    public record PromptAcceptance(int prompt, long proposed, long accepted, Double acceptRate) {
    }

    /**
     * llama.cpp's own speculative decoding (its common library's common_speculative_* draft generator)
     * run beside the project's loop.
     *
     * @param method             which of llama.cpp's functions drafted and how the target checked
     * @param identicalToTarget  every output equalled target-only greedy (a cell fails otherwise)
     * @param generationsChecked generations compared token for token (warmup included)
     * @param proposed           draft tokens proposed over the measured repetitions
     * @param accepted           of which the target accepted
     */
    public record LlamaCppSpeculative(String method, boolean identicalToTarget, int generationsChecked, long proposed,
                                      long accepted) {
    }
}
