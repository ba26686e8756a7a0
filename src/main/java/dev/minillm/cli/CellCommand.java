package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the cell capability lands; replaced by its owner.
@Command(name = "cell", hidden = true, description = "(not yet available)")
public final class CellCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'cell' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
