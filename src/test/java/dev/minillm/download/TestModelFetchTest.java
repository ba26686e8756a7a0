package dev.minillm.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.TestModel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/test-model.sh on a fresh clone, one without ../shared beside it: the test model is fetched
 * from MINILLM_BASE_URL (a local hub here), verified against the manifest's pinned sha256, kept in the
 * cache, and reused from there; a wrong file or no network gives one line and exit 1.
 */
class TestModelFetchTest {
    /** Where ggml-org/models keeps the file on the hub. */
    static final String HUB_PATH = "/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf";

    @TempDir
    Path tmp;
    Path clone;
    Path cache;
    TestHub hub;
    byte[] stories;

    @BeforeEach
    void setUp() throws IOException {
        // tmp/x/clone: its ../shared (tmp/x/shared) does not exist, as on a new user's machine.
        clone = tmp.resolve("x/clone");
        Files.createDirectories(clone.resolve("scripts"));
        Files.createDirectories(clone.resolve("models"));
        for (String f : List.of("scripts/test-model.sh", "scripts/download-models.sh", "models/manifest.json")) {
            Files.copy(Path.of(f), clone.resolve(f));
        }
        cache = tmp.resolve("cache");
        stories = Files.readAllBytes(TestModel.STORIES);
        hub = new TestHub();
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    record Run(int exit, String out, String err) {
    }

    Run fetch(String baseUrl) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", clone.resolve("scripts/test-model.sh").toString());
        pb.directory(tmp.toFile());
        Map<String, String> e = pb.environment();
        for (String k : List.of("HF_TOKEN", "HF_ENDPOINT", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                "ALL_PROXY", "all_proxy", "XDG_CACHE_HOME")) {
            e.remove(k);
        }
        e.put("NO_PROXY", "127.0.0.1");
        e.put("PATH", "/usr/bin:/bin:" + e.getOrDefault("PATH", ""));
        e.put("MINILLM_RETRY_DELAY", "0");
        e.put("MINILLM_CACHE", cache.toString());
        e.put("MINILLM_BASE_URL", baseUrl);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script finished");
        return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
    }

    /** A base URL nothing listens on: what a machine without network sees. */
    static String unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    Path cached() {
        return cache.resolve("test-models/stories260K/stories260K.gguf");
    }

    @Test
    void fetchesTheModelVerifiedIntoTheCacheAndReusesIt() throws Exception {
        hub.put(HUB_PATH, stories);
        Run r = fetch(hub.baseUrl());
        assertEquals(0, r.exit(), r.err());
        assertEquals(cached().toString(), r.out());
        assertArrayEquals(stories, Files.readAllBytes(cached()));
        assertEquals(1, hub.hitsFor(HUB_PATH).size(), "fetched from <base>/<repo>/resolve/<revision>/<path>");
        assertFalse(Files.exists(clone.resolve("models/stories260K")), "nothing lands inside the clone");

        Run offline = fetch(unusedPort());
        assertEquals(0, offline.exit(), offline.err());
        assertEquals(cached().toString(), offline.out(), "the verified copy in the cache needs no network");
    }

    @Test
    void aFileOtherThanThePinnedOneIsRefused() throws Exception {
        byte[] other = stories.clone();
        other[other.length / 2] ^= 1;
        hub.put(HUB_PATH, other);
        Run r = fetch(hub.baseUrl());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("checksum mismatch"), r.err());
        assertFalse(Files.exists(cached()));
    }

    @Test
    void noNetworkIsOneClearLine() throws Exception {
        Run r = fetch(unusedPort());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no network?"), r.err());
        assertTrue(r.err().contains("MINILLM_BASE_URL"), r.err());
    }
}
