package dev.minillm.results;

import dev.minillm.metrics.Stats;

/**
 * One statistic over the measured repetitions (warmup discarded): n, mean, median, sample standard
 * deviation, min, max and cv = stddev / mean. A value that is undefined (NaN) is null, so the JSON
 * stays valid; boxed types because a tolerant read may miss any of them.
 */
public record Stat(Integer n, Double mean, Double median, Double stddev, Double min, Double max, Double cv) {

    public static Stat of(Stats s) {
        return new Stat(s.n(), finite(s.mean()), finite(s.median()), finite(s.stddev()), finite(s.min()),
                finite(s.max()), finite(s.cv()));
    }

    public static Stat of(double... values) {
        return of(Stats.of(values));
    }

    /** NaN and infinities become null. */
    public static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
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
