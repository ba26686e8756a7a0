package dev.minillm.cli;

import dev.minillm.engine.EngineIdentity;
import dev.minillm.engine.Engines;
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

    @Override
    public Integer call() {
        List<String> specs = Engines.parseList(engine == null ? "bundled,native" : engine);
        for (String spec : specs) {
            EngineIdentity id;
            try {
                id = Engines.get(spec, false).identity();
            } catch (dev.minillm.common.BadInputException e) {
                if (engine != null) {
                    throw e;
                }
                System.out.println(spec + ": not available: " + e.getMessage());
                continue;
            }
            System.out.println(id.label());
            line("llama.cpp", id.llamaTag() + (id.llamaCommit() != null ? " (" + id.llamaCommit() + ")" : ""));
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
