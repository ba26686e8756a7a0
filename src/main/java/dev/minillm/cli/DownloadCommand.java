package dev.minillm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// Placeholder until the download capability lands; replaced by its owner.
@Command(name = "download", hidden = true, description = "(not yet available)")
public final class DownloadCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("minillm: 'download' is not available in this build");
        return Main.EXIT_FAILED;
    }
}
