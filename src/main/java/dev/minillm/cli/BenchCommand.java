package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the bench capability lands; replaced by its owner.
@Command(name = "bench", hidden = true, description = "(not yet available)")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'bench' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
