package dev.minillm.results;

/**
 * One rung of the context ladder: the KV cache filled to {@code depth} tokens, then decoding.
 *
 * @param kvBytesPerTokenAnalytic layers x 2 (K and V) x KV heads x head dim x bytes per element of the cache types
 * @param kvBytesReported         llama.cpp's own size of the KV cache for the context (its state of the KV cache)
 * @param rssDeltaBytes           RSS after filling to {@code depth} minus RSS before, in the same context
 * @param decodeTps               decode tok/s over {@link #DECODE_TOKENS} tokens generated at that depth
 */
public record LadderPoint(int depth, long kvBytesPerTokenAnalytic, Long kvBytesAnalytic, Long kvBytesReported,
                          Long rssDeltaBytes, Stat decodeTps) {
    /** Tokens generated at each depth for {@code decodeTps}. */
    public static final int DECODE_TOKENS = 32;
}
