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

    @Test
    void modelWithAChatTemplateIsAskedThroughIt() throws Exception {
        String chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                + " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        Path chat = TestModels.withChatTemplate(dir, chatml);
        java.nio.file.Path q = dir.resolve("q.jsonl");
        java.nio.file.Files.writeString(q, """
                {"id":"capital-japan","question":"What is the capital of Japan?","completion":"The capital of Japan is","accept":["\\\\bTokyo\\\\b"],"wrong":["\\\\bKyoto\\\\b"]}
                {"id":"exam","kind":"free_form","question":"Explain what inflation is.","completion":"Inflation is"}
                """);
        QualityOptions o = EvalTestSupport.options(null, dir).ppl(false).kld(false).greedy(false)
                .questionsFile(q).answerTokens(16).freeFormTokens(16);
        QualityResult r = QualityRunner.run(chat, null, o);
        QualityResult.Hallucination h = r.hallucination();
        assertEquals("chat", h.promptMode(), h.promptNote());
        assertEquals("What is the capital of Japan?", h.answers().get(0).question());
        assertEquals("<|im_start|>user\nExplain what inflation is.<|im_end|>\n<|im_start|>assistant\n", r.freeForm().get(0).prompt());
        assertEquals("chat", r.freeForm().get(0).promptMode());
        assertNotEquals("correct", h.answers().get(0).verdict(), h.answers().get(0).answer());
    }
}
