package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped question set on stories260K: a story model that knows no facts. */
class HallucinationEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void storyModelScoresLowAndEveryAnswerIsKeptForAudit() {
        QualityOptions o = EvalTestSupport.options(null, dir).ppl(false).kld(false).greedy(false)
                .answerTokens(24).freeFormTokens(48);
        QualityResult r = QualityRunner.run(TestModels.STORIES, null, o);
        QualityResult.Hallucination h = r.hallucination();
        List<Question> questions = Question.load(null);
        long factual = questions.stream().filter(q -> !q.freeForm()).count();

        assertEquals("completion", h.promptMode(), "stories260K has no chat template");
        assertTrue(h.promptNote().contains("no chat template"), h.promptNote());
        assertEquals(factual, h.questions());
        assertEquals(h.questions(), h.correct() + h.wrong() + h.noAnswer());
        assertEquals(h.questions(), h.answers().size());
        assertEquals((double) h.correct() / h.questions(), h.accuracy(), 1e-12);
        assertTrue(h.accuracy() <= 0.15, "a story model must not look knowledgeable: " + h.accuracy());
        assertTrue(h.wrong() > h.questions() / 2, "its rambling is counted as wrong, got " + h.wrong());
        assertNotNull(h.hallucinationRate());
        assertTrue(h.hallucinationRate() > 0.8);

        int shown = 0;
        for (QualityResult.Answer a : h.answers()) {
            assertNotNull(a.answer());
            Question q = questions.stream().filter(x -> x.id().equals(a.id())).findFirst().orElseThrow();
            assertEquals(q.completion(), a.question(), "the completion prompt is what was asked");
            // The stored verdict is reproducible from the stored text: the audit trail is complete.
            assertEquals(AnswerScorer.score(q, a.answer(), true).verdict().label(), a.verdict());
            if (shown++ < 4) {
                System.out.printf("%-8s %s|%s%n", a.verdict(), a.question(), a.answer().replace('\n', ' '));
            }
        }
        assertEquals(1, r.freeForm().size());
        QualityResult.FreeForm f = r.freeForm().get(0);
        assertTrue(f.prompt().contains("inflation"));
        assertFalse(f.answer().isBlank());
        assertNull(r.ppl());
        assertNull(r.kld());
    }
}
