package dev.minillm.quant;

/** Receives quantization progress in bytes of source tensor data processed. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** Called after each block of rows (and each copied tensor); {@code done} only grows. */
    void progress(long sourceBytesDone, long sourceBytesTotal);
}
