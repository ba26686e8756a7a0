package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.common.RunFailedException;
import dev.minillm.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. Exit codes: 0 ok, 1 run failed, 2 bad input or usage.
 * Always leaves through System.exit: java-llama.cpp keeps a non-daemon native thread alive
 * after a model is closed, so returning from main would hang the JVM.
 */
@Command(name = "minillm",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Which GGUF quantization should I use here? Benchmarks GGUF variants of a model "
                + "through llama.cpp: speed, memory and quality, side by side.",
        subcommands = {
                BenchCommand.class,
                CalibrateCommand.class,
                CellCommand.class,
                InspectCommand.class,
                QuantizeCommand.class,
                SynthCommand.class,
                EvalCommand.class,
                ReportCommand.class,
                PredictCommand.class,
                AuditCommand.class,
                DownloadCommand.class,
                RpcServerCommand.class,
                EnginesCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command; try 'minillm bench' or 'minillm --help'");
    }

    public static void main(String[] args) {
        int code;
        try {
            code = execute(args);
        } catch (Throwable t) {
            System.err.println("minillm: " + t);
            code = EXIT_FAILED;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code without exiting (used by tests). */
    public static int execute(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex));
        cmd.setParameterExceptionHandler((ex, args1) -> {
            System.err.println("minillm: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, System.err);
            // The full command path ("minillm eval ppl"), not the last name alone ("ppl" is no command).
            System.err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_BAD_INPUT;
        });
        return cmd.execute(args);
    }

    static int handle(Exception ex) {
        if (ex instanceof BadInputException) {
            System.err.println("minillm: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (ex instanceof RunFailedException) {
            System.err.println("minillm: " + ex.getMessage());
            return EXIT_FAILED;
        }
        System.err.println("minillm: internal error: " + ex);
        if (Boolean.getBoolean("minillm.debug")) {
            ex.printStackTrace();
        }
        return EXIT_FAILED;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"minillm " + Version.get() + " (java-llama.cpp 4.2.0, llama.cpp b4916)"};
        }
    }
}
