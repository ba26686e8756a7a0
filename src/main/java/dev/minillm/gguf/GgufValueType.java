package dev.minillm.gguf;

/** The 13 metadata value types of the GGUF format (ids as stored in the file). */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, -1),
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    public int id() {
        return id;
    }

    /** Fixed size in bytes, or -1 for STRING and ARRAY. */
    public int size() {
        return size;
    }

    /** Smallest number of bytes one value of this type can occupy in a file (bounds untrusted counts). */
    int minEncodedSize() {
        if (this == STRING) {
            return 8; // u64 length, possibly 0 bytes of text
        }
        if (this == ARRAY) {
            return 12; // u32 element type + u64 count
        }
        return size;
    }

    public boolean isInteger() {
        return this == UINT8 || this == INT8 || this == UINT16 || this == INT16 || this == UINT32
                || this == INT32 || this == UINT64 || this == INT64;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this id, or null. */
    public static GgufValueType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
