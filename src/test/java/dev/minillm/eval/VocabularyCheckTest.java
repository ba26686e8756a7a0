package dev.minillm.eval;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.synth.ModelShape;
import dev.minillm.gguf.synth.SyntheticModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Divergence needs one vocabulary: compared from the headers, before any model is loaded. */
class VocabularyCheckTest {
    @TempDir
    Path dir;

    @Test
    void differentVocabulariesAreRefusedFromTheHeaders() throws Exception {
        Path tiny = dir.resolve("tiny.gguf");
        SyntheticModels.write(ModelShape.TINY, tiny, 1);
        BadInputException e = assertThrows(BadInputException.class, () -> QualityRunner.requireSameVocabulary(
                TestModels.STORIES, GgufFile.open(TestModels.STORIES), tiny, GgufFile.open(tiny)));
        assertTrue(e.getMessage().contains("vocabulary has 512 tokens, the baseline " + tiny + "'s has 2048"), e.getMessage());
    }

    @Test
    void theSameVocabularyInAnotherFileIsAccepted() throws Exception {
        Path chat = TestModels.withChatTemplate(dir, "x");
        QualityRunner.requireSameVocabulary(chat, GgufFile.open(chat), TestModels.STORIES, GgufFile.open(TestModels.STORIES));
    }
}
