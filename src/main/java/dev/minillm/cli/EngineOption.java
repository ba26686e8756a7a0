package dev.minillm.cli;

import dev.minillm.engine.Engine;
import dev.minillm.engine.Engines;
import picocli.CommandLine.Option;

/**
 * {@code --engine ENGINE} and {@code --verbose} for the commands that run one engine (eval,
 * calibrate): one name, one default and one meaning. bench takes a comma list of engines instead.
 */
public final class EngineOption {
    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = Engines.DEFAULT,
            description = "bundled, native or a native build folder (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--verbose", description = "show llama.cpp's log")
    boolean verbose;

    /** The engine's name as given (bundled, native or a folder). */
    public String name() {
        return engine;
    }

    public boolean verbose() {
        return verbose;
    }

    /** The engine, resolved; BadInputException (exit 2) when it cannot be used. */
    public Engine get() {
        return Engines.get(engine, verbose);
    }
}
