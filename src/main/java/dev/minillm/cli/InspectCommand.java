package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.InspectReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows what a GGUF file contains and whether the bundled llama.cpp (b4916) can load it: "
                + "architecture, parameters, context length, vocabulary, tensor types, bits per weight, file type, "
                + "key metadata and the validation verdict.",
                "Reads only the header. Exit code 2 (and one line on stderr) if the file is bad."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "GGUF file (or --model FILE)")
    Path file;

    @Option(names = "--model", paramLabel = "FILE", description = "GGUF file, as in the other commands")
    Path model;

    @Option(names = "--json", description = "Print JSON (model_info uses the cell schema's keys)")
    boolean json;

    @Override
    public Integer call() {
        if ((file == null) == (model == null)) {
            throw new BadInputException(file == null ? "inspect needs a GGUF file: inspect FILE or inspect --model FILE"
                    : "give the file once: inspect FILE or inspect --model FILE");
        }
        InspectReport r = InspectReport.of(file != null ? file : model);
        System.out.print(json ? r.toJson() : r.toText());
        System.out.flush();
        if (!r.valid()) {
            throw new BadInputException(r.file().label() + ": " + r.problems().get(0));
        }
        return Main.EXIT_OK;
    }
}
