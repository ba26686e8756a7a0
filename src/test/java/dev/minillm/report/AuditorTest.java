package dev.minillm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each audit rule fires on a crafted bad cell and stays quiet on the good fixture it came from. */
class AuditorTest {
    @TempDir
    Path tmp;

    private final Path good = Fixtures.realCell("Q4_K_M__cpu");

    private List<AuditFlag> auditOne(Consumer<ObjectNode> edit) {
        CellResult c = Fixtures.crafted(good, tmp.resolve("raw/m/cell.json"), edit);
        return Auditor.audit(List.of(c));
    }

    private static List<AuditRule> rules(List<AuditFlag> flags) {
        return flags.stream().map(AuditFlag::rule).toList();
    }

    @Test
    void realisticFixturesAreClean() {
        CellReader.Loaded loaded = CellReader.readAll(List.of(Fixtures.REALISTIC, Fixtures.SYNTHETIC));
        assertEquals(12, loaded.cells().size());
        assertEquals(List.of(), Auditor.audit(loaded.cells()));
        assertEquals(List.of(), auditOne(j -> { }));
    }

    @Test
    void warmupNotDiscarded() {
        List<AuditFlag> flags = auditOne(j -> j.put("warmup_discarded", 0));
        assertEquals(List.of(AuditRule.WARMUP_NOT_DISCARDED), rules(flags));
        assertEquals("qwen2.5-0.5b/Q4_K_M__cpu", flags.get(0).cellId());
        assertTrue(flags.get(0).message().contains("warmup_discarded = 0"), flags.get(0).message());
        assertEquals(List.of(AuditRule.WARMUP_NOT_DISCARDED), rules(auditOne(j -> j.remove("warmup_discarded"))));
    }

    @Test
    void tooFewRepetitions() {
        List<AuditFlag> flags = auditOne(j -> Fixtures.metric(j, "decode_tps").put("n", 2));
        assertEquals(List.of(AuditRule.TOO_FEW_REPETITIONS), rules(flags));
        assertTrue(flags.get(0).message().contains("n = 2"));
        // n = 3 is enough
        assertEquals(List.of(), auditOne(j -> Fixtures.metric(j, "decode_tps").put("n", 3)));
    }

    @Test
    void highCvOnEachWatchedMetric() {
        for (String metric : List.of("decode_tps", "prompt_tps", "ttft_ms")) {
            List<AuditFlag> flags = auditOne(j -> Fixtures.metric(j, metric).put("cv", 0.12));
            assertEquals(List.of(AuditRule.HIGH_CV), rules(flags), metric);
            assertEquals(metric, flags.get(0).metric());
            assertTrue(flags.get(0).message().contains("12.0 %"), flags.get(0).message());
        }
        // cv missing: computed from stddev / mean (3.5 / 30.5 = 11.5 %)
        List<AuditFlag> computed = auditOne(j -> {
            Fixtures.metric(j, "decode_tps").putNull("cv");
            Fixtures.metric(j, "decode_tps").put("stddev", 3.5);
        });
        assertEquals(List.of(AuditRule.HIGH_CV), rules(computed));
        // exactly 10 % is within the limit; a CV on another metric is not watched
        assertEquals(List.of(), auditOne(j -> Fixtures.metric(j, "decode_tps").put("cv", 0.10)));
        assertEquals(List.of(), auditOne(j -> Fixtures.metric(j, "load_warm_ms").put("cv", 0.5)));
    }

    @Test
    void coldLoadNotCold() {
        List<AuditFlag> flags = auditOne(j -> ((ObjectNode) j.get("metrics").get("cold_load")).put("verified", false));
        assertEquals(List.of(AuditRule.COLD_LOAD_NOT_COLD), rules(flags));
        assertTrue(flags.get(0).message().contains("verified is false"));
        assertTrue(flags.get(0).message().endsWith("(0.0 % resident before the load)"), flags.get(0).message());
        assertEquals(List.of(AuditRule.COLD_LOAD_NOT_COLD),
                rules(auditOne(j -> ((ObjectNode) j.get("metrics")).remove("cold_load"))));
    }

    @Test
    void crosscheckDisagreement() {
        assertEquals(List.of(AuditRule.CROSSCHECK_DISAGREES),
                rules(auditOne(j -> ((ObjectNode) j.get("crosscheck")).put("flagged", true))));
        List<AuditFlag> diff = auditOne(j -> ((ObjectNode) j.get("crosscheck")).put("decode_diff_pct", -7.5));
        assertEquals(List.of(AuditRule.CROSSCHECK_DISAGREES), rules(diff));
        assertEquals("decode_tps", diff.get(0).metric());
        assertTrue(diff.get(0).message().contains("-7.5 %"), diff.get(0).message());
        assertEquals(List.of(AuditRule.CROSSCHECK_DISAGREES),
                rules(auditOne(j -> ((ObjectNode) j.get("crosscheck")).put("prompt_diff_pct", 5.2))));
        assertEquals(List.of(), auditOne(j -> ((ObjectNode) j.get("crosscheck")).put("decode_diff_pct", 4.9)));
        // without a crosscheck object the audit compares the project and native means itself (30.5 vs 33.0: -7.6 %)
        assertEquals(List.of(AuditRule.CROSSCHECK_DISAGREES), rules(auditOne(j -> {
            j.remove("crosscheck");
            Fixtures.metric(j, "native_decode_tps").put("mean", 33.0);
        })));
        assertEquals(List.of(), auditOne(j -> j.remove("crosscheck")));
    }

