package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole bench path with the real native code: parent, child JVM per cell, result files. */
class BenchEndToEndTest {
    static final Path STORIES = dev.minillm.TestModel.STORIES;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void benchMeasuresACellInAChildJvmSkipsItOnRerunAndForceRemeasures() throws Exception {
        // A private copy: another process mapping the shared file would keep its pages cached.
        Path model = Files.copy(STORIES, Files.createDirectories(tmp.resolve("m")).resolve("stories260K.gguf"));
        String out = tmp.resolve("results").toString();
        CliRun run = CliRun.of("bench", "--model", model.toString(), "--out", out, "--repetitions", "3",
                "--warmup", "1", "--backend", "both", "--n-predict", "32", "--wrapper");
        assertEquals(0, run.code(), run.err());

        Path cpuFile = Path.of(out, "raw", "stories260K", "F32__cpu__n32.json");
        Path gpuFile = Path.of(out, "raw", "stories260K", "F32__gpu__n32.json");
        JsonNode cpu = JSON.readTree(cpuFile.toFile());
        assertEquals(2, cpu.path("schema_version").asInt());
        assertEquals("ok", cpu.path("status").asText());
        assertEquals("stories260K/F32__cpu__n32", cpu.path("cell").path("id").asText());
        assertEquals(32, cpu.path("cell").path("settings").path("n_predict").asInt());
        assertEquals(5, cpu.path("cell").path("settings").path("prompt_count").asInt());

        JsonNode info = cpu.path("model_info");
        assertEquals(Files.size(STORIES), info.path("file_size_bytes").asLong());
        assertTrue(info.path("n_params").asLong() > 250_000 && info.path("n_params").asLong() < 300_000, info.toString());
        assertEquals(32.0, info.path("bits_per_weight").asDouble(), 0.5, "all-F32 model");
        assertEquals("llama", info.path("architecture").asText());
        assertEquals(5, info.path("n_layers").asInt());
        assertFalse(info.path("synthetic").asBoolean());

        JsonNode m = cpu.path("metrics");
        for (String key : new String[] {"load_cold_ms", "load_warm_ms", "ttft_ms", "prompt_tokens", "prompt_tps", "gen_tokens",
                "decode_tps", "itl_p50_ms", "itl_p90_ms", "itl_p99_ms", "total_ms", "rss_after_load_bytes",
                "rss_after_gen_bytes", "peak_rss_bytes", "native_prompt_tps", "native_decode_tps", "wrapper_decode_tps"}) {
            JsonNode st = m.path(key);
            assertEquals(3, st.path("n").asInt(), key + " over 3 measured repetitions");
            assertTrue(st.path("mean").asDouble() > 0, key + " > 0: " + st);
            assertTrue(st.path("min").asDouble() <= st.path("median").asDouble()
                    && st.path("median").asDouble() <= st.path("max").asDouble(), key);
            assertTrue(st.has("stddev") && st.has("cv"), key);
        }
        assertEquals(5 * 32, m.path("gen_tokens").path("mean").asDouble(), 0.0, "5 prompts x 32 tokens, EOS ignored");
        assertTrue(m.path("ttft_ms").path("max").asDouble() < m.path("total_ms").path("min").asDouble());
        assertTrue(m.path("itl_p50_ms").path("median").asDouble() <= m.path("itl_p99_ms").path("median").asDouble());
        for (JsonNode rep : cpu.path("repetitions")) {
            double peak = rep.path("peak_rss_bytes").asDouble();
            assertTrue(peak >= rep.path("rss_after_load_bytes").asDouble() && peak >= rep.path("rss_after_gen_bytes").asDouble(), rep.toString());
            assertTrue(rep.path("ttft_ms").asDouble() < rep.path("total_ms").asDouble(), rep.toString());
        }
        assertTrue(m.path("peak_rss_bytes").path("min").asDouble() > 20e6, "a JVM with llama.cpp loaded is > 20 MB");
        JsonNode cold = cpu.path("cold_load");
        assertEquals("posix_fadvise(POSIX_FADV_DONTNEED)", cold.path("method").asText());
        assertTrue(cold.path("verified").asBoolean(), "ext4: eviction verified by mincore " + cold);
        assertEquals(0.0, cold.path("resident_fraction_before").asDouble(), 0.01);

        JsonNode cc = cpu.path("crosscheck");
        assertTrue(cc.path("decode_diff_pct").isNumber() && cc.path("prompt_diff_pct").isNumber(), cc.toString());
        assertEquals(Math.abs(cc.path("decode_diff_pct").asDouble()) > 5 || Math.abs(cc.path("prompt_diff_pct").asDouble()) > 5,
                cc.path("flagged").asBoolean());
        assertEquals(1, cpu.path("warmup_discarded").asInt());
        assertEquals(3, cpu.path("repetitions").size());
        assertTrue(cpu.path("sample").path("output").asText().chars().filter(Character::isLetter).count() > 10);
        JsonNode hw = cpu.path("hardware");
        assertEquals("b4916", hw.path("native_build").asText());
        assertTrue(hw.path("system_info").asText().contains("CPU"));
        assertTrue(hw.path("physical_cores").asInt() >= 1 && hw.path("ram_bytes").asLong() > 1e9);
        // the run's bandwidth probe (once, in the parent) and the bytes a token reads: the roofline's two parts
        JsonNode bw = hw.path("memory_bandwidth");
        assertTrue(bw.path("bytes_per_s").asDouble() > 50e6, bw.toString());
        assertTrue(bw.path("method").asText().startsWith("JVM read probe"), bw.toString());
        assertEquals(1_040_384, info.path("decode_traffic").path("weight_bytes_per_token").asLong(), info.toString());
        assertEquals(640, info.path("decode_traffic").path("kv_bytes_per_position").asLong());
        assertTrue(run.out().contains("| Decode, % of roofline |"), run.out());
        assertTrue(run.out().contains("## Verdict"), run.out());
        long childPid = cpu.path("harness").path("child_pid").asLong();
        assertNotEquals(ProcessHandle.current().pid(), childPid, "measured in a child JVM");

        JsonNode gpu = JSON.readTree(gpuFile.toFile());
        assertEquals("skipped", gpu.path("status").asText());
        assertTrue(gpu.path("reason").asText().contains("GPU"), gpu.path("reason").asText());
        assertTrue(run.out().contains("## stories260K (n32)") && run.out().contains("| Status | ok"), run.out());
        assertTrue(Files.isRegularFile(Path.of(out, "tables", "comparison.md")));

        // Re-run: the ok cell is not measured again.
        CliRun again = CliRun.of("bench", "--model", model.toString(), "--out", out, "--repetitions", "3",
                "--warmup", "1", "--backend", "cpu", "--n-predict", "32", "--wrapper");
        assertEquals(0, again.code());
        assertTrue(again.err().contains("already measured"), again.err());
        assertEquals(childPid, JSON.readTree(cpuFile.toFile()).path("harness").path("child_pid").asLong());

        assertTrue(cpu.path("cell").path("settings").path("wrapper").asBoolean());

        // --force measures it again, in a new child; without --wrapper (or --thorough) the quick job leaves the wrapper out.
        CliRun forced = CliRun.of("bench", "--model", model.toString(), "--out", out, "--repetitions", "2",
                "--warmup", "0", "--backend", "cpu", "--n-predict", "32", "--force");
        assertEquals(0, forced.code(), forced.err());
        JsonNode re = JSON.readTree(cpuFile.toFile());
        assertEquals("ok", re.path("status").asText());
        assertNotEquals(childPid, re.path("harness").path("child_pid").asLong());
        assertEquals(2, re.path("metrics").path("decode_tps").path("n").asInt());
        assertFalse(re.path("metrics").has("wrapper_decode_tps"));
        assertFalse(re.path("cell").path("settings").path("wrapper").asBoolean(), "the result records what was run");
        assertTrue(re.path("cell").path("settings").has("wrapper"));
    }

