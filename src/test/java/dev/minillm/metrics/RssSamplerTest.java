package dev.minillm.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RssSamplerTest {
    @Test
    void samplerSeesAPeakThatIsGoneAgainAndAgreesWithTheKernel() throws Exception {
        try (RssSampler s = RssSampler.start()) {
            assertTrue(s.resetPeak(), "clear_refs is writable for our own process");
            long before = s.sampleNow();
            assertTrue(before > 10 << 20, "a JVM has more than 10 MiB resident: " + before);
            long kernel = RssSampler.kernelRssBytes();
            assertEquals(before, kernel, 8 << 20, "statm and VmRSS agree");

            // Touch 192 MiB of native memory, then free it: only the peak remembers it.
            ByteBuffer big = ByteBuffer.allocateDirect(192 << 20);
            for (int i = 0; i < big.capacity(); i += 4096) {
                big.put(i, (byte) 1);
            }
            Thread.sleep(20);
            long during = s.sampleNow();
            assertTrue(during - before > 150 << 20, "RSS grew by the touched pages: " + (during - before));
            big = null;
            System.gc();
            long peak = s.peakBytes();
            assertTrue(peak >= during, "peak " + peak + " >= " + during);
            assertTrue(s.sampleCount() > 3, "the background thread samples");
            assertTrue(RssSampler.kernelPeakBytes() >= before, "VmHWM after reset covers the growth");
        }
    }
}