    @Test
    void qualityOnSyntheticWeights() {
        Path synthetic = Fixtures.SYNTHETIC.resolve("raw/synth-tiny/Q8_0__cpu.json");
        CellResult clean = Fixtures.crafted(synthetic, tmp.resolve("a/raw/s/Q8_0__cpu.json"), j -> { });
        assertEquals(List.of(), Auditor.audit(List.of(clean)));
        CellResult bad = Fixtures.crafted(synthetic, tmp.resolve("b/raw/s/Q8_0__cpu.json"),
                j -> j.set("quality", Fixtures.read(good).get("quality")));
        List<AuditFlag> flags = Auditor.audit(List.of(bad));
        assertEquals(List.of(AuditRule.QUALITY_ON_SYNTHETIC), rules(flags));
        assertEquals("synth-tiny/Q8_0__cpu", flags.get(0).cellId());
    }

    /** A native build's engine object, as the bench records it. */
    private static void nativeEngine(ObjectNode j, String commit) {
        ((ObjectNode) j.get("cell")).put("engine", "native");
        j.putObject("engine").put("name", "native").put("label", "native v0.4.0 (cpu)").put("llama_cpp_tag", "v0.4.0")
                .put("llama_cpp_commit", commit).put("variant", "cpu");
    }

    @Test
    void mixedEngineBuildsInOneColumnAreFlaggedButEnginesSideBySideAreNot() {
        List<CellResult> cells = new ArrayList<>();
        for (String v : List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M")) {
            // the bundled column: the compared dimension beside the native one
            cells.add(Fixtures.crafted(Fixtures.realCell(v + "__cpu"), tmp.resolve("raw/m/" + v + "__cpu.json"), j -> { }));
            String commit = v.equals("Q4_K_M") ? "1234567aaaa" : "80fb11abbbb"; // Q4_K_M: measured after a rebuild
            cells.add(Fixtures.crafted(Fixtures.realCell(v + "__cpu"), tmp.resolve("raw/m/" + v + "__cpu-native.json"),
                    j -> nativeEngine(j, commit)));
        }
        List<AuditFlag> flags = Auditor.audit(cells);
        assertEquals(List.of(AuditRule.MIXED_ENGINE), rules(flags));
        assertTrue(flags.get(0).file().toString().endsWith("Q4_K_M__cpu-native.json"), String.valueOf(flags.get(0).file()));
        assertTrue(flags.get(0).message().contains("native v0.4.0 (cpu) 1234567")
                && flags.get(0).message().contains("cpu native column"), flags.get(0).message());
        assertEquals(List.of(), Auditor.audit(cells, AuditOptions.defaults().withAllowMixed(true)));
    }

    @Test
    void mixedHardwareAndHarnessVersions() {
        List<CellResult> cells = new ArrayList<>();
        for (String v : List.of("F16", "Q8_0", "Q5_K_M")) {
            cells.add(Fixtures.crafted(Fixtures.realCell(v + "__cpu"), tmp.resolve("raw/m/" + v + "__cpu.json"), j -> { }));
        }
        cells.add(Fixtures.crafted(good, tmp.resolve("raw/m/Q4_K_M__cpu.json"), j -> {
            ((ObjectNode) j.get("hardware")).put("hostname", "other-laptop");
            ((ObjectNode) j.get("harness")).put("version", "0.2.0");
        }));
        List<AuditFlag> flags = Auditor.audit(cells);
        assertEquals(List.of(AuditRule.MIXED_HARDWARE, AuditRule.MIXED_HARNESS), rules(flags));
        // the odd one out is named, not the majority
        assertTrue(flags.stream().allMatch(f -> f.cellId().equals("qwen2.5-0.5b/Q4_K_M__cpu")));
        assertTrue(flags.get(0).message().contains("other-laptop"), flags.get(0).message());
        assertEquals(List.of(), Auditor.audit(cells, AuditOptions.defaults().withAllowMixed(true)));
        // different models are different tables: no mixing between them
        CellResult otherModel = Fixtures.crafted(good, tmp.resolve("raw/x/Q4_K_M__cpu.json"), j -> {
            ((ObjectNode) j.get("cell")).put("model", "other").put("id", "other/Q4_K_M__cpu");
            ((ObjectNode) j.get("hardware")).put("hostname", "other-laptop");
        });
        assertEquals(List.of(), Auditor.audit(List.of(cells.get(0), otherModel)));
    }

    @Test
    void failedAndSkippedCellsAreNotJudgedOnMeasurements() {
        CellReader.Loaded loaded = CellReader.readAll(List.of(Fixtures.REALISTIC));
        List<CellResult> notRun = loaded.cells().stream().filter(c -> !c.ok()).toList();
        assertEquals(5, notRun.size());
        // they have warmup_discarded 0 and no repetitions, yet nothing to flag
        assertEquals(List.of(), Auditor.audit(notRun));
    }
}
