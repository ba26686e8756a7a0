package dev.minillm.cli;

import dev.minillm.bench.CellExecutor;
import dev.minillm.bench.CellSpec;
import dev.minillm.bench.ResultStore;
import dev.minillm.results.CellRecord;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one bench cell; started by 'minillm bench' in a fresh JVM per cell, not meant for people. */
@Command(name = "cell", hidden = true, description = "Measure one bench cell (run by 'bench' in a child JVM).")
public final class CellCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Cell spec JSON written by 'bench'.")
    Path spec;

    @Option(names = "--parent-pid", paramLabel = "PID", description = "Stop when this process (the 'bench' run) is gone.")
    Long parentPid;

    @Override
    public Integer call() {
        // If 'bench' dies (killed with -9), stop too: an orphaned cell would skew the next run's figures.
        // The pid comes from the parent itself: if it died before we got here, parent() would be init.
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                    () -> Runtime.getRuntime().halt(3));
        }
        CellSpec cell = CellSpec.read(spec);
        CellRecord result = CellExecutor.run(cell);
        ResultStore.write(Path.of(cell.output().resultPath()), result);
        return Main.EXIT_OK;
    }
}
