package dev.minillm.gguf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether llama.cpp b4916 can load a GGUF file, before any native code sees it. The checks
 * mirror gguf.cpp's own (types, block multiples, offsets in order and aligned, data inside the
 * file, unique names) plus the ones that would otherwise crash or fail late in llama.cpp
 * (architecture present and known, no nested arrays) and those of its model loader: required
 * hyperparameters, vocabulary, and every tensor of the architecture in its expected shape
 * ({@link ModelContentCheck}).
 */
public final class GgufValidator {
    /** GGML_MAX_NAME: tensor names must be shorter than this many bytes. */
    public static final int MAX_TENSOR_NAME_BYTES = 64;
    private static final int MAX_PROBLEMS = 50;

    private GgufValidator() {
    }

    /** Opens and validates a file; returns it or throws a one-line BadInputException. */
    public static GgufFile check(Path path) {
        return GgufFile.openValidated(path);
    }

    /** Throws {@link GgufFormatException} "file: first problem" unless the file is valid. */
    public static void requireValid(GgufFile f) {
        List<String> p = problems(f);
        if (!p.isEmpty()) {
            throw new GgufFormatException(f.label() + ": " + p.get(0));
        }
    }

    /**
     * All problems found (without the file prefix), most fundamental first; empty if llama.cpp
     * can load the file as a model: the file format, then the model's content.
     */
    public static List<String> problems(GgufFile f) {
        List<String> out = formatProblems(f);
        if (out.isEmpty()) {
            ModelContentCheck.check(f, f.metadata().architecture().orElseThrow(), out);
        }
        return out.size() > MAX_PROBLEMS ? out.subList(0, MAX_PROBLEMS) : out;
    }

    /**
     * The file-format problems only (what gguf.cpp checks, and a known architecture): enough for
     * tools that read or rewrite tensors without loading the model.
     */
    public static List<String> formatProblems(GgufFile f) {
        List<String> out = new ArrayList<>();
        for (String k : f.duplicateKeys()) {
            out.add("duplicate metadata key '" + k + "'");
        }
        f.metadata().asMap().forEach((k, v) -> {
            if (v.isArray() && v.elementType() == GgufValueType.ARRAY) {
                out.add("metadata key '" + k + "' is an array of arrays, which llama.cpp " + KnownArchitectures.NATIVE_BUILD
                        + " cannot read");
            }
        });
        checkTensors(f, out);
        checkArchitecture(f, out);
        return out.size() > MAX_PROBLEMS ? out.subList(0, MAX_PROBLEMS) : out;
    }

    private static void checkTensors(GgufFile f, List<String> out) {
        List<TensorInfo> tensors = f.tensors();
        if (tensors.isEmpty()) {
            out.add("the file has no tensors");
            return;
        }
        Set<String> seen = new HashSet<>();
        boolean layoutKnown = true;
        for (TensorInfo t : tensors) {
            String n = t.name();
            int nameBytes = n.getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes == 0) {
                out.add("a tensor has an empty name");
            } else if (nameBytes >= MAX_TENSOR_NAME_BYTES) {
                out.add("tensor name '" + n + "' is " + nameBytes + " bytes long (llama.cpp allows at most "
                        + (MAX_TENSOR_NAME_BYTES - 1) + ")");
            }
            if (!seen.add(n)) {
                out.add("duplicate tensor name '" + n + "'");
            }
            long[] dims = t.dims();
            boolean dimsOk = true;
            for (int d = 0; d < dims.length; d++) {
                if (dims[d] <= 0) {
                    out.add("tensor '" + n + "' has dimension " + d + " = " + dims[d] + " (must be positive)");
                    dimsOk = false;
                }
            }
            if (dimsOk && t.elementCount() < 0) {
                out.add("tensor '" + n + "' has too many elements " + t.shape());
                dimsOk = false;
            }
            if (t.type() == null) {
                out.add("tensor '" + n + "' has unknown ggml type " + Integer.toUnsignedString(t.typeId())
                        + " (not supported by the bundled llama.cpp " + KnownArchitectures.NATIVE_BUILD + ")");
                layoutKnown = false;
                continue;
            }
            if (!dimsOk) {
                layoutKnown = false;
                continue;
            }
            long ne0 = dims.length == 0 ? 1 : dims[0];
            if (ne0 % t.type().blockSize() != 0) {
                out.add("tensor '" + n + "' of type " + t.type() + " has rows of " + ne0
                        + " elements, not a multiple of the block size " + t.type().blockSize());
                layoutKnown = false;
                continue;
            }
            long size = t.byteSize();
            if (size < 0) {
                out.add("tensor '" + n + "' is too large " + t.shape());
                layoutKnown = false;
                continue;
            }
            if (t.offset() < 0) {
                out.add("truncated: tensor '" + n + "' data starts at offset " + Long.toUnsignedString(t.offset())
                        + ", beyond the end of the file (" + f.fileSize() + " bytes)");
                layoutKnown = false;
                continue;
            }
            if (t.offset() % f.alignment() != 0) {
                out.add("tensor '" + n + "' offset " + Long.toUnsignedString(t.offset())
                        + " is not a multiple of the alignment " + f.alignment());
                layoutKnown = false;
                continue;
            }
            long end = f.dataStart() + t.offset() + size;
            if (end < 0 || end > f.fileSize()) {
                out.add("truncated: tensor '" + n + "' data ends at byte " + (end < 0 ? "beyond 2^63" : Long.toString(end))
                        + " but file has " + f.fileSize() + " bytes");
                layoutKnown = false;
            }
        }
        if (layoutKnown) {
            checkLayout(f, out);
        }
    }

    private static void checkLayout(GgufFile f, List<String> out) {
        List<TensorInfo> sorted = new ArrayList<>(f.tensors());
        sorted.sort(Comparator.comparingLong(TensorInfo::offset));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (a.offset() + a.byteSize() > b.offset()) {
                out.add("tensors '" + a.name() + "' and '" + b.name() + "' overlap (data offsets " + a.offset() + ".."
                        + (a.offset() + a.byteSize()) + " and " + b.offset() + ")");
                return;
            }
        }
        // gguf.cpp requires each tensor to start exactly where the previous one ends (padded).
        long expected = 0;
        for (TensorInfo t : f.tensors()) {
            if (t.offset() != expected) {
                out.add("tensor '" + t.name() + "' has offset " + t.offset() + ", expected " + expected
                        + " (llama.cpp requires tensors in header order, each padded to the alignment " + f.alignment() + ")");
                return;
            }
            expected = GgufFile.alignUp(expected + t.byteSize(), f.alignment());
        }
    }

    private static void checkArchitecture(GgufFile f, List<String> out) {
        GgufValue arch = f.metadata().get(GgufMetadata.ARCHITECTURE);
        if (arch == null) {
            out.add("missing general.architecture");
        } else if (arch.type() != GgufValueType.STRING) {
            out.add("general.architecture is a " + arch.type() + ", not a string");
        }
        // Whether an engine knows the architecture is that engine's call (the bundled b4916 knows
        // fewer than a current llama.cpp): see Engine.refusal.
    }
}
