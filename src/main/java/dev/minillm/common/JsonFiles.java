package dev.minillm.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON document that must be an object, and says exactly what is wrong when it is not:
 * an empty file, one cut short, malformed text, or another kind of value. One description for
 * every reader of result files, so bench, report and audit describe a damaged file alike.
 */
public final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {
    }

    /** The object in {@code file}; throws BadInputException "file: what is wrong" otherwise. */
    public static JsonNode readObject(Path file) {
        long size = -1;
        JsonNode root;
        try {
            size = Files.size(file);
            if (size == 0) {
                throw new BadInputException(file + ": empty file (0 bytes), e.g. a write that was cut short");
            }
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // A parse error at the very end of the file is a file cut short, whatever token it cut
            // (a cut after "12." reads as a malformed number).
            long at = e.getLocation().getByteOffset() >= 0 ? e.getLocation().getByteOffset() : e.getLocation().getCharOffset();
            if (e.getOriginalMessage().startsWith("Unexpected end-of-input") || (at >= 0 && size > 0 && at >= size - 1)) {
                throw new BadInputException(file + ": truncated: the JSON ends in the middle (after line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            }
            String why = e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*", "").replaceAll("\\s+", " ");
            throw new BadInputException(file + ": malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + why);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new BadInputException(file + ": no JSON in the file (" + size + " bytes of white space)");
        }
        if (!root.isObject()) {
            throw new BadInputException(file + ": top level is a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object");
        }
        return root;
    }
}
