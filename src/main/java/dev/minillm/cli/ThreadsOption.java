package dev.minillm.cli;

import dev.minillm.metrics.HardwareSnapshot;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}: one name and one default (the physical cores) for every command that runs
 * llama.cpp or the quantizer. llama.cpp's threads spin-wait on each other, so a second hardware
 * thread of a core adds contention rather than speed.
 */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: the physical cores)")
    Integer threads;

    /** The value given, checked, or the default. */
    public int get() {
        return threads == null ? defaultThreads() : Args.atLeast("--threads", threads, 1);
    }

    public static int defaultThreads() {
        return HardwareSnapshot.defaultThreads();
    }
}
