package dev.minillm.cli;

import dev.minillm.common.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}: the GGUF file a command works on, spelled the same in every command. */
public final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file")
    Path model;

    /** The file, checked to exist (a missing file is one line naming it, exit 2). */
    public Path existing() {
        return existing(model);
    }

    static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file");
        }
        return file;
    }
}
