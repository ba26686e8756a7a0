package dev.minillm.nativelib;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.minillm.common.RunFailedException;

/**
 * JNA direct-mapped binding of the ggml quantization API exported by java-llama.cpp's libjllama
 * (llama.cpp b4916). The library does not export {@code llama_model_quantize}, so minillm drives
 * ggml's own per-row kernels ({@code ggml_quantize_chunk}) itself: the quantized bytes are exactly
 * the ones llama.cpp's quantizer would write for the same type.
 *
 * <p>Type ids are ggml's {@code enum ggml_type} values (GGUF tensor type ids). C {@code bool}
 * results are declared as {@code byte}: only the low byte of the return register is defined.
 */
public final class GgmlLibrary {
    private static volatile boolean loaded;

    private GgmlLibrary() {
    }

    /** Binds the same library file java-llama.cpp loads and initialises ggml. Safe to call repeatedly. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        NativeLibrary lib = NativeLibraryLocator.open();
        Native.register(GgmlLibrary.class, lib);
        // ggml_init (run by llama_backend_init) fills the fp16->fp32 lookup table that the k-quant
        // kernels and the fp16 row converters read on x86; without it they would see zeros.
        llama_backend_init();
        loaded = true;
    }

    static native void llama_backend_init();

    /**
     * Quantizes {@code nrows} rows of {@code nPerRow} floats starting at element {@code start} of
     * {@code src} into {@code dst} (at row {@code start / nPerRow}). Also converts to F16/BF16/F32.
     * nPerRow must be a multiple of the type's block size (ggml aborts the process otherwise).
     * Returns the number of bytes written.
     */
    public static native long ggml_quantize_chunk(int type, Pointer src, Pointer dst, long start, long nrows,
                                                  long nPerRow, Pointer imatrix);

    /** Builds the lookup grids some types need; idempotent and thread-safe in ggml. */
    public static native void ggml_quantize_init(int type);

    public static native byte ggml_quantize_requires_imatrix(int type);

    /** Bytes of a row of {@code ne} elements. */
    public static native long ggml_row_size(int type, long ne);

    /** Elements per block. */
    public static native long ggml_blck_size(int type);

    /** Bytes per block. */
    public static native long ggml_type_size(int type);

    public static native String ggml_type_name(int type);

    public static native byte ggml_is_quantized(int type);

    /** Checks quantized data for NaN/Inf scales the way llama.cpp's quantizer does after each chunk. */
    public static native byte ggml_validate_row_data(int type, Pointer data, long nbytes);

    public static native void ggml_fp16_to_fp32_row(Pointer src, Pointer dst, long n);

    public static native void ggml_bf16_to_fp32_row(Pointer src, Pointer dst, long n);

    public static native void ggml_fp32_to_fp16_row(Pointer src, Pointer dst, long n);

    static native Pointer ggml_get_type_traits(int type);

    public static boolean requiresImatrix(int type) {
        return ggml_quantize_requires_imatrix(type) != 0;
    }

    public static boolean validateRowData(int type, Pointer data, long nbytes) {
        return ggml_validate_row_data(type, data, nbytes) != 0;
    }

    /**
     * Converts {@code n} elements of {@code type} at {@code src} to floats at {@code dst} with
     * ggml's own {@code to_float} (the dequantizer llama.cpp's CPU backend uses).
     */
    public static void toFloat(int type, Pointer src, Pointer dst, long n) {
        TypeTraits traits = traits(type);
        if (traits.toFloat == null) {
            throw new RunFailedException("ggml has no dequantizer for type " + ggml_type_name(type));
        }
        traits.toFloat.invoke(Void.class, new Object[] {src, dst, n});
    }

    /**
     * {@code struct ggml_type_traits} of b4916: {type_name, int64 blck_size, int64
     * blck_size_interleave, size_t type_size, bool is_quantized, to_float, from_float_ref}.
     * The layout is checked against the scalar accessors before the function pointer is trusted.
     */
    static TypeTraits traits(int type) {
        Pointer p = ggml_get_type_traits(type);
        if (p == null) {
            throw new RunFailedException("ggml has no traits for type id " + type);
        }
        String name = p.getPointer(0) == null ? null : p.getPointer(0).getString(0, "UTF-8");
        long blck = p.getLong(8);
        long typeSize = p.getLong(24);
        if (!ggml_type_name(type).equals(name) || blck != ggml_blck_size(type) || typeSize != ggml_type_size(type)) {
            throw new RunFailedException("unexpected ggml_type_traits layout in the bundled llama.cpp (type " + type
                    + ": name=" + name + " blck=" + blck + " size=" + typeSize + ")");
        }
        Pointer toFloat = p.getPointer(40);
        return new TypeTraits(name, blck, typeSize, toFloat == null ? null : Function.getFunction(toFloat));
    }

    record TypeTraits(String name, long blockSize, long typeSize, Function toFloat) {
    }
}
