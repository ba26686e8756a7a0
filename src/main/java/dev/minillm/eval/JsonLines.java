package dev.minillm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.BadInputException;
import java.util.ArrayList;
import java.util.List;

/** A JSON-lines text read into one object per line, each with "FILE line N" for error messages. */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    record Line(JsonNode node, String where) {
    }

    /** Blank lines and comment lines ('#', '//') are skipped; a line that is not JSON is bad input. */
    static List<Line> read(String text, String source) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            try {
                out.add(new Line(JSON.readTree(line), where));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
            }
        }
        return out;
    }
}
