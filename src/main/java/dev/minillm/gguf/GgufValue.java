package dev.minillm.gguf;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value: a scalar of one of the 13 value types, or an array (possibly of
 * strings or of nested arrays). Immutable by contract: arrays handed in are copied, arrays
 * handed out by {@link #rawArray()} must not be modified.
 *
 * <p>Storage: integer scalars as {@code long} (UINT64 keeps its bit pattern), FLOAT32/FLOAT64 as
 * {@code double}, BOOL as boolean. Arrays use primitive arrays: byte[] for UINT8/INT8/BOOL,
 * short[] for UINT16/INT16, int[] for UINT32/INT32, long[] for UINT64/INT64, float[] for FLOAT32,
 * double[] for FLOAT64, String[] for STRING and GgufValue[] for ARRAY.
 */
public final class GgufValue {
    private final GgufValueType type;
    private final GgufValueType elementType; // only for arrays
    private final long longValue;
    private final double doubleValue;
    private final Object objectValue; // String or backing array

    private GgufValue(GgufValueType type, GgufValueType elementType, long l, double d, Object o) {
        this.type = type;
        this.elementType = elementType;
        this.longValue = l;
        this.doubleValue = d;
        this.objectValue = o;
    }

    // ---- scalar factories ----

    public static GgufValue uint8(int v) {
        return integer(GgufValueType.UINT8, v & 0xFFL, v, 0, 0xFF);
    }

    public static GgufValue int8(int v) {
        return integer(GgufValueType.INT8, v, v, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    public static GgufValue uint16(int v) {
        return integer(GgufValueType.UINT16, v, v, 0, 0xFFFF);
    }

    public static GgufValue int16(int v) {
        return integer(GgufValueType.INT16, v, v, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    public static GgufValue uint32(long v) {
        return integer(GgufValueType.UINT32, v, v, 0, 0xFFFFFFFFL);
    }

    public static GgufValue int32(int v) {
        return new GgufValue(GgufValueType.INT32, null, v, 0, null);
    }

    /** UINT64 from its bit pattern (values above Long.MAX_VALUE are negative longs). */
    public static GgufValue uint64(long bits) {
        return new GgufValue(GgufValueType.UINT64, null, bits, 0, null);
    }

    public static GgufValue int64(long v) {
        return new GgufValue(GgufValueType.INT64, null, v, 0, null);
    }

    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, 0, v, null);
    }

    public static GgufValue float64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, null, 0, v, null);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v ? 1 : 0, 0, null);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, null, 0, 0, Objects.requireNonNull(v));
    }

    /** A scalar of the given integer type, range-checked. */
    public static GgufValue ofInteger(GgufValueType type, long v) {
        switch (type) {
            case UINT8: return uint8(checkRange(type, v, 0, 0xFF));
            case INT8: return int8(checkRange(type, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16: return uint16(checkRange(type, v, 0, 0xFFFF));
            case INT16: return int16(checkRange(type, v, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32: return uint32(v);
            case INT32: return int32(checkRange(type, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT64: return uint64(v);
            case INT64: return int64(v);
            default: throw new IllegalArgumentException(type + " is not an integer type");
        }
    }

    private static int checkRange(GgufValueType type, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range for " + type);
        }
        return (int) v;
    }

    private static GgufValue integer(GgufValueType type, long stored, long given, long min, long max) {
        if (given < min || given > max) {
            throw new IllegalArgumentException(given + " is out of range for " + type);
        }
        return new GgufValue(type, null, stored, 0, null);
    }

    // ---- array factories (inputs are copied) ----

    public static GgufValue uint8Array(byte[] v) {
        return array(GgufValueType.UINT8, v.clone());
    }

    public static GgufValue int8Array(byte[] v) {
        return array(GgufValueType.INT8, v.clone());
    }

    public static GgufValue boolArray(boolean[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) (v[i] ? 1 : 0);
        }
        return array(GgufValueType.BOOL, b);
    }

    public static GgufValue uint16Array(short[] v) {
        return array(GgufValueType.UINT16, v.clone());
    }

    public static GgufValue int16Array(short[] v) {
        return array(GgufValueType.INT16, v.clone());
    }

    /** UINT32 array from bit patterns. */
    public static GgufValue uint32Array(int[] v) {
        return array(GgufValueType.UINT32, v.clone());
    }

    public static GgufValue int32Array(int[] v) {
        return array(GgufValueType.INT32, v.clone());
    }

    public static GgufValue uint64Array(long[] v) {
        return array(GgufValueType.UINT64, v.clone());
    }

    public static GgufValue int64Array(long[] v) {
        return array(GgufValueType.INT64, v.clone());
    }

    public static GgufValue float32Array(float[] v) {
        return array(GgufValueType.FLOAT32, v.clone());
    }

    public static GgufValue float64Array(double[] v) {
        return array(GgufValueType.FLOAT64, v.clone());
    }

    public static GgufValue stringArray(List<String> v) {
        String[] s = v.toArray(new String[0]);
        for (String x : s) {
            Objects.requireNonNull(x, "null string in array");
        }
        return array(GgufValueType.STRING, s);
    }

    /** An array of arrays (nested arrays; every element must itself be an array value). */
    public static GgufValue arrayOfArrays(List<GgufValue> v) {
        GgufValue[] a = v.toArray(new GgufValue[0]);
        for (GgufValue x : a) {
            if (!x.isArray()) {
                throw new IllegalArgumentException("nested array elements must be arrays, got " + x.type);
            }
        }
        return array(GgufValueType.ARRAY, a);
    }

    /** Wraps an already-owned backing array without copying (reader use). */
    static GgufValue array(GgufValueType elementType, Object backing) {
        return new GgufValue(GgufValueType.ARRAY, elementType, 0, 0, backing);
    }

    // ---- accessors ----

    public GgufValueType type() {
        return type;
    }

    public boolean isArray() {
        return type == GgufValueType.ARRAY;
    }

    /** Element type of an array value, null for scalars. */
    public GgufValueType elementType() {
        return elementType;
    }

    /** Integer value (UINT64 as its bit pattern), or a float/bool converted. */
    public long asLong() {
        if (type.isInteger() || type == GgufValueType.BOOL) {
            return longValue;
        }
        if (type.isFloat()) {
            return (long) doubleValue;
        }
        throw new IllegalStateException("not a number: " + type);
    }

    public double asDouble() {
        if (type.isFloat()) {
            return doubleValue;
        }
        if (type == GgufValueType.UINT64 && longValue < 0) {
            return (double) (longValue >>> 1) * 2.0 + (longValue & 1);
        }
        if (type.isInteger() || type == GgufValueType.BOOL) {
            return longValue;
        }
        throw new IllegalStateException("not a number: " + type);
    }

    public boolean asBoolean() {
        if (type != GgufValueType.BOOL) {
            throw new IllegalStateException("not a bool: " + type);
        }
        return longValue != 0;
    }

    public String asString() {
        if (type != GgufValueType.STRING) {
            throw new IllegalStateException("not a string: " + type);
        }
        return (String) objectValue;
    }

    public boolean isNumber() {
        return type.isInteger() || type.isFloat();
    }

    /** Number of elements of an array value. */
    public int length() {
        requireArray();
        return java.lang.reflect.Array.getLength(objectValue);
    }

    /** Element i of an integer or bool array, as long (unsigned types zero-extended). */
    public long longAt(int i) {
        requireArray();
        switch (elementType) {
            case UINT8: return ((byte[]) objectValue)[i] & 0xFFL;
            case INT8: case BOOL: return ((byte[]) objectValue)[i];
            case UINT16: return ((short[]) objectValue)[i] & 0xFFFFL;
            case INT16: return ((short[]) objectValue)[i];
            case UINT32: return ((int[]) objectValue)[i] & 0xFFFFFFFFL;
            case INT32: return ((int[]) objectValue)[i];
            case UINT64: case INT64: return ((long[]) objectValue)[i];
            case FLOAT32: return (long) ((float[]) objectValue)[i];
            case FLOAT64: return (long) ((double[]) objectValue)[i];
            default: throw new IllegalStateException("not a numeric array: " + elementType);
        }
    }

    public double doubleAt(int i) {
        requireArray();
        switch (elementType) {
            case FLOAT32: return ((float[]) objectValue)[i];
            case FLOAT64: return ((double[]) objectValue)[i];
            default: return longAt(i);
        }
    }

    public String stringAt(int i) {
        requireArray();
        if (elementType != GgufValueType.STRING) {
            throw new IllegalStateException("not a string array: " + elementType);
        }
        return ((String[]) objectValue)[i];
    }

    /** The strings of a string array (read-only view). */
    public List<String> asStrings() {
        requireArray();
        if (elementType != GgufValueType.STRING) {
            throw new IllegalStateException("not a string array: " + elementType);
        }
        return Collections.unmodifiableList(Arrays.asList((String[]) objectValue));
    }

    public GgufValue arrayAt(int i) {
        requireArray();
        if (elementType != GgufValueType.ARRAY) {
            throw new IllegalStateException("not an array of arrays: " + elementType);
        }
        return ((GgufValue[]) objectValue)[i];
    }

    /** The backing primitive/String/GgufValue array (see class doc). Do not modify. */
    public Object rawArray() {
        requireArray();
        return objectValue;
    }

    private void requireArray() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("not an array: " + type);
        }
    }

    /** Short human form: scalars as their value, arrays as "array[STRING x 151936]". */
    public String summary() {
        if (isArray()) {
            return "array[" + elementType + " x " + length() + "]";
        }
        return toString();
    }

    @Override
    public String toString() {
        switch (type) {
            case STRING: return (String) objectValue;
            case BOOL: return Boolean.toString(longValue != 0);
            case FLOAT32: return Float.toString((float) doubleValue);
            case FLOAT64: return Double.toString(doubleValue);
            case UINT64: return Long.toUnsignedString(longValue);
            case ARRAY: return summary();
            default: return Long.toString(longValue);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GgufValue)) {
            return false;
        }
        GgufValue v = (GgufValue) o;
        if (type != v.type || elementType != v.elementType || longValue != v.longValue
                || Double.doubleToLongBits(doubleValue) != Double.doubleToLongBits(v.doubleValue)) {
            return false;
        }
        return Objects.deepEquals(objectValue, v.objectValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, elementType, longValue, doubleValue, Arrays.deepHashCode(new Object[] {objectValue}));
    }
}
