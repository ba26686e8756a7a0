package dev.minillm.eval;

import java.util.List;

/**
 * One multiple-choice item as lm-evaluation-harness turns it into log-likelihood requests: choice
 * {@code i} is scored as log P(continuations[i] | contexts[i]). Most tasks share one context and
 * vary the continuation (" " + choice); WinoGrande's partial scoring varies the context (the
 * sentence up to the blank with the option filled in) and scores the shared rest of the sentence.
 * {@code choiceTexts} are what acc_norm divides by (their length in characters), as the harness
 * does.
 */
public record ChoiceItem(String id, List<String> contexts, List<String> continuations, List<String> choiceTexts,
                         int gold) {
    public ChoiceItem {
        contexts = List.copyOf(contexts);
        continuations = List.copyOf(continuations);
        choiceTexts = List.copyOf(choiceTexts);
        if (contexts.size() != continuations.size() || contexts.size() != choiceTexts.size() || contexts.size() < 2) {
            throw new IllegalArgumentException(id + ": need at least two choices with a context and continuation each");
        }
        if (gold < 0 || gold >= contexts.size()) {
            throw new IllegalArgumentException(id + ": gold index " + gold + " out of range");
        }
    }

    public int choices() {
        return contexts.size();
    }

    /** A shared-context item: " " + each choice after {@code context}. */
    static ChoiceItem shared(String id, String context, List<String> choices, int gold) {
        List<String> ctx = choices.stream().map(c -> context).toList();
        List<String> cont = choices.stream().map(c -> " " + c).toList();
        return new ChoiceItem(id, ctx, cont, choices, gold);
    }
}
