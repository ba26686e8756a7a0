package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.eval.AnswerScorer.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerScorerTest {
    static final Question JAPAN = Question.parse("""
            {"id":"capital-japan","question":"What is the capital of Japan?","completion":"The capital of Japan is",\
            "accept":["\\\\bTokyo\\\\b"],"wrong":["\\\\bKyoto\\\\b","\\\\bOsaka\\\\b"]}""", "test").get(0);
    static final Question TIMES = Question.parse("""
            {"id":"arith","question":"What is 15 multiplied by 8?","completion":"15 multiplied by 8 equals",\
            "accept":["\\\\b120\\\\b","\\\\bone hundred (and )?twenty\\\\b"],"wrong":["\\\\b100\\\\b","\\\\b125\\\\b"]}""", "test").get(0);
    static final Question GOLD = Question.parse("""
            {"id":"gold","question":"What is the chemical symbol for gold?","accept":["(?-i)\\\\bAu\\\\b"],"wrong":["(?-i)\\\\bAg\\\\b"]}""",
            "test").get(0);

    private static Verdict chat(Question q, String answer) {
        return AnswerScorer.score(q, answer, false).verdict();
    }

    private static Verdict completion(Question q, String answer) {
        return AnswerScorer.score(q, answer, true).verdict();
    }

    @Test
    void correctAnswers() {
        assertEquals(Verdict.CORRECT, chat(JAPAN, "The capital of Japan is Tokyo."));
        assertEquals(Verdict.CORRECT, chat(JAPAN, "**Tokyo**"));
        assertEquals(Verdict.CORRECT, chat(JAPAN, "tokyo"), "case-insensitive by default");
        assertEquals(Verdict.CORRECT, chat(TIMES, "15 multiplied by 8 equals 120."));
        assertEquals(Verdict.CORRECT, chat(TIMES, "One hundred and twenty."));
        assertEquals(Verdict.CORRECT, completion(TIMES, " 120. That is a lot of apples."));
        assertEquals(Verdict.CORRECT, chat(GOLD, "The symbol for gold is Au (from Latin aurum)."));
        assertEquals(Verdict.CORRECT, chat(JAPAN, "Tokyo, not Kyoto."), "the first answer given counts");
        assertTrue(AnswerScorer.score(JAPAN, "It is Tokyo.", false).reason().contains("Tokyo"));
    }

    @Test
    void wrongAnswers() {
        AnswerScorer.Score s = AnswerScorer.score(JAPAN, "The capital of Japan is Kyoto.", false);
        assertEquals(Verdict.WRONG, s.verdict());
        assertTrue(s.reason().contains("Kyoto"), s.reason());
        assertEquals(Verdict.WRONG, chat(JAPAN, "Kyoto. Actually, Tokyo."), "a wrong answer given first stays wrong");
        assertEquals(Verdict.WRONG, chat(TIMES, "It equals 125."));
        assertEquals(Verdict.WRONG, chat(TIMES, "It equals 118."), "an answer without the fact is wrong");
        assertEquals(Verdict.WRONG, chat(GOLD, "au revoir"), "(?-i) keeps chemical symbols case-sensitive");
    }

    @Test
    void ramblingIsNeverCorrect() {
        AnswerScorer.Score s = AnswerScorer.score(JAPAN,
                " a big red ball. She was very happy and she played with her friend all day.", true);
        assertEquals(Verdict.WRONG, s.verdict());
        assertEquals("answered without the accepted answer", s.reason());
        // In completion mode only the unfinished sentence counts: a later mention is not an answer.
        assertEquals(Verdict.WRONG, completion(JAPAN, " a big city. Tom went to Tokyo with his mom."));
        assertEquals(" a big city.".strip(), AnswerScorer.window(" a big city. Tom went to Tokyo.", true));
        // In chat mode only the first paragraph, and at most 300 characters, is read.
        assertEquals(Verdict.WRONG, chat(JAPAN, "Japan is an island nation.\n\nIts capital is Tokyo."));
        assertEquals(Verdict.WRONG, chat(JAPAN, "blah ".repeat(80) + "Tokyo"));
    }

    @Test
    void hedgedAndEmptyAnswersAreNoAnswer() {
        assertEquals(Verdict.NO_ANSWER, chat(JAPAN, "I'm not sure."));
        assertEquals(Verdict.NO_ANSWER, chat(JAPAN, "I don't know the answer to that."));
        assertEquals(Verdict.NO_ANSWER, chat(TIMES, "I cannot answer that question."));
        assertEquals(Verdict.NO_ANSWER, chat(JAPAN, ""));
        assertEquals(Verdict.NO_ANSWER, chat(JAPAN, "   \n  "));
        assertEquals(Verdict.NO_ANSWER, chat(JAPAN, " ... !"));
        assertEquals(Verdict.NO_ANSWER, completion(JAPAN, "\n\nOnce upon a time"), "completion that ends the sentence at once");
        assertEquals(Verdict.CORRECT, chat(JAPAN, "I'm not sure, but I think it is Tokyo."), "a hedge that still answers is scored");
    }

    @Test
    void shippedQuestionSetIsCompleteAndSelfConsistent() {
        List<Question> qs = Question.load(null);
        List<Question> factual = qs.stream().filter(q -> !q.freeForm()).toList();
        assertTrue(factual.size() >= 30, "at least 30 factual questions, got " + factual.size());
        Question inflation = qs.stream().filter(Question::freeForm).findFirst().orElseThrow();
        assertTrue(inflation.question().toLowerCase().contains("inflation"));
        for (Question q : factual) {
            assertFalse(q.wrong().isEmpty(), q.id() + " has known-wrong patterns");
            assertFalse(q.completion().equals(q.question()), q.id() + " has a completion prompt");
            // No accepted pattern may match the question's own text (echoing it is not answering).
            String echo = q.question() + " " + q.completion();
            q.accept().forEach(p -> assertFalse(p.matcher(echo).find(), q.id() + ": " + p + " matches the question"));
            q.wrong().forEach(p -> assertFalse(p.matcher(echo).find(), q.id() + ": " + p + " matches the question"));
        }
    }

    @Test
    void badQuestionFilesAreRejectedWithTheLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Question.parse("{\"id\":\"a\",\"question\":\"q\",\"accept\":[\"(\"]}", "q.jsonl"));
        assertTrue(e.getMessage().startsWith("q.jsonl line 1: bad pattern"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Question.parse("\n{\"id\":\"a\",\"question\":\"q\"}", "q.jsonl"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("accept"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Question.parse("{not json", "q.jsonl"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }
}
