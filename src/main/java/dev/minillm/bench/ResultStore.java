package dev.minillm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.common.JsonFiles;
import dev.minillm.common.RunFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JSON file per cell under {@code <out>/raw/<model>/<variant>__<backend>[__<settings>].json},
 * each written atomically, so a run killed at any moment loses only the cell in flight.
 */
public final class ResultStore {
    private final Path out;

    public ResultStore(Path out) {
        this.out = out;
    }

    public Path root() {
        return out;
    }

    public Path rawDir() {
        return out.resolve("raw");
    }

    public Path cellFile(String model, String variant, String backend, String settingsTag) {
        String name = ModelNames.safeSegment(variant) + "__" + backend
                + (settingsTag == null || settingsTag.isEmpty() ? "" : "__" + settingsTag) + ".json";
        return rawDir().resolve(ModelNames.safeSegment(model)).resolve(name);
    }

    /** The stored result, or null when there is none or it is unreadable. */
    public static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonFiles.readObject(file);
        } catch (BadInputException e) {
            return null;
        }
    }

    /** Why a file that exists cannot be used as a result ("file: reason"), or null when it is readable or absent. */
    public static String unreadable(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonFiles.readObject(file);
            return null;
        } catch (BadInputException e) {
            return e.getMessage();
        }
    }

    /** True when the file holds a readable result with status ok. */
    public static boolean isOk(Path file) {
        JsonNode doc = read(file);
        return doc != null && "ok".equals(doc.path("status").asText());
    }

    /**
     * True when {@code file} holds an ok result of this schema measured on the same model file
     * (path and size), so re-running skips it; a replaced model file is measured again.
     */
    public static boolean isDone(Path file, CellSpec spec) {
        JsonNode doc = read(file);
        if (doc == null || doc.path("schema_version").asInt() != CellJson.SCHEMA_VERSION
                || !"ok".equals(doc.path("status").asText())) {
            return false;
        }
        if (!spec.modelPath().equals(doc.path("cell").path("model_path").asText())) {
            return false;
        }
        if (spec.speculative() != null
                && !spec.speculative().draftPath().equals(doc.path("cell").path("settings").path("draft_model").asText())) {
            return false; // another draft file under the same name
        }
        if (spec.quality() && doc.path("quality").isNull()) {
            return false; // measured without --quality: measure again, now with it
        }
        if (spec.quality() && spec.tasks() != null && !hasTasks(doc.path("quality"), spec.tasks())) {
            return false; // the tasks (or their sample) asked for now were not scored
        }
        String engine = dev.minillm.engine.Engines.idSegment(spec.engineOrDefault());
        if (!engine.equals(doc.path("cell").path("engine").asText(dev.minillm.engine.Engines.DEFAULT))) {
            return false;
        }
        if (spec.wrapper() && engine.equals(dev.minillm.engine.Engines.DEFAULT) && !doc.path("metrics").has("wrapper_decode_tps")) {
            return false; // measured with --no-wrapper: the wrapper's figure is wanted now
        }
        try {
            return doc.path("model_info").path("file_size_bytes").asLong(-1) == Files.size(Path.of(spec.modelPath()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the quality block scored every task of {@code want} with the same sample size and seed. */
    static boolean hasTasks(JsonNode quality, dev.minillm.eval.TaskSelection want) {
        if (quality.path("synthetic").asBoolean(false)) {
            return true; // no accuracy for synthetic weights, whatever was asked
        }
        for (dev.minillm.eval.ChoiceTask t : want.parsed()) {
            boolean found = false;
            for (JsonNode m : quality.path("mc")) {
                if (t.cliName.equals(m.path("task").asText()) && m.path("limit").asInt(-1) == want.limit()
                        && (m.path("seed").isNull() || m.path("seed").isMissingNode() || m.path("seed").asLong() == want.seed())) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    public static void write(Path file, JsonNode doc) {
        try {
            AtomicFiles.writeBytes(file, CellJson.bytes(doc));
        } catch (IOException e) {
            throw new RunFailedException(file + ": cannot write the result: " + e.getMessage(), e);
        }
    }
}
