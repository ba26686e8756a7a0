package dev.minillm.gguf;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Facts computed from a GGUF header without reading tensor data. Hyper-parameters that are absent
 * from the metadata are -1 (and {@code fileType} null).
 *
 * @param architecture     general.architecture ("" if absent)
 * @param name             general.name ("" if absent)
 * @param parameterCount   sum of the element counts of all tensors (as llama.cpp's n_params)
 * @param tensorDataBytes  sum of tensor byte sizes (without alignment padding)
 * @param bitsPerWeight    8 * tensorDataBytes / parameterCount
 * @param tensorCountByType tensor count per ggml type name, sorted by name
 * @param fileTypeId       general.file_type, -1 if absent
 * @param fileType         its label (F16, Q4_K_M, ...) or null if absent/unknown
 */
public record ModelInfo(
        String architecture,
        String name,
        long fileSizeBytes,
        int ggufVersion,
        int tensorCount,
        long parameterCount,
        long tensorDataBytes,
        double bitsPerWeight,
        Map<String, Integer> tensorCountByType,
        long fileTypeId,
        String fileType,
        long contextLength,
        long vocabSize,
        long layers,
        long embeddingLength,
        long feedForwardLength,
        long headCount,
        long headCountKv,
        boolean synthetic) {

    public ModelInfo {
        tensorCountByType = Collections.unmodifiableMap(new TreeMap<>(tensorCountByType));
    }

    /**
     * The ggml type most tensors have ("F32" for an all-F32 file, "Q4_K" for most Q4_K_M files),
     * the way llama.cpp guesses a file type when general.file_type is missing; ties go to the
     * first name in alphabetical order. Null for a file without tensors.
     */
    public String dominantTensorType() {
        return tensorCountByType.entrySet().stream().max(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** {@link #fileType()}, or {@link #dominantTensorType()} when general.file_type is absent or unknown. */
    public String fileTypeOrDominant() {
        return fileType != null ? fileType : dominantTensorType();
    }

    static ModelInfo of(GgufFile f) {
        GgufMetadata m = f.metadata();
        long params = 0;
        long bytes = 0;
        Map<String, Integer> byType = new TreeMap<>();
        for (TensorInfo t : f.tensors()) {
            long n = t.elementCount();
            if (n > 0) {
                params += n;
            }
            long b = t.byteSize();
            if (b > 0) {
                bytes += b;
            }
            byType.merge(t.typeName(), 1, Integer::sum);
        }
        long ftId = m.getLong(GgufMetadata.FILE_TYPE).orElse(-1L);
        LlamaFileType ft = ftId >= 0 ? LlamaFileType.fromId(ftId) : null;
        GgufValue tokens = m.get(GgufMetadata.TOKENS);
        long vocab = tokens != null && tokens.isArray() ? tokens.length() : m.getArchLong("vocab_size").orElse(-1L);
        return new ModelInfo(
                m.architecture().orElse(""),
                m.getString(GgufMetadata.NAME).orElse(""),
                f.fileSize(),
                f.version(),
                f.tensors().size(),
                params,
                bytes,
                params > 0 ? 8.0 * bytes / params : 0.0,
                byType,
                ftId,
                ft != null ? ft.label() : null,
                m.getArchLong("context_length").orElse(-1L),
                vocab,
                m.getArchLong("block_count").orElse(-1L),
                m.getArchLong("embedding_length").orElse(-1L),
                archLongOrFirst(m, "feed_forward_length"),
                archLongOrFirst(m, "attention.head_count"),
                archLongOrFirst(m, "attention.head_count_kv"),
                f.isSynthetic());
    }

    // Some models store per-layer arrays for these keys; report the first layer's value then.
    private static long archLongOrFirst(GgufMetadata m, String suffix) {
        String arch = m.architecture().orElse(null);
        if (arch == null) {
            return -1;
        }
        GgufValue v = m.get(arch + "." + suffix);
        if (v == null) {
            return -1;
        }
        if (v.type().isInteger()) {
            return v.asLong();
        }
        if (v.isArray() && v.length() > 0 && v.elementType().isInteger()) {
            return v.longAt(0);
        }
        return -1;
    }
}
