package dev.minillm.gguf;

import java.util.Arrays;

/**
 * One tensor as described in a GGUF header. {@code dims[0]} is the row length (ggml's ne[0]).
 * {@code offset} is relative to the start of the data section. {@code type} is null when the
 * file names a ggml type id that llama.cpp b4916 does not know ({@code typeId} keeps the raw id).
 */
public record TensorInfo(String name, long[] dims, int typeId, GgmlType type, long offset) {

    public TensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int nDims() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    /** Number of elements, or -1 if a dim is not positive or the product overflows. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            if (d <= 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** Bytes of tensor data, or -1 if type unknown, dims invalid or rows not a block multiple. */
    public long byteSize() {
        long ne0 = dims.length == 0 ? 1 : dims[0];
        if (type == null || elementCount() < 0 || ne0 % type.blockSize() != 0) {
            return -1;
        }
        try {
            return type.byteSize(dims);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** The type name, or "type#N" for an unknown id. */
    public String typeName() {
        return type != null ? type.name() : "type#" + typeId;
    }

    /** Shape like [896, 151936]. */
    public String shape() {
        return Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorInfo)) {
            return false;
        }
        TensorInfo t = (TensorInfo) o;
        return name.equals(t.name) && Arrays.equals(dims, t.dims) && typeId == t.typeId && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + typeName() + " " + shape() + " @" + offset;
    }
}
