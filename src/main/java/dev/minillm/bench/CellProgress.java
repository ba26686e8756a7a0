package dev.minillm.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a running cell is, from the phase its child reports ("rep 2/5 generate 3/5", "wrapper
 * decode", ...), in hundredths of a step. A step is one warmup or measured repetition, the
 * wrapper's figure or the quality pass, so the bar and its ETA move within a cell, not only
 * between cells.
 */
final class CellProgress {
    static final int PER_STEP = 100;
    /** Share of a repetition's time spent before generation (cold + warm load). */
    private static final int LOAD_SHARE = 10;
    private static final Pattern REP = Pattern.compile("(warmup|rep) (\\d+)/(\\d+)(?: (cold load|warm load|generate)(?: (\\d+)/(\\d+))?)?");

    private final int warmup;
    private final int repetitions;
    private final boolean wrapper;
    private final boolean quality;

    CellProgress(int warmup, int repetitions, boolean wrapper, boolean quality) {
        this.warmup = warmup;
        this.repetitions = repetitions;
        this.wrapper = wrapper;
        this.quality = quality;
    }

    /** The whole cell, in hundredths of a step. */
    int units() {
        return (warmup + repetitions + (wrapper ? 1 : 0) + (quality ? 1 : 0)) * PER_STEP;
    }

    /** Units done when the child reports {@code phase}; -1 when the phase says nothing about it. */
    int at(String phase) {
        Matcher m = REP.matcher(phase);
        if (m.find()) {
            int index = Integer.parseInt(m.group(2)) - 1 + (m.group(1).equals("rep") ? warmup : 0);
            int within = 0;
            if ("warm load".equals(m.group(4))) {
                within = LOAD_SHARE / 2;
            } else if ("generate".equals(m.group(4))) {
                within = LOAD_SHARE;
                if (m.group(5) != null) {
                    int k = Integer.parseInt(m.group(5));
                    int n = Math.max(1, Integer.parseInt(m.group(6)));
                    within += (PER_STEP - LOAD_SHARE) * (k - 1) / n;
                }
            }
            return Math.min(units(), index * PER_STEP + within);
        }
        if (phase.startsWith("wrapper")) {
            return (warmup + repetitions) * PER_STEP;
        }
        if (phase.startsWith("quality")) {
            return (warmup + repetitions + (wrapper ? 1 : 0)) * PER_STEP;
        }
        if (phase.startsWith("write")) {
            return units();
        }
        return -1;
    }
}