    @Test
    void aChildThatDiesIsRecordedAsFailedAndTheNextCellStillRuns() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("storiesA.gguf");
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("storiesB.gguf");
        Files.createSymbolicLink(a, STORIES.toAbsolutePath());
        Files.createSymbolicLink(b, STORIES.toAbsolutePath());
        String out = tmp.resolve("results").toString();
        // storiesA's child is killed as the out-of-memory killer would (SIGKILL).
        Thread killer = ChildSignals.whenStarted("storiesA", "KILL");
        CliRun run = CliRun.of("bench", "--model", a.toString(), "--model", b.toString(), "--out", out, "--backend", "cpu",
                "--repetitions", "1", "--warmup", "0", "--n-predict", "8", "--no-wrapper");
        killer.join(5000);
        assertEquals(1, run.code(), "a failed cell makes the run fail after the matrix completes");
        JsonNode failed = JSON.readTree(Path.of(out, "raw", "storiesA", "F32__cpu__n8.json").toFile());
        assertEquals("failed", failed.path("status").asText());
        assertTrue(failed.path("reason").asText().contains("exit code 137"), failed.path("reason").asText());
        JsonNode ok = JSON.readTree(Path.of(out, "raw", "storiesB", "F32__cpu__n8.json").toFile());
        assertEquals("ok", ok.path("status").asText());
        assertTrue(run.out().contains("F32 cpu: FAILED: the child JVM died with exit code 137"), run.out());
        assertTrue(failed.path("hardware").path("cpu_model").isTextual(), "the parent records the machine of a failed cell");
        String[] errLines = run.err().strip().split("\n");
        assertTrue(errLines[errLines.length - 1].startsWith("minillm: 1 of 2 cells failed"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");

        // A failed cell is measured again on the next run (only ok results are kept).
        CliRun again = CliRun.of("bench", "--model", a.toString(), "--model", b.toString(), "--out", out, "--backend", "cpu",
                "--repetitions", "1", "--warmup", "0", "--n-predict", "8", "--no-wrapper");
        assertEquals(0, again.code(), again.err());
        assertEquals("ok", JSON.readTree(Path.of(out, "raw", "storiesA", "F32__cpu__n8.json").toFile()).path("status").asText());
    }

    @Test
    void aHangingChildIsKilledAtTheTimeout() throws Exception {
        String out = tmp.resolve("results").toString();
        // A stopped child hangs as a stuck native call would.
        Thread stopper = ChildSignals.whenStarted("stories260K", "STOP");
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("bench", "--model", STORIES.toString(), "--out", out, "--backend", "cpu", "--repetitions", "1",
                "--warmup", "0", "--n-predict", "8", "--no-wrapper", "--timeout", "6");
        stopper.join(5000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, run.code());
        assertTrue(seconds >= 6 && seconds < 30, "killed at the timeout, took " + seconds);
        JsonNode failed = JSON.readTree(Path.of(out, "raw", "stories260K", "F32__cpu__n8.json").toFile());
        assertEquals("failed", failed.path("status").asText());
        assertTrue(failed.path("reason").asText().startsWith("timed out after 6 s"), failed.path("reason").asText());
    }

    @Test
    void aBenchKilledWithSigkillKeepsItsFinishedCellsAndLeavesNoOrphan() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("storiesA.gguf");
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("storiesB.gguf");
        Files.createSymbolicLink(a, STORIES.toAbsolutePath());
        Files.createSymbolicLink(b, STORIES.toAbsolutePath());
        Path out = tmp.resolve("results");
        String javaExe = ProcessHandle.current().info().command().orElseThrow();
        // storiesB's child is held still (SIGSTOP), so the run is certainly busy with it when killed.
        Thread stopper = ChildSignals.whenStarted("storiesB", "STOP");
        Process bench = new ProcessBuilder(javaExe, "-cp",
                System.getProperty("java.class.path"), "dev.minillm.cli.Main", "bench", "--model", a.toString(), "--model",
                b.toString(), "--out", out.toString(), "--backend", "cpu", "--repetitions", "1", "--warmup", "0",
                "--n-predict", "8", "--no-wrapper")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("bench.log").toFile()).start();
        Path done = out.resolve("raw/storiesA/F32__cpu__n8.json");
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!(Files.exists(done) && bench.descendants().findAny().isPresent()) && System.nanoTime() < deadline && bench.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(done), Files.readString(tmp.resolve("bench.log")));
        stopper.join(30_000);
        var children = bench.descendants().toList();
        assertFalse(children.isEmpty(), "storiesB's child JVM is running");
        bench.destroyForcibly(); // SIGKILL
        bench.waitFor();
        children.forEach(c -> ChildSignals.send(c, "CONT")); // let go: it must notice its parent is gone

        JsonNode first = JSON.readTree(done.toFile());
        assertEquals("ok", first.path("status").asText(), "the finished cell survives intact");
        try (var files = Files.walk(out.resolve("raw"))) {
            assertEquals(java.util.List.of(done), files.filter(Files::isRegularFile).toList(), "no partial or temp file");
        }
        for (ProcessHandle child : children) {
            long until = System.nanoTime() + 30_000_000_000L;
            while (running(child) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertFalse(running(child), "the orphaned cell stops itself: " + procState(child));
        }
    }

    /** Alive and not a zombie (an exited orphan waits for init to reap it; it no longer runs). */
    private static boolean running(ProcessHandle p) {
        return p.isAlive() && !procState(p).contains(") Z");
    }

    private static String procState(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
        } catch (java.io.IOException e) {
            return "gone";
        }
    }
}
