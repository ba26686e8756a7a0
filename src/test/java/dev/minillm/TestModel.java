package dev.minillm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the real model stories260K.gguf; the one place that decides it.
 * scripts/test.sh sets MINILLM_TEST_MODEL (to ../shared/models/stories260K.gguf, or to the copy it
 * fetched and verified into the cache); a bare {@code mvn test} looks in ../shared, then in the cache.
 */
public final class TestModel {
    public static final Path STORIES = locate();

    private TestModel() {
    }

    private static Path locate() {
        String env = System.getenv("MINILLM_TEST_MODEL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path shared = Path.of("../shared/models/stories260K.gguf");
        if (Files.exists(shared)) {
            return shared;
        }
        Path cached = dev.minillm.nativelib.NativeLibraryLocator.cacheRoot()
                .resolve("test-models").resolve("stories260K").resolve("stories260K.gguf");
        // Missing everywhere: tests then fail naming the shared path, which is where CI keeps it.
        return Files.exists(cached) ? cached : shared;
    }
}
