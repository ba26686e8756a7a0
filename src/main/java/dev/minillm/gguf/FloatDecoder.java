package dev.minillm.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes unquantized tensor data (F32, F16, BF16) to floats, e.g. as quantizer input. */
public final class FloatDecoder {
    private FloatDecoder() {
    }

    public static boolean supports(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16;
    }

    /**
     * Reads {@code n} elements of {@code type} from {@code src} (from its position, which advances)
     * into {@code dst[off..off+n)}.
     */
    public static void decode(GgmlType type, ByteBuffer src, float[] dst, int off, int n) {
        ByteBuffer b = src.order() == ByteOrder.LITTLE_ENDIAN ? src : src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32:
                b.asFloatBuffer().get(dst, off, n);
                b.position(b.position() + 4 * n);
                break;
            case F16:
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Half.toFloat(b.getShort());
                }
                break;
            case BF16:
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                }
                break;
            default:
                throw new IllegalArgumentException("cannot decode " + type + " to floats");
        }
        if (b != src) {
            src.position(b.position());
        }
    }
}
