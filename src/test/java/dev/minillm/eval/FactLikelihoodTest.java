package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The likelihood score of the hallucination check, on stories260K with questions it can answer. */
class FactLikelihoodTest {
    @TempDir
    Path dir;

    /** log P(" " + answer | prompt) by the definition, on one fresh sequence. */
    static double direct(LlamaSession s, String prompt, String answer) {
        int[] whole = s.tokenize(prompt + " " + answer, true, false);
        int n = s.tokenize(prompt, true, false).length;
        boolean[] all = new boolean[whole.length];
        Arrays.fill(all, true);
        s.clearCache();
        s.forward(whole, 0, all);
        double sum = 0;
        for (int p = n; p < whole.length; p++) {
            sum += LogProbs.logSoftmax(s.logits(p - 1))[whole[p]];
        }
        return sum;
    }

    @Test
    void theAcceptedAnswerIsPreferredWhenTheModelFindsItMoreProbable() throws Exception {
        // A story model knows little girls are called Lily; nothing about quantum physics.
        Path q = dir.resolve("q.jsonl");
        Files.writeString(q, """
                {"id":"girl","question":"What is the girl called?","completion":"Once upon a time, there was a little girl named","accept":["\\\\bLily\\\\b"],"wrong":["\\\\bQuantum\\\\b"],"answers":["Lily"],"wrong_answers":["Quantum","Xylophone"]}
                {"id":"inverted","question":"What is the girl called?","completion":"Once upon a time, there was a little girl named","accept":["\\\\bXylophone\\\\b"],"answers":["Xylophone"],"wrong_answers":["Lily","Quantum"]}
                {"id":"regex-only","question":"Q?","completion":"The sky is","accept":["\\\\bblue\\\\b"]}
                """);
        QualityOptions o = EvalTestSupport.options(null, dir).ppl(false).kld(false).greedy(false)
                .questionsFile(q).answerTokens(8);
        QualityResult.Hallucination h = QualityRunner.run(TestModels.STORIES, null, o).hallucination();

        QualityResult.FactLikelihood girl = h.answers().get(0).likelihood();
        QualityResult.FactLikelihood inverted = h.answers().get(1).likelihood();
        assertNull(h.answers().get(2).likelihood(), "no plain-text answers: regex score only");
        try (LlamaSession s = LlamaSession.open(TestModels.STORIES, new EngineSettings(1, 256, 64, 0, false))) {
            String prompt = "Once upon a time, there was a little girl named";
            double lily = direct(s, prompt, "Lily");
            double quantum = direct(s, prompt, "Quantum");
            double xylophone = direct(s, prompt, "Xylophone");
            assertTrue(lily > Math.max(quantum, xylophone) + 1, "the fixture's premise: " + lily + " " + quantum + " " + xylophone);
            assertEquals(lily, girl.answerLogProb(), 1e-3);
            assertEquals(Math.max(quantum, xylophone), girl.wrongLogProb(), 1e-3);
            assertEquals(xylophone, inverted.answerLogProb(), 1e-3);
            assertEquals(lily, inverted.wrongLogProb(), 1e-3);
        }
        assertEquals("Lily", girl.bestAnswer());
        assertTrue(girl.preferred());
        assertEquals("Lily", inverted.bestWrong());
        assertFalse(inverted.preferred());

        QualityResult.Likelihood sum = h.likelihood();
        assertEquals(2, sum.questions());
        assertEquals(1, sum.preferred());
        assertEquals(0.5, sum.accuracy(), 0.0);
        assertEquals((girl.margin() + inverted.margin()) / 2, sum.meanMargin(), 1e-12);
        // Both scores are kept: the regex verdict of the generated text stays beside the likelihood.
        assertNotNull(h.answers().get(0).verdict());
    }

    @Test
    void answersWithoutWrongAnswersAreRefused() {
        BadInputException e = assertThrows(BadInputException.class, () -> Question.parse(
                "{\"id\":\"a\",\"question\":\"Q\",\"accept\":[\"x\"],\"answers\":[\"x\"]}", "q.jsonl"));
        assertTrue(e.getMessage().contains("wrong_answers"), e.getMessage());
        assertTrue(Question.load(null).stream().filter(x -> !x.freeForm()).allMatch(Question::likelihoodScored),
                "every shipped factual question has plain-text answers");
        for (Question x : Question.load(null)) {
            for (String a : x.answers()) {
                assertTrue(x.accept().stream().anyMatch(p -> p.matcher(a).find()), x.id() + ": answer '" + a + "' matches an accept pattern");
            }
            for (String w : x.wrongAnswers()) {
                assertTrue(x.wrong().stream().anyMatch(p -> p.matcher(w).find()), x.id() + ": '" + w + "' matches a wrong pattern");
                assertTrue(x.accept().stream().noneMatch(p -> p.matcher(w).find()), x.id() + ": '" + w + "' is not accepted");
            }
        }
    }
}
