package dev.minillm.report;

import dev.minillm.results.Stat;
import dev.minillm.metrics.WithinNoise;
import java.util.Locale;

/**
 * The report's side of the one rule that decides whether two measured figures differ or are within
 * noise ({@link WithinNoise}): the verdict, the HTML best-in-row highlight, the speedup rows and the
 * audit all ask here, and here only delegates the decision.
 *
 * <p>Two figures a ± σa and b ± σb (σ: the spread the table shows, the sample standard deviation
 * over the repetitions) are <b>within noise</b> when |a − b| ≤ √(σa² + σb²). A figure without a
 * spread (file size, a KLD from one pass over the text) contributes none, so two figures without
 * any spread differ whenever their values differ. The ratio shown beside it, r = a / b with the
 * combined spread s = r × √((σa/a)² + (σb/b)²), is the same comparison in hyperfine's form.
 */
public final class Noise {
    private Noise() {
    }

    /**
     * a / b with its combined spread ({@code spread} null when neither side has one) and the rule's
     * decision for a and b.
     */
    public record Ratio(double value, Double spread, boolean withinNoise) {

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
        boolean tied = WithinNoise.withinNoise(a, spreadA == null ? 0.0 : spreadA, b, spreadB == null ? 0.0 : spreadB);
        if (spreadA == null && spreadB == null) {
            return new Ratio(r, null, tied);
        }
        double ra = spreadA == null || a == 0.0 ? 0.0 : spreadA / a;
        double rb = spreadB == null ? 0.0 : spreadB / b;
        return new Ratio(r, Math.abs(r) * Math.sqrt(ra * ra + rb * rb), tied);
    }

    public static Ratio ratio(Stat a, Stat b) {
        return a == null || b == null ? null : ratio(a.mean(), a.stddev(), b.mean(), b.stddev());
    }

    /** True when the two figures are within noise of each other (unknown values never are). */
    public static boolean tied(Double a, Double spreadA, Double b, Double spreadB) {
        if (a == null || b == null) {
            return false;
        }
        return WithinNoise.withinNoise(a, spreadA == null ? 0.0 : spreadA, b, spreadB == null ? 0.0 : spreadB);
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
