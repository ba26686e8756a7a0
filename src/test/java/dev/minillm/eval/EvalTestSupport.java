package dev.minillm.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared inputs: a story-like excerpt of prompts/eval.txt, small enough for quick passes. */
final class EvalTestSupport {
    /** Chunk size used in tests: small chunks keep each pass around a second on a busy machine. */
    static final int CTX = 128;

    private EvalTestSupport() {
    }

    /** The first {@code chars} characters of the shipped evaluation text (its stories come first). */
    static Path storyText(Path dir, int chars) throws IOException {
        String all = Files.readString(Path.of("prompts/eval.txt"), StandardCharsets.UTF_8);
        Path p = dir.resolve("story-" + chars + ".txt");
        Files.writeString(p, all.substring(0, Math.min(chars, all.length())), StandardCharsets.UTF_8);
        return p;
    }

    /** Options for one thread (fastest on a loaded 2-core machine for a 260K model), small ctx. */
    static QualityOptions options(Path text, Path baselineDir) {
        return QualityOptions.defaults().threads(1).ctx(CTX).textFile(text).baselineDir(baselineDir);
    }
}
