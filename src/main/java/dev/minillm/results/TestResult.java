package dev.minillm.results;

import java.util.List;

/**
 * One llama-bench test of a cell, named as llama-bench names it: pp512 (a 512-token prompt in one
 * go), tg128 (128 tokens generated one at a time), pp512+tg128 (both, timed together), and any of
 * them "@ d4096" after a KV cache already holding 4096 tokens.
 *
 * @param tps     tokens per second over the repetitions ((n_prompt + n_gen) / time, as llama-bench)
 * @param samples tok/s of each measured repetition
 */
public record TestResult(String name, int nPrompt, int nGen, int nDepth, Stat tps, List<Double> samples) {
}
