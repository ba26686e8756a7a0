package dev.minillm.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RssSamplerTest {
    @Test
    void samplerSeesAPeakThatIsGoneAgainAndAgreesWithTheKernel() throws Exception {
        try (RssSampler s = RssSampler.start()) {
            assertTrue(s.resetPeak(), "clear_refs is writable for our own process");
            // Other tests run in this JVM meanwhile, so RSS may move between two reads: the kernel's
            // VmRSS is read on both sides of the sample, which must lie between them.
            long kernelBefore = RssSampler.kernelRssBytes();
            long before = s.sampleNow();
            long kernelAfter = RssSampler.kernelRssBytes();
            assertTrue(before > 10 << 20, "a JVM has more than 10 MiB resident: " + before);
            long slack = 4 << 20;
            assertTrue(before >= Math.min(kernelBefore, kernelAfter) - slack && before <= Math.max(kernelBefore, kernelAfter) + slack,
                    "statm " + before + " lies between VmRSS " + kernelBefore + " and " + kernelAfter);

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
