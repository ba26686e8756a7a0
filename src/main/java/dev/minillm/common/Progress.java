package dev.minillm.common;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress on stderr, so that stdout stays clean for machine output (tables, JSON, CSV).
 * On a terminal the bar redraws in place, as wide as the terminal; elsewhere (CI logs, pipes) it
 * prints a plain line every few seconds instead of control characters. Every line minillm writes to
 * stderr starts with {@value #PREFIX}.
 */
public final class Progress implements AutoCloseable {
    public static final String PREFIX = "minillm: ";
    /** How often a log (not a terminal) gets a progress line. */
    static final int LOG_INTERVAL_MS = 10_000;
    static final int TERMINAL_INTERVAL_MS = 200;
    /** Line length in logs, where no terminal width exists: room for the phase text. */
    static final int LOG_LINE_LENGTH = 160;
    /** Below this a terminal's reported width is not believable (unknown terminals report 0). */
    static final int MIN_TERMINAL_WIDTH = 20;

    private static volatile boolean quiet = false;
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static void setQuiet(boolean q) {
        quiet = q;
    }

    /** A one-off status line on stderr, with the common prefix. */
    public static void info(String message) {
        if (!quiet) {
            System.err.println(prefixed(message));
            System.err.flush();
        }
    }

    /** {@code message} with exactly one "minillm: " in front (callers need not add it). */
    public static String prefixed(String message) {
        return message.startsWith(PREFIX) ? message : PREFIX + message;
    }

    /** Starts a bar of {@code total} units ({@code unitName} e.g. "cells", "MiB"). */
    public static Progress start(String label, long total, String unitName) {
        return start(label, total, unitName, 1);
    }

    /**
     * Starts a bar counting raw units (e.g. bytes) shown as {@code unitName} of {@code unitSize}
     * raw units each (e.g. "MB", 1_000_000), so small totals are not rounded to a full bar.
     */
    public static Progress start(String label, long total, String unitName, long unitSize) {
        if (quiet) {
            return new Progress(null);
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(Math.max(0, total))
                .continuousUpdate()
                .setRenderer(new Renderer(unitName, unitSize));
        if (System.console() == null) {
            // Not a terminal (CI, pipes): a plain line every 10 seconds; the closing line only when it says something new.
            String[] last = {null};
            builder.setConsumer(new DelegatingProgressBarConsumer(line -> {
                String l = line.strip();
                // The closing redraw repeats the last periodic line but for the clock: print it once.
                String key = l.replaceAll("elapsed \\S+", "");
                if (!key.equals(last[0])) {
                    last[0] = key;
                    System.err.println(l);
                    System.err.flush();
                }
            }, LOG_LINE_LENGTH)).setUpdateIntervalMillis(LOG_INTERVAL_MS);
        } else {
            // The default console consumer asks the terminal for its width on every redraw.
            int columns = columnsFromEnvironment();
            if (columns > 0) {
                builder.setMaxRenderedLength(columns);
            }
            builder.setUpdateIntervalMillis(TERMINAL_INTERVAL_MS);
        }
        return new Progress(builder.build());
    }

    /** $COLUMNS when the shell exports it (the terminal library's own query then is not needed). */
    private static int columnsFromEnvironment() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? -1 : Integer.parseInt(c.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    /** Changes the total (e.g. when cells turn out to be already done and cost nothing). */
    public void maxHint(long total) {
        if (bar != null) {
            bar.maxHint(Math.max(0, total));
        }
    }

    /** Current phase, shown after the bar (e.g. "qwen2.5-0.5b Q4_K_M cpu: decoding"); "" clears it. */
    public void phase(String message) {
        if (bar != null) {
            bar.setExtraMessage(message == null ? "" : message.strip());
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.setExtraMessage("");
            bar.close();
        }
    }

    /**
     * A bar for work that learns its total with its first report (the quantizer parses its input
     * once): {@link #report} starts the bar then and moves it afterwards.
     */
    public static final class Deferred implements AutoCloseable {
        private final String label;
        private final String unitName;
        private final long unitSize;
        private Progress bar;

        public Deferred(String label, String unitName, long unitSize) {
            this.label = label;
            this.unitName = unitName;
            this.unitSize = unitSize;
        }

        public void report(long done, long total) {
            if (bar == null) {
                bar = start(label, total, unitName, unitSize);
            }
            bar.stepTo(done);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** "h:mm:ss", or "m:ss" under an hour. */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * {@code label  42% [=====>    ] 5/12 cells  elapsed 1:10  ETA 1:37  phase}, fitted to the width:
     * the bar shrinks first, then the phase is cut. The ETA is labelled and says "estimating" until
     * some work is done, instead of a bare "?".
     */
    static final class Renderer implements ProgressBarRenderer {
        private static final int MIN_BAR = 10;
        private final String unitName;
        private final long unitSize;

        Renderer(String unitName, long unitSize) {
            this.unitName = unitName;
            this.unitSize = Math.max(1, unitSize);
        }

        @Override
        public String render(ProgressState s, int maxLength) {
            return render(s.getTaskName(), s.getStart(), s.getCurrent(), s.getMax(), s.getElapsedAfterStart(),
                    s.getExtraMessage(), maxLength);
        }

        String render(String label, long start, long current, long max, Duration elapsed, String phase, int maxLength) {
            double fraction = max <= 0 ? 0 : Math.min(1, Math.max(0, (double) current / max));
            String percent = String.format(Locale.ROOT, "%3d%%", (int) Math.floor(100 * fraction));
            String counts = amount(current) + "/" + amount(max) + " " + unitName;
            String eta;
            if (max > 0 && current >= max) {
                eta = "done";
            } else if (current <= start || elapsed.isZero()) {
                eta = "ETA estimating";
            } else {
                double perUnit = (double) elapsed.toMillis() / (current - start);
                eta = "ETA " + clock(Duration.ofMillis((long) (perUnit * (max - current))));
            }
            String times = "elapsed " + clock(elapsed) + "  " + eta;
            String head = PREFIX + label + " " + percent + " ";
            String tail = " " + counts + "  " + times;
            String extra = phase == null || phase.isBlank() ? "" : "  " + phase.strip();
            int width = maxLength > MIN_TERMINAL_WIDTH ? maxLength : LOG_LINE_LENGTH;
            int barWidth = width - head.length() - tail.length() - extra.length() - 2;
            if (barWidth < MIN_BAR) {
                barWidth = Math.max(0, Math.min(MIN_BAR, width - head.length() - tail.length() - 2));
                int room = width - head.length() - tail.length() - (barWidth > 0 ? barWidth + 2 : 0);
                extra = room <= 3 ? "" : extra.length() <= room ? extra : extra.substring(0, room - 1) + "…";
            }
            StringBuilder sb = new StringBuilder(head);
            if (barWidth > 0) {
                int filled = (int) Math.floor(fraction * barWidth);
                sb.append('[').append("=".repeat(filled)).append(" ".repeat(barWidth - filled)).append(']');
            }
            sb.append(tail).append(extra);
            return sb.length() <= width ? sb.toString() : sb.substring(0, width);
        }

        private String amount(long raw) {
            if (unitSize == 1) {
                return Long.toString(raw);
            }
            double v = (double) raw / unitSize;
            return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
