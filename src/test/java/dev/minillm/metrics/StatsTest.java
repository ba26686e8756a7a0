package dev.minillm.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void summarisesRepetitions() {
        Stats s = Stats.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(4.5, s.median(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.stddev(), 1e-12);
        assertEquals(2, s.min());
        assertEquals(9, s.max());
        assertEquals(Math.sqrt(32.0 / 7) / 5, s.cv(), 1e-12);
    }

    @Test
    void percentilesInterpolate() {
        double[] v = {10, 20, 30, 40, 50};
        assertEquals(30, Stats.percentile(v, 50), 1e-12);
        assertEquals(46, Stats.percentile(v, 90), 1e-12);
        assertEquals(49.6, Stats.percentile(v, 99), 1e-12);
        assertEquals(10, Stats.percentile(new long[] {10}, 99), 1e-12);
    }

    @Test
    void singleValueHasNoSpread() {
        Stats s = Stats.of(3.5);
        assertEquals(0.0, s.stddev());
        assertTrue(Double.isNaN(s.cv()));
        assertTrue(Double.isNaN(Stats.of().mean()));
    }
}
