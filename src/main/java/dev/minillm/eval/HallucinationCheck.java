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
        List<QualityResult.FactLikelihood> scored = new ArrayList<>();
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
                    QualityResult.FactLikelihood lk = q.likelihoodScored() ? likelihood(session, fmt, q) : null;
                    if (lk != null) {
                        scored.add(lk);
                    }
                    answers.add(new QualityResult.Answer(q.id(), asked, answer, s.verdict().label(), s.reason(), lk));
                }
                bar.stepTo(++done);
            }
        }
        int n = answers.size();
        int answered = correct + wrong;
        QualityResult.Hallucination h = new QualityResult.Hallucination(n, correct, wrong, none,
                n > 0 ? (double) correct / n : 0, answered > 0 ? (double) wrong / answered : null,
                fmt.mode(), fmt.note(), answers, summary(scored));
        return new Outcome(h, free);
    }

    /**
     * Log-probability of every accepted and every wrong answer as the continuation of the question's
     * prompt (" " + answer after a completion prompt; the answer itself as the start of the
     * assistant's turn in chat mode), all scored over one shared prefix.
     */
    static QualityResult.FactLikelihood likelihood(Session session, PromptFormatter fmt, Question q) {
        List<String> candidates = new ArrayList<>(q.answers());
        candidates.addAll(q.wrongAnswers());
        ChoiceScorer.Encoded[] enc = new ChoiceScorer.Encoded[candidates.size()];
        int[] prompt = fmt.completionMode() ? null : fmt.tokens(q);
        for (int i = 0; i < enc.length; i++) {
            if (prompt == null) {
                enc[i] = ChoiceScorer.encode(session, q.completion(), " " + candidates.get(i));
            } else {
                int[] a = session.tokenize(candidates.get(i), false, false);
                int[] whole = java.util.Arrays.copyOf(prompt, prompt.length + a.length);
                System.arraycopy(a, 0, whole, prompt.length, a.length);
                enc[i] = new ChoiceScorer.Encoded(whole, prompt.length);
            }
        }
        double[] ll = ChoiceScorer.logLikelihoods(session, enc);
        int nAccepted = q.answers().size();
        int best = 0;
        for (int i = 1; i < nAccepted; i++) {
            if (ll[i] > ll[best]) {
                best = i;
            }
        }
        int bestWrong = nAccepted;
        for (int i = nAccepted + 1; i < ll.length; i++) {
            if (ll[i] > ll[bestWrong]) {
                bestWrong = i;
            }
        }
        return new QualityResult.FactLikelihood(candidates.get(best), ll[best], candidates.get(bestWrong), ll[bestWrong],
                ll[best] > ll[bestWrong]);
    }

    static QualityResult.Likelihood summary(List<QualityResult.FactLikelihood> scored) {
        int n = scored.size();
        if (n == 0) {
            return null;
        }
        int preferred = (int) scored.stream().filter(QualityResult.FactLikelihood::preferred).count();
        double[] margins = scored.stream().mapToDouble(QualityResult.FactLikelihood::margin).toArray();
        dev.minillm.metrics.Stats m = dev.minillm.metrics.Stats.of(margins);
        double pSe = dev.minillm.metrics.WithinNoise.proportionStderr(preferred, n);
        return new QualityResult.Likelihood(n, preferred, (double) preferred / n, Double.isFinite(pSe) ? pSe : null,
                m.mean(), n > 1 ? m.stddev() / Math.sqrt(n) : null);
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
