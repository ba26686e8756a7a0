package dev.minillm.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line: labelled ETA, an empty bar at 0 %, the terminal's width, one prefix. */
class ProgressTest {
    final Progress.Renderer cells = new Progress.Renderer("cells", 400);
    final Progress.Renderer mb = new Progress.Renderer("MB", 1_000_000);

    @Test
    void zeroPercentIsAnEmptyBarAndTheEtaSaysItIsEstimating() {
        String line = mb.render("quantize q8_0", 0, 0, 1_185_376, Duration.ZERO, "", 80);
        assertTrue(line.startsWith("minillm: quantize q8_0   0% ["), line);
        assertFalse(line.contains("="), "nothing filled at 0 %: " + line);
        assertTrue(line.contains("0.0/1.2 MB"), line);
        assertTrue(line.contains("ETA estimating"), line);
    }

    @Test
    void etaIsLabelledAndExtrapolatesTheWorkDoneSoFar() {
        // A quarter of four cells in 60 s: three quarters left, 180 s.
        String line = cells.render("bench", 0, 400, 1600, Duration.ofSeconds(60), "F16 cpu rep 1/3 generate 2/5", 120);
        assertTrue(line.contains(" 25% "), line);
        assertTrue(line.contains("1.0/4.0 cells"), line);
        assertTrue(line.contains("elapsed 1:00  ETA 3:00"), line);
        assertTrue(line.endsWith("F16 cpu rep 1/3 generate 2/5"), line);
        String done = cells.render("bench", 0, 1600, 1600, Duration.ofSeconds(240), "", 120);
        assertTrue(done.contains("100% ") && done.contains("done"), done);
    }

    @Test
    void theLineFitsTheTerminalWidthCuttingThePhaseLast() {
        String phase = "qwen2.5-0.5b Q4_K_M cpu rep 3/5 generate 4/5 with a long description";
        for (int width : new int[] {60, 80, 160}) {
            String line = cells.render("bench", 0, 800, 1600, Duration.ofSeconds(90), phase, width);
            assertTrue(line.length() <= width, width + ": " + line.length() + " " + line);
            assertTrue(line.contains("ETA 1:30"), line);
        }
        assertTrue(cells.render("bench", 0, 800, 1600, Duration.ofSeconds(90), phase, 200).contains(phase));
    }

    @Test
    void everyStatusLineHasOnePrefix() {
        assertEquals("minillm: x", Progress.prefixed("x"));
        assertEquals("minillm: x", Progress.prefixed("minillm: x"));
    }
}
