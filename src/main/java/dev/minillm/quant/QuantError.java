package dev.minillm.quant;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.TensorInfo;
import dev.minillm.nativelib.GgmlLibrary;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weight error of a quantized model against its source: both files' tensors are dequantized to
 * F32 with ggml's own {@code to_float} (the routine llama.cpp's CPU backend uses) and compared
 * element by element. The relative RMS error of a set of tensors is
 * sqrt(sum (q - x)^2 / sum x^2). Only tensors whose type differs between the files count for it.
 * Every tensor is also compared for {@link WeightFidelity}: cosine similarity and largest absolute
 * error per tensor.
 */
public final class QuantError {
    private static final long WINDOW_ELEMENTS = 4L << 20;

    /** Error sums of one tensor (x: source, q: dequantized). */
    public record TensorError(String name, GgmlType sourceType, GgmlType type, long elements, double sumSquaredError,
                              double sumSquaredSource, double maxAbsError, double sumProduct, double sumSquaredQuantized) {
        public double relativeRms() {
            return sumSquaredSource > 0 ? Math.sqrt(sumSquaredError / sumSquaredSource) : 0;
        }

        /** Cosine similarity of the two weight vectors; 1 for identical data (two zero tensors included). */
        public double cosine() {
            if (sumSquaredSource == 0 || sumSquaredQuantized == 0) {
                return sumSquaredSource == sumSquaredQuantized ? 1.0 : 0.0;
            }
            // sqrt of the product (not a product of sqrts) so that identical data gives exactly 1.
            return Math.min(1.0, sumProduct / Math.sqrt(sumSquaredSource * sumSquaredQuantized));
        }

        /** Whether the tensor's type changed (a converted tensor), rather than being copied. */
        public boolean converted() {
            return sourceType != type;
        }
    }

    /** Errors of every tensor; {@link #tensors()} and the RMS error cover the converted ones. */
    public record Report(List<TensorError> all) {
        public Report {
            all = List.copyOf(all);
        }

        /** The tensors whose type changed. */
        public List<TensorError> tensors() {
            return all.stream().filter(TensorError::converted).toList();
        }

        /** Cosine and max-abs summary (see {@link WeightFidelity#of}). */
        public WeightFidelity fidelity() {
            return WeightFidelity.of(all);
        }

        public double relativeRms() {
            double e = 0;
            double s = 0;
            for (TensorError t : tensors()) {
                e += t.sumSquaredError();
                s += t.sumSquaredSource();
            }
            return s > 0 ? Math.sqrt(e / s) : 0;
        }

        /** The error of one tensor, or null if it was not converted. */
        public TensorError tensor(String name) {
            return tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        }
    }

    private QuantError() {
    }

    /** Compares every tensor of {@code quantized} with the same-named tensor of {@code source}. */
    public static Report compare(Path source, Path quantized) {
        GgufFile src = GgufFile.openValidated(source);
        GgufFile q = GgufFile.openValidated(quantized);
        GgmlLibrary.load();
        List<TensorError> out = new ArrayList<>();
        try (FileChannel sc = FileChannel.open(src.path(), StandardOpenOption.READ);
             FileChannel qc = FileChannel.open(q.path(), StandardOpenOption.READ)) {
            for (TensorInfo qt : q.tensors()) {
                TensorInfo st = src.tensor(qt.name());
                if (st == null || !Arrays.equals(st.dims(), qt.dims())) {
                    throw new BadInputException(quantized + ": tensor " + qt.name() + " has no same-shaped counterpart in " + source);
                }
                out.add(compare(sc, src.dataStart() + st.offset(), st, qc, q.dataStart() + qt.offset(), qt));
            }
        } catch (IOException e) {
            throw new RunFailedException("cannot read " + source + " / " + quantized + ": " + e.getMessage(), e);
        }
        return new Report(out);
    }

    private static TensorError compare(FileChannel sc, long sOffset, TensorInfo st, FileChannel qc, long qOffset, TensorInfo qt)
            throws IOException {
        long nPerRow = st.dim(0);
        long nRows = st.elementCount() / nPerRow;
        long windowRows = Math.max(1, Math.min(nRows, WINDOW_ELEMENTS / nPerRow));
        double sse = 0;
        double ssx = 0;
        double maxAbs = 0;
        double sxy = 0;
        double syy = 0;
        try (Memory a = new Memory(windowRows * nPerRow * Float.BYTES); Memory b = new Memory(windowRows * nPerRow * Float.BYTES)) {
            for (long first = 0; first < nRows; first += windowRows) {
                long rows = Math.min(windowRows, nRows - first);
                long n = rows * nPerRow;
                toFloats(sc, sOffset + first * st.type().rowBytes(nPerRow), st.type(), n, rows * st.type().rowBytes(nPerRow), a);
                toFloats(qc, qOffset + first * qt.type().rowBytes(nPerRow), qt.type(), n, rows * qt.type().rowBytes(nPerRow), b);
                ByteBuffer x = a.getByteBuffer(0, n * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
                ByteBuffer y = b.getByteBuffer(0, n * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
                for (long i = 0; i < n; i++) {
                    double xv = x.getFloat((int) (i * 4));
                    double yv = y.getFloat((int) (i * 4));
                    double d = yv - xv;
                    sse += d * d;
                    ssx += xv * xv;
                    sxy += xv * yv;
                    syy += yv * yv;
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                }
            }
        }
        return new TensorError(st.name(), st.type(), qt.type(), st.elementCount(), sse, ssx, maxAbs, sxy, syy);
    }

    private static void toFloats(FileChannel ch, long offset, GgmlType type, long n, long bytes, Memory dst) throws IOException {
        MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes);
        try {
            Pointer p = Native.getDirectBufferPointer(mapped);
            if (type == GgmlType.F32) {
                dst.write(0, p.getByteArray(0, (int) bytes), 0, (int) bytes);
            } else {
                GgmlLibrary.toFloat(type.id(), p, dst, n);
            }
        } finally {
            Reference.reachabilityFence(mapped);
        }
    }
}
