package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the audit capability lands; replaced by its owner.
@Command(name = "audit", hidden = true, description = "(not yet available)")
public final class AuditCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'audit' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
