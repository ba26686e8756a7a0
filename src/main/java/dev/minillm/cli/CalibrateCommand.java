package dev.minillm.cli;

import dev.minillm.bench.LlamaBenchCalibration;
import dev.minillm.bench.LlamaBenchTests;
import dev.minillm.bench.OverheadBenchmark;
import dev.minillm.common.BadInputException;
import dev.minillm.engine.EngineSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the harness's own overhead: minillm's decode loop vs a plain C loop over the same "
                + "library and model, with java-llama.cpp's streaming API beside them. Needs a C compiler for the C loop.")
public final class CalibrateCommand implements Callable<Integer> {
    static final int DEFAULT_CTX = 512;
    static final int DEFAULT_BATCH = 512;

    @Mixin ModelOption model;
    @Mixin ThreadsOption threads;

    @Option(names = "--ctx", paramLabel = "N", defaultValue = "" + DEFAULT_CTX, description = "context size (default: ${DEFAULT-VALUE})")
    int ctx;

    @Option(names = "--n-predict", paramLabel = "N", defaultValue = "128", description = "tokens generated per repetition (default: ${DEFAULT-VALUE})")
    int nPredict;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "5", description = "measured repetitions (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "discarded warmup repetitions (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "rounds of C loop then minillm loop, interleaved (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "prompt text (default: a one-sentence story opening)")
    String prompt = "Once upon a time, there was a little girl who lived in a small house near the forest.";

    @Option(names = "--no-wrapper", description = "skip the java-llama.cpp figure")
    boolean noWrapper;

    @Option(names = "--llama-bench", description = "Instead: minillm's llama-bench tests (-p 512 -n 128) against a plain C "
            + "program doing exactly llama-bench's test, interleaved; prints the ratio and whether it is within 3 %%.")
    boolean llamaBench;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", description = "with --llama-bench: prompt test size (default: ${DEFAULT-VALUE})")
    int nPromptTest = 512;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", description = "with --llama-bench: generation test length (default: ${DEFAULT-VALUE})")
    int nGenTest = 128;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;
    @Mixin
    EngineOption engine;

    private static boolean usesSerialGc() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().equals("Copy"));
    }

    @Override
    public Integer call() {
        Path file = model.existing();
        if (prompt.isBlank()) {
            throw new BadInputException("--prompt must not be empty");
        }
        EngineSettings s = new EngineSettings(threads.get(), Args.atLeast("--ctx", ctx, EngineSettings.MIN_CTX), DEFAULT_BATCH, 0, engine.verbose());
        if (llamaBench) {
            if (!dev.minillm.engine.Engines.DEFAULT.equals(engine.name())) {
                throw new BadInputException("--llama-bench compares with a C loop over the bundled library; drop --engine " + engine.name());
            }
            List<LlamaBenchTests.Test> tests = List.of(new LlamaBenchTests.Test(Args.positive("-p", nPromptTest), 0, 0),
                    new LlamaBenchTests.Test(0, Args.positive("-n", nGenTest), 0));
            System.out.print(LlamaBenchCalibration.format(LlamaBenchCalibration.run(file, s, tests, Args.positive("--repetitions", reps),
                    Args.positive("--rounds", rounds)), s, reps, rounds));
            return Main.EXIT_OK;
        }
        OverheadBenchmark.Result r = OverheadBenchmark.run(engine.get(), file, s, prompt, Args.positive("--n-predict", nPredict),
                Args.atLeast("--warmup", warmup, 0), Args.positive("--repetitions", reps), Args.positive("--rounds", rounds), !noWrapper);
        System.out.print(json ? EvalCommand.toJson(r) + "\n" : OverheadBenchmark.format(r));
        if (!usesSerialGc()) {
            System.err.println("minillm: note: bench cells run with -XX:+UseSerialGC; run calibrate the same way "
                    + "(java -XX:+UseSerialGC -jar minillm.jar calibrate ...) to measure what bench measures");
        }
        return Main.EXIT_OK;
    }
}
