package dev.minillm.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.TestModel;
import dev.minillm.common.BadInputException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest shipped in models/ parses and has what the benchmarks expect. */
class ShippedManifestTest {
    final Manifest manifest = Manifest.load(Path.of("models/manifest.json"));

    @Test
    void everyModelHasTheFourComparedQuants() {
        assertEquals(List.of("qwen2.5-0.5b-instruct", "qwen2.5-1.5b-instruct", "llama-3.2-1b-instruct"),
                manifest.models().stream().map(Manifest.Model::id).toList());
        for (Manifest.Model m : manifest.models()) {
            for (String q : List.of("q4_k_m", "q5_k_m", "q8_0", "f16")) {
                Manifest.FileEntry f = m.file(q);
                assertNotNull(f, m.id() + " " + q);
                assertTrue(f.file().endsWith(".gguf"), f.file());
            }
        }
        assertEquals("qwen2.5-0.5b-instruct-fp16.gguf", manifest.model("qwen2.5-0.5b-instruct").file("fp16").file());
    }

    @Test
    void knownChecksumsArePinnedToTheRevisionTheyWereReadAt() {
        for (Manifest.Model m : manifest.models()) {
            for (Manifest.FileEntry f : m.files()) {
                if (f.sha256() != null) {
                    assertNotEquals("main", f.revision(), m.id() + " " + f.quant());
                    assertTrue(f.revision().matches("[0-9a-f]{40}"), f.revision());
                }
            }
        }
    }

    @Test
    void urlsFollowTheHubResolveForm() {
        Downloader d = Downloader.builder().baseUrl(Downloader.DEFAULT_BASE_URL).build();
        DownloadItem q4 = manifest.select(List.of("qwen2.5-0.5b-instruct"), List.of("q4_k_m")).get(0);
        assertEquals("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
                d.url(q4).toString());
        assertEquals("qwen2.5-0.5b-instruct/qwen2.5-0.5b-instruct-q4_k_m.gguf", q4.relativePath());
        DownloadItem wiki = manifest.dataset("wikitext-2-raw");
        assertEquals("https://huggingface.co/datasets/ggml-org/ci/resolve/main/wikitext-2-raw-v1.zip", d.url(wiki).toString());
        assertEquals("wiki.test.raw", wiki.extractedName());
    }

    @Test
    void theTestModelIsPinnedToTheSharedCopyAndFetchedFromItsPathInTheRepo() throws Exception {
        DownloadItem s = manifest.dataset("stories260K");
        Downloader d = Downloader.builder().baseUrl(Downloader.DEFAULT_BASE_URL).build();
        assertEquals("https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf", d.url(s).toString());
        assertEquals("stories260K/stories260K.gguf", s.relativePath());
        byte[] bytes = Files.readAllBytes(TestModel.STORIES);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), s.sha256());
        assertEquals(bytes.length, s.size());
    }

    @Test
    void aPathInTheRepoCannotClimbOut() {
        for (String path : List.of("../x.gguf", "a//b.gguf", "/abs.gguf", "a/.hidden")) {
            String json = """
                    {"models": [], "datasets": [{"id": "d", "repo": "o/r", "file": "x.gguf", "path": "%s"}]}""".formatted(path);
            assertThrows(BadInputException.class, () -> Manifest.parse(Path.of("m.json"), json), path);
        }
    }

    @Test
    void theManifestIsPackedInTheJar() throws Exception {
        try (InputStream in = Manifest.class.getResourceAsStream("/models/manifest.json")) {
            assertNotNull(in, "models/manifest.json on the classpath");
            assertArrayEquals(Files.readAllBytes(Path.of("models/manifest.json")), in.readAllBytes());
        }
    }
}
