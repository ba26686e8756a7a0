package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the quantize capability lands; replaced by its owner.
@Command(name = "quantize", hidden = true, description = "(not yet available)")
public final class QuantizeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'quantize' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
