package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the report capability lands; replaced by its owner.
@Command(name = "report", hidden = true, description = "(not yet available)")
public final class ReportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'report' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
