package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.it.JarEndToEndIT.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine dimension through the packaged jar: bundled and native side by side, and every way a
 * native build can be missing or unusable answered with one line and exit code 2 (each in its own
 * JVM: a library once loaded stays bound for the life of the process).
 */
class NativeEngineIT {
    static final Path NATIVE = Path.of("target/native/cpu");

    @Test
    void benchPutsBothEnginesSideBySide(@TempDir Path dir) throws Exception {
        Run r = JarEndToEndIT.jar(dir, "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(), "--out", "res",
                "--repetitions", "2", "--warmup", "1", "--backend", "cpu", "--engine", "bundled,native", "--n-predict", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| Metric | F32 cpu | F32 cpu native |"), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode bundled = json.readTree(dir.resolve("res/raw/stories260K/F32__cpu__n32.json").toFile());
        JsonNode nat = json.readTree(dir.resolve("res/raw/stories260K/F32__cpu-native__n32.json").toFile());
        for (JsonNode cell : new JsonNode[] {bundled, nat}) {
            assertEquals("ok", cell.path("status").asText(), cell.path("reason").asText());
            assertTrue(cell.path("metrics").path("decode_tps").path("median").asDouble() > 0);
            JsonNode e = cell.path("engine");
            assertFalse(e.path("llama_cpp_tag").asText().isEmpty(), e.toString());
            assertTrue(e.path("backends").toString().contains("CPU"), e.toString());
            assertFalse(e.path("cpu_variant").asText().isEmpty(), e.toString());
            assertTrue(e.path("devices").size() >= 1, e.toString());
        }
        assertEquals("bundled", bundled.path("cell").path("engine").asText());
        assertEquals("b4916", bundled.path("engine").path("llama_cpp_tag").asText());
        assertEquals("native", nat.path("cell").path("engine").asText());
        assertEquals("native", nat.path("engine").path("name").asText());
        assertEquals(NATIVE.toRealPath().toString(), Path.of(nat.path("engine").path("location").asText()).toRealPath().toString());
        assertFalse(nat.path("metrics").has("wrapper_decode_tps"), "the wrapper figure belongs to the bundled engine");
    }

    @Test
    void missingNativeBuildIsOneLine(@TempDir Path dir) throws Exception {
        // A copy of the jar with no native/ beside it and none under the working directory.
        Path jar = dir.resolve("minillm.jar");
        Files.copy(JarEndToEndIT.JAR, jar);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(), "--engine", "native", "--out", "res")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(2, p.exitValue(), out);
        assertOneLine(dir, out, "no native engine build found");
        assertTrue(out.contains("bash scripts/build-native.sh"), out);
    }

    @Test
    void corruptWrongArchitectureAndOtherInterfaceLibrariesAreOneLineEach(@TempDir Path dir) throws Exception {
        Path lib = NATIVE.resolve("libminillm_jni.so").toRealPath();

        Path garbage = Files.createDirectories(dir.resolve("garbage"));
        Files.writeString(garbage.resolve("libminillm_jni.so"), "not a shared library at all");
        Run g = bench(dir, garbage);
        assertEquals(2, g.code(), g.err());
        assertOneLine(dir, g.err(), "not a shared library");

        // The real library with its ELF machine field set to AArch64 (183): another CPU architecture.
        Path arm = Files.createDirectories(dir.resolve("aarch64"));
        byte[] elf = Files.readAllBytes(lib);
        elf[18] = (byte) 183;
        elf[19] = 0;
        Files.write(arm.resolve("libminillm_jni.so"), elf);
        Run a = bench(dir, arm);
        assertEquals(2, a.code(), a.err());
        assertOneLine(dir, a.err(), "built for another CPU architecture (aarch64)");

        // A library that speaks another interface version (a build from another minillm release).
        Path other = Files.createDirectories(dir.resolve("other-abi"));
        Path c = dir.resolve("abi.c");
        Files.writeString(c, "int Java_dev_minillm_nativelib_MinillmJni_abiVersion(void *env, void *cls) { return 999; }\n");
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", other.resolve("libminillm_jni.so").toString(), c.toString())
                .inheritIO().start();
        assertEquals(0, cc.waitFor());
        Run o = bench(dir, other);
        assertEquals(2, o.code(), o.err());
        assertOneLine(dir, o.err(), "interface version 999, this minillm needs version " + dev.minillm.nativelib.MinillmJni.ABI);

        // A shared library that is not minillm's at all.
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.copy(NATIVE.resolve("libggml-base.so").toRealPath(), foreign.resolve("libminillm_jni.so"), StandardCopyOption.REPLACE_EXISTING);
        Run f = bench(dir, foreign);
        assertEquals(2, f.code(), f.err());
        assertOneLine(dir, f.err(), "not a minillm native engine library");

        Run none = JarEndToEndIT.jar(dir, "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(), "--engine",
                dir.resolve("no-such-dir").toString());
        assertEquals(2, none.code(), none.err());
        assertOneLine(dir, none.err(), "not 'bundled', 'native' or an existing native build folder");
    }

    private static Run bench(Path dir, Path engineDir) throws Exception {
        return JarEndToEndIT.jar(dir, "bench", "--model", JarEndToEndIT.STORIES.toAbsolutePath().toString(),
                "--engine", engineDir.toString(), "--out", "res");
    }

    private static void assertOneLine(Path dir, String text, String expected) throws Exception {
        String[] lines = text.strip().split("\n");
        assertEquals(1, lines.length, text);
        assertTrue(lines[0].contains(expected), lines[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("hs_err")), "a JVM crash log was written");
        }
    }
}
