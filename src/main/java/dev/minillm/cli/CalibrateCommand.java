package dev.minillm.cli;

import dev.minillm.bench.OverheadBenchmark;
import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate",
        description = "Measure the harness's own overhead: minillm's decode loop vs a plain C loop over the same "
                + "library and model, with java-llama.cpp's streaming API beside them. Needs a C compiler for the C loop.")
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "GGUF file to run")
    Path model;

    @Option(names = "--threads", description = "threads (default: ${DEFAULT-VALUE})")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = "--ctx", description = "context size (default: ${DEFAULT-VALUE})")
    int ctx = 512;

    @Option(names = "--n-predict", description = "tokens generated per repetition (default: ${DEFAULT-VALUE})")
    int nPredict = 128;

    @Option(names = "--repetitions", description = "measured repetitions (default: ${DEFAULT-VALUE})")
    int reps = 5;

    @Option(names = "--warmup", description = "discarded warmup repetitions (default: ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--rounds", description = "rounds of C loop then minillm loop, interleaved (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--prompt", description = "prompt text")
    String prompt = "Once upon a time, there was a little girl who lived in a small house near the forest.";

    @Option(names = "--no-wrapper", description = "skip the java-llama.cpp figure")
    boolean noWrapper;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "bundled",
            description = "bundled, native or a native build folder (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--verbose", description = "show llama.cpp's log")
    boolean verbose;

    private static boolean usesSerialGc() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().equals("Copy"));
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model)) {
            throw new BadInputException(model + ": no such file");
        }
        EngineSettings s = new EngineSettings(threads, ctx, 512, 0, verbose);
        OverheadBenchmark.Result r = OverheadBenchmark.run(dev.minillm.engine.Engines.get(engine, verbose), model, s, prompt, nPredict, warmup, reps, rounds, !noWrapper);
        System.out.print(OverheadBenchmark.format(r));
        if (!usesSerialGc()) {
            System.err.println("note: bench cells run with -XX:+UseSerialGC; run calibrate the same way "
                    + "(java -XX:+UseSerialGC -jar minillm.jar calibrate ...) to measure what bench measures");
        }
        return Main.EXIT_OK;
    }
}
