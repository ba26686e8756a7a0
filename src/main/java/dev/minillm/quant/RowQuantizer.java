package dev.minillm.quant;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.nativelib.GgmlLibrary;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Converts one tensor at a time with ggml's kernels, streaming: the source rows are memory-mapped
 * a window of whole rows at a time (at most {@link #WINDOW_ELEMENTS} elements, or one row), F16/BF16 rows are widened to
 * F32 in native scratch memory, the window is quantized by N threads in chunks of whole rows
 * (so every chunk starts on a block boundary), checked with ggml_validate_row_data as llama.cpp
 * does, and written out before the next window is mapped. Native memory in use is bounded by
 * two windows, whatever the model size; the Java heap holds no tensor data.
 */
final class RowQuantizer implements AutoCloseable {
    /** Elements per window: 32 MiB of floats. */
    static final long WINDOW_ELEMENTS = 8L << 20;
    /**
     * Elements per task, rounded up to whole rows (llama.cpp's 32 * 512): small tensors still split
     * into several tasks, and a JNA call per 16K elements costs nothing next to the kernel.
     */
    static final long CHUNK_ELEMENTS = 32 * 512;

    private final long windowElements;
    private final ExecutorService pool;
    private Memory f32;
    private Memory out;

    RowQuantizer(int threads) {
        this(threads, WINDOW_ELEMENTS);
    }

    /** With a smaller window (tests use it to exercise many windows per tensor). */
    RowQuantizer(int threads, long windowElements) {
        this.windowElements = windowElements;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "minillm-quantize");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Reads the tensor at absolute file offset {@code offset} of {@code source}, converts it to
     * {@code target} and writes exactly {@code target.byteSize(dims)} bytes to {@code sink}.
     */
    void convert(FileChannel source, long offset, String name, long[] dims, GgmlType sourceType, GgmlType target,
                 WritableByteChannel sink, LongConsumer sourceBytesDone) throws IOException {
        long nPerRow = dims[0];
        long nRows = 1;
        for (int i = 1; i < dims.length; i++) {
            nRows = Math.multiplyExact(nRows, dims[i]);
        }
        long srcRowBytes = sourceType.rowBytes(nPerRow);
        long dstRowBytes = target.rowBytes(nPerRow);
        if (GgmlLibrary.ggml_row_size(target.id(), nPerRow) != dstRowBytes) {
            throw new RunFailedException("ggml disagrees about the row size of " + target + " for " + name);
        }
        long windowRows = Math.max(1, Math.min(nRows, windowElements / nPerRow));
        long chunkRows = Math.max(1, (CHUNK_ELEMENTS + nPerRow - 1) / nPerRow);
        boolean widen = sourceType != GgmlType.F32;
        if (widen) {
            f32 = ensure(f32, windowRows * nPerRow * Float.BYTES);
        }
        out = ensure(out, windowRows * dstRowBytes);

        for (long first = 0; first < nRows; first += windowRows) {
            long rows = Math.min(windowRows, nRows - first);
            MappedByteBuffer mapped = source.map(FileChannel.MapMode.READ_ONLY, offset + first * srcRowBytes, rows * srcRowBytes);
            try {
                Pointer src = Native.getDirectBufferPointer(mapped);
                List<Callable<Void>> tasks = new ArrayList<>();
                for (long c = 0; c < rows; c += chunkRows) {
                    long row0 = c;
                    long n = Math.min(chunkRows, rows - c);
                    tasks.add(() -> {
                        convertRows(src, row0, n, nPerRow, srcRowBytes, dstRowBytes, sourceType, target, widen, name);
                        return null;
                    });
                }
                run(tasks);
            } finally {
                Reference.reachabilityFence(mapped);
            }
            ByteBuffer bytes = out.getByteBuffer(0, rows * dstRowBytes);
            while (bytes.hasRemaining()) {
                sink.write(bytes);
            }
            sourceBytesDone.accept(rows * srcRowBytes);
        }
    }

    private void convertRows(Pointer src, long row0, long n, long nPerRow, long srcRowBytes, long dstRowBytes,
                             GgmlType sourceType, GgmlType target, boolean widen, String name) {
        Pointer in;
        if (widen) {
            in = f32.share(row0 * nPerRow * Float.BYTES);
            Pointer raw = src.share(row0 * srcRowBytes);
            switch (sourceType) {
                case F16 -> GgmlLibrary.ggml_fp16_to_fp32_row(raw, in, n * nPerRow);
                case BF16 -> GgmlLibrary.ggml_bf16_to_fp32_row(raw, in, n * nPerRow);
                default -> throw new IllegalStateException("cannot convert from " + sourceType);
            }
        } else {
            in = src.share(row0 * srcRowBytes);
        }
        Pointer dst = out.share(row0 * dstRowBytes);
        long written = GgmlLibrary.ggml_quantize_chunk(target.id(), in, dst, 0, n, nPerRow, null);
        if (written != n * dstRowBytes) {
            throw new RunFailedException("ggml wrote " + written + " bytes for " + n + " rows of " + name + ", expected "
                    + n * dstRowBytes);
        }
        if (!GgmlLibrary.validateRowData(target.id(), dst, written)) {
            throw new BadInputException("tensor " + name + ": " + target + " data failed ggml's validation "
                    + "(the source holds NaN or infinite values, or values too large for " + target + ")");
        }
    }

    private void run(List<Callable<Void>> tasks) {
        if (pool == null || tasks.size() == 1) {
            for (Callable<Void> t : tasks) {
                call(t);
            }
            return;
        }
        List<Future<Void>> futures = new ArrayList<>(tasks.size());
        for (Callable<Void> t : tasks) {
            futures.add(pool.submit(t));
        }
        RuntimeException failure = null;
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new RunFailedException("quantization failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailedException("quantization interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void call(Callable<Void> c) {
        try {
            c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RunFailedException("quantization failed: " + e, e);
        }
    }

    private static Memory ensure(Memory m, long bytes) {
        if (m != null && m.size() >= bytes) {
            return m;
        }
        if (m != null) {
            m.close();
        }
        return new Memory(Math.max(bytes, 1));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (f32 != null) {
            f32.close();
        }
        if (out != null) {
            out.close();
        }
    }
}
