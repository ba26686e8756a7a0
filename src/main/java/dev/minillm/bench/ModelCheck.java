package dev.minillm.bench;

import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Validates a model file before any native code sees it, so that a bad file gives one line naming
 * the file and the reason (exit code 2) instead of a crash inside llama.cpp.
 */
public final class ModelCheck {
    private ModelCheck() {
    }

    /** What the check learned about a valid file. */
    public record Checked(Path path, String fileType, String architecture, long nParams, boolean synthetic) {
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
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(24);
            if (head.length < 4 || head[0] != 'G' || head[1] != 'G' || head[2] != 'U' || head[3] != 'F') {
                throw new BadInputException(file + ": not a GGUF file (no GGUF magic)");
            }
            if (head.length < 24) {
                throw new BadInputException(file + ": truncated GGUF file (header incomplete)");
            }
            int version = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (version < 2 || version > 3) {
                throw new BadInputException(file + ": unsupported GGUF version " + version);
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        return new Checked(file, null, null, 0, false);
    }
}
