package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the inspect capability lands; replaced by its owner.
@Command(name = "inspect", hidden = true, description = "(not yet available)")
public final class InspectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'inspect' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
