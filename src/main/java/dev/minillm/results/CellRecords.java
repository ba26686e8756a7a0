package dev.minillm.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one reader and writer of cell results: JSON names are the snake_case of the record
 * components, unknown fields are ignored, and a file of schema version 1 is converted on read.
 */
public final class CellRecords {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private CellRecords() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] bytes(CellRecord r) {
        try {
            return MAPPER.writeValueAsBytes(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically: a reader sees the old file or the new one, never a part. */
    public static void write(Path file, CellRecord r) throws IOException {
        AtomicFiles.writeBytes(file, bytes(r));
    }

    /** The stored result, or null when there is none or it is unreadable. */
    public static CellRecord readOrNull(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return read(file);
        } catch (BadInputException e) {
            return null;
        }
    }

    /** Reads one cell file; a BadInputException's one-line message names the file and the reason. */
    public static CellRecord read(Path file) {
        // one reader of JSON files for every command: its messages say truncated, wrong top level, ...
        JsonNode root = dev.minillm.common.JsonFiles.readObject(file);
        if (!root.path("cell").isObject()) {
            throw new BadInputException(file + ": not a cell result (no 'cell' object)");
        }
        try {
            return fromTree((ObjectNode) root);
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
            throw new BadInputException(file + ": not a cell result of schema version " + CellRecord.SCHEMA_VERSION
                    + ": " + why.lines().findFirst().orElse(""));
        }
    }

    /** A result document (of any schema version) as the current record. */
    public static CellRecord fromTree(ObjectNode root) {
        ObjectNode doc = root.deepCopy();
        if (doc.path("schema_version").asInt(1) < 2) {
            V1.convert(doc);
        }
        keepOnlyNumbers(doc);
        return MAPPER.convertValue(doc, CellRecord.class);
    }

    public static JsonNode toTree(CellRecord r) {
        return MAPPER.valueToTree(r);
    }

    /** Metrics and repetitions are read tolerantly: an entry that is not a statistic is left out. */
    private static void keepOnlyNumbers(ObjectNode doc) {
        if (doc.path("metrics").isObject()) {
            ObjectNode metrics = (ObjectNode) doc.get("metrics");
            List<String> drop = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isObject() || !e.getValue().path("mean").isNumber()) {
                    drop.add(e.getKey());
                } else {
                    numbersOnly((ObjectNode) e.getValue());
                }
            }
            metrics.remove(drop);
        } else {
            doc.remove("metrics");
        }
        if (doc.path("repetitions").isArray()) {
            for (JsonNode rep : doc.get("repetitions")) {
                if (rep.isObject()) {
                    numbersOnly((ObjectNode) rep);
                }
            }
        } else {
            doc.remove("repetitions");
        }
    }

    private static void numbersOnly(ObjectNode o) {
        List<String> drop = new ArrayList<>();
        o.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() && !e.getValue().isNull()) {
                drop.add(e.getKey());
            }
        });
        o.remove(drop);
    }

    /** Schema version 1 (written before the typed records): the same facts, moved and completed. */
    static final class V1 {
        private V1() {
        }

        static void convert(ObjectNode doc) {
            if (!doc.hasNonNull("status")) {
                doc.put("status", "ok");
            }
            ObjectNode metrics = doc.path("metrics").isObject() ? (ObjectNode) doc.get("metrics") : null;
            if (metrics != null && metrics.has("cold_load")) {
                doc.set("cold_load", metrics.remove("cold_load"));
            }
            ObjectNode cell = (ObjectNode) doc.get("cell");
            if (cell.path("settings").isObject()) {
                ObjectNode s = (ObjectNode) cell.get("settings");
                JsonNode timeout = s.remove("timeout_s");
                if (timeout != null && doc.path("harness").isObject()) {
                    ((ObjectNode) doc.get("harness")).set("timeout_s", timeout);
                }
                // What version 1 always ran with, though it did not record it.
                if (!s.has("ubatch")) {
                    s.put("ubatch", Math.min(s.path("batch").asInt(512), 512));
                }
                putIfAbsent(s, "cache_type_k", "f16");
                putIfAbsent(s, "cache_type_v", "f16");
                if (!s.has("flash_attn")) {
                    s.put("flash_attn", false);
                }
                // main's version 1 named the engine in cell.engine and the engine object
                putIfAbsent(s, "engine", cell.path("engine").asText(doc.path("engine").path("name").asText("bundled")));
                if (!s.has("tests")) {
                    s.putArray("tests").add(Settings.PROMPT_SET_TEST);
                }
                if (!s.has("ladder")) {
                    s.putArray("ladder");
                }
            }
            if (!doc.path("engine").isObject()) {
                ObjectNode engine = doc.putObject("engine");
                engine.put("name", "bundled");
                JsonNode build = doc.path("hardware").path("native_build");
                engine.put("label", build.isTextual() ? "bundled " + build.asText() : "bundled");
                if (build.isTextual()) {
                    engine.put("llama_cpp_tag", build.asText());
                }
            }
            doc.put("schema_version", CellRecord.SCHEMA_VERSION);
        }

        private static void putIfAbsent(ObjectNode o, String field, String value) {
            if (!o.has(field)) {
                o.put(field, value);
            }
        }
    }
}
