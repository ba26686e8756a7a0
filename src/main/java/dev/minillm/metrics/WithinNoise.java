package dev.minillm.metrics;

/**
 * The one rule for "is this difference real?": two estimates differ beyond noise only when the
 * gap between them exceeds their combined standard error, sqrt(se_a^2 + se_b^2) (about one
 * standard deviation of the difference of two independent estimates). Tables, the verdict and
 * the audit all use this rule, so they never disagree about what is noise.
 */
public final class WithinNoise {
    private WithinNoise() {
    }

    /** The combined standard error of the difference of two independent estimates. */
    public static double combinedStderr(double seA, double seB) {
        return Math.sqrt(seA * seA + seB * seB);
    }

    /** True when |a - b| is inside the combined standard error (NaN or missing errors: false). */
    public static boolean withinNoise(double a, double seA, double b, double seB) {
        double se = combinedStderr(seA, seB);
        return !Double.isNaN(se) && Math.abs(a - b) <= se;
    }

    /**
     * Standard error of the mean of 0/1 outcomes, as lm-evaluation-harness reports it: the sample
     * standard deviation (n - 1 in the denominator) over sqrt(n), i.e. sqrt(p (1 - p) / (n - 1)).
     * NaN for fewer than two outcomes.
     */
    public static double proportionStderr(int successes, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double p = (double) successes / n;
        return Math.sqrt(p * (1 - p) / (n - 1));
    }
}
