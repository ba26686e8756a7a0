package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufValue;
import dev.minillm.gguf.GgufWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --draft through the packaged jar: a draft with another vocabulary costs one line and exit 2. */
class SpeculativeJarIT {
    @Test
    void draftWithAnotherVocabularyIsRefused(@TempDir Path dir) throws Exception {
        GgufWriter w = GgufWriter.copyOf(GgufFile.open(JarEndToEndIT.STORIES));
        List<String> tokens = new ArrayList<>(w.metadata().get(GgufMetadata.TOKENS).asStrings());
        tokens.set(300, "not-" + tokens.get(300));
        w.metadata().put(GgufMetadata.TOKENS, GgufValue.stringArray(tokens));
        Path draft = dir.resolve("renamed-token.gguf");
        w.write(draft);

        JarEndToEndIT.Run r = JarEndToEndIT.jar(dir, "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(),
                "--draft", draft.toString(), "--draft-max", "1,2", "--out", "res");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].contains("renamed-token.gguf") && lines[0].contains("vocabulary"), lines[0]);
        assertFalse(Files.exists(dir.resolve("res/raw")), "nothing measured");
    }
}
