package dev.minillm.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bytes read per decoded token against a hand count of stories260K's tensors. */
class DecodeTrafficTest {
    private static final Path STORIES = Path.of("../shared/models/stories260K.gguf");

    @Test
    void storiesBytesPerTokenMatchTheHandCount() {
        DecodeTraffic t = DecodeTraffic.of(GgufFile.open(STORIES), GgmlType.F16, GgmlType.F16);
        // per layer (embd 64, ff 172, 8 heads of 8, 4 KV heads -> K/V width 32), all F32:
        //   q 64x64 + k 64x32 + v 64x32 + o 64x64 + gate/up/down 3 x 64x172 + 2 norms x 64 = 45,440 floats
        long perLayer = 64 * 64 + 64 * 32 + 64 * 32 + 64 * 64 + 3 * 64 * 172 + 2 * 64;
        assertEquals(45_440, perLayer);
        // 5 layers + output_norm 64 + output 64x512 + ONE row of token_embd (a lookup; output.weight is separate)
        long floats = 5 * perLayer + 64 + 64 * 512 + 64;
        assertEquals(floats * 4, t.weightBytes());
        assertEquals(1_040_384, t.weightBytes());
        // KV: 5 layers x (32 K + 32 V) x 2 bytes (F16) per position
        assertEquals(640, t.kvBytesPerPosition());
        assertEquals(1_040_384 + 640 * 100.0, t.bytesPerToken(100), 0.0);
        assertEquals("F16", t.kvCacheType());
        // a Q8_0 cache: 32-wide rows are one 34-byte block each
        assertEquals(5 * 2 * 34, DecodeTraffic.of(GgufFile.open(STORIES), GgmlType.Q8_0, GgmlType.Q8_0).kvBytesPerPosition());
    }
}
