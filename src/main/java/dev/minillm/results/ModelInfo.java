package dev.minillm.results;

/**
 * Facts about the model file. The parent fills what it knows without loading the model (size,
 * parameters, type) for failed and skipped cells; the child adds llama.cpp's view.
 *
 * @param tensorBytes  llama_model_size: bytes of the tensors
 * @param description  llama_model_desc
 * @param decodeTraffic bytes one decoded token reads, from the file's tensor sizes (the roofline's divisor); null if unknown
 */
public record ModelInfo(Long fileSizeBytes, Long nParams, Long tensorBytes, Double bitsPerWeight, String fileType,
                        String architecture, Boolean synthetic, Integer nLayers, Integer nEmbd, Integer nVocab,
                        Integer nCtxTrain, String description, DecodeTraffic decodeTraffic) {

    /**
     * What one decoded token reads: every weight once, and K and V of every cached position.
     *
     * @param kvCacheType the KV cache type the per-position figure assumes
     */
    public record DecodeTraffic(Long weightBytesPerToken, Long kvBytesPerPosition, String kvCacheType, String method) {
    }

    public Long weightBytesPerToken() {
        return decodeTraffic == null ? null : decodeTraffic.weightBytesPerToken();
    }

    public Long kvBytesPerPosition() {
        return decodeTraffic == null ? null : decodeTraffic.kvBytesPerPosition();
    }

    public ModelInfo withDecodeTraffic(DecodeTraffic t) {
        return new ModelInfo(fileSizeBytes, nParams, tensorBytes, bitsPerWeight, fileType, architecture, synthetic,
                nLayers, nEmbd, nVocab, nCtxTrain, description, t);
    }

    /** What is known from the file alone. */
    public static ModelInfo ofFile(long fileSizeBytes, long nParams, double bitsPerWeight, String fileType,
                                   String architecture, boolean synthetic) {
        return new ModelInfo(fileSizeBytes, nParams, null, Stat.finite(bitsPerWeight), fileType, architecture, synthetic,
                null, null, null, null, null, null);
    }
}
