package dev.minillm.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {
    @TempDir
    Path tmp;

    @Test
    void evictionDropsAFileFromThePageCacheAndMincoreSeesIt() throws Exception {
        assertNull(PageCache.unavailableReason(), "this test machine is Linux");
        byte[] data = new byte[8 << 20];
        new Random(1).nextBytes(data);
        Path f = Files.write(tmp.resolve("blob.bin"), data);
        Files.readAllBytes(f);
        assertTrue(PageCache.residentFraction(f) > 0.9, "just written and read: cached");

        PageCache.Eviction ev = PageCache.evict(f);
        assertEquals(PageCache.METHOD, ev.method());
        assertTrue(ev.verified(), String.valueOf(ev));
        assertTrue(ev.residentFractionBefore() <= PageCache.COLD_THRESHOLD);
        assertEquals(ev.residentFractionBefore(), PageCache.residentFraction(f), 0.01);

        try (var ch = java.nio.channels.FileChannel.open(f)) {
            ch.read(java.nio.ByteBuffer.allocate(1 << 20), 0);
        }
        double partly = PageCache.residentFraction(f);
        assertTrue(partly > 0.1 && partly < 0.9, "first MiB read back (plus read-ahead) of 8: " + partly);
    }

    @Test
    void aFileMappedByAnotherHolderIsReportedAsNotCold() throws Exception {
        Path f = Files.write(tmp.resolve("mapped.bin"), new byte[4 << 20]);
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            var map = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());
            map.load();
            PageCache.Eviction ev = PageCache.evict(f);
            assertFalse(ev.verified(), "mapped pages stay resident: the load would not be cold");
            assertTrue(ev.residentFractionBefore() > 0.5);
            assertNotNull(ev.note());
        }
    }

    @Test
    void emptyAndMissingFiles() throws Exception {
        assertEquals(0.0, PageCache.residentFraction(Files.createFile(tmp.resolve("empty"))));
        assertTrue(Double.isNaN(PageCache.residentFraction(tmp.resolve("missing"))));
        assertFalse(PageCache.evict(tmp.resolve("missing")).verified());
    }
}
