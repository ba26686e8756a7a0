package dev.minillm.quant;

import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.gguf.GgmlType;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.GgufMetadata;
import dev.minillm.gguf.GgufWriter;
import dev.minillm.gguf.TensorInfo;
import dev.minillm.nativelib.GgmlLibrary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantizes an F32/F16/BF16 GGUF model to a llama.cpp mix ({@link QuantType}) with ggml's own
 * kernels and llama.cpp b4916's per-tensor type rules ({@link TensorTypeRules}). The output keeps
 * all metadata, with {@code general.file_type} set to the mix and
 * {@code general.quantization_version} = 2, and appears atomically.
 *
 * <pre>{@code
 * QuantizeResult r = Quantizer.quantize(Path.of("model-f16.gguf"), Path.of("model-q4_k_m.gguf"),
 *         QuantType.parse("q4_k_m"), Runtime.getRuntime().availableProcessors(), ProgressListener.NONE);
 * }</pre>
 */
public final class Quantizer {
    /** GGML_QNT_VERSION of b4916. */
    public static final int QUANTIZATION_VERSION = 2;

    /** A type name delimited by '-', '_', '.' or the ends of the stem, e.g. "model-f16" or "Model.Q8_0". */
    private static final Pattern TYPE_TOKEN = dev.minillm.gguf.LlamaFileType.FILE_NAME_TOKEN;

    private Quantizer() {
    }

    /**
     * Quantizes {@code in} to {@code out} with {@code threads} threads.
     *
     * @throws BadInputException for a missing/invalid/already-quantized input or out == in (exit 2)
     * @throws RunFailedException if writing fails (exit 1)
     */
    public static QuantizeResult quantize(Path in, Path out, QuantType type, int threads, ProgressListener listener) {
        return quantize(in, out, type, threads, listener, RowQuantizer.WINDOW_ELEMENTS);
    }

    static QuantizeResult quantize(Path in, Path out, QuantType type, int threads, ProgressListener listener, long windowElements) {
        // Loading the native library is a one-off cost of the process, not of this conversion.
        GgmlLibrary.load();
        long start = System.nanoTime();
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, got " + threads);
        }
        GgufFile src = GgufFile.openValidated(in);
        requireDifferentFiles(in, out);
        requireUnquantized(src);

        List<TensorTypeRules.Decision> plan = TensorTypeRules.plan(src.tensors(), ModelHparams.of(src.metadata()), type);

        Set<GgmlType> targets = new LinkedHashSet<>();
        for (TensorTypeRules.Decision d : plan) {
            if (d.convert()) {
                targets.add(d.type());
            }
        }
        for (GgmlType t : targets) {
            if (GgmlLibrary.requiresImatrix(t.id())) {
                throw new BadInputException(type.cliName() + " needs an importance matrix for " + t + ", which minillm does not compute");
            }
            GgmlLibrary.ggml_quantize_init(t.id());
        }

        GgufMetadata meta = src.metadata().copy();
        meta.putUint32(GgufMetadata.QUANTIZATION_VERSION, QUANTIZATION_VERSION);
        meta.putUint32(GgufMetadata.FILE_TYPE, type.fileType().id());
        meta.remove("split.no");
        meta.remove("split.count");
        meta.remove("split.tensors.count");

        long total = 0;
        for (TensorInfo t : src.tensors()) {
            total += t.byteSize();
        }
        long sourceTotal = total;
        AtomicLong done = new AtomicLong();
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;

        List<QuantizeResult.TensorResult> results = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(src.path(), StandardOpenOption.READ);
             RowQuantizer rows = new RowQuantizer(threads, windowElements)) {
            GgufWriter writer = new GgufWriter(meta);
            for (TensorTypeRules.Decision d : plan) {
                TensorInfo t = d.tensor();
                long srcBytes = t.byteSize();
                if (d.convert()) {
                    long offset = src.dataStart() + t.offset();
                    writer.addTensor(t.name(), d.type(), t.dims(), sink -> rows.convert(channel, offset, t.name(), t.dims(),
                            t.type(), d.type(), sink, n -> progress.progress(done.addAndGet(n), sourceTotal)));
                } else {
                    writer.addTensor(t.name(), t.type(), t.dims(), sink -> {
                        src.transferTensorData(t, sink);
                        progress.progress(done.addAndGet(srcBytes), sourceTotal);
                    });
                }
                results.add(new QuantizeResult.TensorResult(t.name(), t.dims(), t.type(), d.type(), srcBytes,
                        d.type().byteSize(t.dims()), d.note(), d.beyondLlamaCpp()));
            }
            long written = writer.write(out);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new QuantizeResult(in, out, type, threads, sourceTotal, written, seconds, results);
        } catch (IOException e) {
            throw new RunFailedException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The type every tensor of {@code in} would get, in output order, without converting anything.
     * Refuses the same inputs as {@link #quantize}.
     */
    public static List<TensorTypeRules.Decision> plan(Path in, QuantType type) {
        GgufFile src = GgufFile.openValidated(in);
        requireUnquantized(src);
        return TensorTypeRules.plan(src.tensors(), ModelHparams.of(src.metadata()), type);
    }

    /** The input's file name with its type replaced (model-f16.gguf -> model-q4_k_m.gguf) or appended. */
    public static Path defaultOutput(Path in, QuantType type) {
        String file = in.getFileName().toString();
        String stem = file.toLowerCase(Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
        Matcher m = TYPE_TOKEN.matcher(stem);
        int at = -1;
        int end = -1;
        boolean upper = false;
        while (m.find()) {
            at = m.start(1);
            end = m.end(1);
            upper = m.group(1).equals(m.group(1).toUpperCase(Locale.ROOT));
        }
        String label = upper ? type.label() : type.cliName();
        String name = at >= 0 ? stem.substring(0, at) + label + stem.substring(end) : stem + "-" + label;
        Path parent = in.getParent();
        return parent == null ? Path.of(name + ".gguf") : parent.resolve(name + ".gguf");
    }

    private static void requireDifferentFiles(Path in, Path out) {
        boolean same = in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize());
        if (!same && Files.exists(out)) {
            try {
                same = Files.isSameFile(in, out);
            } catch (IOException e) {
                same = false;
            }
        }
        if (same) {
            throw new BadInputException(out + ": the output would overwrite the input; choose another --out");
        }
        if (Files.isDirectory(out)) {
            throw new BadInputException(out + ": is a directory; --out needs a file name");
        }
    }

    private static void requireUnquantized(GgufFile src) {
        long splits = src.metadata().getLong("split.count").orElse(1L);
        if (splits > 1) {
            throw new BadInputException(src.label() + ": is one part of a " + splits + "-file split model; merge it first");
        }
        for (TensorInfo t : src.tensors()) {
            if (t.type().isQuantized()) {
                throw new BadInputException(src.label() + ": is already quantized (" + t.name() + " is " + t.type()
                        + "); quantize from an F32, F16 or BF16 model");
            }
        }
    }
}
