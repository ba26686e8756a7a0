package dev.minillm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minillm.common.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict's constraint options: one parser for bench and report, bad values refused up front. */
class VerdictOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void sizesAndPercentagesParse() {
        assertEquals(4L << 30, VerdictOptions.parseSize("4G"));
        assertEquals(4L << 30, VerdictOptions.parseSize("4GiB"));
        assertEquals(4L << 30, VerdictOptions.parseSize("4 GB"));
        assertEquals(512L << 20, VerdictOptions.parseSize("512m"));
        assertEquals(1536L << 20, VerdictOptions.parseSize("1.5G"));
        assertEquals(1_000_000L, VerdictOptions.parseSize("1000000"));
        assertThrows(BadInputException.class, () -> VerdictOptions.parseSize("4X"));
        assertThrows(BadInputException.class, () -> VerdictOptions.parseSize("0"));
        assertEquals(0.02, VerdictOptions.parsePercent("2%"), 1e-15);
        assertEquals(0.02, VerdictOptions.parsePercent("2"), 1e-15);
        assertEquals(0.005, VerdictOptions.parsePercent("0.5 %"), 1e-15);
        assertThrows(BadInputException.class, () -> VerdictOptions.parsePercent("two"));
        assertThrows(BadInputException.class, () -> VerdictOptions.parsePercent("-1%"));
    }

    @Test
    void badConstraintsExitTwoOnBothCommandsBeforeAnyWork() {
        CliRun report = CliRun.of("report", "--results", "src/test/resources/fixtures/realistic", "--out", tmp.toString(),
                "--max-ram", "4X");
        assertEquals(2, report.code());
        assertTrue(report.err().contains("--max-ram: '4X' is not a size"), report.err());
        // bench refuses before it looks for models or measures anything
        CliRun bench = CliRun.of("bench", "--model-dir", tmp.resolve("none").toString(), "--out", tmp.resolve("r").toString(),
                "--max-kld", "-1");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("--max-kld must be 0 or more"), bench.err());
        CliRun ok = CliRun.of("report", "--results", "src/test/resources/fixtures/realistic", "--out", tmp.toString(),
                "--no-charts", "--max-ram", "600M", "--max-kld", "0.02");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("Constraints --max-ram 600 MiB, --max-kld 0.02: met by Q5_K_M cpu"), ok.out());
    }
}
