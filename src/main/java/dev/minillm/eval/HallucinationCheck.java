package dev.minillm.eval;

import dev.minillm.common.Progress;
import dev.minillm.engine.GenerationTiming;
import dev.minillm.engine.Session;
import java.util.ArrayList;
import java.util.List;

/** Asks the factual questions (greedy), scores each answer, and records the free-form prompts. */
public final class HallucinationCheck {
    private HallucinationCheck() {
    }

    /** Result: the scored block and the free-form answers. */
    public record Outcome(QualityResult.Hallucination hallucination, List<QualityResult.FreeForm> freeForm) {
    }

    public static Outcome run(Session session, List<Question> questions, int answerTokens, int freeFormTokens) {
        PromptFormatter fmt = new PromptFormatter(session);
        List<QualityResult.Answer> answers = new ArrayList<>();
        List<QualityResult.FreeForm> free = new ArrayList<>();
        int correct = 0;
        int wrong = 0;
        int none = 0;
        try (Progress bar = Progress.start("questions", questions.size(), "questions")) {
            int done = 0;
            for (Question q : questions) {
                String answer = generate(session, fmt.tokens(q), q.freeForm() ? freeFormTokens : answerTokens);
                if (q.freeForm()) {
                    free.add(new QualityResult.FreeForm(q.id(), fmt.text(q), answer, fmt.mode()));
                } else {
                    AnswerScorer.Score s = AnswerScorer.score(q, answer, fmt.completionMode());
                    switch (s.verdict()) {
                        case CORRECT -> correct++;
                        case WRONG -> wrong++;
                        default -> none++;
                    }
                    String asked = fmt.completionMode() ? q.completion() : q.question();
                    answers.add(new QualityResult.Answer(q.id(), asked, answer, s.verdict().label(), s.reason()));
                }
                bar.stepTo(++done);
            }
        }
        int n = answers.size();
        int answered = correct + wrong;
        QualityResult.Hallucination h = new QualityResult.Hallucination(n, correct, wrong, none,
                n > 0 ? (double) correct / n : 0, answered > 0 ? (double) wrong / answered : null,
                fmt.mode(), fmt.note(), answers);
        return new Outcome(h, free);
    }

    /** Greedy continuation until end-of-generation or {@code nPredict} tokens; EOG not rendered. */
    static String generate(Session session, int[] prompt, int nPredict) {
        int room = session.contextSize() - prompt.length;
        int n = Math.min(nPredict, room);
        if (n < 1) {
            return "";
        }
        GenerationTiming g = session.generateGreedy(prompt, n, false);
        int[] toks = g.tokens();
        int len = toks.length;
        while (len > 0 && session.isEndOfGeneration(toks[len - 1])) {
            len--;
        }
        return session.detokenize(java.util.Arrays.copyOf(toks, len), false);
    }
}
