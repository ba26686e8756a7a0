package dev.minillm.report;

import dev.minillm.results.Stat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a person requires of the recommended variant; each limit may be null (not stated).
 *
 * @param maxRamBytes        peak RAM (the cell's peak RSS, mean) at most this
 * @param minDecodeTps       decode tok/s (mean) at least this
 * @param maxPplIncrease     perplexity increase over the baseline at most this fraction (0.02 = 2 %)
 * @param maxKld             mean KL divergence from the baseline at most this
 */
public record Constraints(Long maxRamBytes, Double minDecodeTps, Double maxPplIncrease, Double maxKld) {
    public static Constraints none() {
        return new Constraints(null, null, null, null);
    }

    public boolean any() {
        return maxRamBytes != null || minDecodeTps != null || maxPplIncrease != null || maxKld != null;
    }

    public boolean anyQuality() {
        return maxPplIncrease != null || maxKld != null;
    }

    /** The stated limits as the options that set them, e.g. "--max-ram 4 GiB, --min-tps 20". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (maxRamBytes != null) {
            parts.add("--max-ram " + bytes(maxRamBytes));
        }
        if (minDecodeTps != null) {
            parts.add("--min-tps " + num(minDecodeTps));
        }
        if (maxPplIncrease != null) {
            parts.add("--max-ppl-increase " + num(maxPplIncrease * 100) + " %");
        }
        if (maxKld != null) {
            parts.add("--max-kld " + num(maxKld));
        }
        return String.join(", ", parts);
    }

    static String bytes(long b) {
        double gib = b / (1024.0 * 1024 * 1024);
        if (gib >= 1) {
            return num(gib) + " GiB";
        }
        return num(b / (1024.0 * 1024)) + " MiB";
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%." + Math.max(0, Figure.decimals(v)) + "f", v)
                .replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
