package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import dev.minillm.gguf.GgufFile;
import dev.minillm.gguf.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Validates a model file with the pure-Java GGUF validator before any native code sees it, so that
 * a missing, non-GGUF, truncated or corrupt file, or an architecture the bundled llama.cpp does not
 * know, gives one line naming the file and the reason (exit code 2) instead of a native crash.
 */
public final class ModelCheck {
    private ModelCheck() {
    }

    /**
     * What the check learned about a valid file.
     *
     * @param fileType variant from general.file_type; when absent (older converters), from the file
     *                 name, else the type most tensors have ("F32" for an all-F32 file), as llama.cpp guesses
     */
    public record Checked(Path path, String fileType, String architecture, long nParams, boolean synthetic,
                          long fileSizeBytes, double bitsPerWeight) {
    }

    public static Checked check(Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": model file not found");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory, not a GGUF model file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadInputException(file + ": not a readable regular file");
        }
        ModelInfo info = GgufFile.openValidated(file).info();
        String variant = info.fileType();
        if (variant == null) {
            variant = ModelNames.variantFromFileName(file);
        }
        if (variant == null) {
            variant = info.dominantTensorType() != null ? info.dominantTensorType().toUpperCase(Locale.ROOT) : "UNKNOWN";
        }
        return new Checked(file, variant, info.architecture(), info.parameterCount(), info.synthetic(),
                info.fileSizeBytes(), info.bitsPerWeight());
    }
}
