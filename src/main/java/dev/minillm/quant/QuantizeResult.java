package dev.minillm.quant;

import dev.minillm.gguf.GgmlType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a quantization run produced.
 *
 * @param sourceBytes  tensor data bytes read from the input (the throughput basis)
 * @param outputBytes  size of the written file
 * @param seconds      wall time from opening the input to the renamed (fsynced) output; the one-off
 *                     load of the native library is not included
 * @param tensors      every tensor in output order
 */
public record QuantizeResult(Path input, Path output, QuantType type, int threads, long sourceBytes, long outputBytes,
                             double seconds, List<TensorResult> tensors) {

    /**
     * One tensor of the output.
     *
     * @param note          row-size fallback explanation, or null
     * @param beyondLlamaCpp true where llama.cpp b4916 would have refused the model (kept as F16 instead)
     */
    public record TensorResult(String name, long[] dims, GgmlType sourceType, GgmlType type, long sourceBytes, long bytes,
                               String note, boolean beyondLlamaCpp) {
    }

    public QuantizeResult {
        tensors = List.copyOf(tensors);
    }

    /** Source tensor data processed per second, in MB (10^6 bytes). */
    public double megabytesPerSecond() {
        return seconds > 0 ? sourceBytes / 1e6 / seconds : 0;
    }

    /** Number of output tensors per type name. */
    public Map<String, Integer> tensorCountByType() {
        Map<String, Integer> m = new TreeMap<>();
        for (TensorResult t : tensors) {
            m.merge(t.type().name(), 1, Integer::sum);
        }
        return m;
    }

    /** The type given to a tensor, or null if there is no such tensor. */
    public GgmlType typeOf(String name) {
        for (TensorResult t : tensors) {
            if (t.name().equals(name)) {
                return t.type();
            }
        }
        return null;
    }
}
