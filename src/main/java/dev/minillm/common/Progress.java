package dev.minillm.common;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr, so that stdout stays clean for machine output (tables, JSON, CSV).
 * On a terminal the bar redraws in place; elsewhere (CI logs, pipes) it prints a line every
 * few seconds instead of control characters.
 */
public final class Progress implements AutoCloseable {
    private static volatile boolean quiet = false;
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static void setQuiet(boolean q) {
        quiet = q;
    }

    /** A one-off status line on stderr. */
    public static void info(String message) {
        if (!quiet) {
            System.err.println(message);
            System.err.flush();
        }
    }

    /** Starts a bar of {@code total} units ({@code unitName} e.g. "cells", "MB"). */
    public static Progress start(String label, long total, String unitName) {
        if (quiet) {
            return new Progress(null);
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(total)
                .setUnit(" " + unitName, 1)
                .continuousUpdate()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(160);
        if (System.console() == null) {
            // Not a terminal (CI, pipes): one plain line every 10 seconds, wide enough for the phase text.
            builder.setConsumer(new DelegatingProgressBarConsumer(line -> {
                System.err.println(line.strip());
                System.err.flush();
            }, 160)).setUpdateIntervalMillis(10_000);
        } else {
            builder.setUpdateIntervalMillis(200);
        }
        return new Progress(builder.build());
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

    /** Current phase, shown after the bar (e.g. "qwen2.5-0.5b Q4_K_M cpu: decoding"). */
    public void phase(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
