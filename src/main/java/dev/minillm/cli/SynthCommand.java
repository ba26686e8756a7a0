package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the synth capability lands; replaced by its owner.
@Command(name = "synth", hidden = true, description = "(not yet available)")
public final class SynthCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'synth' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
