package dev.minillm.metrics;

import java.util.Arrays;

/**
 * Summary of repeated measurements: mean, median, sample standard deviation, min, max and the
 * coefficient of variation. Percentiles use linear interpolation between closest ranks (the
 * same definition as numpy's default).
 */
public record Stats(int n, double mean, double median, double stddev, double min, double max) {

    public static Stats of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : sorted) {
            sq += (v - mean) * (v - mean);
        }
        double stddev = n > 1 ? Math.sqrt(sq / (n - 1)) : 0.0;
        return new Stats(n, mean, percentileSorted(sorted, 50), stddev, sorted[0], sorted[n - 1]);
    }

    /** Coefficient of variation; NaN when undefined (mean 0 or a single value). */
    public double cv() {
        return n > 1 && mean != 0 ? stddev / Math.abs(mean) : Double.NaN;
    }

    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentileSorted(sorted, p);
    }

    public static double percentile(long[] values, double p) {
        return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }

    private static double percentileSorted(double[] sorted, double p) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
