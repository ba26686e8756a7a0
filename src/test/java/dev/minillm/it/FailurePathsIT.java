package dev.minillm.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.gguf.MalformedModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure paths through the packaged jar, as a careful user meets them: two runs on one
 * results directory, a run killed with -9, a report into a full file system, malformed models,
 * and damaged result files.
 */
class FailurePathsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    /** One good run, copied by the tests that need finished results. */
    static Path goodRun;

    /** A short cell: one prompt, few tokens, one repetition; what is measured does not matter here. */
    static String[] benchArgs(String out) {
        return new String[] {"bench", "--model", MalformedModels.STORIES.toAbsolutePath().toString(), "--out", out,
                "--backend", "cpu", "--repetitions", "1", "--warmup", "0", "--n-predict", "8", "--no-wrapper",
                "--prompts", shared.resolve("prompt.txt").toString()};
    }

    @BeforeAll
    static void measureOnce() throws Exception {
        Files.writeString(shared.resolve("prompt.txt"), "Once upon a time\n");
        goodRun = shared.resolve("good");
        Files.createDirectories(goodRun);
        JarEndToEndIT.Run r = JarEndToEndIT.jar(goodRun, benchArgs("res"));
        assertEquals(0, r.code(), r.err());
        assertEquals("ok", JSON.readTree(cellFile(goodRun.resolve("res")).toFile()).path("status").asText());
    }

    static Path cellFile(Path res) throws IOException {
        try (Stream<Path> s = Files.list(res.resolve("raw/stories260K"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("F32__cpu")).findFirst().orElseThrow();
        }
    }

    /** The good run's results directory copied to {@code dir/res}; without its report unless {@code withReport}. */
    static Path copyOfGoodRun(Path dir, boolean withReport) throws IOException {
        Path res = dir.resolve("res");
        Path from = goodRun.resolve("res");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                if (!withReport && from.relativize(p).startsWith("tables")) {
                    continue;
                }
                Path to = res.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return res;
    }

    static Process start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JarEndToEndIT.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("a.out").toFile()).redirectError(dir.resolve("a.err").toFile()).start();
    }

    static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, k.waitFor(), "kill -" + sig);
    }

    /** Waits until {@code done} holds, failing after a minute. */
    static void await(String what, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!done.call()) {
            assertTrue(System.nanoTime() < until, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    static String lockText(Path res) {
        try {
            return Files.readString(res.resolve(".minillm.lock"));
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aSecondRunOnTheSameResultsIsRefusedAndTheFirstFinishesOk(@TempDir Path dir) throws Exception {
        Process first = start(dir, benchArgs("res"));
        Path res = dir.resolve("res");
        await("the first run holds the lock", () -> lockText(res).contains("\"pid\" : " + first.pid()));
        // Stopped, the first run keeps its lock, so the second one meets it whatever the machine's speed.
        signal(first, "STOP");
        JarEndToEndIT.Run second;
        try {
            second = JarEndToEndIT.jar(dir, benchArgs("res"));
        } finally {
            signal(first, "CONT");
        }
        assertEquals(2, second.code(), second.err());
        String[] lines = second.err().strip().split("\n");
        assertEquals(1, lines.length, second.err());
        assertTrue(lines[0].contains("another minillm bench is using this results directory")
                && lines[0].contains("pid " + first.pid()), lines[0]);

        assertTrue(first.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, first.exitValue(), Files.readString(dir.resolve("a.err")));
        assertEquals("ok", JSON.readTree(cellFile(res).toFile()).path("status").asText());
        assertEquals("", lockText(res), "released at the end");
    }

    @Test
    void aRunKilledWithSignal9LeavesAStaleLockAndSpecsThatTheNextRunTakesOver(@TempDir Path dir) throws Exception {
        Process first = start(dir, benchArgs("res"));
        Path res = dir.resolve("res");
        Path specs = res.resolve(".specs");
        await("a cell is in flight", () -> {
            try (Stream<Path> s = Files.list(specs)) {
                return s.anyMatch(p -> p.toString().endsWith(".json"));
            } catch (IOException e) {
                return false;
            }
        });
        List<ProcessHandle> children = first.descendants().toList();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        for (ProcessHandle c : children) {
            c.onExit().get(60, TimeUnit.SECONDS); // the cell stops when its parent is gone
        }
        assertTrue(lockText(res).contains("\"pid\" : " + first.pid()), "the dead run's record is still there");

        JarEndToEndIT.Run again = JarEndToEndIT.jar(dir, benchArgs("res"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("taking over a stale lock") && again.err().contains("pid " + first.pid()), again.err());
        assertTrue(again.err().contains("removed 1 leftover file(s)"), again.err());
        assertFalse(Files.exists(specs), "the run that owns the results cleaned up the dead run's cell spec");
        assertEquals("ok", JSON.readTree(cellFile(res).toFile()).path("status").asText());
    }

    @Test
    void aFailedReMeasurementNeverReplacesAGoodResult(@TempDir Path dir) throws Exception {
        Path res = copyOfGoodRun(dir, true);
        Path cell = cellFile(res);
        byte[] good = Files.readAllBytes(cell);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JarEndToEndIT.JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(benchArgs("res")));
        cmd.add("--force");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("f.out").toFile())
                .redirectError(dir.resolve("f.err").toFile()).start();
        // the machine kills the cell's child (as the out-of-memory killer would)
        dev.minillm.bench.ChildSignals.whenStarted("stories260K", "KILL");
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String err = Files.readString(dir.resolve("f.err"));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("FAILED: the child JVM") && err.contains("(the earlier ok result in " + cell + " is kept)"), err);
        assertArrayEquals(good, Files.readAllBytes(cell), "the good result is untouched");
    }

    @Test
    void aTruncatedOrEmptyResultIsAnAuditFindingInReportAndAuditAlikeAndBenchSaysWhatItReplaced(@TempDir Path dir) throws Exception {
        Path res = copyOfGoodRun(dir, true);
        Path cell = cellFile(res);
        byte[] whole = Files.readAllBytes(cell);
        // cut in the middle of a number, as a write stopped at any byte might: still "truncated"
        int cut = whole.length / 2;
        while (!(Character.isDigit(whole[cut - 1]) && whole[cut] == '.')) {
            cut++;
        }
        Files.write(cell, java.util.Arrays.copyOf(whole, cut + 1));

        JarEndToEndIT.Run report = JarEndToEndIT.jar(dir, "report", "--results", "res", "--no-charts");
        JarEndToEndIT.Run audit = JarEndToEndIT.jar(dir, "audit", "--results", "res");
        assertEquals(1, report.code(), report.err());
        assertEquals(1, audit.code(), audit.err());
        assertTrue(report.out().contains("unreadable-result") && report.out().contains("truncated"), report.out());
        assertFalse(report.out().contains("No flags"), report.out());
        assertTrue(audit.out().contains("unreadable-result: truncated"), audit.out());

        Files.write(cell, new byte[0]);
        audit = JarEndToEndIT.jar(dir, "audit", "--results", "res");
        assertEquals(1, audit.code());
        assertTrue(audit.out().contains("unreadable-result: empty file (0 bytes)"), audit.out());

        JarEndToEndIT.Run bench = JarEndToEndIT.jar(dir, benchArgs("res"));
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.err().contains("replacing an unreadable result (" + Path.of("res").resolve(res.relativize(cell)))
                && bench.err().contains("empty file (0 bytes)"), bench.err());
        assertEquals("ok", JSON.readTree(cell.toFile()).path("status").asText());
        assertFalse(JarEndToEndIT.jar(dir, "audit", "--results", "res").out().contains("unreadable"), "measured again, readable");
    }

    @Test
    void aReportIntoAFullFileSystemLeavesNoPartialFilesPrintsTheTableAndExitsOne(@TempDir Path dir) throws Exception {
        Path mnt = dir.resolve("full");
        Files.createDirectories(mnt);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here to fill (" + said
                + "); the unwritable-target test still covers a report that cannot be written");
        try {
            Path res = copyOfGoodRun(mnt, false);
            // Fill the file system, leaving room for the results and a little more, not for a report.
            long free = Files.getFileStore(mnt).getUsableSpace();
            Files.write(mnt.resolve("filler"), new byte[(int) Math.max(0, free - 8192)]);

            // run from outside the full file system: the captured stdout must have room
            JarEndToEndIT.Run bench = JarEndToEndIT.jar(dir, benchArgs("full/res"));
            assertEquals(1, bench.code(), bench.err());
            assertTrue(bench.out().contains("| Metric |"), "the table is on stdout regardless: " + bench.out());
            assertTrue(bench.err().contains("already measured"), bench.err());
            assertTrue(bench.err().contains("NO report was written") && bench.err().contains("No space left on device"), bench.err());
            assertFalse(bench.err().contains("report in "), "no claim of a report: " + bench.err());
            assertNoReportLeft(res);

            JarEndToEndIT.Run report = JarEndToEndIT.jar(dir, "report", "--results", "full/res");
            assertEquals(1, report.code(), report.err());
            assertTrue(report.out().contains("| Metric |"), report.out());
            assertTrue(report.err().contains("cannot write the report, so none was written there"), report.err());
            assertNoReportLeft(res);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aReportIntoAnUnwritableTargetLeavesNothingPrintsTheTableAndExitsOne(@TempDir Path dir) throws Exception {
        Path res = copyOfGoodRun(dir, true);
        Files.writeString(dir.resolve("a-file"), "not a directory");
        JarEndToEndIT.Run report = JarEndToEndIT.jar(dir, "report", "--results", "res", "--out", "a-file/tables");
        assertEquals(1, report.code(), report.err());
        assertTrue(report.out().contains("| Metric |"), report.out());
        assertTrue(report.err().contains("a-file/tables: cannot write the report, so none was written there"), report.err());
        assertFalse(report.err().contains("written to"), report.err());
        assertEquals("not a directory", Files.readString(dir.resolve("a-file")));
        assertTrue(Files.isDirectory(res.resolve("tables")), "the earlier report is untouched");
    }

    @Test
    void malformedModelsAreRefusedByBenchAndInspectAlikeNamingTheKeyOrTensor(@TempDir Path dir) throws Exception {
        for (MalformedModels.Case c : MalformedModels.writeAll(dir)) {
            JarEndToEndIT.Run bench = JarEndToEndIT.jar(dir, "bench", "--model", c.file().toString(), "--out", "res-" + c.name());
            JarEndToEndIT.Run inspect = JarEndToEndIT.jar(dir, "inspect", c.file().toString());
            assertEquals(2, bench.code(), c.name() + ": " + bench.err());
            assertEquals(2, inspect.code(), c.name() + ": " + inspect.err());
            String line = bench.err().strip();
            assertEquals(1, line.lines().count(), c.name() + ": " + bench.err());
            assertTrue(line.contains(c.file().getFileName().toString()), line);
            for (String e : c.expected()) {
                assertTrue(line.contains(e), c.name() + ": '" + line + "' does not say '" + e + "'");
            }
            assertEquals(line, inspect.err().strip(), c.name() + ": inspect gives the same verdict as bench");
            assertFalse(Files.exists(dir.resolve("res-" + c.name()).resolve("raw")), "nothing measured");
        }
    }

    @Test
    void aModelOnlyLlamaCppRefusesFailsItsCellWithLlamaCppsReason(@TempDir Path dir) throws Exception {
        Path file = MalformedModels.refusedOnlyByLlamaCpp(dir);
        JarEndToEndIT.Run bench = JarEndToEndIT.jar(dir, "bench", "--model", file.toString(), "--out", "res", "--backend", "cpu",
                "--repetitions", "1", "--warmup", "0", "--no-wrapper");
        assertEquals(1, bench.code(), bench.err());
        JsonNode doc = JSON.readTree(dir.resolve("res/raw/block-count-too-low/F32__cpu__n32.json").toFile());
        assertEquals("failed", doc.path("status").asText());
        String reason = doc.path("reason").asText();
        assertTrue(reason.contains("llama.cpp could not load the model: done_getting_tensors: wrong number of tensors"), reason);
        assertTrue(bench.out().contains("wrong number of tensors"), "the table says why: " + bench.out());
    }

    static void assertNoReportLeft(Path res) throws IOException {
        assertFalse(Files.exists(res.resolve("tables")), "no partial tables directory");
        try (Stream<Path> s = Files.list(res)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith(".tables")), "no staging left: " + names);
        }
    }
}
