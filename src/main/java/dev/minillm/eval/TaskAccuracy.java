package dev.minillm.eval;

import java.util.List;

/**
 * Multiple-choice accuracy on one task (an entry of the quality block's "mc" list): acc and the
 * length-normalised acc_norm with their standard errors of the mean, and the exact items scored,
 * so another run (another variant) can score the same ones ({@code eval mc --ids}).
 *
 * @param accNorm      null for tasks where the harness reports acc only (WinoGrande)
 * @param data         the data file read
 * @param dataSha256   its sha256, so two results can be checked to come from the same file
 * @param available    items in the file
 * @param limit        the requested sample size (0: all)
 * @param seed         the seed of the sample (null when every item or a fixed id list was scored)
 * @param sampleIds    the scored items' ids, in file order
 */
@QualityJson
public record TaskAccuracy(String task,
                           int nShot,
                           int items,
                           double acc,
                           Double accStderr,
                           Double accNorm,
                           Double accNormStderr,
                           String format,
                           String data,
                           String dataSha256,
                           int available,
                           int limit,
                           Long seed,
                           double seconds,
                           double itemsPerSecond,
                           List<String> sampleIds) {
}
