package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the eval capability lands; replaced by its owner.
@Command(name = "eval", hidden = true, description = "(not yet available)")
public final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'eval' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
