package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerplexityTest {
    @TempDir
    Path dir;

    @Test
    void storiesPerplexityIsPlausibleAndEqualsAnIndependentRecomputation() throws Exception {
        Path text = EvalTestSupport.storyText(dir, 6000);
        QualityOptions o = EvalTestSupport.options(text, dir).kld(false).greedy(false).hallucination(false);
        QualityResult r = QualityRunner.run(TestModels.STORIES, null, o);
        QualityResult.Ppl ppl = r.ppl();
        System.out.printf("stories260K PPL %.4f +/- %.4f over %d tokens (%d chunks), %.0f tok/s%n",
                ppl.value(), ppl.stderr(), ppl.tokensScored(), ppl.chunks(), r.evalTps());
        assertTrue(ppl.value() > 2 && ppl.value() < 60, "a story model on stories: tens at most, got " + ppl.value());
        assertTrue(ppl.stderr() > 0 && ppl.stderr() < 0.2 * ppl.value(), "stderr " + ppl.stderr());
        assertEquals(EvalTestSupport.CTX, ppl.ctx());
        assertEquals(text.toString(), ppl.text());

        // Independent recomputation: forward every chunk ourselves, take the raw logits and
        // compute log(sum exp) - logit[target] in double for the second half of each chunk
        // (-log-softmax of the target: the same value to the last bit).
        String s = Files.readString(text, StandardCharsets.UTF_8);
        int ctx = EvalTestSupport.CTX;
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        try (LlamaSession session = LlamaSession.open(TestModels.STORIES, new EngineSettings(1, ctx, ctx, 0, false))) {
            int[] tokens = session.tokenize(s, true, false);
            assertEquals(1, tokens[0], "stories260K adds BOS");
            double[][] logProbs = EvalTestSupport.scoredLogProbs(session, tokens, ctx);
            int k = 0;
            for (int c = 0; c + ctx <= tokens.length; c += ctx) {
                for (int i = ctx / 2; i < ctx - 1; i++) {
                    double nll = -logProbs[k++][tokens[c + i + 1]];
                    sum += nll;
                    sumSq += nll * nll;
                    count++;
                }
            }
        }
        assertEquals(count, ppl.tokensScored());
        double mean = sum / count;
        assertEquals(Math.exp(mean), ppl.value(), 1e-9 * ppl.value());
        double sd = Math.sqrt((sumSq / count - mean * mean) / (count - 1));
        assertEquals(Math.exp(mean) * sd, ppl.stderr(), 1e-6 * ppl.stderr());
    }

    @Test
    void shuffledWordsScoreWorseThanTheStory() throws Exception {
        Path text = EvalTestSupport.storyText(dir, 3000);
        java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(Files.readString(text).split("\\s+")));
        java.util.Collections.shuffle(words, new java.util.Random(42));
        Path shuffled = dir.resolve("shuffled.txt");
        Files.writeString(shuffled, String.join(" ", words));
        QualityOptions o = EvalTestSupport.options(text, dir).kld(false).greedy(false).hallucination(false);
        double story = QualityRunner.run(TestModels.STORIES, null, o).ppl().value();
        double noise = QualityRunner.run(TestModels.STORIES, null, o.textFile(shuffled)).ppl().value();
        assertTrue(noise > 1.5 * story, "shuffled " + noise + " vs story " + story);
    }

    @Test
    void textShorterThanTwoChunksIsRejected() throws Exception {
        Path text = dir.resolve("short.txt");
        Files.writeString(text, "Once upon a time there was a cat.");
        QualityOptions o = EvalTestSupport.options(text, dir).kld(false).greedy(false).hallucination(false);
        BadInputException e = assertThrows(BadInputException.class, () -> QualityRunner.run(TestModels.STORIES, null, o));
        assertTrue(e.getMessage().contains("at least " + 2 * EvalTestSupport.CTX), e.getMessage());
    }
}
