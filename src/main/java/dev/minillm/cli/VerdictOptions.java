package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.report.Constraints;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The verdict's constraints, the same options on bench and report (a picocli mixin). */
public final class VerdictOptions {
    @Option(names = "--max-ram", paramLabel = "SIZE",
            description = "Recommend only variants whose peak RAM is at most SIZE, e.g. 4G, 512M, 4GiB.")
    String maxRam;

    @Option(names = "--min-tps", paramLabel = "TOK/S", description = "Recommend only variants decoding at least this many tok/s.")
    Double minTps;

    @Option(names = "--max-ppl-increase", paramLabel = "PERCENT",
            description = "Recommend only variants whose perplexity is at most PERCENT above the baseline's, e.g. 2%%.")
    String maxPplIncrease;

    @Option(names = "--max-kld", paramLabel = "X", description = "Recommend only variants whose mean KL divergence from the baseline is at most X.")
    Double maxKld;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);

    /** The stated constraints; BadInputException (exit 2) for a malformed value, before anything runs. */
    public Constraints constraints() {
        Long ram = maxRam == null ? null : parseSize(maxRam);
        if (minTps != null && !(minTps > 0) ) {
            throw new BadInputException("--min-tps must be a positive number, not " + minTps);
        }
        Double ppl = maxPplIncrease == null ? null : parsePercent(maxPplIncrease);
        if (maxKld != null && !(maxKld >= 0)) {
            throw new BadInputException("--max-kld must be 0 or more, not " + maxKld);
        }
        return new Constraints(ram, minTps, ppl, maxKld);
    }

    /** "4G", "4GiB", "4 GB", "512M", "1048576": binary units (G = 2^30), as RAM is counted. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new BadInputException("--max-ram: '" + text + "' is not a size (e.g. 4G, 512M, 4GiB)");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long bytes = (long) (v * (1L << shift));
        if (bytes <= 0) {
            throw new BadInputException("--max-ram must be more than 0, not '" + text + "'");
        }
        return bytes;
    }

    /** "2%" or "2" (percent) → 0.02. */
    static double parsePercent(String text) {
        String t = text.strip();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        try {
            double v = Double.parseDouble(t);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v / 100.0;
        } catch (NumberFormatException e) {
            throw new BadInputException("--max-ppl-increase: '" + text + "' is not a percentage (e.g. 2%)");
        }
    }
}
