package dev.minillm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minillm.common.AtomicFiles;
import dev.minillm.common.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What one child JVM measures and where it writes the result: the parent serialises it to a file
 * and starts {@code minillm cell --spec <file>}.
 *
 * @param fault        test-only fault injection ("halt", "segv", "hang"); null in real runs
 * @param quality      also run the quality evaluation (dev.minillm.eval) after the speed repetitions
 * @param baselinePath the family's quality baseline (eval's BaselineChoice), the reference for KL divergence; null if none
 * @param baselineDir  where the baseline's reference record is cached
 * @param tasks        multiple-choice tasks scored in the quality run (bench --tasks); null if none
 * @param speculative  the draft model and K of a speculative-decoding cell; null for an ordinary cell
 * @param engine       the --engine value the cell runs on (bundled, native or a build folder); null = bundled
 */
public record CellSpec(String id, String model, String variant, String backend, String modelPath,
                       boolean synthetic, String architecture, int threads, int ctx, int batch, int gpuLayers,
                       int nPredict, int repetitions, int warmup, String promptsFile, List<String> prompts,
                       int timeoutS, boolean wrapper, boolean verbose, String resultPath, String fault,
                       boolean quality, String baselinePath, String baselineDir,
                       dev.minillm.eval.TaskSelection tasks, SpeculativeSpec speculative, String engine) {

    /** Without multiple-choice tasks. */
    public CellSpec(String id, String model, String variant, String backend, String modelPath,
                    boolean synthetic, String architecture, int threads, int ctx, int batch, int gpuLayers,
                    int nPredict, int repetitions, int warmup, String promptsFile, List<String> prompts,
                    int timeoutS, boolean wrapper, boolean verbose, String resultPath, String fault,
                    boolean quality, String baselinePath, String baselineDir) {
        this(id, model, variant, backend, modelPath, synthetic, architecture, threads, ctx, batch, gpuLayers, nPredict,
                repetitions, warmup, promptsFile, prompts, timeoutS, wrapper, verbose, resultPath, fault, quality,
                baselinePath, baselineDir, null, null, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }

    /** The engine value with the default filled in (specs of older versions have none). */
    public String engineOrDefault() {
        return engine == null ? dev.minillm.engine.Engines.DEFAULT : engine;
    }

    public static CellSpec read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CellSpec.class);
        } catch (IOException e) {
            throw new BadInputException(file + ": not a cell spec: " + e.getMessage());
        }
    }

    public CellSpec withFault(String f) {
        return new CellSpec(id, model, variant, backend, modelPath, synthetic, architecture, threads, ctx, batch,
                gpuLayers, nPredict, repetitions, warmup, promptsFile, prompts, timeoutS, wrapper, verbose, resultPath, f,
                quality, baselinePath, baselineDir, tasks, speculative, engine);
    }
}
