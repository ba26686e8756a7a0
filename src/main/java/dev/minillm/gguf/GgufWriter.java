package dev.minillm.gguf;

import dev.minillm.common.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Writes GGUF v3 files. Metadata and tensor infos are written first; then each tensor's bytes are
 * pulled from its {@link TensorSource} in order, so the heap only ever holds what a source chooses
 * to hold (one tensor at a time for the quantizer, one buffer for synth). The file appears
 * atomically: it is written to a temp file next to the target, fsynced and renamed.
 *
 * <pre>{@code
 * GgufFile src = GgufFile.openValidated(in);
 * GgufWriter w = new GgufWriter(src.metadata().copy());
 * w.metadata().putUint32(GgufMetadata.FILE_TYPE, LlamaFileType.MOSTLY_Q8_0.id());
 * for (TensorInfo t : src.tensors()) {
 *     w.addTensor(t.name(), GgmlType.Q8_0, t.dims(), out -> quantizeInto(src.tensorData(t), out));
 * }
 * w.write(outPath);
 * }</pre>
 */
public final class GgufWriter {
    /** Produces exactly the tensor's byte size into {@code out} (writes may be of any size). */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** A tensor to be written (its offset is assigned at write time). */
    public record PendingTensor(String name, GgmlType type, long[] dims, long byteSize, TensorSource source) {
    }

    private final GgufMetadata metadata;
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private LongConsumer progress = bytes -> { };

    /** A writer for these metadata (kept by reference: later edits to it are written). */
    public GgufWriter(GgufMetadata metadata) {
        this.metadata = Objects.requireNonNull(metadata);
    }

    /** A writer with a copy of {@code source}'s metadata and all its tensors copied byte for byte. */
    public static GgufWriter copyOf(GgufFile source) {
        GgufWriter w = new GgufWriter(source.metadata().copy());
        for (TensorInfo t : source.tensors()) {
            w.copyTensor(source, t);
        }
        return w;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public List<PendingTensor> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    /** Called with the number of tensor-data bytes written so far (for progress bars). */
    public GgufWriter onProgress(LongConsumer bytesWritten) {
        this.progress = Objects.requireNonNull(bytesWritten);
        return this;
    }

    /**
     * Adds a tensor. dims[0] is the row length and must be a multiple of the type's block size.
     * The source is called once, during {@link #write}, and must write exactly
     * {@code type.byteSize(dims)} bytes.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorSource source) {
        Objects.requireNonNull(type);
        Objects.requireNonNull(source);
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes >= GgufValidator.MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name must be 1.." + (GgufValidator.MAX_TENSOR_NAME_BYTES - 1)
                    + " bytes: '" + name + "'");
        }
        if (dims.length == 0 || dims.length > GgufFile.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' needs 1.." + GgufFile.MAX_DIMS + " dims");
        }
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a non-positive dim " + java.util.Arrays.toString(dims));
            }
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row of " + dims[0] + " elements is not a multiple of "
                    + type + "'s block size " + type.blockSize());
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        tensors.add(new PendingTensor(name, type, dims.clone(), type.byteSize(dims), source));
        return this;
    }

    /** Adds a tensor whose bytes are copied unchanged from a read file. */
    public GgufWriter copyTensor(GgufFile from, TensorInfo t) {
        if (t.type() == null) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' has an unknown type");
        }
        return addTensor(t.name(), t.type(), t.dims(), out -> from.transferTensorData(t, out));
    }

    /** The alignment that will be used: general.alignment (UINT32) or 32. */
    public int alignment() {
        GgufValue a = metadata.get(GgufMetadata.ALIGNMENT);
        if (a == null) {
            return GgufFile.DEFAULT_ALIGNMENT;
        }
        long v = a.type() == GgufValueType.UINT32 ? a.asLong() : -1;
        if (v <= 0 || (v & (v - 1)) != 0 || v > (1 << 30)) {
            throw new IllegalArgumentException("general.alignment must be a UINT32 power of 2, got " + a.type() + " " + a);
        }
        return (int) v;
    }

    /** Writes the file atomically (temp file + fsync + rename). Returns the number of bytes written. */
    public long write(Path target) throws IOException {
        int alignment = alignment();
        return AtomicFiles.writeChannel(target, ch -> writeTo(ch, alignment));
    }

