package dev.minillm.cli;

import picocli.CommandLine.Option;

/** The multiple-choice sample, the same options for {@code eval mc} and {@code bench --tasks}. */
final class TaskSampleOptions {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
            description = "Items per multiple-choice task, a random sample drawn with --seed; 0 = every item (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of that sample: the same seed and data file give the same items (default: ${DEFAULT-VALUE}).")
    long seed;
}
