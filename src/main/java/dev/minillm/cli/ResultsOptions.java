package dev.minillm.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which cell results 'report' and 'audit' read, spelled alike in both. */
public final class ResultsOptions {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory with raw/<model>/*.json; repeat to merge machines (default: ${DEFAULT-VALUE}).")
    List<Path> results;

    @Option(names = "--allow-mixed",
            description = "Compare cells from different machines or harness versions in one table without audit flags.")
    boolean allowMixed;
}
