package dev.minillm.gguf;

import java.util.List;

/**
 * The bytes one decoded token reads from memory, from the tensor sizes: every weight once (the
 * token embedding only one row, unless the output projection reuses it), plus the KV cache up to the
 * current depth. This is the numerator of the memory-bandwidth roofline.
 *
 * @param weightBytes        weight bytes read per token
 * @param kvBytesPerPosition K + V bytes per cached position over all layers, at the cache types given
 * @param layers             n_layer
 * @param kvWidth            n_embd_k_gqa (= n_embd_v_gqa): head dim × KV heads
 * @param kvCacheType        the cache element type the KV figure assumes ("F16" unless told)
 */
public record DecodeTraffic(long weightBytes, long kvBytesPerPosition, long layers, long kvWidth, String kvCacheType) {
    public static final String METHOD = "weights: sum of tensor bytes (token_embd: one row unless it is also the output "
            + "projection); KV: n_layer x (n_embd_k_gqa + n_embd_v_gqa) x cache element size x depth";

    /** Bytes read for one token decoded with {@code depth} positions already in the KV cache. */
    public double bytesPerToken(double depth) {
        return weightBytes + kvBytesPerPosition * Math.max(0, depth);
    }

    /** KV cache bytes for {@code positions} positions (the context llama.cpp allocates). */
    public long kvBytes(long positions) {
        return kvBytesPerPosition * positions;
    }

    public static DecodeTraffic of(GgufFile f, GgmlType cacheK, GgmlType cacheV) {
        ModelInfo info = f.info();
        long headDim = f.metadata().getArchLong("attention.key_length")
                .orElse(info.headCount() > 0 ? info.embeddingLength() / info.headCount() : 0);
        long kvHeads = info.headCountKv() > 0 ? info.headCountKv() : info.headCount();
        return of(f.tensors(), info.layers(), headDim * kvHeads, cacheK, cacheV);
    }

    /** From a tensor list (a file's, or a planned shape's) and the attention geometry. */
    public static DecodeTraffic of(List<TensorInfo> tensors, long layers, long kvWidth, GgmlType cacheK, GgmlType cacheV) {
        boolean separateOutput = tensors.stream().anyMatch(t -> t.name().equals("output.weight"));
        long weights = 0;
        for (TensorInfo t : tensors) {
            long bytes = Math.max(0, t.byteSize());
            if (t.name().equals("token_embd.weight") && separateOutput && t.nDims() >= 2 && t.dim(1) > 0) {
                // a lookup reads one row; the output projection is output.weight
                bytes = bytes / t.dim(1);
            }
            weights += bytes;
        }
        long kvPerPosition = layers > 0 && kvWidth > 0
                ? layers * (cacheRowBytes(cacheK, kvWidth) + cacheRowBytes(cacheV, kvWidth)) : 0;
        return new DecodeTraffic(weights, kvPerPosition, layers, kvWidth,
                cacheK == cacheV ? cacheK.name() : cacheK.name() + "/" + cacheV.name());
    }

    private static long cacheRowBytes(GgmlType t, long width) {
        // llama.cpp refuses a quantized cache whose rows do not fit its blocks; count such a row as F16
        return width % t.blockSize() == 0 ? t.rowBytes(width) : GgmlType.F16.rowBytes(width);
    }

    /** A cache type option value ("f16", "q8_0", ...) as a ggml type; F16 when absent or unknown. */
    public static GgmlType cacheType(String name) {
        if (name == null || name.isBlank()) {
            return GgmlType.F16;
        }
        GgmlType t = GgmlType.fromName(name);
        return t == null ? GgmlType.F16 : t;
    }
}
