package dev.minillm.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.common.RunFailedException;
import dev.minillm.engine.EngineSettings;
import dev.minillm.engine.LlamaSession;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-level checks on the malformed copies of the real stories260K. */
class ModelContentCheckTest {
    @TempDir
    Path tmp;

    @Test
    void theRealModelPasses() {
        assertEquals(List.of(), GgufValidator.problems(GgufFile.open(MalformedModels.STORIES)));
    }

    @Test
    void eachMalformedCaseIsRefusedFirstWithItsOwnReason() throws Exception {
        List<MalformedModels.Case> cases = MalformedModels.writeAll(tmp);
        assertEquals(11, cases.size());
        for (MalformedModels.Case c : cases) {
            List<String> problems = GgufValidator.problems(GgufFile.open(c.file()));
            assertFalse(problems.isEmpty(), c.name() + " passed the validator");
            for (String e : c.expected()) {
                assertTrue(problems.get(0).contains(e), c.name() + ": '" + problems.get(0) + "' does not say '" + e + "'");
            }
        }
    }

    @Test
    void whatOnlyLlamaCppRefusesIsExplainedWithItsOwnErrorLine() throws Exception {
        Path file = MalformedModels.refusedOnlyByLlamaCpp(tmp);
        assertEquals(List.of(), GgufValidator.problems(GgufFile.open(file)), "the validator lets it through");
        RunFailedException e = assertThrows(RunFailedException.class,
                () -> LlamaSession.open(file, new EngineSettings(1, 64, 64, 0, false)).close());
        assertTrue(e.getMessage().contains("llama.cpp could not load the model: "), e.getMessage());
        assertTrue(e.getMessage().contains("wrong number of tensors"), e.getMessage());
        assertFalse(e.getMessage().contains("--verbose"), "the reason is there, no need to ask for the log: " + e.getMessage());
    }
}
