package dev.minillm.report;

import dev.minillm.results.Stat;
import java.util.Locale;

/**
 * One value of the comparison table: a number with its spread and repetition count, or a text.
 * {@code flagged} marks a figure an audit rule objected to; renderers add a warning sign.
 */
public record Figure(Kind kind, Double value, Double spread, Integer n, String text, boolean flagged, boolean precise) {
    public Figure(Kind kind, Double value, Double spread, Integer n, String text, boolean flagged) {
        this(kind, value, spread, n, text, flagged, false);
    }

    /** How a number is rendered. */
    public enum Kind { NUMBER, RATIO, PERCENT, DELTA, TEXT }

    public static final String MISSING = "–";

    public static Figure missing() {
        return new Figure(Kind.TEXT, null, null, null, MISSING, false);
    }

    public static Figure text(String text) {
        return new Figure(Kind.TEXT, null, null, null, text, false);
    }

    public static Figure number(Double value, Double spread, Integer n) {
        return value == null ? missing() : new Figure(Kind.NUMBER, value, spread, n, null, false);
    }

    public static Figure of(Stat s) {
        return s == null ? missing() : number(s.mean(), s.stddev(), s.n());
    }

    public static Figure ratio(Double value, Double spread) {
        return value == null ? missing() : new Figure(Kind.RATIO, value, spread, null, null, false);
    }

    public static Figure percent(Double fraction) {
        return fraction == null ? missing() : new Figure(Kind.PERCENT, fraction, null, null, null, false);
    }

    /** A signed difference; {@code relative} (a fraction) is shown beside it when known. */
    public static Figure delta(Double value, Double relative) {
        return value == null ? missing() : new Figure(Kind.DELTA, value, relative, null, null, false);
    }

    public Figure withFlag() {
        return new Figure(kind, value, spread, n, text, true, precise);
    }

    public boolean isMissing() {
        return kind == Kind.TEXT && MISSING.equals(text);
    }

    /** Human rendering, e.g. "41.2 ± 0.8 (n=5)", "×1.85 ± 0.05", "97.0 %", "+0.050 (+0.51 %)". */
    public String render() {
        return render(null);
    }

    /** As {@link #render()}, without "(n=..)" when n is {@code statedN}, the count a table states once. */
    public String render(Integer statedN) {
        return switch (kind) {
            case TEXT -> text;
            case NUMBER -> {
                int d = numberDecimals();
                String s = fixed(value, d);
                if (spread != null) {
                    s += " ± " + fixed(spread, d);
                }
                if (n != null && !n.equals(statedN)) {
                    s += " (n=" + n + ")";
                }
                yield s;
            }
            case RATIO -> "×" + fixed(value, 2) + (spread != null ? " ± " + fixed(spread, 2) : "");
            case PERCENT -> fixed(value * 100, 1) + (spread != null ? " ± " + fixed(spread * 100, 1) : "") + " %";
            case DELTA -> signed(value, Math.abs(value) < 1 ? 3 : 2) + (spread != null ? " (" + signed(spread * 100, 2) + " %)" : "");
        };
    }

    /** A NUMBER as "27.1 ± 0.5" (no n), for sentences; other kinds as {@link #render()}. */
    public String renderValue() {
        if (kind != Kind.NUMBER) {
            return render();
        }
        int d = numberDecimals();
        return fixed(value, d) + (spread != null ? " ± " + fixed(spread, d) : "");
    }

    /** Decimals of a NUMBER: perplexities keep two (their differences are small), others adapt to magnitude. */
    int numberDecimals() {
        return precise ? Math.max(2, decimals(value)) : decimals(value);
    }

    /** The same number shown with at least two decimals. */
    public Figure withPrecision() {
        return new Figure(kind, value, spread, n, text, flagged, true);
    }

    /** Decimals that keep about three significant digits without showing noise on large values. */
    static int decimals(double v) {
        double a = Math.abs(v);
        if (a >= 100 || a == 0) {
            return a == 0 ? 1 : 0;
        }
        if (a >= 10) {
            return 1;
        }
        if (a >= 1) {
            return 2;
        }
        // below 1: three significant digits, capped so that tiny values stay readable
        int leadingZeros = (int) Math.floor(-Math.log10(a));
        return Math.min(leadingZeros + 3, 8);
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String signed(double v, int decimals) {
        return (v >= 0 ? "+" : "") + fixed(v, decimals);
    }
}
