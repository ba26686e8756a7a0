package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar the way a person does ({@code java -jar target/minillm.jar ...}), after
 * the package phase: the shaded jar must start, find the bundled native library, fork its cell
 * children from the jar, and exit on its own (java-llama.cpp leaves a non-daemon native thread).
 */
class JarEndToEndIT {
    static final Path JAR = Path.of("target/minillm.jar");
    static final Path STORIES = dev.minillm.TestModel.STORIES;

    record Run(int code, String out, String err) {
    }

    static Run jar(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the jar did not exit by itself: " + cmd);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void benchCellThroughTheJar(@TempDir Path dir) throws Exception {
        Path model = STORIES.toAbsolutePath();
        Run r = jar(dir, "bench", "--model", model.toString(), "--results", "res", "--repetitions", "3", "--warmup", "1",
                "--backend", "both", "--thorough");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| Metric | F32 cpu |"), r.out());
        assertFalse(r.out().contains("bench:"), "progress must stay on stderr");
        assertFalse(r.err().contains("Exception"), r.err());

        JsonNode cpu = new ObjectMapper().readTree(dir.resolve("res/raw/stories260K/F32__cpu.json").toFile());
        assertEquals("ok", cpu.path("status").asText());
        JsonNode m = cpu.path("metrics");
        assertEquals(3, m.path("decode_tps").path("n").asInt());
        assertTrue(m.path("decode_tps").path("median").asDouble() > 0);
        assertTrue(m.path("wrapper_decode_tps").path("median").asDouble() > 0);
        assertTrue(m.path("ttft_ms").path("max").asDouble() < m.path("total_ms").path("min").asDouble());
        assertTrue(m.path("peak_rss_bytes").path("min").asDouble() >= m.path("rss_after_load_bytes").path("min").asDouble());
        assertEquals(292_800, cpu.path("model_info").path("n_params").asLong());
        assertEquals(80, cpu.path("cell").path("settings").path("n_predict").asInt(), "--thorough: the full protocol's tokens");
        assertTrue(cpu.path("cell").path("settings").path("wrapper").asBoolean(), "--thorough: with the wrapper's figure");

        JsonNode gpu = new ObjectMapper().readTree(dir.resolve("res/raw/stories260K/F32__gpu.json").toFile());
        assertEquals("skipped", gpu.path("status").asText());
        assertTrue(gpu.path("reason").asText().contains("GPU"), gpu.path("reason").asText());
        assertTrue(Files.exists(dir.resolve("res/tables/report.html")));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Path notGguf = dir.resolve("notes.gguf");
        Files.writeString(notGguf, "these are not weights");
        Run r = jar(dir, "bench", "--model", notGguf.toString(), "--out", "res");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].contains("notes.gguf") && lines[0].contains("not a GGUF"), lines[0]);
        assertFalse(Files.exists(dir.resolve("hs_err_pid" + ProcessHandle.current().pid() + ".log")));
    }

    @Test
    void downloadReadsThePackedManifestFromAnyDirectory(@TempDir Path dir) throws Exception {
        // dir has no models/manifest.json: the copy inside the jar is used.
        Run list = jar(dir, "download", "--list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("qwen2.5-0.5b-instruct") && list.out().contains("stories260K"), list.out());
        Run dry = jar(dir, "download", "--dataset", "stories260K", "--dry-run", "--base-url", "http://127.0.0.1:9");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("http://127.0.0.1:9/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf"), dry.out());
    }

    @Test
    void versionAndHelp(@TempDir Path dir) throws Exception {
        Run v = jar(dir, "--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("minillm "), v.out());
        Run none = jar(dir);
        assertEquals(2, none.code());
    }
}
