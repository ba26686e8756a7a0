package dev.minillm.nativelib;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GgmlLibraryTest {
    static final int F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8, Q4_K = 12, Q6_K = 14;

    @BeforeAll
    static void load() {
        GgmlLibrary.load();
    }

    @Test
    void typeGeometryMatchesGgml() {
        assertEquals("q8_0", GgmlLibrary.ggml_type_name(Q8_0));
        assertEquals(32, GgmlLibrary.ggml_blck_size(Q8_0));
        assertEquals(34, GgmlLibrary.ggml_type_size(Q8_0));
        assertEquals(256, GgmlLibrary.ggml_blck_size(Q4_K));
        assertEquals(144, GgmlLibrary.ggml_type_size(Q4_K));
        assertEquals(2 * 210, GgmlLibrary.ggml_row_size(Q6_K, 512));
        assertFalse(GgmlLibrary.requiresImatrix(Q4_K));
        assertTrue(GgmlLibrary.requiresImatrix(16)); // IQ2_XXS
        assertEquals("q4_K", GgmlLibrary.traits(Q4_K).name());
    }

    @Test
    void q8RoundTripIsCloseAndExactForRepresentableValues() {
        int n = 256;
        Memory src = new Memory(n * 4L);
        Random r = new Random(1);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        src.write(0, x, 0, n);
        Memory q = new Memory(GgmlLibrary.ggml_row_size(Q8_0, n));
        long bytes = GgmlLibrary.ggml_quantize_chunk(Q8_0, src, q, 0, 1, n, null);
        assertEquals(8 * 34, bytes);
        assertTrue(GgmlLibrary.validateRowData(Q8_0, q, bytes));
        Memory back = new Memory(n * 4L);
        GgmlLibrary.toFloat(Q8_0, q, back, n);
        float[] y = back.getFloatArray(0, n);
        double err = 0, ref = 0;
        for (int i = 0; i < n; i++) {
            err += (x[i] - y[i]) * (x[i] - y[i]);
            ref += x[i] * x[i];
        }
        double rel = Math.sqrt(err / ref);
        assertTrue(rel > 0 && rel < 0.01, "q8_0 relative rms error " + rel);

        // The block scale of q8_0 is max|x|/127: a block of multiples of that scale survives exactly.
        float[] exact = new float[32];
        for (int i = 0; i < 32; i++) {
            exact[i] = (i - 16) * 0.5f;
        }
        exact[0] = 63.5f; // 127 * 0.5
        src.write(0, exact, 0, 32);
        GgmlLibrary.ggml_quantize_chunk(Q8_0, src, q, 0, 1, 32, null);
        GgmlLibrary.toFloat(Q8_0, q, back, 32);
        assertArrayEquals(exact, back.getFloatArray(0, 32));
    }

    @Test
    void fp16ConversionRoundsLikeIeeeHalf() {
        float[] x = {1f, -2.5f, 65504f, 1.0009765625f /* 1 + 2^-10 */, 1.00048828125f /* tie -> even */, 1e-8f};
        Memory src = new Memory(x.length * 4L);
        src.write(0, x, 0, x.length);
        Memory h = new Memory(x.length * 2L);
        GgmlLibrary.ggml_quantize_chunk(F16, src, h, 0, 1, x.length, null);
        short[] bits = h.getShortArray(0, x.length);
        assertEquals((short) 0x3C00, bits[0]);
        assertEquals((short) 0xC100, bits[1]);
        assertEquals((short) 0x7BFF, bits[2]);
        assertEquals((short) 0x3C01, bits[3]);
        assertEquals((short) 0x3C00, bits[4]);
        Memory back = new Memory(x.length * 4L);
        GgmlLibrary.ggml_fp16_to_fp32_row(h, back, x.length);
        assertEquals(-2.5f, back.getFloat(4));
        assertEquals(1.0009765625f, back.getFloat(12));
    }
}
