package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.report.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and audit commands end to end through Main.execute: stdout, stderr, exit codes. */
class ReportAuditCommandTest {
    @TempDir
    Path tmp;

    private Path copyRealistic() {
        return Fixtures.copy(Fixtures.REALISTIC, tmp.resolve("results"));
    }

    @Test
    void reportPrintsOnlyTheMarkdownOnStdoutAndWritesFilesUnderResultsTables() throws Exception {
        Path results = copyRealistic();
        CliRun r = CliRun.of("report", "--results", results.toString(), "--no-charts");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# minillm comparison\n"), r.out());
        assertTrue(r.out().contains("| Decode tok/s | 14.2 ± 0.2 |"), "a schema-1 result still renders: " + r.out());
        assertFalse(r.out().contains("minillm:"), "logs must not reach stdout");
        assertTrue(r.err().contains("report of 9 cells written to"), r.err());
        Path tables = results.resolve("tables");
        assertEquals(r.out(), Files.readString(tables.resolve("comparison.md")));
        for (String f : new String[] {"comparison.csv", "summary.json", "report.html"}) {
            assertTrue(Files.size(tables.resolve(f)) > 100, f);
        }
        // a second run replaces the files in place
        CliRun again = CliRun.of("report", "--results", results.toString(), "--out", tables.toString(), "--no-charts");
        assertEquals(0, again.code());
        try (Stream<Path> files = Files.list(tables)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith(".")).count());
        }
    }

    @Test
    void auditExitsZeroWhenCleanAndOneNamingCellAndRuleOtherwise() throws Exception {
        Path results = copyRealistic();
        CliRun clean = CliRun.of("audit", "--results", results.toString());
        assertEquals(0, clean.code(), clean.out() + clean.err());
        assertEquals("", clean.out());
        assertTrue(clean.err().contains("audited 9 cells: clean"), clean.err());

        Path q8 = results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json");
        ObjectNode json = Fixtures.read(q8);
        json.put("warmup_discarded", 0);
        Fixtures.write(q8, json);
        CliRun flagged = CliRun.of("audit", "--results", results.toString());
        assertEquals(1, flagged.code());
        assertEquals("qwen2.5-0.5b/Q8_0__cpu: warmup-not-discarded: warmup_discarded = 0, the first (cold-cache) "
                + "repetition is in the figures\n", flagged.out());

        // the report still renders, and shows the flag in its audit section
        CliRun report = CliRun.of("report", "--results", results.toString(), "--no-charts");
        assertEquals(0, report.code());
        assertTrue(report.out().contains("| qwen2.5-0.5b/Q8_0__cpu | warmup-not-discarded |"), report.out());

        Files.writeString(results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json"), "{not json");
        CliRun unreadable = CliRun.of("audit", "--results", results.toString());
        assertEquals(1, unreadable.code());
        assertTrue(unreadable.out().startsWith(results.resolve("raw/qwen2.5-0.5b/Q8_0__cpu.json")
                + ": unreadable-result: malformed JSON at line 1, column 2"), unreadable.out());
        // one rule for both commands: the report shows the same finding and exits 1 too
        CliRun reportUnreadable = CliRun.of("report", "--results", results.toString(), "--no-charts");
        assertEquals(1, reportUnreadable.code(), reportUnreadable.err());
        assertTrue(reportUnreadable.out().contains("| unreadable-result | malformed JSON at line 1, column 2"), reportUnreadable.out());
        assertFalse(reportUnreadable.out().contains("No flags"), reportUnreadable.out());
    }

    @Test
    void missingResultsDirectoryIsBadInputWithOneLine() {
        CliRun r = CliRun.of("report", "--results", tmp.resolve("nope").toString());
        assertEquals(2, r.code());
        assertEquals("minillm: " + tmp.resolve("nope") + ": results directory not found\n", r.err());
        CliRun a = CliRun.of("audit", "--results", tmp.resolve("nope").toString());
        assertEquals(2, a.code());
        assertEquals(1, a.err().lines().count(), a.err());
    }
}
