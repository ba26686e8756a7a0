package dev.minillm.cli;

import dev.minillm.bench.CellExecutor;
import dev.minillm.engine.EngineIdentity;
import dev.minillm.engine.Engines;
import dev.minillm.results.CellRecords;
import dev.minillm.results.EngineInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "engines", mixinStandardHelpOptions = true,
        description = {"Shows the llama.cpp engines minillm can measure with: the bundled b4916 and the native engine "
                + "built by scripts/build-native.sh (release, build variant, backends, CPU variant, devices)."})
public final class EnginesCommand implements Callable<Integer> {
    @Option(names = "--engine", paramLabel = "LIST",
            description = "Engines to show: bundled, native or native build folders (default: bundled and, when built, native).")
    String engine;

    @Option(names = "--json", description = "Print the engines as a JSON array: each one's identity with the cell schema's keys "
            + "(the 'engine' object of a result), or available false and the reason.")
    boolean json;

    /** One engine as --json prints it: its identity as a cell records it, or why it is not available. */
    public record Entry(String engine, boolean available, String reason, EngineInfo identity) {
    }

    @Override
    public Integer call() {
        List<String> specs = Engines.parseList(engine == null ? "bundled,native" : engine);
        List<Entry> entries = new ArrayList<>();
        for (String spec : specs) {
            EngineIdentity id;
            try {
                id = Engines.get(spec, false).identity();
            } catch (dev.minillm.common.BadInputException e) {
                if (engine != null) {
                    throw e;
                }
                entries.add(new Entry(spec, false, e.getMessage(), null));
                continue;
            }
            entries.add(new Entry(spec, true, null, CellExecutor.engineInfo(id)));
        }
        if (json) {
            try {
                System.out.println(CellRecords.mapper().writeValueAsString(entries));
            } catch (java.io.IOException e) {
                throw new dev.minillm.common.RunFailedException("cannot format the engines as JSON: " + e.getMessage(), e);
            }
            return Main.EXIT_OK;
        }
        for (Entry entry : entries) {
            if (!entry.available()) {
                System.out.println(entry.engine() + ": not available: " + entry.reason());
                continue;
            }
            EngineInfo id = entry.identity();
            System.out.println(id.label());
            line("llama.cpp", id.llamaCppTag() + (id.llamaCppCommit() != null ? " (" + id.llamaCppCommit() + ")" : ""));
            if (id.location() != null) {
                line("library", id.location());
            }
            line("variant", id.variant());
            line("backends", String.join(", ", id.backends()));
            line("CPU variant", id.cpuVariant());
            line("devices", String.join("; ", id.devices()));
            line("GPU devices", id.gpuDevices().isEmpty() ? "none" : String.join("; ", id.gpuDevices()));
            line("system info", id.systemInfo().strip());
        }
        return Main.EXIT_OK;
    }

    private static void line(String key, String value) {
        System.out.printf("  %-12s %s%n", key, value);
    }
}
