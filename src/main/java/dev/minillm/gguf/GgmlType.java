package dev.minillm.gguf;

import java.util.Locale;

/**
 * Tensor element types of ggml as of llama.cpp b4916 (the build bundled by java-llama.cpp 4.2.0),
 * with the block geometry needed to compute byte sizes. Ids 31-33 and 36-38 (the removed
 * Q4_0_4_4 / IQ4_NL_4_4 style repacked types) are deliberately absent: b4916 rejects them.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The numeric id stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for plain types, 32 or 256 for quantized ones). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes of a row of {@code ne0} elements; ne0 must be a multiple of {@link #blockSize()}. */
    public long rowBytes(long ne0) {
        if (ne0 % blockSize != 0) {
            throw new IllegalArgumentException(name() + " needs rows that are a multiple of " + blockSize + " elements, got " + ne0);
        }
        return Math.multiplyExact(ne0 / blockSize, (long) typeSize);
    }

    /** Bytes of a tensor with these dims (dims[0] is the row length, as in ggml). */
    public long byteSize(long[] dims) {
        long rows = 1;
        for (int i = 1; i < dims.length; i++) {
            rows = Math.multiplyExact(rows, dims[i]);
        }
        return Math.multiplyExact(rowBytes(dims.length == 0 ? 1 : dims[0]), rows);
    }

    /** The type with this id, or null if b4916 does not know it. */
    public static GgmlType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /** Parses a type name case-insensitively ("q4_k", "F16"); null if unknown. */
    public static GgmlType fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
