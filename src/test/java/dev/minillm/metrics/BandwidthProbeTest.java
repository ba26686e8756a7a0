package dev.minillm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The read-bandwidth probe returns a finite, plausible figure and says how it was measured. */
class BandwidthProbeTest {
    @Test
    void probeReturnsAFinitePositiveFigureAndItsMethod() {
        BandwidthProbe.Result r = BandwidthProbe.measure(2, 64L << 20);
        assertTrue(Double.isFinite(r.bytesPerSecond()) && r.bytesPerSecond() > 0, r.summary());
        // any machine that runs the tests reads faster than 50 MB/s and slower than 10 TB/s
        assertTrue(r.bytesPerSecond() > 50e6 && r.bytesPerSecond() < 10e12, r.summary());
        assertTrue(r.medianBytesPerSecond() > 0 && r.medianBytesPerSecond() <= r.bytesPerSecond(), r.summary());
        assertEquals(2, r.threads());
        assertEquals(64L << 20, r.bufferBytes());
        assertTrue(r.method().startsWith("JVM read probe: 2 thread(s)"), r.method());
        assertTrue(r.method().contains("64 MiB"), r.method());
        assertTrue(r.summary().contains("GB/s"), r.summary());
    }
}
