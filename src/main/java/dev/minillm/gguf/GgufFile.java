package dev.minillm.gguf;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a GGUF v2/v3 file: metadata, tensor infos and the data-section layout. Opening a
 * file reads only the header (streamed, bounded by the file size); tensor data is read on demand
 * through {@link #tensorData} (memory-mapped) or {@link #transferTensorData}.
 *
 * <p>{@link #open} rejects files whose header cannot be parsed safely (bad magic, unsupported
 * version, impossible counts or lengths, truncation inside the header). Whether llama.cpp would
 * load the file is decided by {@link GgufValidator}; {@link #openValidated} does both.
 */
public final class GgufFile {
    public static final int MAGIC = 0x46554747; // "GGUF" read as little-endian u32
    public static final int DEFAULT_ALIGNMENT = 32;
    /** GGML_MAX_DIMS. */
    public static final int MAX_DIMS = 4;

    private final Path path;
    private final String label;
    private final int version;
    private final GgufMetadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final List<String> duplicateKeys;
    private final int alignment;
    private final long dataStart;
    private final long fileSize;

    private GgufFile(Path path, String label, int version, GgufMetadata metadata, List<TensorInfo> tensors,
                     List<String> duplicateKeys, int alignment, long dataStart, long fileSize) {
        this.path = path;
        this.label = label;
        this.version = version;
        this.metadata = metadata;
        this.tensors = Collections.unmodifiableList(tensors);
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            m.putIfAbsent(t.name(), t);
        }
        this.byName = m;
        this.duplicateKeys = Collections.unmodifiableList(duplicateKeys);
        this.alignment = alignment;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
    }

    /** Reads and structurally checks the header; throws {@link GgufFormatException} (a BadInputException). */
    public static GgufFile open(Path path) {
        String label = path.toString();
        if (Files.isDirectory(path)) {
            throw new BadInputException(label + ": is a directory, not a GGUF file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return parse(path, label, ch);
        } catch (NoSuchFileException e) {
            throw new BadInputException(label + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException(label + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(label + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Opens and validates; throws a one-line BadInputException naming the first problem. */
    public static GgufFile openValidated(Path path) {
        GgufFile f = open(path);
        GgufValidator.requireValid(f);
        return f;
    }

    private static GgufFile parse(Path path, String label, FileChannel ch) throws IOException {
        long size = ch.size();
        GgufInput in = new GgufInput(ch, size, label);
        if (size < 4) {
            throw in.error("not a GGUF file (only " + size + " bytes)");
        }
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw in.error(String.format("not a GGUF file (bad magic 0x%08x, expected 0x47475546 \"GGUF\")",
                    Integer.reverseBytes(magic)));
        }
        long version = in.u32("version");
        if (version == 1) {
            throw in.error("unsupported GGUF version 1 (GGUFv1 is no longer supported by llama.cpp; re-convert the model)");
        }
        if (version != 2 && version != 3) {
            long swapped = Integer.reverseBytes((int) version) & 0xFFFFFFFFL;
            if (swapped >= 1 && swapped <= 3) {
                throw in.error("big-endian GGUF files are not supported");
            }
            throw in.error("unsupported GGUF version " + version + " (supported: 2 and 3)");
        }
        long nTensors = in.i64("tensor count");
        long nKv = in.i64("metadata key count");
        // Minimal encodings: a tensor info is >= 24 bytes (name length, n_dims, type, offset),
        // a key/value pair >= 13 bytes (key length, 1 key byte, value type, 1 value byte).
        if (nTensors < 0 || nTensors > in.remaining() / 24) {
            throw in.error("corrupt header: tensor count " + Long.toUnsignedString(nTensors)
                    + " is impossible for a file of " + size + " bytes");
        }
        if (nKv < 0 || nKv > in.remaining() / 13) {
            throw in.error("corrupt header: metadata key count " + Long.toUnsignedString(nKv)
                    + " is impossible for a file of " + size + " bytes");
        }

        GgufMetadata metadata = new GgufMetadata();
        List<String> duplicateKeys = new ArrayList<>();
        for (long i = 0; i < nKv; i++) {
            String key = in.string("metadata key #" + i);
            if (key.isEmpty()) {
                throw in.error("corrupt metadata: key #" + i + " is empty");
            }
            long typeId = in.u32("type of key '" + key + "'");
            GgufValueType type = GgufValueType.fromId(typeId);
            if (type == null) {
                throw in.error("corrupt metadata: key '" + key + "' has invalid value type " + typeId);
            }
            GgufValue value = readValue(in, type, key, 0);
            if (metadata.contains(key)) {
                duplicateKeys.add(key);
            } else {
                metadata.put(key, value);
            }
        }

        List<TensorInfo> tensors = new ArrayList<>((int) Math.min(nTensors, 1 << 16));
        for (long i = 0; i < nTensors; i++) {
            String name = in.string("name of tensor #" + i);
            long nDims = in.u32("dimension count of tensor '" + name + "'");
            if (nDims > MAX_DIMS) {
                throw in.error("corrupt tensor info: tensor '" + name + "' has " + nDims
                        + " dimensions (at most " + MAX_DIMS + ")");
            }
            long[] dims = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.i64("dimension " + d + " of tensor '" + name + "'");
            }
            int typeId = in.i32("type of tensor '" + name + "'");
            long offset = in.i64("offset of tensor '" + name + "'");
            tensors.add(new TensorInfo(name, dims, typeId, GgmlType.fromId(typeId & 0xFFFFFFFFL), offset));
        }

        int alignment = DEFAULT_ALIGNMENT;
        GgufValue a = metadata.get(GgufMetadata.ALIGNMENT);
        if (a != null) {
            if (a.type() != GgufValueType.UINT32) {
                throw in.error("general.alignment must be of type UINT32, found " + a.type());
            }
            long av = a.asLong();
            if (av == 0 || (av & (av - 1)) != 0 || av > (1 << 30)) {
                throw in.error("general.alignment " + av + " is not a power of 2");
            }
            alignment = (int) av;
        }
        long dataStart = alignUp(in.position(), alignment);
        if (dataStart > size && !tensors.isEmpty()) {
            throw in.error("truncated: data section starts at byte " + dataStart + " but the file has " + size + " bytes");
        }
        return new GgufFile(path, label, (int) version, metadata, tensors, duplicateKeys, alignment, dataStart, size);
    }

    private static GgufValue readValue(GgufInput in, GgufValueType type, String key, int depth) throws IOException {
        String what = "value of '" + key + "'";
        switch (type) {
            case UINT8: return GgufValue.uint8(in.u8(what));
            case INT8: return GgufValue.int8((byte) in.u8(what));
            case UINT16: return GgufValue.uint16(in.i16(what) & 0xFFFF);
            case INT16: return GgufValue.int16(in.i16(what));
            case UINT32: return GgufValue.uint32(in.u32(what));
            case INT32: return GgufValue.int32(in.i32(what));
            case FLOAT32: return GgufValue.float32(in.f32(what));
            case BOOL: {
                int b = in.u8(what);
                if (b > 1) {
                    throw in.error("corrupt metadata: bool '" + key + "' has value " + b);
                }
                return GgufValue.bool(b == 1);
            }
            case STRING: return GgufValue.string(in.string(what));
            case UINT64: return GgufValue.uint64(in.i64(what));
            case INT64: return GgufValue.int64(in.i64(what));
            case FLOAT64: return GgufValue.float64(in.f64(what));
            case ARRAY: return readArray(in, key, depth);
            default: throw new IllegalStateException(type.toString());
        }
    }

    private static GgufValue readArray(GgufInput in, String key, int depth) throws IOException {
        if (depth > 8) {
            throw in.error("corrupt metadata: arrays in '" + key + "' are nested more than 8 deep");
        }
        long elemId = in.u32("array element type of '" + key + "'");
        GgufValueType et = GgufValueType.fromId(elemId);
        if (et == null) {
            throw in.error("corrupt metadata: array '" + key + "' has invalid element type " + elemId);
        }
        long n = in.i64("array length of '" + key + "'");
        // Never trust n before checking the bytes it implies exist (and fit a Java array).
        if (n < 0 || n > in.remaining() / et.minEncodedSize()) {
            throw in.error("truncated or corrupt: array '" + key + "' claims " + Long.toUnsignedString(n)
                    + " elements of " + et + " but only " + in.remaining() + " of the file's " + in.fileSize()
                    + " bytes remain");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw in.error("array '" + key + "' has " + n + " elements (too many)");
        }
        int len = (int) n;
        String what = "array '" + key + "'";
        Object data;
        switch (et) {
            case UINT8: case INT8: case BOOL: {
                byte[] b = new byte[len];
                in.bytes(b, what);
                data = b;
                break;
            }
            case UINT16: case INT16: {
                short[] s = new short[len];
                for (int i = 0; i < len; i++) {
                    s[i] = in.i16(what);
                }
                data = s;
                break;
            }
            case UINT32: case INT32: {
                int[] v = new int[len];
                for (int i = 0; i < len; i++) {
                    v[i] = in.i32(what);
                }
                data = v;
                break;
            }
            case FLOAT32: {
                float[] v = new float[len];
                for (int i = 0; i < len; i++) {
                    v[i] = in.f32(what);
                }
                data = v;
                break;
            }
            case UINT64: case INT64: {
                long[] v = new long[len];
                for (int i = 0; i < len; i++) {
                    v[i] = in.i64(what);
                }
                data = v;
                break;
            }
            case FLOAT64: {
                double[] v = new double[len];
                for (int i = 0; i < len; i++) {
                    v[i] = in.f64(what);
                }
                data = v;
                break;
            }
            case STRING: {
                String[] v = new String[len];
                String elementWhat = "an element of array '" + key + "'";
                for (int i = 0; i < len; i++) {
                    v[i] = in.string(elementWhat);
                }
                data = v;
                break;
            }
            case ARRAY: {
                GgufValue[] v = new GgufValue[len];
                for (int i = 0; i < len; i++) {
                    v[i] = readArray(in, key, depth + 1);
                }
                data = v;
                break;
            }
            default:
                throw new IllegalStateException(et.toString());
        }
        return GgufValue.array(et, data);
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    // ---- accessors ----

    public Path path() {
        return path;
    }

    /** The path as given by the caller, used as the prefix of error messages. */
    public String label() {
        return label;
    }

    public int version() {
        return version;
    }

    /** The metadata of the file (mutable object: take {@link GgufMetadata#copy()} before editing). */
    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensor infos in file order (including duplicates, which the validator reports). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The first tensor with this name, or null. */
    public TensorInfo tensor(String name) {
        return byName.get(name);
    }

    /** Keys that occurred more than once (the first occurrence is kept in {@link #metadata()}). */
    public List<String> duplicateKeys() {
        return duplicateKeys;
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute file offset of the data section (tensor offsets are relative to it). */
    public long dataStart() {
        return dataStart;
    }

    public long fileSize() {
        return fileSize;
    }

    /** Computed model facts (parameter count, bits per weight, hyper-parameters...). */
    public ModelInfo info() {
        return ModelInfo.of(this);
    }

    /** True if the file was written by {@code minillm synth} (metadata {@code minillm.synthetic = true}). */
    public boolean isSynthetic() {
        return metadata.getBoolean(GgufMetadata.SYNTHETIC).orElse(false);
    }

    /**
     * The bytes of one tensor, memory-mapped read-only, little-endian. The tensor must be valid
     * (known type, inside the file) and smaller than 2 GiB.
     */
    public ByteBuffer tensorData(TensorInfo t) throws IOException {
        long size = checkedDataRange(t);
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("tensor '" + t.name() + "' is larger than 2 GiB; use transferTensorData");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + t.offset(), size).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Copies one tensor's bytes to {@code out} without loading them onto the heap. */
    public void transferTensorData(TensorInfo t, WritableByteChannel out) throws IOException {
        long size = checkedDataRange(t);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = dataStart + t.offset();
            long done = 0;
            while (done < size) {
                long n = ch.transferTo(pos + done, size - done, out);
                if (n <= 0) {
                    throw new IOException("could not copy tensor '" + t.name() + "' from " + label);
                }
                done += n;
            }
        }
    }

    private long checkedDataRange(TensorInfo t) {
        long size = t.byteSize();
        if (size < 0) {
            throw new GgufFormatException(label + ": tensor '" + t.name() + "' has an unknown type or invalid shape");
        }
        if (t.offset() < 0 || dataStart + t.offset() + size > fileSize) {
            throw new GgufFormatException(label + ": truncated: tensor '" + t.name() + "' data ends at byte "
                    + (dataStart + t.offset() + size) + " but file has " + fileSize + " bytes");
        }
        return size;
    }
}
