package dev.minillm.report;

import java.util.Locale;

/**
 * The one rule that decides whether two measured figures differ or are within noise; the verdict,
 * the HTML best-in-row highlight, the speedup rows and the audit all use it.
 *
 * <p>The ratio r = a / b carries the combined relative spread s = r × √((σa/a)² + (σb/b)²)
 * (independent errors; σ = sample standard deviation over the repetitions). The two figures are
 * <b>within noise</b> when the interval [r − s, r + s] contains 1. A figure without a spread
 * (file size, a KLD from one pass over the text) contributes none; two figures without any spread
 * differ whenever their values differ.
 */
public final class Noise {
    /** Relative difference below which two spread-less values count as equal (rounding, not measurement). */
    private static final double EXACT = 1e-9;

    private Noise() {
    }

    /** a / b with its combined spread; {@code spread} is null when neither side has one. */
    public record Ratio(double value, Double spread) {
        /** True when r ± s overlaps 1: no winner can be named. */
        public boolean withinNoise() {
            if (spread == null) {
                return Math.abs(value - 1.0) <= EXACT;
            }
            return value - spread <= 1.0 && 1.0 <= value + spread;
        }

        /** "1.44 ± 0.32×" (two decimals, hyperfine's style). */
        public String render() {
            return String.format(Locale.ROOT, "%.2f", value) + (spread == null ? "" : String.format(Locale.ROOT, " ± %.2f", spread)) + "×";
        }
    }

    /** The ratio of two figures (value ± spread each; a spread may be null), or null when b is 0 or a value missing. */
    public static Ratio ratio(Double a, Double spreadA, Double b, Double spreadB) {
        if (a == null || b == null || b == 0.0 || !Double.isFinite(a) || !Double.isFinite(b)) {
            return null;
        }
        double r = a / b;
        if (spreadA == null && spreadB == null) {
            return new Ratio(r, null);
        }
        double ra = spreadA == null || a == 0.0 ? 0.0 : spreadA / a;
        double rb = spreadB == null ? 0.0 : spreadB / b;
        return new Ratio(r, Math.abs(r) * Math.sqrt(ra * ra + rb * rb));
    }

    public static Ratio ratio(Stat a, Stat b) {
        return a == null || b == null ? null : ratio(a.mean(), a.stddev(), b.mean(), b.stddev());
    }

    /** True when the two figures are within noise of each other (unknown values never are). */
    public static boolean tied(Double a, Double spreadA, Double b, Double spreadB) {
        if (a != null && b != null && a == 0.0 && b == 0.0) {
            return true;
        }
        Ratio r = ratio(a, spreadA, b, spreadB);
        return r != null && r.withinNoise();
    }

    /**
     * +1 when a is better than b beyond noise, −1 when worse beyond noise, 0 when within noise.
     * {@code higherIsBetter} says which direction wins.
     */
    public static int compare(Double a, Double spreadA, Double b, Double spreadB, boolean higherIsBetter) {
        if (tied(a, spreadA, b, spreadB)) {
            return 0;
        }
        int raw = Double.compare(a, b);
        return higherIsBetter ? raw : -raw;
    }

    /** A figure with its spread: the value compared, for a Figure of the table. */
    public static int compare(Figure a, Figure b, boolean higherIsBetter) {
        return compare(a.value(), a.spread(), b.value(), b.spread(), higherIsBetter);
    }
}
