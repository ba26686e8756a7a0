package dev.minillm.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.quant.ProgressListener;
import dev.minillm.quant.QuantType;
import dev.minillm.quant.Quantizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greedy speculative decoding on the real stories260K model, against the target's own greedy output. */
class SpeculativeDecoderTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;
    static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily and Tom went to the park");
    static final int N = 96;

    @TempDir
    static Path tmp;
    static LlamaSession target;

    @BeforeAll
    static void open() {
        target = LlamaSession.open(STORIES, new EngineSettings(1, 512, 64, 0, false));
    }

    @AfterAll
    static void close() {
        target.close();
    }

    private record Totals(int proposed, int accepted) {
    }

    /** Runs every prompt at K and checks the tokens against target-only greedy decoding. */
    private static Totals runAll(LlamaSession draft, int k) {
        int proposed = 0;
        int accepted = 0;
        for (String p : PROMPTS) {
            int[] prompt = target.tokenize(p, true, false);
            int[] reference = target.generateGreedy(prompt, N, true).tokens();
            SpeculativeDecoder.Result r = SpeculativeDecoder.generate(target, draft, prompt, N, k);
            assertArrayEquals(reference, r.tokens(), "K=" + k + ", prompt '" + p + "': speculative output must equal target-only greedy");
            assertEquals(N, r.tokens().length);
            assertEquals(r.steps(), r.acceptedByStep().length);
            // every round yields its accepted draft tokens plus one of the target's own
            assertEquals(N - 1, Arrays.stream(r.acceptedByStep()).sum() + r.steps(), "tokens after the first");
            for (int i = 0; i < r.steps(); i++) {
                assertTrue(r.acceptedByStep()[i] <= r.proposedByStep()[i] && r.proposedByStep()[i] <= k);
            }
            assertTrue(r.draftNanos() > 0 && r.verifyNanos() > 0 && r.totalNanos() > r.promptNanos());
            proposed += r.proposed();
            accepted += r.accepted();
        }
        return new Totals(proposed, accepted);
    }

    @Test
    void draftEqualToTargetIsAlwaysAccepted() {
        try (LlamaSession draft = LlamaSession.open(STORIES, new EngineSettings(1, 512, 64, 0, false))) {
            for (int k = 1; k <= 4; k++) {
                Totals t = runAll(draft, k);
                assertTrue(t.proposed() > 0);
                assertEquals(t.proposed(), t.accepted(), "the same model agrees with itself: 100 % acceptance at K=" + k);
            }
        }
    }

    @Test
    void quantizedDraftIsPartlyAcceptedAndChangesNothing() {
        Path q4 = tmp.resolve("stories260K-q4_0.gguf");
        Quantizer.quantize(STORIES, q4, QuantType.valueOf("Q4_0"), 1, ProgressListener.NONE);
        try (LlamaSession draft = LlamaSession.open(q4, new EngineSettings(1, 512, 64, 0, false))) {
            for (int k : new int[] {1, 4}) {
                Totals t = runAll(draft, k);
                double rate = (double) t.accepted() / t.proposed();
                assertTrue(rate > 0 && rate < 1, "Q4_0 draft of the F32 target: accept rate strictly between 0 and 1, got " + rate);
            }
        }
    }

    @Test
    void trimmedCacheContinuesLikeAFreshOne() {
        // Cut the cache back mid-sequence and continue: the next token must be what a clean run gives.
        int[] prompt = target.tokenize("Once upon a time", true, false);
        int[] ref = target.generateGreedy(prompt, 8, true).tokens();
        target.clearCache();
        target.forward(prompt, 0, null);
        int[] wrong = {ref[0], 7, 9, 11};
        target.forward(wrong, prompt.length, null);
        target.trimCache(prompt.length + 1);
        target.forward(new int[] {ref[1]}, prompt.length + 1, null);
        assertEquals(ref[2], target.greedyToken(-1));
    }
}