    private long writeTo(FileChannel ch, int alignment) throws IOException {
        LeBuffer h = new LeBuffer();
        h.i32(GgufFile.MAGIC);
        h.i32(3);
        h.i64(tensors.size());
        h.i64(metadata.size());
        for (var e : metadata.asMap().entrySet()) {
            h.string(e.getKey());
            h.i32(e.getValue().type().id());
            writeValue(h, e.getValue());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            h.string(t.name());
            h.i32(t.dims().length);
            for (long d : t.dims()) {
                h.i64(d);
            }
            h.i32(t.type().id());
            h.i64(offset);
            offset = GgufFile.alignUp(offset + t.byteSize(), alignment);
        }
        h.pad(alignment);
        ByteBuffer header = h.flip();
        long headerSize = header.remaining();
        while (header.hasRemaining()) {
            ch.write(header);
        }

        CountingChannel out = new CountingChannel(ch);
        long dataDone = 0;
        for (PendingTensor t : tensors) {
            long before = out.count();
            t.source().writeTo(out);
            out.flush();
            long written = out.count() - before;
            if (written != t.byteSize()) {
                throw new IllegalStateException("tensor '" + t.name() + "': source wrote " + written + " bytes, expected "
                        + t.byteSize());
            }
            long padded = GgufFile.alignUp(out.count(), alignment);
            out.writeZeros(padded - out.count());
            out.flush();
            dataDone += t.byteSize();
            progress.accept(dataDone);
        }
        return headerSize + out.count();
    }

    private static void writeValue(LeBuffer h, GgufValue v) {
        switch (v.type()) {
            case UINT8: case INT8: case BOOL: h.u8((int) v.asLong()); break;
            case UINT16: case INT16: h.i16((short) v.asLong()); break;
            case UINT32: case INT32: h.i32((int) v.asLong()); break;
            case UINT64: case INT64: h.i64(v.asLong()); break;
            case FLOAT32: h.f32((float) v.asDouble()); break;
            case FLOAT64: h.f64(v.asDouble()); break;
            case STRING: h.string(v.asString()); break;
            case ARRAY: writeArray(h, v); break;
            default: throw new IllegalStateException(v.type().toString());
        }
    }

    private static void writeArray(LeBuffer h, GgufValue v) {
        h.i32(v.elementType().id());
        h.i64(v.length());
        Object raw = v.rawArray();
        switch (v.elementType()) {
            case UINT8: case INT8: case BOOL: h.bytes((byte[]) raw); break;
            case UINT16: case INT16: for (short s : (short[]) raw) { h.i16(s); } break;
            case UINT32: case INT32: for (int i : (int[]) raw) { h.i32(i); } break;
            case UINT64: case INT64: for (long l : (long[]) raw) { h.i64(l); } break;
            case FLOAT32: for (float f : (float[]) raw) { h.f32(f); } break;
            case FLOAT64: for (double d : (double[]) raw) { h.f64(d); } break;
            case STRING: for (String s : (String[]) raw) { h.string(s); } break;
            case ARRAY: for (GgufValue a : (GgufValue[]) raw) { writeArray(h, a); } break;
            default: throw new IllegalStateException(v.elementType().toString());
        }
    }

    /** Growable little-endian byte buffer for the header. */
    private static final class LeBuffer {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (b.remaining() < n) {
                long cap = Math.max((long) b.capacity() * 2, (long) b.position() + n);
                if (cap > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("GGUF header larger than 2 GiB");
                }
                ByteBuffer nb = ByteBuffer.allocate((int) cap).order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                nb.put(b);
                b = nb;
            }
        }

        void u8(int v) { ensure(1); b.put((byte) v); }
        void i16(short v) { ensure(2); b.putShort(v); }
        void i32(int v) { ensure(4); b.putInt(v); }
        void i64(long v) { ensure(8); b.putLong(v); }
        void f32(float v) { ensure(4); b.putFloat(v); }
        void f64(double v) { ensure(8); b.putDouble(v); }
        void bytes(byte[] v) { ensure(v.length); b.put(v); }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            i64(u.length);
            bytes(u);
        }

        void pad(int alignment) {
            int p = (int) (GgufFile.alignUp(b.position(), alignment) - b.position());
            ensure(p);
            b.put(new byte[p]);
        }

        ByteBuffer flip() {
            return b.flip();
        }
    }

    /**
     * Buffers small writes from tensor sources (a source writing one row at a time must not cost
     * a system call per row) and counts bytes so that short or long sources are caught.
     */
    private static final class CountingChannel implements WritableByteChannel {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        private long count;

        CountingChannel(FileChannel ch) {
            this.ch = ch;
        }

        long count() {
            return count;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (n >= buf.capacity()) {
                flush();
                while (src.hasRemaining()) {
                    ch.write(src);
                }
            } else {
                if (buf.remaining() < n) {
                    flush();
                }
                buf.put(src);
            }
            count += n;
            return n;
        }

        void writeZeros(long n) throws IOException {
            if (n > 0) {
                write(ByteBuffer.allocate((int) n));
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() {
            // The writer owns the file channel; sources must not close it.
        }
    }
}
