package dev.minillm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import dev.minillm.results.Cell;
import dev.minillm.results.CellRecords;
import dev.minillm.results.EngineInfo;
import dev.minillm.results.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What one child JVM measures and where it writes the result, grouped by concern: the parent
 * serialises it to a file and starts {@code minillm cell --spec <file>}.
 */
public record CellSpec(Target target, Measure measure, Output output) {
    private static final ObjectMapper JSON = CellRecords.mapper();

    /**
     * What to run: one variant of a model family on one backend.
     *
     * @param id        "model/variant__backend[__tag]"
     * @param synthetic synthetic weights (quality is n/a)
     */
    public record Target(String id, String model, String variant, String backend, String modelPath,
                         boolean synthetic, String architecture) {
    }

    /**
     * How to measure it.
     *
     * @param prompts      the prompt set's text, one prompt per entry
     * @param engine       the engine the parent planned for (and the reuse check compares)
     * @param baselinePath the family's quality baseline (eval's BaselineChoice), the reference for KL divergence; null if none
     * @param baselineDir  where the baseline's reference record is cached
     * @param speculative  the draft model and K of a speculative-decoding cell; null for an ordinary cell
     */
    public record Measure(Settings settings, List<String> prompts, EngineInfo engine, String baselinePath,
                          String baselineDir, SpeculativeSpec speculative) {
    }

    /** Where the result goes and how long the child may take. */
    public record Output(String resultPath, int timeoutS, boolean verbose) {
    }

    public String id() {
        return target.id();
    }

    public Settings settings() {
        return measure.settings();
    }

    public String modelPath() {
        return target.modelPath();
    }

    public String variant() {
        return target.variant();
    }

    public String backend() {
        return target.backend();
    }

    public List<String> prompts() {
        return measure.prompts();
    }

    public SpeculativeSpec speculative() {
        return measure.speculative();
    }

    public int warmup() {
        return settings().warmup();
    }

    public int repetitions() {
        return settings().repetitions();
    }

    public int nPredict() {
        return settings().nPredict();
    }

    /** The result's "cell" object. */
    public Cell cell() {
        String placement = "gpu".equals(target.backend()) ? Dimensions.placementTag(settings()) : "";
        return new Cell(target.id(), target.model(), target.variant(), target.backend(),
                dev.minillm.engine.Engines.idSegment(engineOrDefault()), target.modelPath(), settings(),
                placement.isEmpty() ? null : placement);
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(this));
    }

    /** The engine value with the default filled in. */
    public String engineOrDefault() {
        String e = settings().engine();
        return e == null ? dev.minillm.engine.Engines.DEFAULT : e;
    }

    public static CellSpec read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CellSpec.class);
        } catch (IOException e) {
            throw new BadInputException(file + ": not a cell spec: " + e.getMessage());
        }
    }
}
