package dev.minillm.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One statistic over the measured repetitions, as the bench harness wrote it (see docs/cell-schema.md).
 * Every field may be missing in a tolerant read, hence boxed types.
 */
public record Stat(Integer n, Double mean, Double median, Double stddev, Double min, Double max, Double cv) {

    /** Reads a Stat object; returns null when the node is absent, null or has no mean. */
    static Stat from(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Double mean = Json.dbl(node, "mean");
        if (mean == null) {
            return null;
        }
        return new Stat(Json.integer(node, "n"), mean, Json.dbl(node, "median"), Json.dbl(node, "stddev"),
                Json.dbl(node, "min"), Json.dbl(node, "max"), Json.dbl(node, "cv"));
    }

    /** The coefficient of variation: the stored one, else stddev / mean when both are known. */
    public Double effectiveCv() {
        if (cv != null) {
            return cv;
        }
        if (stddev != null && mean != null && mean != 0.0) {
            return stddev / Math.abs(mean);
        }
        return null;
    }

    /** The same statistic with every value multiplied by {@code factor} (unit conversion). */
    public Stat scaled(double factor) {
        return new Stat(n, mul(mean, factor), mul(median, factor), stddev == null ? null : stddev * Math.abs(factor),
                mul(min, factor), mul(max, factor), cv);
    }

    private static Double mul(Double v, double f) {
        return v == null ? null : v * f;
    }
}
