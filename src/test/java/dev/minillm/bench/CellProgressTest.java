package dev.minillm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The child's phases map onto a monotone position within the cell. */
class CellProgressTest {
    @Test
    void phasesAdvanceThroughWarmupRepetitionsWrapperAndWrite() {
        CellProgress p = new CellProgress(1, 3, true, false);
        assertEquals(500, p.units());
        String[] phases = {"warmup 1/1 cold load", "warmup 1/1 warm load", "warmup 1/1 generate 1/5", "warmup 1/1 generate 5/5",
            "rep 1/3 cold load", "rep 2/3 generate 3/5", "rep 3/3 generate 5/5", "wrapper decode", "write"};
        int last = -1;
        for (String ph : phases) {
            int at = p.at(ph);
            assertTrue(at > last, ph + " at " + at + " after " + last);
            last = at;
        }
        assertEquals(0, p.at("warmup 1/1 cold load"));
        assertEquals(100, p.at("rep 1/3 cold load"));
        assertEquals(400, p.at("wrapper decode"));
        assertEquals(500, p.at("write"));
        assertEquals(-1, p.at("starting"));
    }
}
