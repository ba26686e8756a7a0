package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.minillm.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files native code must never see: each gives exit code 2 and one line naming the file. */
class BenchBadInputTest {
    @TempDir
    Path tmp;

    private void assertRejected(Path model, String reasonFragment) {
        CliRun run = CliRun.of("bench", "--model", model.toString(), "--out", tmp.resolve("results").toString(), "--backend", "cpu");
        assertEquals(2, run.code(), run.err());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(model.toString()), "names the file: " + err);
        assertTrue(err.toLowerCase().contains(reasonFragment), "says why: " + err);
        assertFalse(Files.exists(tmp.resolve("results").resolve("raw")), "nothing measured");
    }

    @Test
    void missingFile() {
        assertRejected(tmp.resolve("nope-q4_k_m.gguf"), "not found");
    }

    @Test
    void directory() throws Exception {
        assertRejected(Files.createDirectories(tmp.resolve("dir.gguf")), "directory");
    }

    @Test
    void notGguf() throws Exception {
        Path f = tmp.resolve("notes-q8_0.gguf");
        Files.writeString(f, "this is a text file, not a model\n".repeat(10));
        assertRejected(f, "gguf");
    }

    @Test
    void truncatedGguf() throws Exception {
        byte[] all = Files.readAllBytes(BenchEndToEndTest.STORIES);
        Path f = tmp.resolve("stories-truncated.gguf");
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        assertRejected(f, "truncated");
    }

    @Test
    void architectureTheNativeBuildDoesNotKnow() throws Exception {
        dev.minillm.gguf.GgufWriter w = dev.minillm.gguf.GgufWriter.copyOf(dev.minillm.gguf.GgufFile.open(BenchEndToEndTest.STORIES));
        w.metadata().putString("general.architecture", "qwen3");
        Path f = tmp.resolve("stories-qwen3.gguf");
        w.write(f);
        assertRejected(f, "qwen3");
    }

    @Test
    void badOptionValues() {
        CliRun run = CliRun.of("bench", "--model", BenchEndToEndTest.STORIES.toString(), "--backend", "tpu");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--backend"), run.err());
        CliRun n = CliRun.of("bench", "--model", BenchEndToEndTest.STORIES.toString(), "--n-predict", "4096", "--ctx", "512");
        assertEquals(2, n.code());
        CliRun p = CliRun.of("bench", "--model", BenchEndToEndTest.STORIES.toString(), "--prompts", tmp.resolve("none.txt").toString());
        assertEquals(2, p.code());
        assertTrue(p.err().contains("none.txt"), p.err());
    }
}
