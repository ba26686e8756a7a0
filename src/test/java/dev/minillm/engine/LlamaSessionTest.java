package dev.minillm.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LlamaSessionTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    @Test
    void greedyGenerationIsTimedAndDeterministic() {
        try (LlamaSession s = LlamaSession.open(STORIES, new EngineSettings(2, 256, 256, 0, false))) {
            ModelFacts f = s.facts();
            assertEquals(512, f.vocabulary());
            assertEquals(5, f.layers());
            assertEquals(64, f.embedding());
            int[] prompt = s.tokenize("Once upon a time, there was a little girl", true, false);
            assertEquals(1, prompt[0], "BOS first");
            GenerationTiming a = s.generateGreedy(prompt, 40, true);
            GenerationTiming b = s.generateGreedy(prompt, 40, true);
            assertEquals(40, a.generatedTokens());
            assertEquals(39, a.interTokenNanos().length);
            assertArrayEquals(a.tokens(), b.tokens(), "greedy decoding repeats itself");
            assertTrue(a.ttftNanos() > 0 && a.ttftNanos() < a.totalNanos());
            assertTrue(a.promptNanos() <= a.ttftNanos());
            String text = s.detokenize(a.tokens(), false);
            assertTrue(text.chars().filter(Character::isLetter).count() > 20, text);
            NativePerf perf = s.nativePerf();
            assertTrue(perf.evalTokens() > 0);
            System.out.printf("text=%s%nprompt %.0f tok/s decode %.0f tok/s native decode %.0f%n", text,
                    a.promptTokensPerSecond(), a.decodeTokensPerSecond(), perf.decodeTokensPerSecond());
        }
    }
}
